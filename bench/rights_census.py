"""The public-domain rule over a whole sources folder (issue 21): how many works it
publishes, and why the others stay withheld.

    python bench/rights_census.py PROJECT [--jobs 2] [--out bench/results/rights-census.md]
        [--json FILE]

PROJECT is a project made by `python -m pipeline import /tmp/mia --sources PROJECT/sources`
with the author authority in PROJECT/editorial/authors.json (the hand-reviewed one of the
shared archive's author index pages is tests/rights/authors.json) and the rulings in
PROJECT/editorial/rulings.json. Each work is read in-process by its reader and weighed as
`pipeline ingest` weighs it (pipeline.ingest.read_work), without writing the master: the
fidelity check and validation add nothing to the rights and cost most of a build.
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import licences  # noqa: E402
from pipeline.ingest import read_work  # noqa: E402
from pipeline.manifest import load_manifest  # noqa: E402

ROOT: Path = Path(".")
SPELLINGS: list[str] = []


def spelled(text: str) -> str:
    """Text compared as the authority compares names (pipeline.authors.authority.name_key)."""
    return " ".join(html.unescape(text).replace(".", ". ").casefold().split())


def qualifying_spellings(root: Path, year: int) -> list[str]:
    """Every spelling of every person who died more than 70 years before ``year``: a work
    none of whose pages holds one cannot be public domain by rule (its author resolves,
    by name or by folder, only through one of these spellings)."""
    from pipeline.authors.authority import load

    persons = load(root).persons.values()
    return sorted(
        {spelled(s) for p in persons if p.died is not None and year - p.died > 70 for s in (p.name, *p.aliases)}
    )


def candidate(folder: Path) -> bool:
    pages = (f for f in folder.rglob("*") if f.is_file() and f.suffix != ".json")
    text = spelled(" ".join(f.read_bytes().decode("utf-8", "replace") for f in pages))
    return any(s in text for s in SPELLINGS)


def weigh(folder: Path) -> dict[str, Any]:
    """One work's rights, as ingest decides them."""
    if SPELLINGS and not candidate(folder):
        return {"slug": folder.name, "skipped": "no page names a person dead more than 70 years"}
    try:
        work = read_work(load_manifest(folder, check_fixity=False), ROOT)
    except Exception as exc:  # a reader's refusal: counted, not fatal to the census
        return {"slug": folder.name, "error": f"{type(exc).__name__}: {exc}"[:200]}
    free = bool(work.licences) and all(
        (licences.by_uri(l.uri) or licences.UNDETERMINED).distributable for l in work.licences
    )
    rights = work.rights
    return {
        "slug": work.slug,
        "url": work.url,
        "author": work.author,
        "language": work.language,
        "licence": "free" if free else ("none" if not work.licences else "not-free"),
        "by_rule": bool(rights and rights.public_domain and not work.licences),
        "evidence": rights.evidence if rights else [],
        "unmet": [list(u) for u in rights.unmet] if rights else [],
    }


def init(root: Path, spellings: list[str]) -> None:
    global ROOT, SPELLINGS
    ROOT, SPELLINGS = root, spellings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--candidates-only",
        type=int,
        metavar="YEAR",
        help="read only the works whose pages name a person dead more than 70 years before YEAR "
        "(the others cannot be public domain by rule); the rest are counted as skipped",
    )
    args = ap.parse_args(argv)
    root = args.project.resolve()
    folders = sorted(p for p in (root / "sources").iterdir() if (p / "manifest.json").is_file())
    with multiprocessing.Pool(
        args.jobs,
        initializer=init,
        initargs=(root, qualifying_spellings(root, args.candidates_only) if args.candidates_only else []),
    ) as pool:
        rows = pool.map(weigh, folders, chunksize=16)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = table(rows)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


def table(rows: list[dict[str, Any]]) -> str:
    read = [r for r in rows if "error" not in r and "skipped" not in r]
    skipped = sum("skipped" in r for r in rows)
    errors = sum("error" in r for r in rows)
    none = [r for r in read if r["licence"] == "none"]
    by_rule = [r for r in none if r["by_rule"]]
    first_miss = Counter(r["unmet"][0][0] for r in none if not r["by_rule"] and r["unmet"])
    lines = [
        "| works | not read (no page names a person dead > 70 years) | reader refused | read | free licence | licence not free | no licence | public domain by rule | still withheld (no licence) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {len(rows)} | {skipped} | {errors} | {len(read)} | {sum(r['licence'] == 'free' for r in read)} | "
        f"{sum(r['licence'] == 'not-free' for r in read)} | {len(none)} | **{len(by_rule)}** | {len(none) - len(by_rule)} |",
        "",
        "| first condition missed (no licence, not public domain by rule) | works |",
        "| --- | ---: |",
    ]
    lines += [f"| {key} | {n} |" for key, n in first_miss.most_common()]
    lines += ["", "| public domain by rule, by author | works |", "| --- | ---: |"]
    authors = Counter(r["evidence"][0].split(" died in ")[0] for r in by_rule if r["evidence"])
    lines += [f"| {name} | {n} |" for name, n in authors.most_common()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
