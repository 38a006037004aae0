"""Census of headings and contents entries that are page chrome, not the work's structure (issue 20).

Over a sources folder made by ``pipeline import`` from the shared archive (read only),
each work is read in-process by its reader, written as a TEI master and checked against
its source pages (the source check ``ingest`` runs: every word kept), as ``pipeline
ingest`` does. Then it counts, over every master:

- headings (``text/body//head``) that are a rule (no word), the author's name alone,
  the book's title repeated, a bare number ("II", "ONE", "Chapter 3"), or longer than
  200 characters; a heading holding a note marker is the reader's repetition kept for
  the marker and is not counted;
- the same kinds among the contents entries the editions generate (EPUB nav, PDF
  outline, library page: :meth:`pipeline.writers.xhtml.Transform.toc`);
- works whose information block names an original publication ("Source", "First
  Published", "Published", "Publisher", a prose citation) against masters that hold
  one (``sourceDesc/bibl[@type='original']`` or ``[@type='first-published']``).

    .venv/bin/python -m pipeline import /tmp/mia --sources /tmp/structure-src --jobs 2 --quiet --retrieved 2021-03-01
    .venv/bin/python bench/headings_census.py /tmp/structure-src --json after.json --out bench/results/headings-census.md

``--baseline before.json`` (a run of the same command on the code before the change,
``CENSUS_CODE=/path/to/old/checkout``) adds the works read before and refused now.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(os.environ.get("CENSUS_CODE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from pipeline.fidelity import source as fidelity  # noqa: E402
from pipeline.manifest import load_manifest  # noqa: E402
from pipeline.master.write import serialize  # noqa: E402
from pipeline.readers.read import read  # noqa: E402
from pipeline.writers.xhtml import Transform  # noqa: E402

TEI = "{http://www.tei-c.org/ns/1.0}"
KINDS = ("rule", "author", "title", "number", "long")
ORIGIN_LABEL = re.compile(r"^\s*(sources?|first\s+published|published|publisher|originally\s+published|prose)\b", re.I)
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty"
BARE_NUMBER = re.compile(
    r"^\W*(?:(?:chapter|part|book|section|lecture|letter|article|chapitre|cap[ií]tulo|kapitel|teil|parte)\s+)?"
    rf"(?:[IVXLC]+|\d{{1,3}}|(?:{NUMBER_WORDS})(?:[\s-](?:{NUMBER_WORDS}))?)\W*$",
    re.I,
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
    names_origin: bool = False
    has_origin: bool = False
    multipart: bool = False


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


def words(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if not (child.tag == f"{TEI}ref" and child.get("type") == "noteref"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def census_of(folder: str) -> Outcome:
    """Read, write and check one work; sort its headings and contents entries."""
    path = Path(folder)
    try:
        manifest = load_manifest(path, check_fixity=False)
        work = read(manifest)
        data = serialize(work, 0)
        pages = [f.path for f in manifest.files if f.path.suffix.lower() in (".htm", ".html", ".txt")]
    except Exception as exc:  # a refused work: the reason, briefly
        return Outcome(path.name, "refused", f"{type(exc).__name__}: {str(exc)[:120]}")
    out = Outcome(path.name, "ok", multipart=any(f.role == "index" for f in manifest.files))
    try:
        fidelity.check(pages, data)
    except Exception as exc:
        out.status, out.message = "lost", str(exc)[:200]
    tei = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    author = work.author
    title = " ".join("".join(t.itertext()).split()) if (t := tei.find(f".//{TEI}titlePart")) is not None else ""
    body = tei.find(f"{TEI}text/{TEI}body")
    for head in body.iter(f"{TEI}head") if body is not None else []:
        out.heads += 1
        if head.find(f".//{TEI}ref[@type='noteref']") is not None:
            continue
        text = words(head)
        for kind in kinds_of(text, author, title):
            out.bad_heads.setdefault(kind, []).append(text[:120])

    def walk(entries: list) -> None:  # type: ignore[type-arg]
        for e in entries:
            out.entries += 1
            for kind in kinds_of(e.label, author, title):
                out.bad_entries.setdefault(kind, []).append(e.label[:120])
            walk(e.children)

    walk(Transform(tei).toc())
    out.names_origin = any(ORIGIN_LABEL.match(line.label) and line.value.strip() for line in work.info)
    out.has_origin = (
        tei.find(f".//{TEI}sourceDesc/{TEI}bibl[@type='original']") is not None
        or tei.find(f".//{TEI}sourceDesc/{TEI}bibl[@type='first-published']") is not None
    )
    return out


def table(outcomes: list[Outcome], seconds: float, baseline: dict[str, str] | None, examples: int) -> str:
    """The census as Markdown: the works, the kinds of chrome, original publication."""
    status = collections.Counter(o.status for o in outcomes)
    read_ok = [o for o in outcomes if o.status != "refused"]
    heads = collections.Counter({k: sum(len(o.bad_heads.get(k, [])) for o in read_ok) for k in KINDS})
    entries = collections.Counter({k: sum(len(o.bad_entries.get(k, [])) for o in read_ok) for k in KINDS})
    named = [o for o in read_ok if o.names_origin]
    missing = [o for o in named if not o.has_origin]
    lines = [
        "| works | masters written | refused | source check fails | multi-part | headings | contents entries | seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(outcomes)} | {len(read_ok)} | {status['refused']} | {status['lost']} "
        f"| {sum(o.multipart for o in read_ok)} | {sum(o.heads for o in read_ok)} "
        f"| {sum(o.entries for o in read_ok)} | {seconds:.0f} |",
        "",
        "| kind | headings | contents entries |",
        "|---|---:|---:|",
        *(f"| {k} | {heads[k]} | {entries[k]} |" for k in KINDS),
        "",
        "| original publication named in the information block | present in the master | missing |",
        "|---:|---:|---:|",
        f"| {len(named)} | {len(named) - len(missing)} | {len(missing)} |",
        "",
    ]
    if baseline is not None:
        now_refused = sorted(o.slug for o in outcomes if o.status == "refused" and baseline.get(o.slug) != "refused")
        now_lost = sorted(o.slug for o in outcomes if o.status == "lost" and baseline.get(o.slug) != "lost")
        lines += [
            f"Read before and refused now: {len(now_refused)} {', '.join(now_refused[:20])}",
            "",
            f"Source check held before and fails now: {len(now_lost)} {', '.join(now_lost[:20])}",
            "",
        ]
    for k in KINDS:
        found = [(o.slug, t) for o in read_ok for t in o.bad_entries.get(k, []) + o.bad_heads.get(k, [])]
        if found:
            lines += [f"Examples, {k}:", ""]
            lines += [f"- `{slug}`: {t[:100]!r}" for slug, t in found[:examples]]
            lines.append("")
    if missing:
        lines += ["Examples, original publication named but missing:", ""]
        lines += [f"- `{o.slug}`" for o in missing[:examples]]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", type=Path, help="a sources folder made by `pipeline import`")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--only", help="only slugs containing this")
    parser.add_argument("--multipart", action="store_true", help="only multi-part works (an index and parts)")
    parser.add_argument("--json", type=Path, help="write every work's outcome here")
    parser.add_argument("--baseline", type=Path, help="a --json of the code before, for the works refused now")
    parser.add_argument("--out", type=Path, help="write the table here (else print it)")
    args = parser.parse_args()
    folders = sorted(str(p.parent) for p in args.sources.glob("*/manifest.json"))
    if args.only:
        folders = [f for f in folders if args.only in Path(f).name]
    if args.multipart:
        folders = [f for f in folders if '"role": "index"' in (Path(f) / "manifest.json").read_text(encoding="utf-8")]
    start = time.monotonic()
    with ProcessPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(census_of, folders, chunksize=8))
    baseline = None
    if args.baseline:
        baseline = {o["slug"]: o["status"] for o in json.loads(args.baseline.read_text(encoding="utf-8"))}
    text = table(outcomes, time.monotonic() - start, baseline, args.examples)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=0), encoding="utf-8")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
