"""``python -m pipeline epub|pdf|txt MASTER [-o FILE]``: one edition from a master.

One parser per edition format of :mod:`pipeline.formats`; each writes with
:func:`pipeline.writers.write.write_edition`. The master is validated first (the three
layers the build runs): a master edited by hand that no longer conforms is refused at its
first problem, never rendered into an edition that says what the master does not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.formats import ASCII_TXT, FORMATS, PDF, TXT

BY_NAME = {f.name: f for f in FORMATS}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    fmt = BY_NAME[name]
    s: argparse.ArgumentParser = sub.add_parser(name, help=f"render {fmt.what} edition from a TEI master")
    s.add_argument("master", type=Path, metavar="MASTER", help="a TEI master (editions/<slug>/<slug>.tei.xml)")
    s.add_argument("-o", "--output", type=Path, metavar="FILE", help=f"default: beside the master, <slug>.{name}")
    s.add_argument("--force", action="store_true", help="build even if the licence does not allow distribution")
    if fmt is PDF:
        s.add_argument("--page-size", choices=("A5", "A4", "Letter"), default="A5", help="default A5")
        s.add_argument(
            "--pdf-variant",
            default="pdf/a-3a",
            help="PDF variant WeasyPrint offers: pdf/a-3a (default), pdf/ua-1, pdf/a-1b, pdf/a-2b, pdf/a-3b, "
            "pdf/a-2u, pdf/a-3u, pdf/a-4u, pdf/ua-2, debug, or 'none'",
        )
    if fmt is TXT:
        s.add_argument("--ascii", action="store_true", help="7-bit ASCII transliteration for old tools")
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.master.read import load
    from pipeline.validation import check_master
    from pipeline.writers.write import write_edition

    fmt = BY_NAME[args.command]
    master: Path = args.master
    problems = check_master(master)
    if problems:
        raise PipelineError(
            f"not a valid master, not rendered: {problems[0]} ({len(problems)} problem(s); "
            f"run `python -m pipeline validate {master}`)"
        )
    _, meta = load(master)
    if not meta.distributable and not args.force:
        raise PipelineError(
            f"not distributable: {meta.refusal_reason}; record a permission in the manifest, or use --force for a private copy",
            master,
        )
    options: dict[str, object] = {}
    ext = fmt.name
    if fmt is PDF:
        options = {"page_size": args.page_size, "variant": args.pdf_variant}
    elif fmt is TXT:
        options = {"ascii_only": args.ascii}
        ext = ASCII_TXT if args.ascii else fmt.name
    out = args.output or master.with_name(f"{meta.slug}.{ext}")
    write_edition(fmt, master, out, **options)
    print(out)
    return 0
