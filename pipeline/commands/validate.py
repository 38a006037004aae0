"""``python -m pipeline validate PATH... [--format text|json]``.

Prints one line per problem, ``path:line:col: error: [rule-id] message``, then a
summary line (text), or one JSON report conforming to
``schemas/validation-report.schema.json`` (json), on standard output.

Exit status: 0 all valid; 1 some problem found; 2 usage error (a path that does not
exist, a file of a kind it cannot validate, a folder with nothing to validate: reported
on standard error before anything is validated).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="validate masters, manifests and sources/ trees (RelaxNG, Schematron, JSON Schema)",
        description="Each problem is one line, path:line:col: error: [rule-id] message, then a summary. "
        "Exit status 0 valid, 1 invalid, 2 usage error. Rules: schemas/README.md.",
    )
    s.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    s.add_argument("--format", choices=("text", "json"), default="text", help="report format (default text)")
    s.add_argument(
        "--no-tei-all",
        action="store_true",
        help="skip the second opinion of the official tei_all.rng (jing), shipped in schemas/tei/ ($MIA_TEI_ALL: another copy)",
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.validation.batch import validate
    from pipeline.validation.targets import UsageError

    try:
        report = validate(list(args.paths), run_tei_all=not args.no_tei_all)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    out = report.json_text() if args.format == "json" else report.text()
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_VALID if report.valid else EXIT_INVALID
