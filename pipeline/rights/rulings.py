"""The editor's rulings (``editorial/rulings.json``, ``schemas/rulings.schema.json``).

A ruling publishes or withholds a work, every work of an author (an authority key) or
every work under a URL prefix, with its reason, who made it and when. It records the
sources it was made on (each work's slug and the sha256 of each of its source files), so
a ruling never silently outlives a change of the source: for a work whose files no longer
match, or a work it was never made on, the ruling does not apply; the master records it
as stale and ``pipeline rights`` lists it.

When several rulings apply, the most specific decides (a work's, then an author's, then
the longest prefix's); two of the same rank that disagree withhold.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import jsonschemas
from pipeline.errors import PipelineError

RULINGS_FILE = Path("editorial") / "rulings.json"
SCHEMA = "rulings.schema.json"
KINDS = ("work", "author", "prefix")  # most specific first


@dataclass(frozen=True)
class Ruling:
    number: int  # 1-based position in the file, to name it
    kind: str  # "work" | "author" | "prefix"
    target: str
    decision: str  # "publish" | "withhold"
    reason: str
    by: str
    date: str
    sources: dict[str, frozenset[str]]  # slug -> sha256s of its source files

    @property
    def words(self) -> str:
        """The ruling in one sentence, as the master and the report give it."""
        return (
            f"Ruling {self.number} of {RULINGS_FILE.as_posix()} ({self.kind} {self.target}): {self.decision}, "
            f"by {self.by} on {self.date}: {self.reason}"
        )

    def covers(self, slug: str, url: str, person_keys: set[str]) -> bool:
        if self.kind == "work":
            return slug == self.target
        if self.kind == "author":
            return self.target in person_keys
        return url.startswith(self.target)

    def rank(self) -> tuple[int, int]:
        return KINDS.index(self.kind), -len(self.target)


@dataclass(frozen=True)
class Rulings:
    rule_year: int | None = None
    rulings: tuple[Ruling, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The rulings for one work: the one that applies, and those that no longer match."""

    applied: Ruling | None
    stale: tuple[tuple[Ruling, str], ...]  # (ruling, why it does not apply)


def load(root: Path) -> Rulings:
    """The project's rulings (none when the file is absent); a bad file is one error line."""
    path = root / RULINGS_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Rulings()
    return _load(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int, size: int) -> Rulings:
    """Read once per change of the file (the build ingests many works per process)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PipelineError(f"cannot read the editor's rulings: {e}", path) from None
    problems = jsonschemas.errors(SCHEMA, data)
    if problems:
        raise PipelineError(f"the editor's rulings do not follow {SCHEMA}: {problems[0]}", path)
    return Rulings(data.get("rule_year"), tuple(_ruling(n, r) for n, r in enumerate(data["rulings"], 1)))


def _ruling(number: int, record: dict[str, Any]) -> Ruling:
    kind = next(k for k in KINDS if k in record)
    return Ruling(
        number,
        kind,
        str(record[kind]),
        str(record["decision"]),
        str(record["reason"]),
        str(record["by"]),
        str(record["date"]),
        {slug: frozenset(digests) for slug, digests in record["sources"].items()},
    )


def decide(rulings: Rulings, slug: str, url: str, person_keys: set[str], sha256s: set[str]) -> Outcome:
    """The ruling that applies to a work, and the rulings that cover it but were made on
    other sources (its files changed since) or not on this work at all."""
    valid: list[Ruling] = []
    stale: list[tuple[Ruling, str]] = []
    for ruling in rulings.rulings:
        if not ruling.covers(slug, url, person_keys):
            continue
        made_on = ruling.sources.get(slug)
        if made_on is None:
            stale.append((ruling, f"it was not made on {slug} (the work is not among its sources)"))
        elif made_on != sha256s:
            stale.append((ruling, f"{slug}'s source files changed since it was made (their sha256s differ)"))
        else:
            valid.append(ruling)
    if not valid:
        return Outcome(None, tuple(stale))
    best = min(r.rank() for r in valid)
    deciding = [r for r in valid if r.rank() == best]
    withholding = [r for r in deciding if r.decision == "withhold"]
    return Outcome((withholding or deciding)[0], tuple(stale))
