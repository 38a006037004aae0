"""What is withheld and why, what the public-domain rule publishes and on what evidence
(``pipeline rights``; the build's summary and the library's withheld pages use the same
groups).

Everything here is read back from the masters' ``availability`` (master/read.py,
``RightsInfo``), so the report says what the build decided, and from the rulings file
checked against the sources' manifests, so a ruling whose sources changed is listed
before the next build too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import licences
from pipeline.errors import PipelineError
from pipeline.master.read import NO_LICENCE, EditionMeta, load_header
from pipeline.paths import SLUG_RE, editions_dir, sources_dir
from pipeline.rights import rulings as editor_rulings
from pipeline.rights.rule import CONDITIONS

RULING_GROUP = "ruling-withhold"
NO_LICENCE_GROUP = "no-licence"
UNDETERMINED_GROUP = "licence-undetermined"
NOT_FREE_GROUP = "licence-not-free"


def group_heading(key: str) -> str:
    """A withholding group's heading, from its key (:func:`group_of`)."""
    if key == RULING_GROUP:
        return "Withheld by an editor's ruling"
    if key.startswith(f"{NO_LICENCE_GROUP}-"):
        condition = CONDITIONS.get(key.removeprefix(f"{NO_LICENCE_GROUP}-"), key)
        return f"No licence stated, not public domain by rule: {condition}"
    return {
        NO_LICENCE_GROUP: "No licence stated",
        UNDETERMINED_GROUP: "Licence undetermined (words the licence table cannot grant)",
        NOT_FREE_GROUP: "Licence not free",
    }.get(key, key)


def group_of(meta: EditionMeta) -> str:
    """The key of the reason a withheld work is withheld: the editor's ruling; else, for a
    page without a licence, the first condition of the rule it misses; else its licence."""
    if meta.rights.ruling is not None:
        return RULING_GROUP
    if all(l.text == NO_LICENCE for l in meta.licences):
        if meta.rights.unmet:
            return f"{NO_LICENCE_GROUP}-{meta.rights.unmet[0][0]}"
        return NO_LICENCE_GROUP
    if all(l.uri == licences.UNDETERMINED.uri for l in meta.licences):
        return UNDETERMINED_GROUP
    return NOT_FREE_GROUP


def evidence_of(meta: EditionMeta) -> list[str]:
    """The sentences that back a work's availability: the rule's misses then its facts,
    or the ruling, or the licence's refusal."""
    if meta.rights.ruling is not None:
        return [meta.rights.ruling[1]]
    if meta.rights.rule is not None:
        return [words for _, words in meta.rights.unmet] + meta.rights.evidence
    return [meta.refusal_reason or "the licence does not allow distribution"]


@dataclass
class Entry:
    slug: str
    title: str
    author: str
    url: str
    evidence: list[str]


@dataclass
class Report:
    published: int = 0  # by a free licence, a permission or a ruling, the rule's aside
    by_rule: list[Entry] = field(default_factory=list)
    by_ruling: list[Entry] = field(default_factory=list)  # published by an editor's ruling
    withheld: dict[str, list[Entry]] = field(default_factory=dict)  # group key -> works
    stale: list[str] = field(default_factory=list)  # rulings that no longer match, in words

    def totals(self) -> dict[str, Any]:
        return {
            "published": self.published + len(self.by_rule),
            "public_domain_by_rule": len(self.by_rule),
            "published_by_ruling": len(self.by_ruling),
            "withheld": sum(len(v) for v in self.withheld.values()),
            "withheld_by_reason": {key: len(v) for key, v in sorted(self.withheld.items())},
            "stale_rulings": len(self.stale),
        }


def masters(root: Path) -> list[Path]:
    """Every ``editions/<slug>/<slug>.tei.xml``, in slug order."""
    editions = editions_dir(root)
    if not editions.is_dir():
        raise PipelineError(
            "no editions/ folder: run `python -m pipeline build` first (--masters-only will do)", editions
        )
    found = (
        folder / f"{folder.name}.tei.xml" for folder in sorted(editions.iterdir()) if SLUG_RE.fullmatch(folder.name)
    )
    return [path for path in found if path.is_file()]


def collect(root: Path) -> Report:
    """Every master's availability, grouped; and the rulings checked against the sources."""
    report = Report()
    for path in masters(root):
        meta = load_header(path)
        entry = Entry(meta.slug, meta.title, meta.author, meta.url, evidence_of(meta))
        if meta.rights.stale_rulings:
            report.stale += [f"{meta.slug}: {words}" for words in meta.rights.stale_rulings]
        if not meta.distributable:
            report.withheld.setdefault(group_of(meta), []).append(entry)
        elif meta.rights.ruling is not None:
            report.by_ruling.append(entry)
            report.published += 1
        elif meta.rights.by_rule and all(l.text != NO_LICENCE for l in meta.licences) and not meta.permission:
            report.by_rule.append(entry)
        else:
            report.published += 1
    report.stale += [s for s in stale_against_sources(root) if s not in report.stale]
    return report


def source_digests(root: Path, slug: str) -> set[str] | None:
    """The sha256s a work's manifest records for its files (None: no such work)."""
    path = sources_dir(root) / slug / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(f["sha256"]) for f in data["files"]}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise PipelineError(f"cannot read the manifest: {e}", path) from None


def stale_against_sources(root: Path) -> list[str]:
    """Each ruling's works whose sources no longer match what it was made on."""
    out = []
    for ruling in editor_rulings.load(root).rulings:
        for slug, made_on in sorted(ruling.sources.items()):
            now = source_digests(root, slug)
            if now is None:
                out.append(f"{slug}: {ruling.words}. Does not apply: the work is no longer in sources/.")
            elif now != made_on:
                out.append(
                    f"{slug}: {ruling.words}. Does not apply: {slug}'s source files changed since it was made "
                    "(their sha256s differ)."
                )
    return out


def sources_of(root: Path, kind: str, target: str) -> dict[str, list[str]]:
    """The ``sources`` block of a new ruling on ``target``: each work it covers now (from
    the masters: slug, URL, the persons' keys are the build's) with its files' sha256s."""
    covered: dict[str, list[str]] = {}
    for path in masters(root):
        meta = load_header(path)
        if (
            (kind == "work" and meta.slug == target)
            or (kind == "prefix" and meta.url.startswith(target))
            or (kind == "author" and any(person.key == target for person in meta.authors))
        ):
            covered[meta.slug] = sorted(source_digests(root, meta.slug) or ())
    return covered


def render(report: Report, details: bool = True, limit: int = 0) -> str:
    """The report as text: totals, then each group with its works and their evidence."""
    lines: list[str] = []
    totals = report.totals()
    lines.append(
        f"{totals['published']} published ({totals['public_domain_by_rule']} public domain by rule, "
        f"{totals['published_by_ruling']} by an editor's ruling); {totals['withheld']} withheld; "
        f"{totals['stale_rulings']} stale ruling(s)"
    )
    if report.stale:
        lines.append("")
        lines.append(f"STALE RULINGS (they do not apply until an editor renews them): {len(report.stale)}")
        lines += [f"  {words}" for words in report.stale]
    sections = [("Public domain by rule", report.by_rule), ("Published by an editor's ruling", report.by_ruling)]
    sections += [(group_heading(key), entries) for key, entries in sorted(report.withheld.items(), key=_by_size)]
    for heading, entries in sections:
        if not entries:
            continue
        lines.append("")
        lines.append(f"{heading}: {len(entries)}")
        shown = entries if not limit else entries[:limit]
        for entry in shown:
            lines.append(f"  {entry.slug}: {entry.author}, {entry.title} <{entry.url}>")
            if details:
                lines += [f"      {words}" for words in entry.evidence]
        if len(shown) < len(entries):
            lines.append(f"  ... and {len(entries) - len(shown)} more (--all lists every work)")
    return "\n".join(lines)


def _by_size(item: tuple[str, list[Entry]]) -> tuple[int, str]:
    return -len(item[1]), item[0]
