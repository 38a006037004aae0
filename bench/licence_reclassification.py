"""Every licence line of the archive, old reading against new (issue 23).

Reads the evidence :mod:`bench.licence_lines` wrote (every licence call the reader made
with the old table's URI, every information-block line, the footer's text) and
classifies the same lines with the current :mod:`pipeline.licences`, as the pipeline
does: the line by :func:`licences.classify`, then weighed against the block's other
lines by :func:`licences.in_context`. Every change of licence is listed, grouped by
the change and the wording (years and names of archives folded), with counts, an
example page and the line that caused it, as Markdown.

    python bench/licence_reclassification.py lines.jsonl --out bench/results/licence-reclassification.md
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import licences  # noqa: E402
from pipeline.errors import PipelineError  # noqa: E402


def name(uri: str) -> str:
    if uri.startswith("error"):
        return "error (no master)"
    lic = licences.by_uri(uri)
    return f"{lic.name} ({lic.category.value})" if lic else uri


def new_uri(call: dict[str, Any], info: list[dict[str, Any]]) -> str:
    """The current table's licence for one call, in the context of the block."""
    try:
        uri = licences.classify(call["label"], call["statement"], call["links"]).uri
    except PipelineError as exc:
        return f"error: {exc}"
    others = [f"{i['label']}: {i['value']}" for i in info if i["value"] not in call["statement"]]
    return licences.in_context(uri, call["statement"], others)


def wording(statement: str) -> str:
    """The statement with years and the archive's name folded, to group the same wording."""
    text = re.sub(r"\b(?:1[89]|20)\d\d\b", "YYYY", statement)
    text = re.sub(r"^[^.()]{0,60}?(?:Internet Archive|On-Line|marxists\.org|marx\.org)\)?,?", "ARCHIVE", text)
    return " ".join(text.split())[:160]


def changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        for call in row["calls"]:
            new = new_uri(call, row.get("info", []))
            if new != call["old"]:
                out.append({"slug": row["slug"], "url": row.get("url", ""), "call": call, "new": new})
    return out


def context_line(change: dict[str, Any], rows_by_slug: dict[str, Any]) -> str:
    """The other information-block line that withheld a licence, if one did."""
    call = change["call"]
    try:
        alone = licences.classify(call["label"], call["statement"], call["links"]).uri
    except PipelineError:
        return ""
    if alone == change["new"]:
        return ""
    for i in rows_by_slug[change["slug"]].get("info", []):
        line = f"{i['label']}: {i['value']}"
        if i["value"] not in call["statement"] and licences.in_context(alone, call["statement"], [line]) != alone:
            return line
    return ""


def table_head() -> list[str]:
    return ["| old | new | statements | the line that caused it | example |", "|---|---|---:|---|---|"]


def totals(rows: list[dict[str, Any]]) -> list[str]:
    """Statements by licence, old table against new."""
    old: collections.Counter[str] = collections.Counter()
    new: collections.Counter[str] = collections.Counter()
    for row in rows:
        for call in row["calls"]:
            old[name(call["old"])] += 1
            new[name(new_uri(call, row.get("info", [])))] += 1
    out = ["| licence | old | new |", "|---|---:|---:|"]
    for key in sorted(set(old) | set(new), key=lambda k: (-old[k], k)):
        out.append(f"| {key} | {old[key]} | {new[key]} |")
    return out


def noticed_elsewhere(rows: list[dict[str, Any]]) -> list[str]:
    """Works whose other information-block lines hold a copyright notice or 'all rights
    reserved', by what their licence lines were already read as."""
    seen: collections.Counter[str] = collections.Counter()
    for row in rows:
        statements = [c["statement"] for c in row["calls"]]
        others = [
            i["value"]
            for i in row.get("info", [])
            if not any(i["value"] in s for s in statements)
            and (licences.COPYRIGHT_NOTICE.search(i["value"]) or licences.RIGHTS_RESERVED.search(i["value"]))
        ]
        if others:
            kinds = sorted({name(c["old"]) for c in row["calls"]}) or ["no licence statement"]
            seen[", ".join(kinds)] += 1
    out = ["Works with a copyright notice or 'all rights reserved' in another information-block line, "]
    out[0] += "by their licence as the old table read it: "
    out[0] += "; ".join(f"{k}: {n}" for k, n in seen.most_common()) or "none"
    return [out[0] + "."]


def markdown(rows: list[dict[str, Any]]) -> str:
    found = changes(rows)
    by_slug = {r["slug"]: r for r in rows}
    calls = sum(len(r["calls"]) for r in rows)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for ch in found:
        cause = context_line(ch, by_slug)
        key = (name(ch["call"]["old"]), name(ch["new"]), cause[:160] if cause else wording(ch["call"]["statement"]))
        ch["cause"] = cause
        groups[key].append(ch)
    footers = [f for r in rows for f in r.get("footer", [])]
    noticed = [f for f in footers if licences.COPYRIGHT_NOTICE.search(f) or licences.RIGHTS_RESERVED.search(f)]
    lines = [
        "# Licence lines of the shared archive, re-classified (issue 23)",
        "",
        f"{len(rows)} imported works, {calls} licence statements read by the readers; "
        f"{len(found)} statements in {len({c['slug'] for c in found})} works change licence. "
        f"{len(footers)} page footers (p.footer), {len(noticed)} with a copyright notice or 'all rights reserved'.",
        "",
        "Made by `python bench/licence_lines.py` (old = main's `pipeline/licences.py`) and "
        "`python bench/licence_reclassification.py`. Wording: years as YYYY, the archive's name as ARCHIVE.",
        "",
    ]
    lines += ["", *totals(rows), "", *noticed_elsewhere(rows), "", "## Every change of licence", "", *table_head()]
    for (old, new, _wording), members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        example = members[0]
        call = example["call"]
        line = example["cause"] or f"{call['label']}: {call['statement']}"
        links = f" (links {', '.join(call['links'])})" if call["links"] else ""
        cell = (line[:300] + links).replace("|", "\\|")
        lines.append(f"| {old} | {new} | {len(members)} | {cell} | {example['url'] or example['slug']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("lines", type=Path)
    p.add_argument("--out", type=Path)
    args = p.parse_args(argv)
    rows = [json.loads(line) for line in args.lines.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = markdown(rows)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
