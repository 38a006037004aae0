"""Validate every target under the paths given: masters, manifests and ``sources/`` trees,
into one :class:`~pipeline.validation.report.Report` (the ``validate`` command prints it:
:mod:`pipeline.commands.validate`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.validation import tei_all
from pipeline.validation.master import check_master
from pipeline.validation.problems import Layer
from pipeline.validation.report import FileResult, Report
from pipeline.validation.targets import MANIFEST, MASTER, collect


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
