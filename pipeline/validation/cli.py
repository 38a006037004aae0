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

from pipeline.validation import tei_all
from pipeline.validation.master import check_master
from pipeline.validation.problems import Layer
from pipeline.validation.report import FileResult, Report
from pipeline.validation.targets import MANIFEST, MASTER, UsageError, collect

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def validate(paths: list[Path], run_tei_all: bool = True) -> Report:
    """Validate every target under ``paths`` (raises UsageError for a bad path)."""
    from pipeline.validation.manifests import check_manifest

    targets = collect(paths)
    results: list[FileResult] = []
    checks: list[str] = []
    notes: list[str] = []
    for target in targets:
        if target.kind == MASTER:
            results.append(FileResult(str(target.path), MASTER, check_master(target.path)))
        else:
            results.append(FileResult(str(target.path), MANIFEST, check_manifest(target.path)))
    kinds = {t.kind for t in targets}
    if MASTER in kinds:
        checks += [Layer.PROFILE.value, Layer.SCHEMATRON.value]
    if MANIFEST in kinds:
        checks += [Layer.JSON_SCHEMA.value, Layer.FIXITY.value]
    masters = [r for r in results if r.kind == MASTER and not any(p.layer is Layer.FILE for p in r.problems)]
    if run_tei_all and masters:
        reason = tei_all.unavailable_reason()
        if reason:
            notes.append(f"the check against the official tei_all.rng was skipped: {reason}")
        else:
            checks.append(Layer.TEI_ALL.value)
            by_path = {r.path: r for r in masters}
            for problem in tei_all.check_tei_all([Path(r.path) for r in masters]):
                by_path.get(problem.path, masters[0]).problems.append(problem)
            for r in masters:
                r.problems.sort()
    return Report(results, checks, notes)


def run(args: argparse.Namespace) -> int:
    try:
        report = validate(list(args.paths), run_tei_all=not getattr(args, "no_tei_all", False))
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    out = report.json_text() if args.format == "json" else report.text()
    sys.stdout.write(out)
    sys.stdout.flush()
    return EXIT_VALID if report.valid else EXIT_INVALID
