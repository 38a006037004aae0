"""``pipeline build [WORK...] [--jobs N]``: every work of ``sources/``, incrementally, in parallel.

Plans every work in this process (cheap: :mod:`pipeline.builder.state`), then hands the
stale ones to an executor: :mod:`pipeline.builder.pool` on this machine, or
:mod:`pipeline.builder.cluster` with ``--scheduler``. Both are imported only when there
is work to do, so a no-op rebuild never imports lxml or WeasyPrint. One build per
project at a time (:func:`build_lock`). The exit status is 1 if any work failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from pipeline import atomic
from pipeline.builder.results import WorkResult, result_line, summary
from pipeline.builder.state import WorkPlan, code_digest, plan_work
from pipeline.errors import PipelineError
from pipeline.locks import folder_lock
from pipeline.paths import check_slug, editions_dir, project_root, sources_dir
from pipeline.reproducible import source_date_epoch_value


def add_parser(sub: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    s = sub.add_parser(name, help="build every work in sources/ (or the named ones), incrementally")
    s.add_argument("works", nargs="*", metavar="WORK", help="slugs (default: every folder of sources/)")
    s.add_argument("-j", "--jobs", type=int, default=None, help="parallel workers (default: number of CPUs)")
    s.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    s.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the tasks on a Dask distributed cluster")
    s.add_argument("--no-verify", action="store_true", help="skip the fidelity check after building")
    s.add_argument(
        "--masters-only",
        action="store_true",
        help="ingest and validate only: write each work's TEI master, no editions (a work so built "
        "is rebuilt in full by the next plain build)",
    )
    s.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")
    s.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="also write a JSON report: per work its status, seconds per stage, worker and peak memory",
    )
    return s


def discover(root: Path, names: list[str]) -> list[str]:
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


def run(args: argparse.Namespace) -> int:
    from pipeline.progress import Progress

    root = project_root()
    slugs = discover(root, args.works)
    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise PipelineError(f"--jobs must be at least 1, not {jobs}")
    force, verify, masters_only = args.force, not args.no_verify, getattr(args, "masters_only", False)
    start = time.perf_counter()
    results: list[WorkResult] = []
    with build_lock(root):
        code = code_digest()
        sde = source_date_epoch_value()
        plans: list[WorkPlan] = []
        for slug in slugs:
            try:
                plans.append(plan_work(slug, root, code, sde))
            except OSError as exc:
                results.append(WorkResult(slug, "failed", f"{slug}: cannot read its source: {exc}"))
        todo = [p for p in plans if force or not p.up_to_date]
        results += [WorkResult(p.slug, "up-to-date") for p in plans if not force and p.up_to_date]
        for r in results:
            if r.status == "failed":
                print(r.message, file=sys.stderr)
        weights = {p.slug: p.weight for p in todo}
        progress = Progress(len(todo), sum(weights.values()), quiet=args.quiet)
        if getattr(args, "scheduler", None):
            from pipeline.builder.cluster import build_on_cluster

            stream = build_on_cluster(args.scheduler, todo, root, force, verify, code, sde, progress.tick, masters_only)
        elif todo:
            from pipeline.builder.pool import build_pool, build_serial

            if jobs == 1 or len(todo) <= 1:
                stream = build_serial(todo, root, force, verify, progress.tick, masters_only)
            else:
                stream = build_pool(todo, root, force, verify, jobs, progress.tick, masters_only)
        else:
            stream = iter(())
        for result in stream:
            results.append(result)
            line, problem = result_line(result)
            progress.finished(line, weights.get(result.slug, 0), problem)
        seconds = time.perf_counter() - start
        progress.close(summary(results, seconds))
    if getattr(args, "report", None):
        report = {
            "seconds": seconds,
            "jobs": jobs,
            "scheduler": getattr(args, "scheduler", None),
            "works": [asdict(r) for r in sorted(results, key=lambda r: r.slug)],
        }
        atomic.write_text(args.report, json.dumps(report, indent=1) + "\n")
    return 1 if any(r.status == "failed" for r in results) else 0
