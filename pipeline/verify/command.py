"""``pipeline verify [WORK...]``: its parser, and the report of every work's differences."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from pipeline import verified
from pipeline.errors import PipelineError
from pipeline.paths import editions_dir, project_root


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    s = sub.add_parser(name, help="check that every edition says what its master says")
    s.add_argument("works", nargs="*", metavar="WORK", help="slugs (default: every work in editions/)")
    s.add_argument("--format", choices=("text", "json"), default="text")
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.verify.work import check_work

    root = project_root()
    slugs = list(args.works)
    if not slugs:
        eds = editions_dir(root)
        if not eds.is_dir():
            raise PipelineError("no editions/ folder here; run from the project root after building", eds)
        slugs = sorted(p.parent.name for p in eds.glob("*/*.tei.xml") if p.name == f"{p.parent.name}.tei.xml")
    reports = [r for slug in slugs for r in check_work(slug, root)]
    differences = [d for r in reports for d in r.differences]
    for slug in sorted({r.work for r in reports if r.differences}):  # unpublished until rebuilt
        count = sum(len(r.differences) for r in reports if r.work == slug)
        verified.record_failure(
            editions_dir(root) / slug, f"{slug}: verify: {count} difference(s) (python -m pipeline verify {slug})"
        )
    if args.format == "json":
        json.dump(
            {
                "ok": not differences,
                "works": slugs,
                "editions": [
                    {**asdict(r), "differences": [asdict(d) | {"message": str(d)} for d in r.differences]}
                    for r in reports
                ],
            },
            sys.stdout,
            indent=1,
            ensure_ascii=False,
        )
        print()
    else:
        for d in differences:
            print(d)
        for r in reports:
            status = "ok" if not r.differences else f"{len(r.differences)} difference(s)"
            print(f"{r.work}: {r.edition}: {status} ({r.words:,} words, {r.notes} notes compared)", file=sys.stderr)
        print(
            f"verify: {len(reports)} edition(s) of {len(slugs)} work(s): {len(differences)} difference(s)",
            file=sys.stderr,
        )
    return 1 if differences else 0
