"""``pipeline verify``'s report: every named work checked, its differences recorded and printed.

A work with differences is recorded as failed (:mod:`pipeline.verified`), so the catalog
leaves it unpublished until it is rebuilt. The report is JSON (one object) on stdout, or
one line per difference on stdout and, on stderr, a line per edition with differences
(every edition's with ``--verbose``) and the verdict, last. The
command line (``python -m pipeline verify``) is :mod:`pipeline.commands.verify`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from pipeline import verified
from pipeline.errors import PipelineError
from pipeline.paths import editions_dir
from pipeline.verify.differences import EditionReport
from pipeline.verify.work import check_work


def built_works(root: Path) -> list[str]:
    """Every work with a master in ``editions/``."""
    eds = editions_dir(root)
    if not eds.is_dir():
        raise PipelineError("no editions/ folder here; run from the project root after building", eds)
    return sorted(p.parent.name for p in eds.glob("*/*.tei.xml") if p.name == f"{p.parent.name}.tei.xml")


def verify_works(root: Path, slugs: list[str]) -> list[EditionReport]:
    """Every edition of ``slugs`` checked; a work with differences is recorded unpublished until rebuilt."""
    reports = [r for slug in slugs for r in check_work(slug, root)]
    for slug in sorted({r.work for r in reports if r.differences}):
        count = sum(len(r.differences) for r in reports if r.work == slug)
        verified.record_failure(
            editions_dir(root) / slug, f"{slug}: verify: {count} difference(s) (python -m pipeline verify {slug})"
        )
    return reports


def write_json(reports: list[EditionReport], slugs: list[str], out: TextIO) -> None:
    differences = [d for r in reports for d in r.differences]
    json.dump(
        {
            "ok": not differences,
            "works": slugs,
            "editions": [
                {**asdict(r), "differences": [asdict(d) | {"message": str(d)} for d in r.differences]} for r in reports
            ],
        },
        out,
        indent=1,
        ensure_ascii=False,
    )
    print(file=out)


def write_text(reports: list[EditionReport], slugs: list[str], out: TextIO, log: TextIO, verbose: bool = False) -> None:
    """Each difference on ``out``; on ``log`` each edition with differences (each edition
    if ``verbose``: hundreds of "ok" lines hid the verdict) and the verdict."""
    differences = [d for r in reports for d in r.differences]
    for d in differences:
        print(d, file=out)
    for r in reports:
        if not (verbose or r.differences):
            continue
        status = "ok" if not r.differences else f"{len(r.differences)} difference(s)"
        rules = "; rules applied: " + ", ".join(f"{k} x{n}" for k, n in r.rules.items()) if r.rules else ""
        print(f"{r.work}: {r.edition}: {status} ({r.words:,} words, {r.notes} notes compared{rules})", file=log)
    failed = len({r.work for r in reports if r.differences})
    verdict = f"in {failed} work(s), unpublished until rebuilt" if failed else "every edition says what its master says"
    print(
        f"verify: {len(reports)} edition(s) of {len(slugs)} work(s): {len(differences)} difference(s); {verdict}",
        file=log,
    )


def verify_and_print(root: Path, slugs: list[str], json_format: bool = False, verbose: bool = False) -> bool:
    """Verify ``slugs`` (every built work if none) and print the report; True if no difference."""
    slugs = slugs or built_works(root)
    reports = verify_works(root, slugs)
    if json_format:
        write_json(reports, slugs, sys.stdout)
    else:
        write_text(reports, slugs, sys.stdout, sys.stderr, verbose)
    return not any(r.differences for r in reports)
