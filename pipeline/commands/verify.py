"""``python -m pipeline verify [WORK...] [--format text|json]``: every edition against its master.

The work is done by :mod:`pipeline.verify.report`. Exit status 1 if any difference was found.
"""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(name, help="check that every edition says what its master says")
    s.add_argument("works", nargs="*", metavar="WORK", help="slugs (default: every work in editions/)")
    s.add_argument("--format", choices=("text", "json"), default="text", help="report format (default text)")
    s.add_argument(
        "--verbose", "-v", action="store_true", help="a line for every edition, not only those with differences"
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.paths import project_root
    from pipeline.verify.report import verify_and_print

    return (
        0
        if verify_and_print(project_root(), list(args.works), json_format=args.format == "json", verbose=args.verbose)
        else 1
    )
