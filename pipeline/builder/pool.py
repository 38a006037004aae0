"""The local executors: one process, or a pool of warm worker processes.

Each executor yields one :class:`~pipeline.builder.stages.WorkResult` per plan, in
completion order. The pool forks from a parent that has already imported every stage
(this module imports :mod:`pipeline.builder.stages`), so each worker starts warm: Python,
lxml and WeasyPrint start-up are paid once, not per work; largest works go first so that
no core idles at the end.

Every work is built within limits (:class:`WorkLimits`, ``--work-time`` and
``--work-memory``): a page that would take hours or gigabytes (a 36,000-word heading)
stops its work, never the build. The time limit is an alarm in the worker (the work fails
with the reason, and the failure is remembered like any other), backed by a CPU-time limit
the kernel enforces should the work be stuck in a C library; the memory limit is the
worker's address space (``RLIMIT_AS``), so an allocation past it fails in that worker only.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from pipeline import verified
from pipeline.builder.results import WorkResult
from pipeline.builder.stages import Tick, build_work, internal_error, record_failure
from pipeline.builder.state import WorkPlan

WORK_SECONDS = 900.0  # the largest work of the archive builds in about a minute
WORK_MEMORY_MB = 3072  # a worker's address space; one building a large work peaks near 400 MB


@dataclass(frozen=True)
class WorkLimits:
    """Wall time and memory (address space, MB) one work may take; None: no limit."""

    seconds: float | None = WORK_SECONDS
    memory_mb: int | None = WORK_MEMORY_MB


NO_LIMITS = WorkLimits(None, None)


class WorkTimeLimit(BaseException):
    """The work's time is up (raised by the alarm). A BaseException, so that no stage's
    ``except Exception`` takes it for a failure of its own and goes on."""


def _time_is_up(signum: int, frame: FrameType | None) -> None:
    raise WorkTimeLimit()


@contextlib.contextmanager
def _limited(limits: WorkLimits, in_worker: bool) -> Iterator[None]:
    """Run the body within ``limits``: an alarm after ``seconds``, the address space capped at
    ``memory_mb``; in a worker process also a CPU-time limit (twice the time, plus 30 s) the
    kernel enforces by ending the worker. Everything is restored after."""
    timed = limits.seconds is not None and threading.current_thread() is threading.main_thread()
    old_handler = signal.signal(signal.SIGALRM, _time_is_up) if timed else None
    old_as = resource.getrlimit(resource.RLIMIT_AS)
    old_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        if limits.memory_mb is not None:
            cap = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (min(cap, _hard(old_as)), old_as[1]))
        if timed and limits.seconds is not None:
            if in_worker:
                used = resource.getrusage(resource.RUSAGE_SELF)
                spent = int(used.ru_utime + used.ru_stime)
                resource.setrlimit(
                    resource.RLIMIT_CPU, (min(spent + int(2 * limits.seconds) + 30, _hard(old_cpu)), old_cpu[1])
                )
            signal.setitimer(signal.ITIMER_REAL, limits.seconds)
        yield
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, old_as)
            resource.setrlimit(resource.RLIMIT_CPU, old_cpu)


def _hard(limit: tuple[int, int]) -> int:
    return limit[1] if limit[1] != resource.RLIM_INFINITY else 2**62


def limited_build_work(
    limits: WorkLimits,
    in_worker: bool,
    slug: str,
    root: Path,
    force: bool,
    verify: bool,
    plan: WorkPlan | None,
    masters_only: bool,
) -> WorkResult:
    """:func:`build_work` within ``limits``: past one, the work fails with the limit named
    (remembered like any failure of the work), and the next work starts afresh."""
    try:
        with _limited(limits, in_worker):
            result = build_work(slug, root, force, verify, plan, masters_only)
    except WorkTimeLimit:
        result = WorkResult(
            slug,
            "failed",
            f"{slug}: stopped after {limits.seconds:g} s, the time limit of one work (--work-time); "
            "nothing of it is published",
        )
        result.seconds = limits.seconds or 0.0
    else:
        if not (limits.memory_mb is not None and result.status == "failed" and "MemoryError" in result.message):
            return result
        result.message = (
            f"{slug}: over {limits.memory_mb} MB, the memory limit of one work (--work-memory); "
            "nothing of it is published"
        )
        result.transient = False  # the work's size, not the machine's state: fails again the same way
    record_failure(slug, root, plan, result, verified.scope_of(verify, masters_only))
    return result


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


def worker_build(
    limits: WorkLimits, slug: str, root: Path, force: bool, verify: bool, plan: WorkPlan, masters_only: bool
) -> WorkResult:
    """One work in a pool worker, within the limits (the pool's task)."""
    return limited_build_work(limits, True, slug, root, force, verify, plan, masters_only)


def warm_worker(parent_pid: int | None = None) -> None:
    """Pool initializer. The stages are imported already (inherited from the parent by
    ``fork``); what is left is to die with the build."""
    if parent_pid is not None:
        die_with_parent(parent_pid)


def build_serial(
    plans: list[WorkPlan],
    root: Path,
    force: bool,
    verify: bool,
    tick: Tick,
    masters_only: bool = False,
    limits: WorkLimits = NO_LIMITS,
) -> Iterator[WorkResult]:
    """In this process, one work after the other, within ``limits`` (no CPU-time limit: the
    kernel would end the build itself)."""
    for plan in plans:
        yield limited_build_work(limits, False, plan.slug, root, force, verify, plan, masters_only)


def build_pool(
    plans: list[WorkPlan],
    root: Path,
    force: bool,
    verify: bool,
    jobs: int,
    tick: Tick,
    masters_only: bool = False,
    limits: WorkLimits = NO_LIMITS,
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
            pending = {pool.submit(worker_build, limits, p.slug, root, force, verify, p, masters_only): p for p in todo}
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
                                f"{plan.slug}: the worker process died while building it, twice (killed, "
                                "out of memory, past the CPU-time limit of one work, or a crash in a library)",
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
