"""The rule and the rulings applied to one work at ingest: what the master's
``availability`` records beside the source's own licence lines (``model.Rights``).

The rule is weighed only for a page that states no licence; the rulings for every work.
Inputs are the project's files (``editorial/rulings.json``, the author authority), read
once per change, so a build that ingests thousands of works reads them once per worker.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pipeline.authors import authority as authors
from pipeline.master import model
from pipeline.rights import rule
from pipeline.rights import rulings as editor_rulings


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (0, -1)
    return (stat.st_mtime_ns, stat.st_size)


def authority_of(root: Path) -> authors.Authority:
    """The authority for ``root``, read again only when one of its files changed."""
    return _authority(root, _stamp(authors.AUTHORITY_FILE), _stamp(root / authors.EDITOR_FILE))


@functools.lru_cache(maxsize=4)
def _authority(root: Path, committed: tuple[int, int], editor: tuple[int, int]) -> authors.Authority:
    return authors.load(root)


def weigh(work: model.Work, root: Path) -> None:
    """Set ``work.rights``: the rule's determination (a page without a licence), the
    ruling that applies, and the rulings that cover the work but no longer match it."""
    authority = authority_of(root)
    rulings = editor_rulings.load(root)
    rights = model.Rights()
    if not work.licences:
        year = rule.rule_year(rulings.rule_year, work.retrieved)
        rights = rule.determine(work, authority, year).as_rights()
    persons = rule.persons_of(work, authority)
    keys = {person.key for _, person in persons if person is not None}
    outcome = editor_rulings.decide(rulings, work.slug, work.url, keys, {digest for _, digest in work.source_files})
    if outcome.applied is not None:
        rights.ruling = (outcome.applied.decision, outcome.applied.words)
    rights.stale_rulings = [f"{ruling.words}. Does not apply: {why}." for ruling, why in outcome.stale]
    work.rights = rights if (rights.rule or rights.ruling or rights.stale_rulings) else None
