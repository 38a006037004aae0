"""``python -m pipeline catalog [--base-url URL]``: write the library page and catalogs."""

from __future__ import annotations

import argparse
import sys

from pipeline.paths import project_root


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    s = sub.add_parser(name, help="write editions/index.html, catalog.xml (OPDS) and SHA256SUMS")
    s.add_argument("--base-url", default="", help="absolute URL the editions/ folder is served from (optional)")
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.distribution.publish import publish

    root = project_root()
    written, works, withheld = publish(root, args.base_url or "")
    for gone in withheld:
        print(f"{gone.slug}: not published: {gone.reason}", file=sys.stderr)
    print(
        f"catalog: {len(works)} work(s) published, {len(withheld)} withheld (licence); "
        f"wrote editions/index.html, catalog.xml, catalog.json, SHA256SUMS ({len(written)} files listed)",
        file=sys.stderr,
    )
    return 0
