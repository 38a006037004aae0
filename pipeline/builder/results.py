"""A work's build result, and how the build command reports it (light: no stage imported)."""

from __future__ import annotations

from dataclasses import dataclass, field


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


def result_line(result: WorkResult) -> tuple[str | None, bool]:
    """The line printed for a finished work, and whether it is a problem (always shown)."""
    if result.status == "failed":
        return result.message, True
    if result.status == "skipped-editions":
        return f"{result.slug}: skipped: {result.message}", True
    if result.status == "built":
        return f"{result.slug}: built ({result.seconds:.1f}s)", False
    return None, False


def summary(results: list[WorkResult], seconds: float) -> str:
    counts = {
        k: sum(1 for r in results if r.status == k) for k in ("built", "up-to-date", "skipped-editions", "failed")
    }
    line = (
        f"{len(results)} work(s) in {seconds:.1f}s: {counts['built']} built, {counts['up-to-date']} up to date, "
        f"{counts['skipped-editions']} without editions (licence), {counts['failed']} failed"
    )
    built = [r for r in results if r.status in ("built", "skipped-editions")]
    if built and seconds > 0:
        workers = {r.worker: r.peak_rss_mb for r in built}
        line += (
            f"; {len(built) / seconds:.1f} works/s, peak memory per worker "
            f"{max(workers.values()):.0f} MB ({len(workers)} worker(s))"
        )
    failed = sorted(r.slug for r in results if r.status == "failed")
    if failed:
        line += "\nfailed: " + ", ".join(failed)
    return line
