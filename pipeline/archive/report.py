"""The import's account of itself: a one-screen summary and a JSON report.

The JSON report (``--report FILE``) follows ``schemas/import-report.schema.json``: every
page with its verdict and reason, every work with its slug, parts, missing parts and
what the run did with it. The summary counts the same things for a person to read.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.archive.triage import NOT_WORK, PART, UNREADABLE, WORK, Triage

# What the run did with each work.
NEW, UPDATED, UNCHANGED, CHANGED, FAILED, PLANNED = "new", "updated", "unchanged", "changed", "failed", "planned"


@dataclass
class Outcome:
    slug: str
    url: str
    status: str
    message: str = ""


@dataclass
class Run:
    root: str
    sources: str
    site_url: str
    dry_run: bool
    update: bool
    triage: Triage
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by the work's main page
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)
    # Works whose main page's information block states a free licence (the triage's first
    # reading, pipeline/archive/page.py): what an import will publish; the others only when
    # public domain by rule or by an editor's ruling, which ingest decides (issue 21).
    stating_free: int = 0


def reason_kind(reason: str) -> str:
    """A reason without its particulars ("page over 20 MB (21.0 MB)" -> "page over 20 MB")."""
    return re.sub(r"\s*\(.*$", "", reason).strip() or reason


def counts(run: Run) -> dict[str, Any]:
    works = run.triage.works
    verdicts = run.triage.verdicts.values()
    return {
        "pages": len(run.triage.verdicts),
        "works": {
            "single": sum(w.kind == "single" for w in works),
            "multi-part": sum(w.kind == "multi-part" for w in works),
            "incomplete": sum(bool(w.missing) for w in works),
            "orphan-parts": sum(
                any("index page" in n and "absent" in n or "named as a chapter" in n for n in w.notes) for w in works
            ),
        },
        "parts": sum(v.verdict == PART for v in verdicts),
        "not_works": dict(sorted(Counter(reason_kind(v.reason) for v in verdicts if v.verdict == NOT_WORK).items())),
        "unreadable": dict(sorted(Counter(reason_kind(v.reason) for v in verdicts if v.verdict == UNREADABLE).items())),
        "written": dict(sorted(Counter(o.status for o in run.outcomes.values()).items())),
    }


def summary(run: Run) -> str:
    c = counts(run)
    w = c["works"]
    lines = [
        f"{c['pages']} pages in {run.seconds:.1f} s: "
        f"{w['single'] + w['multi-part']} works ({w['single']} single-page, {w['multi-part']} multi-part with {c['parts']} parts; "
        f"{w['incomplete']} incomplete, {w['orphan-parts']} chapters without their index)",
    ]
    nw = c["not_works"]
    lines.append(f"not works: {sum(nw.values())}" + "".join(f"\n  {n:6d}  {r}" for r, n in nw.items()))
    un = c["unreadable"]
    lines.append(f"unreadable: {sum(un.values())}" + "".join(f"\n  {n:6d}  {r}" for r, n in un.items()))
    done = c["written"]
    if run.dry_run:
        lines.append(
            f"dry run: nothing written; {done.get(NEW, 0) + done.get(PLANNED, 0)} works would be new in {run.sources}"
            + (f", {done[UPDATED]} updated" if done.get(UPDATED) else "")
            + "; every page's verdict and reason: --report FILE"
        )
        found = w["single"] + w["multi-part"]
        lines.append(
            f"will be published: {run.stating_free} of the {found} works found state a free licence; the other "
            f"{found - run.stating_free} only if public domain by rule or by an editor's ruling (decided at "
            "ingest; `python -m pipeline rights` after a build lists each with its evidence)"
        )
    else:
        parts = [f"{done.get(k, 0)} {k}" for k in (NEW, UPDATED, UNCHANGED, CHANGED, FAILED) if done.get(k)]
        lines.append(f"{run.sources}: " + (", ".join(parts) if parts else "no works"))
        if done and set(done) == {UNCHANGED}:
            lines.append("nothing changed: every work is already in sources/ as it is in the copy")
        if done.get(CHANGED):
            lines.append(
                f"{done[CHANGED]} works changed since they were imported and were left as they are; "
                "run again with --update to bring in the new versions (the old ones are kept)"
            )
    return "\n".join(lines)


def as_json(run: Run) -> dict[str, Any]:
    works = []
    for w in run.triage.works:
        o = run.outcomes.get(w.main)
        works.append(
            {
                "slug": w.slug,
                "url": o.url if o else "",
                "kind": w.kind,
                "main": w.main,
                "parts": w.parts,
                "missing": w.missing,
                "notes": w.notes,
                "status": o.status if o else PLANNED,
                **({"message": o.message} if o and o.message else {}),
            }
        )
    pages = [
        {
            "path": v.path,
            "verdict": v.verdict,
            "reason": v.reason,
            **({"work": v.work} if v.work and v.verdict in (WORK, PART) else {}),
        }
        for v in sorted(run.triage.verdicts.values(), key=lambda v: v.path)
    ]
    return {
        "root": run.root,
        "sources": run.sources,
        "site_url": run.site_url,
        "dry_run": run.dry_run,
        "update": run.update,
        "seconds": round(run.seconds, 3),
        "summary": counts(run),
        "works": works,
        "pages": pages,
    }


def write_report(run: Run, path: Path) -> None:
    atomic.write_text(path, json.dumps(as_json(run), indent=1, ensure_ascii=False) + "\n")
