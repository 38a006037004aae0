"""Census of headings and contents entries that are page chrome, not the work's structure (issue 20).

Over a sources folder made by ``pipeline import`` from the shared archive (read only),
each work is read in this process by its reader, written as a TEI master (no editions)
and, unless ``--no-check``, checked against its source pages (the source check ``ingest``
runs: every word kept), one work after another (``--jobs 1``, the shared machine's way:
nice it). Then it counts, over every master:

- headings (``text/body//head``, figure captions aside) that are a rule (no word), the
  author's name alone, the book's title repeated, a bare number ("II", "ONE", "Chapter
  3"), or longer than 200 characters; a heading holding a note marker is the reader's
  repetition kept for the marker and is not counted. A bare number is counted apart
  when it heads a section of the text with no title of its own (the author numbered
  the sections "I", "II" and titled none: the author's structure, see the table's note);
- the same kinds among the contents entries the editions generate (EPUB nav, PDF
  outline, library page: :meth:`pipeline.writers.xhtml.Transform.toc`).

    .venv/bin/python -m pipeline import /tmp/mia --sources /tmp/structure-src --jobs 1 --quiet --retrieved 2021-03-01
    nice .venv/bin/python bench/headings_census.py /tmp/structure-src --json after.json --dates dates.md

``--dates FILE`` also writes the dates census (``bench/dates_census.py``) from the same
pass. ``--baseline before.json`` (a run of the same command on the code before the
change, ``CENSUS_CODE=/path/to/old/checkout``) adds the works read before and refused now.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.census_report import command_line, each_work, examples, publish, table, work_folders  # noqa: E402

ROOT = Path(os.environ.get("CENSUS_CODE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from bench import dates_census  # noqa: E402
from pipeline.fidelity import source as fidelity  # noqa: E402
from pipeline.manifest import load_manifest  # noqa: E402
from pipeline.master.write import serialize  # noqa: E402
from pipeline.readers.read import read  # noqa: E402
from pipeline.writers.xhtml import Transform  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
AUTHORS = re.compile(r"\s*(?:&|\band\b|,)\s*")
KINDS = ("rule", "author", "title", "number", "long")
AUTHORS_OWN = ("untitled", "title-inside", "speaker", "first-part")  # counted apart: the author's structure
KIND_NAMES = {
    "rule": 'rule ("* * *", no word)',
    "author": "author's name alone",
    "title": "book's title repeated",
    "number": "bare number",
    "untitled": "bare number heading an untitled section (the author's)",
    "title-inside": "the title as a section heading inside the text (the author's)",
    "first-part": "the first part's own title, which the index page took for the work's",
    "speaker": "one author's name heading a contribution (a debate: the author line names several)",
    "long": "longer than 200 characters",
}
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty"
BARE_NUMBER = re.compile(
    r"^\W*(?:(?:chapter|part|book|section|lecture|letter|article|chapitre|cap[ií]tulo|kapitel|teil|parte)\s+)?"
    rf"(?:[IVXLC]+|\d{{1,3}}|(?:{NUMBER_WORDS})(?:[\s-](?:{NUMBER_WORDS}))?)\W*$",
    re.I,
)


NUMBERED = re.compile(
    rf"^\W*(?:(?:chapter|part|book|section)\s+)?(?:[IVXLC]+|\d{{1,3}}|{NUMBER_WORDS})\b(?:\W|$)", re.I
)


@dataclass
class Outcome:
    """One work: read or refused, and its headings and contents entries of each kind."""

    slug: str
    status: str  # ok | refused | lost (the source check failed)
    message: str = ""
    heads: int = 0
    entries: int = 0
    bad_heads: dict[str, list[str]] = field(default_factory=dict)
    bad_entries: dict[str, list[str]] = field(default_factory=dict)
    multipart: bool = False
    dates: dict[str, object] = field(default_factory=dict)  # the dates census of the work


def key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def kinds_of(text: str, author: str, title: str) -> list[str]:
    """The kinds of chrome a heading's words are (none for a heading of the work)."""
    k = key(text)
    out = []
    if not k:
        out.append("rule")
    elif k == key(author) or any(k == key(a) for a in re.split(r"\s*(?:&|\band\b|,)\s*", author) if key(a)):
        out.append("author")
    elif k == key(title):
        out.append("title")
    elif BARE_NUMBER.match(text):
        out.append("number")
    if len(text) > 200:
        out.append("long")
    return out


def untitled(head: etree._Element) -> bool:
    """A heading that numbers a section of text with no title of its own: the next
    element of its division is text, not another heading (the title it should join),
    or a heading numbered in turn ("Part I" over "1. What the Discussion Has Revealed":
    a part of numbered chapters)."""
    nxt = head.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is None:
        return False
    if nxt.tag != f"{TEI}head":
        return True
    return bool(NUMBERED.match(words(nxt)))


def words(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if not (child.tag == f"{TEI}ref" and child.get("type") == "noteref"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def sort_kinds(
    text: str, head: etree._Element | None, author: str, title: str, first_part: etree._Element | None = None
) -> list[str]:
    """:func:`kinds_of`, the author's structure told apart: a bare number heading an
    untitled section; the title as a heading after the text's first paragraph (a
    section the author named so: "STOP THE LOT" closing "Stop the Lot"); one of several
    authors' names heading a contribution (a debate); the first part's own title where
    the index page titles the work by it (``first_part``: see :func:`first_part_titling`)."""
    out = []
    for k in kinds_of(text, author, title):
        if head is not None and k == "title" and head is first_part:
            k = "first-part"
        elif head is not None and k == "number" and untitled(head):
            k = "untitled"
        elif head is not None and k == "title" and head.xpath("preceding::t:p[ancestor::t:body]", namespaces=NS):
            k = "title-inside"
        elif k == "author" and len([a for a in AUTHORS.split(author) if key(a)]) >= 2:
            k = "speaker"
        out.append(k)
    return out


def first_part_titling(body: etree._Element | None, title: str) -> etree._Element | None:
    """The head of a multi-part work's first part when it alone bears the work's title: a
    series whose index page the MIA titled by its first article (hansen-1939-bulletin),
    not a banner repeated on the part pages (that would head every part)."""
    parts = body.findall(f"{TEI}div[@type='part']") if body is not None else []
    heads = [p.find(f"{TEI}head") for p in parts]
    same = [h for h in heads if h is not None and key(words(h)) == key(title)]
    return heads[0] if len(parts) > 1 and same == heads[:1] else None


def census_of(folder: str, check: bool = True) -> Outcome:
    """Read, write and (``check``) check one work; sort its headings and contents entries."""
    path = Path(folder)
    try:
        manifest = load_manifest(path, check_fixity=False)
        work = read(manifest)
        data = serialize(work, 0)
        pages = [f.path for f in manifest.files if f.path.suffix.lower() in (".htm", ".html", ".txt")]
    except Exception as exc:  # a refused work: the reason, briefly
        return Outcome(path.name, "refused", f"{type(exc).__name__}: {str(exc)[:120]}")
    out = Outcome(path.name, "ok", multipart=any(f.role == "index" for f in manifest.files))
    out.dates = asdict(dates_census.dates_of(path.name, work))
    if check:
        try:
            fidelity.check(pages, data)
        except Exception as exc:
            out.status, out.message = "lost", str(exc)[:200]
    tei = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    author = work.author
    title = " ".join("".join(t.itertext()).split()) if (t := tei.find(f".//{TEI}titlePart")) is not None else ""
    body = tei.find(f"{TEI}text/{TEI}body")
    first_part = first_part_titling(body, title)
    for head in body.iter(f"{TEI}head") if body is not None else []:
        if head.getparent() is not None and head.getparent().tag == f"{TEI}figure":
            continue  # a figure's caption, not a heading of the text
        out.heads += 1
        if head.find(f".//{TEI}ref[@type='noteref']") is not None:
            continue
        text = words(head)
        for kind in sort_kinds(text, head, author, title, first_part):
            out.bad_heads.setdefault(kind, []).append(text[:120])
    transform = Transform(tei)
    divs = {div_id: div for div, div_id in transform.div_ids.items()}

    def walk(entries: list) -> None:  # type: ignore[type-arg]
        for e in entries:
            out.entries += 1
            div = divs.get(e.id)
            head = div.find(f"{TEI}head") if div is not None else None
            for kind in sort_kinds(e.label, head, author, title, first_part):
                out.bad_entries.setdefault(kind, []).append(e.label[:120])
            walk(e.children)

    walk(transform.toc())
    return out


def census_checked(folder: str) -> Outcome:
    return census_of(folder, True)


def census_unchecked(folder: str) -> Outcome:
    return census_of(folder, False)


def report(outcomes: list[Outcome], seconds: float, baseline: dict[str, str] | None, count: int, check: bool) -> str:
    """The census as Markdown: the works, the kinds of chrome, examples of each."""
    status = collections.Counter(o.status for o in outcomes)
    read_ok = [o for o in outcomes if o.status != "refused"]

    def total(kind: str, which: str) -> int:
        return sum(len(getattr(o, which).get(kind, [])) for o in read_ok)

    lines = table(
        [
            "works",
            "masters written",
            "refused",
            "source check fails",
            "multi-part",
            "headings",
            "contents entries",
            "seconds",
        ],
        [
            [
                len(outcomes),
                len(read_ok),
                status["refused"],
                status["lost"] if check else "not run",
                sum(o.multipart for o in read_ok),
                sum(o.heads for o in read_ok),
                sum(o.entries for o in read_ok),
                f"{seconds:.0f}",
            ]
        ],
    )
    lines += table(
        ["kind", "headings", "contents entries"],
        [[KIND_NAMES[k], total(k, "bad_heads"), total(k, "bad_entries")] for k in (*KINDS, *AUTHORS_OWN)],
        left=1,
    )
    if baseline is not None:
        now_refused = sorted(o.slug for o in outcomes if o.status == "refused" and baseline.get(o.slug) != "refused")
        now_lost = sorted(o.slug for o in outcomes if o.status == "lost" and baseline.get(o.slug) != "lost")
        lines += [f"Read before and refused now: {len(now_refused)} {', '.join(now_refused[:20])}", ""]
        lines += [f"Source check held before and fails now: {len(now_lost)} {', '.join(now_lost[:20])}", ""]
    lines += examples("Refused", [f"`{o.slug}`: {o.message}" for o in outcomes if o.status == "refused"], count)
    lines += examples("Source check fails", [f"`{o.slug}`: {o.message}" for o in outcomes if o.status == "lost"], count)
    for k in (*KINDS, *AUTHORS_OWN):
        found = [f"`{o.slug}`: {t[:100]!r}" for o in read_ok for t in o.bad_entries.get(k, []) + o.bad_heads.get(k, [])]
        lines += examples(f"Examples, {KIND_NAMES[k]}", found, count)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", type=Path, help="a sources folder made by `pipeline import`")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: in this process)")
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--only", help="only slugs containing this")
    parser.add_argument("--multipart", action="store_true", help="only multi-part works (an index and parts)")
    parser.add_argument("--no-check", action="store_true", help="skip the source check (about half the time)")
    parser.add_argument("--json", type=Path, help="write every work's outcome here")
    parser.add_argument("--baseline", type=Path, help="a --json of the code before, for the works refused now")
    parser.add_argument("--dates", type=Path, help="also write the dates census of the same pass here")
    parser.add_argument("--out", type=Path, help="write the table here (else print it)")
    args = parser.parse_args()
    folders = work_folders(args.sources, args.only, args.multipart)
    start = time.monotonic()
    outcomes = each_work(census_unchecked if args.no_check else census_checked, folders, args.jobs)
    seconds = time.monotonic() - start
    baseline = None
    if args.baseline:
        baseline = {o["slug"]: o["status"] for o in json.loads(args.baseline.read_text(encoding="utf-8"))}
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=0), encoding="utf-8")
    if args.dates:
        dated = [
            dates_census.Outcome(**o.dates) if o.dates else dates_census.Outcome(o.slug, "error", message=o.message)  # type: ignore[arg-type]
            for o in outcomes
        ]
        publish(f"    {command_line()}\n\n" + dates_census.report(dated, seconds, 40), args.dates)
    publish(
        f"    {command_line()}\n\n" + report(outcomes, seconds, baseline, args.examples, not args.no_check), args.out
    )


if __name__ == "__main__":
    main()
