"""`make authors-census`: every master's authors over the whole shared archive, counted (issue 21).

Imports the site copy into a scratch project (``.authors-census/root``, git-ignored),
builds every work's master only (``build --masters-only``: the author census needs no
edition), then reads each master's ``titleStmt/author`` elements and tabulates:

- works, authors credited, distinct people (authority keys), people the authority does
  not know, and the library's author pages (the library's own grouping,
  :func:`pipeline.distribution.library.build_library`, over every master);
- authors whose name (the ``persName`` the page's words became) still holds a
  description, a date, a second person or a pen-name phrase: each must be 0.

Writes ``bench/results/authors-census.md``. ``--reuse`` skips import and build when the
scratch project has masters already (to re-run the census after a change to it only).

    python bench/authors_census.py --site /tmp/mia
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.authors.authority import load  # noqa: E402
from pipeline.authors.credits import NOT_NAME_WORDS, ROLE_WORDS  # noqa: E402
from pipeline.distribution.library import build_library  # noqa: E402
from pipeline.distribution.works import Work  # noqa: E402
from pipeline.master.read import read_meta  # noqa: E402
from pipeline.master.tei import NS, parse_file  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
DATE = re.compile(r"\b1[5-9]\d\d\b|\b20\d\d\b")
SECOND_PERSON = re.compile(r"&|\band\b|/|;|,\s*[A-Z][a-z]+\s+[A-Z]", re.I)
PEN_PHRASE = re.compile(r"\bwriting as\b|\bpseudonym\b|\bpen[- ]?name\b|“|”|\"", re.I)


def problems(name: str) -> list[str]:
    """What a name must not hold: a description, a date, a second person, a pen-name phrase."""
    found = []
    words = {w.strip(".,:;()").lower() for w in name.split()}
    if "(" in name or ")" in name or words & ROLE_WORDS or words & (NOT_NAME_WORDS - {"the", "of", "a"}):
        found.append("description")
    if DATE.search(name):
        found.append("date")
    if SECOND_PERSON.search(name.replace("Murphy, J", "")) and not re.fullmatch(r"[^,]+, [A-Z. ]+", name):
        found.append("second person")
    if PEN_PHRASE.search(name):
        found.append("pen-name phrase")
    return found


def run(cmd: list[str], root: Path, log: Path) -> float:
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    start = time.perf_counter()
    with log.open("wb") as out:
        subprocess.run(cmd, cwd=root, env=dict(os.environ, MIA_PIPELINE_ROOT=str(root)), stdout=out, stderr=out)
    return time.perf_counter() - start


def build_masters(site: Path, scratch: Path, jobs: int) -> dict[str, float]:
    root = scratch / "root"
    shutil.rmtree(root, ignore_errors=True)
    (root / "sources").mkdir(parents=True)
    py = sys.executable
    imported = run(
        [py, "-m", "pipeline", "import", str(site), "--sources", str(root / "sources"), "--jobs", str(jobs)],
        root,
        scratch / "import.log",
    )
    built = run([py, "-m", "pipeline", "build", "--masters-only", "--jobs", str(jobs)], root, scratch / "masters.log")
    return {"import": imported, "masters": built}


def census(root: Path) -> tuple[list[str], dict[str, object]]:
    known = load()
    works: list[Work] = []
    credited = 0
    keys: set[str] = set()
    bad: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for master in sorted((root / "editions").glob("*/*.tei.xml")):
        tei = parse_file(master).getroot()
        for author in tei.iterfind(".//tei:titleStmt/tei:author", NS):
            credited += 1
            keys.add(author.get("key") or "")
            name = "".join(author.findtext("tei:persName", default="", namespaces=NS)).strip()
            for kind in problems(name):
                bad[kind][name] += 1
        works.append(Work(read_meta(tei, master.parent.name), master, []))
    library = build_library(works)
    unknown = sorted(k for k in keys if not known.person(k))
    facts: dict[str, object] = {
        "works": len(works),
        "credited": credited,
        "people": len(keys),
        "unknown": unknown,
        "pages": len(library.authors),
        "bad": bad,
        "multi": sum(1 for w in works if len(w.meta.authors) > 1),
        "authority": len(known.persons),
    }
    return [w.slug for w in works], facts


def markdown(facts: dict[str, object], seconds: dict[str, float], site: Path) -> str:
    bad = facts["bad"]
    assert isinstance(bad, dict)
    unknown = facts["unknown"]
    assert isinstance(unknown, list)
    rows = [
        ("works (masters written)", facts["works"]),
        ("works with more than one author", facts["multi"]),
        ("authors credited (`titleStmt/author`)", facts["credited"]),
        ("distinct people (authority keys)", facts["people"]),
        ("  of them not in the authority (keyed by their spelling)", len(unknown)),
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
        f"Command: `python bench/authors_census.py --site {site}` (import "
        + ", ".join(f"{k} {v:.0f} s" for k, v in seconds.items())
        + "). Every imported work's master (`build --masters-only`), then each master's `titleStmt/author`.",
        "",
        "| measure | count |",
        "| --- | ---: |",
        *[f"| {label} | {value:,} |" if isinstance(value, int) else f"| {label} | {value} |" for label, value in rows],
        "",
    ]
    for kind, names in sorted(bad.items()):
        lines += [f"## Names holding {kind}", ""] + [f"- {n} x {name}" for name, n in names.most_common(30)] + [""]
    if unknown:
        lines += ["## People not in the authority", "", ", ".join(unknown[:200]), ""]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--site", type=Path, default=Path("/tmp/mia"))
    p.add_argument("--scratch", type=Path, default=PROJECT / ".authors-census")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--reuse", action="store_true", help="keep the scratch project's masters (census only)")
    p.add_argument("--out", type=Path, default=PROJECT / "bench/results/authors-census.md")
    args = p.parse_args()
    scratch = args.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    seconds = {} if args.reuse else build_masters(args.site.resolve(), scratch, args.jobs)
    _, facts = census(scratch / "root")
    args.out.write_text(markdown(facts, seconds, args.site), encoding="utf-8")
    print(args.out.read_text(encoding="utf-8")[:3000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
