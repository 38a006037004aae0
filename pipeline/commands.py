"""The single-work commands: ingest, epub, pdf, txt, manifest."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pipeline.errors import PipelineError


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.ingest import ingest

    out = ingest(args.source, args.output)
    print(out)
    return 0


def _edition(args: argparse.Namespace, ext: str) -> tuple[Path, Path]:
    from pipeline.master.read import load

    master: Path = args.master
    _, meta = load(master)
    if not meta.distributable and not getattr(args, "force", False):
        raise PipelineError(f"not distributable: {meta.refusal_reason}; record a permission in the manifest, or use --force for a private copy", master)
    out = args.output or master.with_name(f"{meta.slug}.{ext}")
    return master, out


def cmd_epub(args: argparse.Namespace) -> int:
    master, out = _edition(args, "epub")
    from pipeline.writers.epub import write_epub

    write_epub(master, out)
    print(out)
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    master, out = _edition(args, "pdf")
    from pipeline.writers.pdf import write_pdf

    write_pdf(master, out, page_size=args.page_size, variant=args.pdf_variant)
    print(out)
    return 0


def cmd_txt(args: argparse.Namespace) -> int:
    master, out = _edition(args, "ascii.txt" if args.ascii else "txt")
    from pipeline.writers.txt import write_txt

    write_txt(master, out, ascii_only=args.ascii)
    print(out)
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from pipeline.manifest import sha256_of
    from pipeline.paths import slug_from_url

    files = []
    for i, f in enumerate(args.files):
        if not f.is_file():
            raise PipelineError("no such file", f)
        role = "main" if len(args.files) == 1 else ("index" if f.stem == "index" else "part")
        files.append({"path": f.name, "sha256": sha256_of(f), "role": role})
    fmt = args.source_format or ("mia-html" if args.files[0].suffix.lower() in (".htm", ".html") else "mia-text")
    manifest = {
        "slug": slug_from_url(args.url),
        "url": args.url,
        "retrieved": args.retrieved or date.today().isoformat(),
        "format": fmt,
        "language": "en",
        "files": files,
    }
    json.dump(manifest, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0
