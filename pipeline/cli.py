"""The command line: ``python -m pipeline COMMAND ...`` (also installed as ``mia-pipeline``).

:data:`COMMANDS` is the table of commands: each names the module that owns the
command's parser (``add_parser(subparsers, name)``) and its ``run(args)``. Command
modules import nothing heavy at module level, so ``--help`` answers fast; a command's
implementation is imported when it runs. Adding a command is one line here and one
module. Every input error is a :class:`~pipeline.errors.PipelineError`, printed as one
line on stderr with exit status 1; ``--debug`` shows the traceback too.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from pipeline import __version__
from pipeline.errors import PipelineError

EPILOG = """\
typical use:
  make                                   set up, then build every edition of every work
  python -m pipeline import ~/mia-mirror archive/trotsky/1923    bring works from a copy of the site into sources/
  python -m pipeline fetch https://www.marxists.org/archive/trotsky/1923/12/faction.htm
  python -m pipeline build --jobs 2      build what changed in sources/ (incremental)
  python -m pipeline validate sources/ editions/*/*.tei.xml
  python -m pipeline ingest sources/trotsky-1923-faction
  python -m pipeline epub editions/trotsky-1923-faction/trotsky-1923-faction.tei.xml
"""

# command -> the module owning its parser and its run, in the order --help lists them.
COMMANDS: dict[str, str] = {
    "import": "pipeline.commands.import_site",
    "fetch": "pipeline.commands.fetch",
    "ingest": "pipeline.commands.ingest",
    "validate": "pipeline.commands.validate",
    "epub": "pipeline.commands.edition",
    "pdf": "pipeline.commands.edition",
    "txt": "pipeline.commands.edition",
    "build": "pipeline.commands.build",
    "verify": "pipeline.commands.verify",
    "catalog": "pipeline.commands.catalog",
    "manifest": "pipeline.commands.manifest",
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
    for name, module in COMMANDS.items():
        importlib.import_module(module).add_parser(sub, name)
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
    try:
        return int(importlib.import_module(COMMANDS[args.command]).run(args) or 0)
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
        print(
            f"internal error (a bug in mia-pipeline {__version__}): {type(exc).__name__}: {exc}; rerun with --debug",
            file=sys.stderr,
        )
        return 3
