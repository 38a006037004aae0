"""The local executors: one process, or a pool of warm worker processes.

Each executor yields one :class:`~pipeline.builder.stages.WorkResult` per plan, in
completion order. The pool forks from a parent that has already imported every stage
(this module imports :mod:`pipeline.builder.stages`), so each worker starts warm: Python,
lxml and WeasyPrint start-up are paid once, not per work; largest works go first so that
no core idles at the end.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.builder.results import WorkResult
from pipeline.builder.stages import Tick, build_work, internal_error
from pipeline.builder.state import WorkPlan


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this worker if the build that forked it dies (Linux).

    Without it, a SIGKILLed build leaves its workers running, orphaned, still writing
    editions and stamps after their build is gone.
    """
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def warm_worker(parent_pid: int | None = None) -> None:
    """Pool initializer. The stages are imported already (inherited from the parent by
    ``fork``); what is left is to die with the build."""
    if parent_pid is not None:
        die_with_parent(parent_pid)


def build_serial(
    plans: list[WorkPlan], root: Path, force: bool, verify: bool, tick: Tick, masters_only: bool = False
) -> Iterator[WorkResult]:
    for plan in plans:
        yield build_work(plan.slug, root, force, verify, plan, masters_only)


def build_pool(
    plans: list[WorkPlan], root: Path, force: bool, verify: bool, jobs: int, tick: Tick, masters_only: bool = False
) -> Iterator[WorkResult]:
    """Warm worker processes, reused across works; a crashed worker costs only its works.

    ``fork`` because the parent is small and single-threaded, and because ``spawn`` would
    re-run ``python -m pipeline`` in every child. A worker that dies (killed, out of
    memory, a crash in a C library) breaks the pool: the works not yet done are retried
    once in a new pool, then reported as failed.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    attempts = {p.slug: 0 for p in plans}
    todo = sorted(plans, key=lambda p: -p.weight)  # largest first: no idle core at the end
    context = multiprocessing.get_context("fork")
    while todo:
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(todo)), mp_context=context, initializer=warm_worker, initargs=(os.getpid(),)
        )
        retry: list[WorkPlan] = []
        try:
            pending = {pool.submit(build_work, p.slug, root, force, verify, p, masters_only): p for p in todo}
            for p in todo:
                attempts[p.slug] += 1
            while pending:
                done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                tick()
                for future in done:
                    plan = pending.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        if attempts[plan.slug] < 2:
                            retry.append(plan)
                        else:
                            yield WorkResult(
                                plan.slug,
                                "failed",
                                f"{plan.slug}: the worker process died while "
                                "building it, twice (killed, out of memory, or a crash in a library)",
                            )
                    except Exception as exc:  # e.g. a result that could not be pickled
                        yield WorkResult(plan.slug, "failed", internal_error(plan.slug, exc))
        except BaseException:  # interrupted: stop the workers now, not after their current work
            for child in multiprocessing.active_children():
                child.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        todo = sorted(retry, key=lambda p: -p.weight)
