"""``python -m pipeline catalog [--base-url URL]``: write the library page and catalogs."""

from __future__ import annotations

import argparse
import sys

from pipeline.distribution.publish import publish
from pipeline.paths import project_root


def run(args: argparse.Namespace) -> int:
    root = project_root()
    written, works, withheld = publish(root, getattr(args, "base_url", "") or "")
    for gone in withheld:
        print(f"{gone.slug}: not published: {gone.reason}", file=sys.stderr)
    print(
        f"catalog: {len(works)} work(s) published, {len(withheld)} withheld (licence); "
        f"wrote editions/index.html, catalog.xml, catalog.json, SHA256SUMS ({len(written)} files listed)",
        file=sys.stderr,
    )
    return 0
