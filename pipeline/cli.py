"""The command line: ``python -m pipeline COMMAND ...`` (also installed as ``mia-pipeline``).

:data:`COMMANDS` is the table of commands: each names the module that owns the
command's parser (``add_parser(subparsers, name)``) and its ``run(args)``. Command
modules import nothing heavy at module level, so ``--help`` answers fast; a command's
implementation is imported when it runs. Adding a command is one line here and one
module. Every input error is a :class:`~pipeline.errors.PipelineError`, printed as one
line on stderr with exit status 1; ``--debug`` shows the traceback too. A third-party
module missing is the user's set-up, not a bug: one line says what to run (exit 1).
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
import traceback
from typing import Any

from pipeline import __version__
from pipeline.errors import PipelineError

EPILOG = """\
typical use (after `make`, in the environment it made: `. .venv/bin/activate`):
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
    "serve": "pipeline.commands.serve",
    "manifest": "pipeline.commands.manifest",
    "rights": "pipeline.commands.rights",
    "authors": "pipeline.commands.authors",
}


# What to run when the pipeline's dependencies cannot be imported: the interpreter is not
# the one `make` installed the pipeline into (README.md, first lines).
SETUP_HINT = (
    "run `make` (it installs the pipeline into .venv), then `. .venv/bin/activate` or use .venv/bin/mia-pipeline"
)


class CommandLineParser(argparse.ArgumentParser):
    """argparse's parser that also suggests the closest command for a mistyped one.

    argparse lists the choices but suggests none before Python 3.14 (``suggest_on_error``,
    done in this same hook); the suggestion is difflib's closest match, the exit status
    stays argparse's 2.
    """

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = list(action.choices or ()) if action.dest == "command" else []
        if choices and value not in choices:
            close = difflib.get_close_matches(str(value), choices, n=1)
            if close:
                listed = ", ".join(repr(c) for c in choices)
                raise argparse.ArgumentError(
                    action, f"invalid choice: {value!r} (choose from {listed}); did you mean {close[0]!r}?"
                )
        super()._check_value(action, value)


def missing_dependency(exc: ModuleNotFoundError) -> str | None:
    """The third-party module whose absence raised ``exc``, or None if the pipeline's own
    or the standard library's is missing (that is a bug, reported as one)."""
    top = (exc.name or "").partition(".")[0]
    if not top or top == "pipeline" or top in sys.stdlib_module_names:
        return None
    return top


def parser() -> argparse.ArgumentParser:
    p = CommandLineParser(
        prog="python -m pipeline",
        description="Turn MIA works into TEI P5 masters and EPUB 3, PDF and plain-text editions.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"mia-pipeline {__version__}")
    p.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        command = importlib.import_module(module).add_parser(sub, name)
        if command.description is None:  # `COMMAND --help` opens with the line `--help` lists it by
            command.description = next(a.help for a in sub._choices_actions if a.dest == name)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` names (default: the process's arguments); its exit status."""
    try:
        return run_command(argv)
    except ModuleNotFoundError as exc:  # raised while importing a command, before its options are parsed
        debug = "--debug" in (sys.argv[1:] if argv is None else argv)
        missing = missing_dependency(exc)
        if missing is None:
            return internal_error(exc, debug)
        if debug:
            traceback.print_exc()
        print(f"error: the pipeline's environment is not set up (no module {missing!r}): {SETUP_HINT}", file=sys.stderr)
        return 1


def internal_error(exc: BaseException, debug: bool) -> int:
    """A bug: say so plainly, show the traceback only on --debug; exit status 3."""
    if debug:
        traceback.print_exception(exc)
    print(
        f"internal error (a bug in mia-pipeline {__version__}): {type(exc).__name__}: {exc}; rerun with --debug",
        file=sys.stderr,
    )
    return 3


def run_command(argv: list[str] | None) -> int:
    """Parse ``argv`` and run its command, every error turned into its exit status but a
    missing third-party module, which :func:`main` reports as the set-up's."""
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
    except ModuleNotFoundError as exc:
        if missing_dependency(exc) is None:
            return internal_error(exc, args.debug)
        raise  # the set-up, not a bug: main() says what to run
    except OSError as exc:  # the machine's refusal (a read-only or full disk, a permission): not a bug
        if args.debug:
            traceback.print_exc()
        print(os_error_line(exc), file=sys.stderr)
        return 1
    except Exception as exc:
        return internal_error(exc, args.debug)


def os_error_line(exc: OSError) -> str:
    """One line for an OS error: ``path: error: what the system said``."""
    where = exc.filename if exc.filename is not None else None
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{where}: error: {what}" if where is not None else f"error: {what}"
