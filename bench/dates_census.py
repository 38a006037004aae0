"""Census of dates and original publication (issue 20): undated masters whose page states a
year; masters without the original publication their page names.

Over a sources folder made by ``pipeline import`` from the shared archive (read only),
each work is read in this process by its reader (:func:`pipeline.readers.read`), as
``pipeline ingest`` does, one work after another (``--jobs 1``, the shared machine's
way: nice it), and compared with its information block:

- *undated though dated*: the reader gives the work no ISO date nor span (the editions
  then say "undated": title page, colophon, library, year listing) while a line of its
  block whose label carries a date ("Written", "Date", "Sent", "Delivered", "First
  Published", "Source", ...) holds a year 1600-2029;
- *original publication missing*: the block names an original publication (a "Source",
  "First Published", "Published", "Publisher" line with words, or a prose citation: "From
  International Press Correspondence, Vol. 6 No. 12, 1926", "First published in ...")
  and the reader gives the work none (no source bibliography, no first publication: the
  master's ``sourceDesc/bibl[@type='original' or 'first-published']``).

    .venv/bin/python -m pipeline import /tmp/mia --sources /tmp/structure-src --jobs 1 --quiet --retrieved 2021-03-01
    nice .venv/bin/python bench/dates_census.py /tmp/structure-src --out bench/results/dates-census.md

``bench/headings_census.py --dates FILE`` writes the same table from its own pass.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # headings_census may have put CENSUS_CODE's reader first
    sys.path.insert(0, str(ROOT))

from bench.census_report import command_line, each_work, examples, publish, table, work_folders  # noqa: E402
from pipeline.manifest import load_manifest  # noqa: E402
from pipeline.master.model import Work  # noqa: E402
from pipeline.readers.read import read  # noqa: E402

# The labels of the information block that carry the date of the work or of its publication.
DATE_LABEL = re.compile(
    r"^\s*(written|date[ds]?|sent|delivered|spoken|first\s+publi|published|originally\s+published|"
    r"publi(?:shed|cation)|sources?|speech|letter|composed|escrito|publicado|fecha|fuente)(?!\s+by\b)",
    re.I,
)
YEAR = re.compile(r"\b(1[6-9]\d\d|20[0-2]\d)\b")
# The labels that name the original publication, and a prose line that cites it.
ORIGIN_LABEL = re.compile(
    r"^\s*(sources?|first\s+publi\w*|published|publisher|originally\s+published|publicado|fuente)\s*$", re.I
)
PROSE_CITATION = re.compile(
    r"^(?:(?:first|originally)\s+)?(?:published|printed|appeared)\s+(?:in|as|by)\b|^from\s+(?:the\s+)?[A-Z]", re.I
)
CITES = re.compile(r"\b(?:1[6-9]\d\d|20[0-2]\d)\b|\b(?:vol|no)\.\s*\d", re.I)


@dataclass
class Outcome:
    """One work's census: how it was read, its block's dated lines, its original publication."""

    slug: str
    status: str  # dated | undated | error
    dated_lines: list[str] = field(default_factory=list)  # "Label: value" lines with a year
    message: str = ""
    origin_named: str = ""  # the block's line naming the original publication, if any
    has_origin: bool = False


def dates_of(slug: str, work: Work) -> Outcome:
    """The census of one work the reader read."""
    lines = [
        f"{line.label}: {line.value}" for line in work.info if DATE_LABEL.match(line.label) and YEAR.search(line.value)
    ]
    named = [
        f"{line.label}: {line.value}"
        for line in work.info
        if (ORIGIN_LABEL.match(line.label) and re.search(r"[^\W\d_]", line.value))
        or (line.label == "Information" and PROSE_CITATION.match(line.value) and CITES.search(line.value))
    ]
    return Outcome(
        slug,
        "dated" if work.date_iso or work.date_span else "undated",
        lines,
        origin_named=named[0] if named else "",
        has_origin=work.source is not None or bool(work.first_published),
    )


def census_of(folder: str) -> Outcome:
    """Read one work and note its date, its block's dated lines and its original publication."""
    path = Path(folder)
    try:
        work = read(load_manifest(path, check_fixity=False))
    except Exception as exc:  # a refused work is no undated master
        return Outcome(path.name, "error", message=f"{type(exc).__name__}: {str(exc)[:120]}")
    return dates_of(path.name, work)


def report(outcomes: list[Outcome], seconds: float, count: int) -> str:
    """The census as Markdown: the dates, the original publication, examples of each failure."""
    counts = collections.Counter(o.status for o in outcomes)
    failing = sorted((o for o in outcomes if o.status == "undated" and o.dated_lines), key=lambda o: o.slug)
    by_label: collections.Counter[str] = collections.Counter(
        re.sub(r"\s+", " ", o.dated_lines[0].split(":", 1)[0].strip().lower()) for o in failing
    )
    named = [o for o in outcomes if o.status != "error" and o.origin_named]
    missing = [o for o in named if not o.has_origin]
    out = [
        *table(
            ["works read", "dated", "undated", "undated, block states a year", "refused", "seconds"],
            [[len(outcomes), counts["dated"], counts["undated"], len(failing), counts["error"], f"{seconds:.0f}"]],
        ),
        *table(
            ["original publication named in the information block", "present in the master", "missing"],
            [[len(named), len(named) - len(missing), len(missing)]],
        ),
    ]
    if by_label:
        out += ["Undated though the block states a year, by the label of the first dated line:", ""]
        out += [f"- {label}: {n}" for label, n in by_label.most_common()]
        out.append("")
    out += examples("Undated though dated", [f"`{o.slug}`: {o.dated_lines[0][:160]}" for o in failing], count)
    out += examples(
        "Original publication named but missing", [f"`{o.slug}`: {o.origin_named[:160]}" for o in missing], count
    )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", type=Path, help="a sources folder made by `pipeline import`")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: in this process)")
    parser.add_argument("--only", help="only slugs containing this")
    parser.add_argument("--examples", type=int, default=40)
    parser.add_argument("--out", type=Path, help="write the table here (else print it)")
    args = parser.parse_args()
    folders = work_folders(args.sources, args.only)
    start = time.monotonic()
    outcomes = each_work(census_of, folders, args.jobs)
    text = f"    {command_line()}\n\n" + report(outcomes, time.monotonic() - start, args.examples)
    publish(text, args.out)


if __name__ == "__main__":
    main()
