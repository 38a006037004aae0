"""Every work's authors over the whole shared archive, counted (issue 21).

Reads an import of the site (``--sources DIR``, made once by ``pipeline import``; only
read), else imports the site copy into a scratch project (``.authors-census/root``,
git-ignored); then, for every imported work, the persons its master names. Two ways to
get them:

- the quick way (default): the reader's own path to a work's authors, run on the page
  that holds them, the work's main page (a multi-part work's index: its parts'
  author lines are not the work's), :func:`pipeline.readers.mia_html.work.read_page`
  then :func:`pipeline.authors.resolve.resolve`, exactly what ``new_work`` does, and the
  persons written into a master's header and read back as the editions read them
  (:func:`pipeline.master.read.read_authors`). In-process with ``--jobs 1`` (the
  default); a few minutes for the whole archive.
- ``--masters``: ``build --masters-only`` of every work, then each master's
  ``titleStmt/author``: the same figures, an order of magnitude slower (every chapter
  of every book is read, checked and validated).

Then it tabulates:

- works, authors credited, distinct people (authority keys), people the authority does
  not know, and the library's author pages (the library's own grouping,
  :func:`pipeline.distribution.library.build_library`, over every master);
- authors whose name (the ``persName`` the page's words became) still holds a
  description, a date, a second person or a pen-name phrase: each must be 0.

Writes ``bench/results/authors-census.md``. ``--reuse`` skips import and build when the
scratch project has masters already (to re-run the census after a change to it only).

    python -m pipeline import /tmp/mia --sources /tmp/authority-src --jobs 1 --quiet --retrieved 2021-03-01
    nice python bench/authors_census.py --sources /tmp/authority-src
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.authors.authority import UNSIGNED, Authority, load  # noqa: E402
from pipeline.authors.credits import ROLE_WORDS  # noqa: E402
from pipeline.authors.resolve import resolve  # noqa: E402
from pipeline.distribution.library import build_library  # noqa: E402
from pipeline.distribution.works import Work  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402
from pipeline.manifest import load_manifest  # noqa: E402
from pipeline.master.read import EditionMeta, read_meta  # noqa: E402
from pipeline.master.tei import NS, parse_file  # noqa: E402
from pipeline.master.write import author_element  # noqa: E402
from pipeline.readers.mia_html.work import file_url, read_page  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
DATE = re.compile(r"\b1[5-9]\d\d\b|\b20\d\d\b")
SECOND_PERSON = re.compile(r"&|\band\b|/|;|,\s*[A-Z][a-z]+\s+[A-Z]", re.I)
PEN_PHRASE = re.compile(r"\bwriting as\b|\bpseudonym\b|\bpen[- ]?name\b|“|”|\"", re.I)


KNOWN = load()


def problems(name: str, known: Authority = KNOWN) -> list[str]:
    """What a name must not hold: a description, a date, a second person, a pen-name phrase."""
    found = []
    words = {w.strip(".,:;()").lower() for w in name.split()}
    run_on = not known.by_name(name) and any(
        known.by_name(" ".join(name.split()[:n])) for n in range(2, len(name.split()))
    )
    if "(" in name or ")" in name or ":" in name or words & ROLE_WORDS or run_on:
        # a body's name ("Group of International Communists") holds such words as its name, not a description;
        # a person's name with words run on after it ("Arthur Ransome Russia in") holds one
        found.append("description")
    if DATE.search(name):
        found.append("date")
    if SECOND_PERSON.search(name.replace("Murphy, J", "")) and not re.fullmatch(r"[^,]+, [A-Z. ]+", name):
        found.append("second person")
    if PEN_PHRASE.search(name):
        found.append("pen-name phrase")
    return found


def authors_only(tei: etree._Element, slug: str) -> EditionMeta:
    """The master's header as the editions read it; a census header holds only authors."""
    if tei.find("tei:teiHeader/tei:fileDesc/tei:publicationStmt", NS) is not None:
        return read_meta(tei, slug)
    from pipeline.master.read import author_line, read_authors

    people = read_authors(tei.find("tei:teiHeader", NS))
    blank = dict.fromkeys(
        "date_text date_iso no_credit_statement permission source_statement source_title first_published "
        "last_updated ingest_date pipeline_version".split()
    )
    return EditionMeta(
        slug=slug,
        title=slug,
        author=author_line(people),
        language="en",
        url="",
        credits=[],
        licences=[],
        info_lines=[],
        normalizations=[],
        distributor="",
        authors=people,
        **blank,
    )


def run(cmd: list[str], root: Path, log: Path) -> float:
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    start = time.perf_counter()
    with log.open("wb") as out:
        subprocess.run(cmd, cwd=root, env=dict(os.environ, MIA_PIPELINE_ROOT=str(root)), stdout=out, stderr=out)
    return time.perf_counter() - start


def import_site(site: Path, scratch: Path, jobs: int) -> dict[str, float]:
    root = scratch / "root"
    shutil.rmtree(root, ignore_errors=True)
    (root / "sources").mkdir(parents=True)
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "import",
        str(site),
        "--sources",
        str(root / "sources"),
        "--jobs",
        str(jobs),
    ]
    return {"import": run(cmd, root, scratch / "import.log")}


def build_masters(root: Path, scratch: Path, jobs: int) -> float:
    cmd = [sys.executable, "-m", "pipeline", "build", "--masters-only", "--jobs", str(jobs)]
    return run(cmd, root, scratch / "masters.log")


def page_authors(folder: Path) -> tuple[str, bytes | None, str | None]:
    """One work's ``titleStmt`` with its authors, as the reader and the master's writer
    make it from the work's main page; or the reader's one-line refusal."""
    from lxml import etree

    from pipeline.master.tei import TEI_NS

    try:
        manifest = load_manifest(folder)
        main = next(f for f in manifest.files if f.role in ("main", "index"))
        page = read_page(main, file_url(manifest, main, True))
    except (PipelineError, StopIteration) as e:
        return folder.name, None, str(e)[:80]
    tei = etree.Element(f"{{{TEI_NS}}}TEI")
    ts = etree.SubElement(
        etree.SubElement(etree.SubElement(tei, f"{{{TEI_NS}}}teiHeader"), f"{{{TEI_NS}}}fileDesc"),
        f"{{{TEI_NS}}}titleStmt",
    )
    for person in resolve(page.author or "", manifest.url):
        author_element(etree.SubElement(ts, f"{{{TEI_NS}}}author", key=person.key), person)
    return folder.name, etree.tostring(tei), None


def census_pages(sources: Path, jobs: int) -> tuple[list[tuple[str, etree._Element]], collections.Counter[str]]:
    """Every work's authors as its master would hold them, and the reader's refusals;
    in this process with one job (no pool to start, the authority loaded once)."""
    from multiprocessing import Pool

    folders = sorted(p for p in sources.iterdir() if (p / "manifest.json").is_file())
    out = []
    refused: collections.Counter[str] = collections.Counter()
    if jobs <= 1:
        results = [page_authors(folder) for folder in folders]
    else:
        with Pool(jobs) as pool:
            results = list(pool.imap_unordered(page_authors, folders, chunksize=16))
    for slug, tei, error in results:
        if tei is None:
            refused[error or ""] += 1
        else:
            out.append((slug, etree.fromstring(tei)))
    return sorted(out, key=lambda x: x[0]), refused


def census_masters(root: Path) -> list[tuple[str, etree._Element]]:
    return [(m.parent.name, parse_file(m).getroot()) for m in sorted((root / "editions").glob("*/*.tei.xml"))]


def census(teis: list[tuple[str, etree._Element]]) -> tuple[list[str], dict[str, object]]:
    known = load()
    works: list[Work] = []
    credited = 0
    keys: set[str] = set()
    bad: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    rows: list[dict[str, str]] = []  # every credit, for --json
    for slug, tei in teis:
        for author in tei.iterfind(".//tei:titleStmt/tei:author", NS):
            credited += 1
            keys.add(author.get("key") or "")
            name = "".join(author.findtext("tei:persName", default="", namespaces=NS)).strip()
            role = author.findtext("tei:roleName", default="", namespaces=NS)
            rows.append({"slug": slug, "key": author.get("key") or "", "wording": name, "role": role})
            for kind in problems(name):
                bad[kind][name] += 1
        works.append(Work(authors_only(tei, slug), Path(slug), []))
    library = build_library(works)
    keys.discard(UNSIGNED)  # unsigned works: no person, no author page
    unknown = sorted(k for k in keys if not known.person(k))
    seen_unknown: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for row in rows:
        if row["key"] in unknown:
            seen_unknown[row["key"]].append(row)
    facts: dict[str, object] = {
        "works": len(works),
        "credited": credited,
        "people": len(keys),
        "bodies": sum(1 for k in keys if (p := known.person(k)) and p.kind == "body"),
        "unsigned": sum(1 for row in rows if row["key"] == UNSIGNED),
        "unknown": unknown,
        "unknown_rows": seen_unknown,
        "rows": rows,
        "pages": len(library.authors),
        "bad": bad,
        "multi": sum(1 for w in works if len(w.meta.authors) > 1),
        "authority": len(known.persons),
    }
    return [w.slug for w in works], facts


def markdown(facts: dict[str, object], seconds: dict[str, float], command: str) -> str:
    bad = facts["bad"]
    assert isinstance(bad, dict)
    unknown = facts["unknown"]
    assert isinstance(unknown, list)
    rows = [
        ("works imported whose authors were read", facts["works"]),
        ("works the reader refused (no master)", facts.get("refused", 0)),
        ("works with more than one author", facts["multi"]),
        ("authors credited (`titleStmt/author`)", facts["credited"]),
        ("distinct people (authority keys)", facts["people"]),
        ("  of them not in the authority (keyed by their spelling)", len(unknown)),
        ("  of them bodies (corporate authors)", facts.get("bodies", 0)),
        ("works unsigned (a breadcrumb or a periodical in the author's place)", facts.get("unsigned", 0)),
        ("library author pages", facts["pages"]),
        ("persons in the authority (pipeline/data/authors.json)", facts["authority"]),
    ]
    rows += [
        (f"author names holding {kind}", sum(bad.get(kind, {}).values()))
        for kind in ("description", "date", "second person", "pen-name phrase")
    ]
    lines = [
        "# Author census over the whole shared archive (issue 21)",
        "",
        f"Command: `{command}` (" + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items()) + ").",
        "",
        "| measure | count |",
        "| --- | ---: |",
        *[f"| {label} | {value:,} |" if isinstance(value, int) else f"| {label} | {value} |" for label, value in rows],
        "",
    ]
    for kind, names in sorted(bad.items()):
        lines += [f"## Names holding {kind}", ""] + [f"- {n} x {name}" for name, n in names.most_common(30)] + [""]
    seen = facts["unknown_rows"]
    assert isinstance(seen, dict)
    if unknown:
        lines += ["## Keys not in the authority (works, the first work and its words)", ""]
        lines += [
            f'- `{key}`: {len(seen[key])} x, `{seen[key][0]["slug"]}` "{seen[key][0]["wording"]}"' for key in unknown
        ]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--site", type=Path, default=Path("/tmp/mia"))
    p.add_argument("--sources", type=Path, help="an import of the site to read (only read); else import --site")
    p.add_argument("--scratch", type=Path, default=PROJECT / ".authors-census")
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--reuse", action="store_true", help="keep the scratch project's import (and masters)")
    p.add_argument("--masters", action="store_true", help="build every master and count their authors (slow)")
    p.add_argument("--out", type=Path, default=PROJECT / "bench/results/authors-census.md")
    p.add_argument("--json", type=Path, help="write every credit (slug, key, words, role) here")
    args = p.parse_args()
    scratch = args.scratch.resolve()
    root = scratch / "root"
    seconds: dict[str, float] = {}
    if args.sources is None and not args.reuse:
        scratch.mkdir(parents=True, exist_ok=True)
        seconds = import_site(args.site.resolve(), scratch, args.jobs)
    sources = args.sources.resolve() if args.sources else root / "sources"
    start = time.perf_counter()
    refused: collections.Counter[str] = collections.Counter()
    if args.masters:
        if not args.reuse:
            seconds["masters"] = build_masters(root, scratch, args.jobs)
        teis = census_masters(root)
    else:
        teis, refused = census_pages(sources, args.jobs)
    seconds["authors"] = time.perf_counter() - start
    _, facts = census(teis)
    facts["refused"] = sum(refused.values())
    facts["refusals"] = refused.most_common(10)
    if args.json:
        args.json.write_text(json.dumps(facts["rows"], indent=0, ensure_ascii=False), encoding="utf-8")
    command = "python bench/authors_census.py " + " ".join(sys.argv[1:])
    args.out.write_text(markdown(facts, seconds, command), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8")[:3000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
