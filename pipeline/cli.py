"""The command line: ``python -m pipeline COMMAND ...`` (also installed as ``mia-pipeline``).

Each command's implementation is imported only when the command runs, so ``--help``
answers fast. Every input error is a :class:`~pipeline.errors.PipelineError`, printed
as one line on stderr with exit status 1; ``--debug`` shows the traceback too.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from pathlib import Path

from pipeline import __version__
from pipeline.errors import PipelineError

EPILOG = """\
typical use:
  make                                   set up, then build every edition of every work
  python -m pipeline build --jobs 2      build what changed in sources/ (incremental)
  python -m pipeline validate sources/ editions/*/*.tei.xml
  python -m pipeline ingest sources/trotsky-1923-faction
  python -m pipeline epub editions/trotsky-1923-faction/trotsky-1923-faction.tei.xml
"""

# command -> (module, function); each function takes the parsed args and returns an exit code.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("pipeline.commands", "cmd_ingest"),
    "validate": ("pipeline.validation.cli", "run"),
    "epub": ("pipeline.commands", "cmd_epub"),
    "pdf": ("pipeline.commands", "cmd_pdf"),
    "txt": ("pipeline.commands", "cmd_txt"),
    "build": ("pipeline.build", "run"),
    "verify": ("pipeline.verify", "run"),
    "catalog": ("pipeline.distribution.cli", "run"),
    "manifest": ("pipeline.commands", "cmd_manifest"),
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn MIA works into TEI P5 masters and EPUB 3, PDF and plain-text editions.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"mia-pipeline {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("ingest", help="read one source folder and write its TEI master")
    s.add_argument("source", type=Path, metavar="SOURCE_DIR", help="a folder of sources/ holding manifest.json")
    s.add_argument("-o", "--output", type=Path, metavar="MASTER", help="where to write (default editions/<slug>/<slug>.tei.xml)")

    s = sub.add_parser(
        "validate",
        help="validate masters, manifests and sources/ trees (RelaxNG, Schematron, JSON Schema)",
        description="Each problem is one line, path:line:col: error: [rule-id] message, then a summary. "
        "Exit status 0 valid, 1 invalid, 2 usage error. Rules: schemas/README.md.",
    )
    s.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    s.add_argument("--format", choices=("text", "json"), default="text", help="report format (default text)")
    s.add_argument(
        "--no-tei-all",
        action="store_true",
        help="skip the second opinion of the official tei_all.rng (jing), which runs when ../shared/tei/tei_all.rng or $MIA_TEI_ALL is at hand",
    )

    for name, what in (("epub", "an EPUB 3"), ("pdf", "a PDF"), ("txt", "a plain-text")):
        s = sub.add_parser(name, help=f"render {what} edition from a TEI master")
        s.add_argument("master", type=Path, metavar="MASTER")
        s.add_argument("-o", "--output", type=Path, metavar="FILE", help=f"default: beside the master, <slug>.{name}")
        s.add_argument("--force", action="store_true", help="build even if the licence does not allow distribution")
        if name == "pdf":
            s.add_argument("--page-size", choices=("A5", "A4", "Letter"), default="A5", help="default A5")
            s.add_argument(
                "--pdf-variant",
                default="pdf/a-3a",
                help="PDF variant WeasyPrint offers: pdf/a-3a (default), pdf/ua-1, pdf/a-1b, pdf/a-2b, pdf/a-3b, "
                "pdf/a-2u, pdf/a-3u, pdf/a-4u, pdf/ua-2, debug, or 'none'",
            )
        if name == "txt":
            s.add_argument("--ascii", action="store_true", help="7-bit ASCII transliteration for old tools")

    s = sub.add_parser("build", help="build every work in sources/ (or the named ones), incrementally")
    s.add_argument("works", nargs="*", metavar="WORK", help="slugs (default: every folder of sources/)")
    s.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: number of CPUs)")
    s.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    s.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the tasks on a Dask distributed cluster")
    s.add_argument("--no-verify", action="store_true", help="skip the fidelity check after building")
    s.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")
    s.add_argument("--report", type=Path, metavar="FILE", help="also write a JSON report: per work its status, seconds per stage, worker and peak memory")

    s = sub.add_parser("verify", help="check that every edition says what its master says")
    s.add_argument("works", nargs="*", metavar="WORK", help="slugs (default: every work in editions/)")
    s.add_argument("--format", choices=("text", "json"), default="text")

    s = sub.add_parser(
        "catalog",
        help="write the library site (editions/index.html...), the OPDS catalogs, the search index and SHA256SUMS",
        description="Publishes only works whose last build was verified and whose files still have the sha256 "
        "recorded then; names every other work and why on stderr.",
    )
    s.add_argument("--base-url", default="", help="absolute URL the editions/ folder is served from (optional)")
    s.add_argument("--no-search", action="store_true", help="skip the Pagefind full-text index (faster; the site's search page then finds nothing)")

    s = sub.add_parser("manifest", help="print a manifest.json for source files (to register a new work)")
    s.add_argument("files", nargs="+", type=Path, metavar="FILE")
    s.add_argument("--url", required=True, help="the work's canonical MIA URL")
    s.add_argument("--retrieved", help="retrieval date, YYYY-MM-DD (default today)")
    s.add_argument("--format", dest="source_format", choices=("mia-text", "mia-html"), help="default: from the file names")
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        return int(exc.code or 0)
    if not args.command:
        p.print_help()
        return 2
    module_name, func_name = COMMANDS[args.command]
    try:
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(args) or 0)
    except PipelineError as exc:
        if args.debug:
            traceback.print_exc()
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; no partial output was left behind", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug: say so plainly, show the traceback only on --debug
        if args.debug:
            traceback.print_exc()
        print(f"internal error (a bug in mia-pipeline {__version__}): {type(exc).__name__}: {exc}; rerun with --debug", file=sys.stderr)
        return 3
