"""Census of undated works (issue 20): masters without a date whose page states a year.

Over a sources folder made by ``pipeline import`` from the shared archive (read only),
each work is read in-process by its reader (:func:`pipeline.readers.read`), as
``pipeline ingest`` does, and its dates are compared with its information block: a work
counts as *undated though dated* when the reader gives it no ISO date (the editions then
say "undated": title page, colophon, library, year listing) while a line of its
information block whose label carries a date ("Written", "Date", "Sent", "Delivered",
"First Published", "Source", ...) holds a year 1600-2029.

    .venv/bin/python -m pipeline import /tmp/mia --sources /tmp/dates-src --jobs 2 --quiet --retrieved 2021-03-01
    .venv/bin/python bench/dates_census.py /tmp/dates-src --out bench/results/dates-census.md

The table counts works read, works dated, works undated, and of those the ones whose
block states a year, with examples (slug, the dated line) of the last kind.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.manifest import load_manifest  # noqa: E402
from pipeline.readers.read import read  # noqa: E402

# The labels of the information block that carry the date of the work or of its publication.
DATE_LABEL = re.compile(
    r"^\s*(written|date[ds]?|sent|delivered|spoken|first\s+publi|published|originally\s+published|"
    r"publi(?:shed|cation)|sources?|speech|letter|composed|escrito|publicado|fecha|fuente)(?!\s+by\b)",
    re.I,
)
YEAR = re.compile(r"\b(1[6-9]\d\d|20[0-2]\d)\b")


@dataclass
class Outcome:
    """One work's census: how it was read and which dated lines its block holds."""

    slug: str
    status: str  # dated | undated | error
    dated_lines: list[str] = field(default_factory=list)  # "Label: value" lines with a year
    message: str = ""


def census_of(folder: str) -> Outcome:
    """Read one work and note its date and the dated lines of its information block."""
    path = Path(folder)
    try:
        work = read(load_manifest(path, check_fixity=False))
    except Exception as exc:  # a refused work is no undated master
        return Outcome(path.name, "error", message=f"{type(exc).__name__}: {str(exc)[:120]}")
    lines = [
        f"{line.label}: {line.value}" for line in work.info if DATE_LABEL.match(line.label) and YEAR.search(line.value)
    ]
    return Outcome(path.name, "dated" if work.date_iso or work.date_span else "undated", lines)


def table(outcomes: list[Outcome], seconds: float, examples: int) -> str:
    """The census as a Markdown table, with examples of undated works whose block states a year."""
    counts = collections.Counter(o.status for o in outcomes)
    failing = sorted((o for o in outcomes if o.status == "undated" and o.dated_lines), key=lambda o: o.slug)
    by_label: collections.Counter[str] = collections.Counter(
        re.sub(r"\s+", " ", o.dated_lines[0].split(":", 1)[0].strip().lower()) for o in failing
    )
    out = [
        "# Dates census (issue 20)",
        "",
        "| works read | dated | undated | undated, block states a year | refused | seconds |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {len(outcomes)} | {counts['dated']} | {counts['undated']} | {len(failing)} | {counts['error']} "
        f"| {seconds:.0f} |",
        "",
    ]
    if by_label:
        out += ["Undated though the block states a year, by the label of the first dated line:", ""]
        out += [f"- {label}: {n}" for label, n in by_label.most_common()]
        out.append("")
    if failing:
        out += ["Examples:", ""]
        out += [f"- `{o.slug}`: {o.dated_lines[0][:160]}" for o in failing[:examples]]
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", type=Path, help="a sources folder made by `pipeline import`")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--examples", type=int, default=40)
    parser.add_argument("--out", type=Path, help="write the table here (else print it)")
    args = parser.parse_args()
    folders = sorted(str(p.parent) for p in args.sources.glob("*/manifest.json"))
    start = time.monotonic()
    with ProcessPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(census_of, folders, chunksize=16))
    text = table(outcomes, time.monotonic() - start, args.examples)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
