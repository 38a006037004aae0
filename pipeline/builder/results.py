"""A work's build result, and how the build command reports it (light: no stage imported).

The report is for people: a line per work only where something needs attention, and
after the summary, so that nothing scrolls it away. Works kept as masters only for their
licence are counted by reason in one line (a single one keeps its own line, with the
words that decided); the failures come last, one line each, at most
:data:`MAX_NAMED` of them unless ``--verbose``, which also lists every work built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_NAMED = 10  # failures named one per line after the summary (all with --verbose)
WITHHELD_PAGE = "editions/site/withheld.html"
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
    """The line for a finished work, and whether it needs attention (then the summary
    repeats or counts it: see :func:`summary`)."""
    if result.status == "failed" and result.failed_since:
        return f"{result.slug}: failed (unchanged since {result.failed_since}: {failure_reason(result)})", True
    if result.status == "failed":  # named first, as every line after the summary is
        return f"{result.slug}: {failure_reason(result)}", True
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


def licence_group(result: WorkResult) -> str:
    """The kind of reason a work got no editions, without the words of its own statement:
    the heading of its withholding group ("No licence stated: an author's death year is
    unknown", ...) when the build knew it, else "the source states no licence", ..."""
    if result.withheld_reason:
        from pipeline.rights.report import group_heading  # only when a work was withheld

        return group_heading(result.withheld_reason)
    reason = result.message.removeprefix("no editions: ")
    return reason.split(":", 1)[0].split(" (rule", 1)[0].strip()


def licence_lines(results: list[WorkResult], verbose: bool = False) -> list[str]:
    """One line per kind of licence reason; a kind with one work (or ``verbose``) names it."""
    groups: dict[str, list[WorkResult]] = {}
    for result in sorted((r for r in results if r.status == "skipped-editions"), key=lambda r: r.slug):
        groups.setdefault(licence_group(result), []).append(result)
    lines = []
    for kind, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(members) == 1 or verbose:
            lines += [result_line(r)[0] or "" for r in members]
        else:
            lines.append(f"{len(members)} works: {kind}: masters only, no editions; see {WITHHELD_PAGE}")
    return lines


def failure_lines(results: list[WorkResult], verbose: bool = False) -> list[str]:
    """Each failed work's line, in slug order; past :data:`MAX_NAMED`, a count."""
    failed = sorted((r for r in results if r.status == "failed"), key=lambda r: r.slug)
    shown = failed if verbose else failed[:MAX_NAMED]
    lines = [result_line(r)[0] or "" for r in shown]
    if len(failed) > len(shown):
        lines.append(f"... and {len(failed) - len(shown)} more failed works (`--verbose` names them all)")
    if any(r.failed_since for r in failed):
        lines.append(RETRY_HINT)
    return lines


def throughput(built: list[WorkResult], seconds: float) -> str:
    """ "2.5 works/s" or, when slower than one a second, "12.3 s per work": "0.0 works/s"
    said nothing. Workers are the processes that built a work, by host and pid."""
    rate = len(built) / seconds
    speed = f"{rate:.1f} works/s" if rate >= 1 else f"{seconds / len(built):.1f} s per work"
    workers = {r.worker: r.peak_rss_mb for r in built if r.worker}
    if not workers:
        return f"; {speed}"
    count = len(workers)
    return (
        f"; {speed}, peak memory per worker {max(workers.values()):.0f} MB ({count} worker{'s' if count > 1 else ''})"
    )


def summary(results: list[WorkResult], seconds: float, verbose: bool = False) -> str:
    """The summary line, then the licence counts, then the failures (the lines that need attention)."""
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
        line += throughput(built, seconds)
    return "\n".join([line, *licence_lines(results, verbose), *failure_lines(results, verbose)])
