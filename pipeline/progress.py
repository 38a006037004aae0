"""Progress of a whole-corpus build: a live status line on a terminal, plain lines otherwise.

On a terminal one line is redrawn in place (works done, works left, time left); a log
file or a CI job gets one plain line per event instead, because carriage returns and
ANSI escapes only garble those. Problems (failures, licence refusals) are always
printed as lines of their own, so they stay on screen when the status line moves on.

The time left is estimated from the bytes of source still to build, not from the number
of works: MIA works range from a one-page letter to a book, so a count would mislead.
The estimate shown never climbs: between two finished works it counts down with the
clock (a fresh estimate from the rate so far would rise while a long work is being built,
since nothing finishes), and a finished work can only bring it down. When it reaches
zero with works still building the line says "almost done" rather than a wrong figure.
Written here rather than with a progress-bar library because the line is one format
string and the pipeline must not pull a dependency into every worker for it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

CLEAR_LINE = "\r\x1b[2K"


def duration(seconds: float) -> str:
    """``75.2`` -> ``1m15s``; short and unambiguous for a status line."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class Progress:
    """Reports each finished work and, on a terminal, a status line with the time left."""

    def __init__(
        self,
        total: int,
        total_weight: float,
        stream: TextIO | None = None,
        quiet: bool = False,
        tty: bool | None = None,
        redraw_every: float = 0.2,
    ) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.total = total
        self.total_weight = max(total_weight, 1.0)
        self.done = 0
        self.weight_done = 0.0
        self.start = time.monotonic()
        self.redraw_every = redraw_every
        self._last_draw = 0.0
        self._status_shown = False
        self._shown_eta: tuple[float, float] | None = None  # (seconds left, when estimated)

    # -- events -------------------------------------------------------------------------
    def finished(self, line: str | None, weight: float, problem: bool = False) -> None:
        """One work is done; ``line`` (if any) is printed above the status line."""
        self.done += 1
        self.weight_done += weight
        if line and (problem or not self.quiet):
            self.print(line)
        self.tick(force=True)

    def print(self, line: str) -> None:
        if self.tty and self._status_shown:
            self.stream.write(CLEAR_LINE)
            self._status_shown = False
        self.stream.write(line + "\n")
        self.stream.flush()

    def tick(self, force: bool = False) -> None:
        """Redraw the status line (terminal only), at most every ``redraw_every`` seconds."""
        if not self.tty or self.total == 0:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self.redraw_every:
            return
        self._last_draw = now
        self.stream.write(CLEAR_LINE + self.status(now))
        self.stream.flush()
        self._status_shown = True

    def close(self, summary: str) -> None:
        if self.tty and self._status_shown:
            self.stream.write(CLEAR_LINE)
        self._status_shown = False
        self.stream.write(summary + "\n")
        self.stream.flush()

    # -- the status line ----------------------------------------------------------------
    def estimate(self, now: float) -> float | None:
        """Seconds left from the rate so far in bytes of source; None before any data."""
        elapsed = now - self.start
        if self.weight_done <= 0 or elapsed <= 0:
            return None
        rate = self.weight_done / elapsed
        return max(0.0, (self.total_weight - self.weight_done) / rate)

    def eta(self, now: float | None = None) -> float | None:
        """Seconds left as shown: the last one shown, counted down by the clock, or a fresh
        estimate when that is lower; never more than what was shown before."""
        now = time.monotonic() if now is None else now
        fresh = self.estimate(now)
        if self._shown_eta is not None:
            left, when = self._shown_eta
            counted_down = max(0.0, left - (now - when))
            fresh = counted_down if fresh is None else min(fresh, counted_down)
        if fresh is not None:
            self._shown_eta = (fresh, now)
        return fresh

    def status(self, now: float | None = None) -> str:
        left = self.total - self.done
        percent = 100 * self.done // self.total
        eta = self.eta(now)
        eta_text = f"~{duration(eta)} left" if eta is not None and left else "estimating time left"
        if eta is not None and eta <= 0 and left:
            eta_text = "almost done"
        if not left:
            eta_text = "finishing"
        return f"building: {self.done}/{self.total} done ({percent}%), {left} left, {eta_text}"
