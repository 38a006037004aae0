"""``python -m pipeline ingest SOURCE_DIR [-o MASTER]``: one work's TEI master."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(name, help="read one source folder and write its TEI master")
    s.add_argument("source", type=Path, metavar="SOURCE_DIR", help="a folder of sources/ holding manifest.json")
    s.add_argument(
        "-o", "--output", type=Path, metavar="MASTER", help="where to write (default editions/<slug>/<slug>.tei.xml)"
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.ingest import ingest

    out = ingest(args.source, args.output)
    print(out)
    return 0
