"""A work's build result, and how the build command reports it (light: no stage imported)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

RETRY_HINT = "not tried again while unchanged; `python -m pipeline build --retry-failed` tries again"


@dataclass
class WorkResult:
    slug: str
    status: str  # "built", "up-to-date", "skipped-editions", "failed"
    message: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the building process: wall time grows on a busy machine, this does not
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage that ran
    worker: str = ""  # host:pid of the process that built it
    peak_rss_mb: float = 0.0  # that process's peak resident memory so far
    # A failure remembered from an earlier build with the same inputs and code, not tried
    # again: the date of that attempt (YYYY-MM-DD). Empty for a work this build tried.
    failed_since: str = ""
    # A failure of the machine rather than of the work (a disk error, a worker with other
    # code): recorded without its digest, so the next build tries again.
    transient: bool = False
    # Why a work got no editions: the key of its withholding group (pipeline.rights.report.group_of).
    withheld_reason: str = ""


def failure_reason(result: WorkResult) -> str:
    """A failed result's message without the work's name in front."""
    return result.message.removeprefix(f"{result.slug}: ")


def result_line(result: WorkResult) -> tuple[str | None, bool]:
    """The line printed for a finished work, and whether it is a problem (always shown)."""
    if result.status == "failed" and result.failed_since:
        return f"{result.slug}: failed (unchanged since {result.failed_since}: {failure_reason(result)})", True
    if result.status == "failed":
        return result.message, True
    if result.status == "skipped-editions":
        return f"{result.slug}: skipped: {result.message}", True
    if result.status == "built":
        return f"{result.slug}: built ({result.seconds:.1f}s)", False
    return None, False


def remembered_note(failed: list[WorkResult]) -> str:
    """How many of the failed works were not tried again, for the summary:
    "(unchanged since DATE: REASON)" for one alone, else a count and the earliest date."""
    remembered = [r for r in failed if r.failed_since]
    if not remembered:
        return ""
    if len(remembered) == 1:
        only = remembered[0]
        count = "" if len(failed) == 1 else "1 "
        return f" ({count}unchanged since {only.failed_since}: {failure_reason(only)})"
    return (
        f" ({len(remembered)} unchanged since they failed, the earliest on {min(r.failed_since for r in remembered)})"
    )


def summary(results: list[WorkResult], seconds: float) -> str:
    counts = {
        k: sum(1 for r in results if r.status == k) for k in ("built", "up-to-date", "skipped-editions", "failed")
    }
    failed = sorted((r for r in results if r.status == "failed"), key=lambda r: r.slug)
    line = (
        f"{len(results)} work(s) in {seconds:.1f}s: {counts['built']} built, {counts['up-to-date']} up to date, "
        f"{counts['skipped-editions']} without editions (licence), {counts['failed']} failed{remembered_note(failed)}"
    )
    built = [r for r in results if r.status in ("built", "skipped-editions")]
    if built and seconds > 0:
        workers = {r.worker: r.peak_rss_mb for r in built}
        line += (
            f"; {len(built) / seconds:.1f} works/s, peak memory per worker "
            f"{max(workers.values()):.0f} MB ({len(workers)} worker(s))"
        )
    withheld = Counter(r.withheld_reason or "licence" for r in results if r.status == "skipped-editions")
    if withheld:
        by_reason = ", ".join(f"{key} {n}" for key, n in sorted(withheld.items(), key=lambda kv: (-kv[1], kv[0])))
        line += f"\nwithheld by reason: {by_reason}"
    if failed:
        line += "\nfailed: " + ", ".join(r.slug for r in failed)
    if any(r.failed_since for r in failed):
        line += f"\n{RETRY_HINT}"
    return line
