"""What the reader censuses (``headings_census.py``, ``dates_census.py``) share: the works of
a sources folder, one pass over them in this process, and their Markdown tables.

A census reads every work of the shared archive (some 6,500), so it must be cheap on a
shared two-core machine: by default it reads the works one after another in this very
process (no worker processes, no subprocess per work, no editions), saying how far it
has got on stderr, so a run can be niced and left alone. ``--jobs N`` still spreads the
works over N worker processes on an idle machine.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def work_folders(sources: Path, only: str | None = None, multipart: bool = False) -> list[str]:
    """The work folders of a sources folder (those with a manifest), sorted; ``only``
    keeps the slugs holding that text, ``multipart`` the works with an index page."""
    folders = sorted(str(p.parent) for p in sources.glob("*/manifest.json"))
    if only:
        folders = [f for f in folders if only in Path(f).name]
    if multipart:
        folders = [f for f in folders if '"role": "index"' in (Path(f) / "manifest.json").read_text(encoding="utf-8")]
    return folders


def each_work(census_of: Callable[[str], T], folders: Sequence[str], jobs: int = 1, every: int = 250) -> list[T]:
    """``census_of`` of every folder, in order: in this process when ``jobs`` is 1 (the
    shared machine's way), else over ``jobs`` worker processes; progress on stderr."""
    start = time.monotonic()
    results: Iterable[T]
    if jobs <= 1:
        results = map(census_of, folders)
        pool = None
    else:
        pool = ProcessPoolExecutor(jobs)
        results = pool.map(census_of, folders, chunksize=8)
    out: list[T] = []
    try:
        for i, result in enumerate(results, 1):
            out.append(result)
            if i % every == 0 or i == len(folders):
                print(f"{i}/{len(folders)} works, {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
    finally:
        if pool is not None:
            pool.shutdown()
    return out


def table(header: Sequence[str], rows: Iterable[Sequence[object]], left: int = 0) -> list[str]:
    """A Markdown table: the first ``left`` columns aligned left (words), the others right
    (figures); integers with a thousands comma."""
    rule = ["---" if i < left else "---:" for i in range(len(header))]

    def cell(value: object) -> str:
        return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def examples(title: str, items: Sequence[str], count: int) -> list[str]:
    """A titled list of the first ``count`` items (nothing when there are none)."""
    if not items:
        return []
    return [f"{title} ({len(items):,}):", "", *(f"- {item}" for item in items[:count]), ""]


def command_line() -> str:
    """The command that made a table, for the table's note."""
    return " ".join(["python", *[a if " " not in a else repr(a) for a in sys.argv]])


def publish(text: str, out: Path | None) -> None:
    """The table to ``out`` (whole, or not at all) and to stdout."""
    if out:
        tmp = out.with_suffix(out.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    print(text)
