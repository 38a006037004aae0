"""A build: every work of ``sources/`` (or the named ones), incrementally, in parallel.

Plans every work in this process (cheap: :mod:`pipeline.builder.state`), then hands the
stale ones to an executor: :mod:`pipeline.builder.pool` on this machine, or
:mod:`pipeline.builder.cluster` with a scheduler. A work that failed before with the same
inputs and code is reported failed again without a try (:func:`remembered_failures`)
unless ``--retry-failed`` or ``--force`` asks. Both executors are imported only when
there is work to do, so a no-op rebuild never imports lxml or WeasyPrint. One build per
project at a time (:func:`build_lock`). The command line (``python -m pipeline build``) is
:mod:`pipeline.commands.build`.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline import atomic, verified
from pipeline.builder.results import WorkResult, result_line, summary
from pipeline.builder.state import WorkPlan, code_digest, plan_work
from pipeline.errors import PipelineError
from pipeline.locks import folder_lock
from pipeline.paths import check_slug, editions_dir, sources_dir
from pipeline.progress import Progress
from pipeline.reproducible import source_date_epoch_value


@dataclass(frozen=True)
class BuildOptions:
    """How to build: the options of ``pipeline build``, checked by the command."""

    jobs: int  # local worker processes (at least 1)
    force: bool = False  # rebuild even what is up to date
    retry_failed: bool = False  # try again the works that failed with the same inputs and code
    verify: bool = True  # check every edition against its master after building
    masters_only: bool = False  # ingest and validate only: masters, no editions, no stamp
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask cluster, or None for this machine
    quiet: bool = False  # print only problems and the summary
    work_seconds: float | None = None  # stop a work after this long (None: no limit; the CLI's default 900)
    work_memory_mb: int | None = None  # a worker's address space for one work (None: no limit)
    verbose: bool = False  # also a line per work built, and every withheld and failed work by name


def discover(root: Path, names: list[str]) -> list[str]:
    """The slugs to build: ``names`` checked, or every work of ``sources/``."""
    src = sources_dir(root)
    if names:
        for name in names:
            check_slug(name)
            if not (src / name / "manifest.json").is_file():
                raise PipelineError(f"no such work in {src} (expected {src / name / 'manifest.json'})", src / name)
        return list(dict.fromkeys(names))
    if not src.is_dir():
        raise PipelineError("no sources/ folder here; run from the project root", src)
    return sorted(p.parent.name for p in src.glob("*/manifest.json"))


def build_lock(root: Path) -> contextlib.AbstractContextManager[None]:
    """One build per project at a time: two would sweep each other's temporary files
    (the lock of the editions/ folder itself, :mod:`pipeline.locks`)."""
    return folder_lock(editions_dir(root), "another build is running in this project; wait for it to finish")


def plan_all(slugs: list[str], root: Path, code: str, sde: str) -> tuple[list[WorkPlan], list[WorkResult]]:
    """Every work's plan, and a failed result for each work whose source cannot be read."""
    plans: list[WorkPlan] = []
    unreadable: list[WorkResult] = []
    for slug in slugs:
        try:
            plans.append(plan_work(slug, root, code, sde))
        except OSError as exc:
            unreadable.append(WorkResult(slug, "failed", f"{slug}: cannot read its source: {exc}"))
    return plans, unreadable


def remembered_failures(plans: list[WorkPlan], options: BuildOptions) -> dict[str, WorkResult]:
    """By slug, the works this build does not try: they failed before with the very digest
    they have now, in a build that did no more than this one would, so they would fail the
    same way. ``--retry-failed`` and ``--force`` try them all."""
    if options.force or options.retry_failed:
        return {}
    scope = verified.scope_of(options.verify, options.masters_only)
    return {
        p.slug: WorkResult(p.slug, "failed", p.failed_before.failure, failed_since=p.failed_before.failed_on)
        for p in plans
        if p.failed_before is not None and verified.failure_applies(p.failed_before, p.digest, scope)
    }


def execute(
    todo: list[WorkPlan], root: Path, options: BuildOptions, code: str, sde: str, tick: Callable[[], None]
) -> Iterator[WorkResult]:
    """The results of building ``todo``, in completion order, from the executor the options name."""
    if options.scheduler:
        from pipeline.builder.cluster import build_on_cluster

        return build_on_cluster(
            options.scheduler, todo, root, options.force, options.verify, code, sde, tick, options.masters_only
        )
    if not todo:
        return iter(())
    from pipeline.builder.pool import WorkLimits, build_pool, build_serial

    limits = WorkLimits(options.work_seconds, options.work_memory_mb)
    if options.jobs == 1 or len(todo) <= 1:
        return build_serial(todo, root, options.force, options.verify, tick, options.masters_only, limits)
    return build_pool(todo, root, options.force, options.verify, options.jobs, tick, options.masters_only, limits)


def build(root: Path, slugs: list[str], options: BuildOptions) -> tuple[list[WorkResult], float]:
    """Build ``slugs`` under ``root``, printing progress on stderr; every work's result, and the seconds."""
    start = time.perf_counter()
    with build_lock(root):
        code = code_digest()
        sde = source_date_epoch_value()
        plans, results = plan_all(slugs, root, code, sde)
        remembered = remembered_failures(plans, options)
        todo = [p for p in plans if (options.force or not p.up_to_date) and p.slug not in remembered]
        results += [WorkResult(p.slug, "up-to-date") for p in plans if not options.force and p.up_to_date]
        results += remembered.values()
        weights = {p.slug: p.weight for p in todo}
        progress = Progress(len(todo), sum(weights.values()), quiet=options.quiet)
        for result in execute(todo, root, options, code, sde, progress.tick):
            results.append(result)  # problems wait for the summary: counted, and last
            line = result_line(result)[0] if options.verbose and result.status == "built" else None
            progress.finished(line, weights.get(result.slug, 0))
        seconds = time.perf_counter() - start
        progress.close(summary(results, seconds, options.verbose))
    return results, seconds


def write_report(path: Path, results: list[WorkResult], seconds: float, options: BuildOptions) -> None:
    """The build's JSON report: per work its status, seconds per stage, worker and peak memory."""
    report = {
        "seconds": seconds,
        "jobs": options.jobs,
        "scheduler": options.scheduler,
        "works": [asdict(r) for r in sorted(results, key=lambda r: r.slug)],
    }
    atomic.write_text(path, json.dumps(report, indent=1) + "\n")
