"""``python -m pipeline manifest FILE... --url URL``: a manifest.json for source files."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.mia import PAGE_FILE
from pipeline.readers.formats import MIA_HTML, MIA_TEXT, NAMES


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name, help="print a manifest.json for source files (to register a new work)"
    )
    s.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the work's source files, as retrieved")
    s.add_argument("--url", required=True, help="the work's canonical MIA URL")
    s.add_argument("--retrieved", help="retrieval date, YYYY-MM-DD (default today)")
    s.add_argument("--format", dest="source_format", choices=NAMES, help="default: from the file names")
    return s


def run(args: argparse.Namespace) -> int:
    manifest = source_manifest(list(args.files), args.url, args.retrieved, args.source_format)
    json.dump(manifest, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


def source_manifest(files: list[Path], url: str, retrieved: str | None, source_format: str | None) -> dict[str, Any]:
    """The manifest of a new work made of ``files``: their sha256 and roles (one file is the
    main one; of several, ``index.*`` is the index, the rest parts), the slug from ``url``."""
    from pipeline.fixity import sha256_file
    from pipeline.paths import slug_from_url

    entries = []
    for f in files:
        if not f.is_file():
            raise PipelineError("no such file", f)
        role = "main" if len(files) == 1 else ("index" if f.stem == "index" else "part")
        entries.append({"path": f.name, "sha256": sha256_file(f), "role": role})
    fmt = source_format or (MIA_HTML.name if PAGE_FILE.search(files[0].name) else MIA_TEXT.name)
    return {
        "slug": slug_from_url(url),
        "url": url,
        "retrieved": retrieved or date.today().isoformat(),
        "format": fmt,
        "language": "en",
        "files": entries,
    }
