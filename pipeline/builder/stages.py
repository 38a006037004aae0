"""One work's stages: ingest -> validate -> (if the licence allows) each edition -> verify.

:func:`build_work` is the task every executor runs (the local pool of
:mod:`pipeline.builder.pool`, or a Dask worker through :mod:`pipeline.builder.cluster`).
Failures are per work: one work's error never escapes it; it becomes a failed result.
Every stage is imported here, plainly, so the flow reads top to bottom.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from pipeline import verified
from pipeline.builder.results import WorkResult
from pipeline.builder.state import (
    WorkPlan,
    forget_stamp,
    plan_work,
    remove_stale_editions,
    sweep_partials,
    write_source_state,
    write_stamp,
)
from pipeline.errors import PipelineError
from pipeline.formats import FORMATS
from pipeline.ingest import ingest
from pipeline.master.read import load
from pipeline.paths import edition_path, editions_dir, master_path, sources_dir
from pipeline.rights.report import group_of
from pipeline.validation import check_master
from pipeline.verify.work import verify_work as verify_editions
from pipeline.writers.write import write_edition

STAGES = ("ingest", "validate", *(f.name for f in FORMATS), "verify")
Tick = Callable[[], None]  # called by an executor while it waits, to refresh the progress line


def worker_id() -> str:
    return f"{os.uname().nodename}:{os.getpid()}"


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def internal_error(slug: str, exc: BaseException) -> str:
    """One line for a bug in a stage: what, and where in the code."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{slug}: internal error: {type(exc).__name__}: {exc}{where}"


def build_work(
    slug: str,
    root: Path,
    force: bool = False,
    verify: bool = True,
    plan: WorkPlan | None = None,
    masters_only: bool = False,
) -> WorkResult:
    """Build one work; never raises for its errors (they become a failed result).

    ``masters_only`` stops after validate (archivists' masters, and ``make archive``'s
    whole-archive masters): no editions, no stamp (the stamp says "every output is
    built"), and an earlier stamp is removed, so the next full build redoes the work.
    """
    start, cpu = time.perf_counter(), time.process_time()
    result = WorkResult(slug, "failed")
    try:
        plan = plan or plan_work(slug, root)
        if not force and plan.up_to_date:
            result.status = "up-to-date"
            return result
        run_stages(slug, root, plan, verify, masters_only, result)
        return result
    except PipelineError as exc:
        result.status, result.message = "failed", str(exc)
        return result
    except Exception as exc:  # a bug in one stage must not stop the other works
        result.status, result.message = "failed", internal_error(slug, exc)
        result.transient = isinstance(exc, (OSError, MemoryError))  # the machine's failure, not the work's
        return result
    finally:
        if result.status == "failed":
            record_failure(slug, root, plan, result, verified.scope_of(verify, masters_only))
        result.seconds = time.perf_counter() - start
        result.cpu_seconds = time.process_time() - cpu
        result.worker = worker_id()
        result.peak_rss_mb = peak_rss_mb()


def record_failure(slug: str, root: Path, plan: WorkPlan | None, result: WorkResult, scope: str) -> None:
    """Record a failed build: the catalog names the reason and publishes none of the work's
    files, and the next build does not try again while the plan's digest is unchanged (unless
    the failure was the machine's). The sources' stat cache is kept, so that check stays cheap."""
    digest = plan.digest if plan is not None and not result.transient else ""
    with contextlib.suppress(OSError):
        verified.record_failure(editions_dir(root) / slug, result.message, digest, scope)
        if plan is not None:
            write_source_state(slug, root, plan)


def run_stages(slug: str, root: Path, plan: WorkPlan, verify: bool, masters_only: bool, result: WorkResult) -> None:
    """Every stage of one work, in order, recording in ``result`` its status, message,
    outputs and seconds per stage; ``result`` stays failed when a stage finds a problem."""
    sweep_partials(editions_dir(root) / slug)
    verified.forget(editions_dir(root) / slug)  # unverified until this build proves it again
    if masters_only:
        forget_stamp(slug, root)
    mark = time.perf_counter()
    master = ingest(sources_dir(root) / slug, master_path(slug, root), root)
    result.stages["ingest"] = time.perf_counter() - mark
    mark = time.perf_counter()
    problems = validate_master(master)
    result.stages["validate"] = time.perf_counter() - mark
    if problems:
        result.message = f"{problems[0]} ({len(problems)} problem(s); run `python -m pipeline validate {master}`)"
        return
    if masters_only:
        result.status, result.outputs = "built", [str(master.relative_to(root))]
        return
    _, meta = load(master)
    outputs = [master]
    if meta.distributable:
        outputs += write_editions(master, slug, root, result.stages)
        if verify and not verify_stage(slug, root, result):
            return
        result.status = "built"
    else:
        refused = meta.refusal_reason or "the licence does not allow distribution"
        result.status, result.message = "skipped-editions", f"no editions: {refused}"
        result.withheld_reason = group_of(meta)
        remove_stale_editions(slug, root)
    result.outputs = [str(p.relative_to(root)) for p in outputs]
    verified.record(
        master.parent,
        outputs,
        verified.VERIFIED if verify else verified.UNVERIFIED,
        "" if verify else "built without verify (--no-verify)",
    )
    write_stamp(slug, root, plan, result.outputs)


def verify_stage(slug: str, root: Path, result: WorkResult) -> bool:
    """The verify stage, timed: True if every edition says what the master says, else
    False with the first difference as ``result``'s message."""
    mark = time.perf_counter()
    diffs = verify_work(slug, root)
    result.stages["verify"] = time.perf_counter() - mark
    if diffs:
        first = diffs[0].removeprefix(f"{slug}: ")  # verify's differences may name the work already
        result.message = f"{slug}: verify: {first} ({len(diffs)} difference(s))"
        return False
    return True


def validate_master(master: Path) -> list[str]:
    return [str(p) for p in check_master(master)]


def write_editions(master: Path, slug: str, root: Path, timings: dict[str, float] | None = None) -> list[Path]:
    outs = []
    for fmt in FORMATS:
        out = edition_path(slug, fmt.name, root)
        mark = time.perf_counter()
        write_edition(fmt, master, out)
        if timings is not None:
            timings[fmt.name] = time.perf_counter() - mark
        outs.append(out)
    return outs


def verify_work(slug: str, root: Path) -> list[str]:
    """Every edition of ``slug`` against its master. Not the master against its source: the
    ingest of this build checked that already (:mod:`pipeline.fidelity.source`), and refuses
    to write a master that lost a word, so the check runs once per build."""
    return [str(d) for d in verify_editions(slug, root, against_source=False)]
