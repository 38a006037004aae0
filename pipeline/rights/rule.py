"""Public domain by rule: a work whose page states no licence, weighed condition by condition.

The rule (its name is :data:`RULE_NAME`) publishes such a work only when every condition
holds and each is evidenced:

- every author is a person the authority knows (``pipeline.authors``), with a death year
  and where that year came from, and died more than 70 years before the year the rule is
  applied in (the life-plus-70 countries);
- the work was first published more than 95 years before that year (the United States),
  the year read from the master's "First Published" line, else its "Source" line, else
  the information block's citation line (the transcriptions that open it with
  "Author, Title, Journal, 1st July 1915, p.8."); a source's year is at or after the first
  publication, so it can only withhold more; the date a work was written is not a
  publication and is never used; a line naming several years counts its latest;
- it is written in the page's language: no translator is named in the information block
  or the credits, and the authority says every author wrote in that language.

Anything short of that (an unknown author, unknown dates, a translation, a line without a
year) leaves the work withheld, as a page without a licence always was.

The year the rule is applied in is part of the evidence and of the master's bytes, so it
is never the clock's: :func:`rule_year` takes the year pinned in ``editorial/rulings.json``
(``rule_year``), else the year of ``SOURCE_DATE_EPOCH``, else the year the source was
retrieved. Renewing the determination is a reviewed change of that pinned year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from pipeline.authors.authority import Authority, Person
from pipeline.authors.resolve import resolve
from pipeline.master import model
from pipeline.master.tei import LANGUAGE_NAMES
from pipeline.reproducible import source_date_epoch

RULE_NAME = "life plus 70 years, publication plus 95 years"
LIFE_YEARS = 70
PUBLICATION_YEARS = 95

# The order in which a missed condition names the group a withheld work is listed under.
CONDITIONS: dict[str, str] = {
    "year-unknown": "the year to apply the rule in is unknown",
    "author-unknown": "an author the authority does not know",
    "dates-unknown": "an author whose death year is unknown",
    "died-recently": "an author who died 70 years ago or less",
    "translation": "a translation",
    "language": "not in a language the authority says the author wrote in",
    "publication-unknown": "no year of first publication",
    "published-recently": "first published 95 years ago or less",
}

TRANSLATION = re.compile(r"translat|traduc|traduz|tradu[iï]t|übersetz|[oö]versatt|overs[aæ]t", re.I)
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
# An information line that credits the MIA's volunteers is no citation of a publication.
CREDIT_WORDS = re.compile(r"transcri|marked\s+up|mark-?up|proofread|html|internet archive|\bMIA\b|credit", re.I)


@dataclass(frozen=True)
class RuleYear:
    year: int
    source: str  # where the year came from, in words


@dataclass(frozen=True)
class Determination:
    """The rule weighed for one work: met or not, with the evidence and the misses."""

    year: RuleYear | None
    evidence: tuple[str, ...]
    unmet: tuple[tuple[str, str], ...]  # (key of CONDITIONS, sentence)

    @property
    def public_domain(self) -> bool:
        return self.year is not None and not self.unmet

    @property
    def statement(self) -> str:
        applied = f"applied in {self.year.year} ({self.year.source})" if self.year else "with no year to apply it in"
        return (
            f"Public domain by rule ({RULE_NAME}: every author died more than {LIFE_YEARS} years, and the work "
            f"was first published more than {PUBLICATION_YEARS} years, before the year the rule is applied in; "
            f"written in the page's language), {applied}."
        )

    def as_rights(self) -> model.Rights:
        return model.Rights(
            rule=self.statement, public_domain=self.public_domain, evidence=list(self.evidence), unmet=list(self.unmet)
        )


def rule_year(pinned: int | None, retrieved: str | None) -> RuleYear | None:
    """The year the rule is applied in: pinned, else SOURCE_DATE_EPOCH's, else the retrieval's."""
    if pinned is not None:
        return RuleYear(pinned, "the year pinned in editorial/rulings.json")
    epoch = source_date_epoch()
    if epoch is not None:
        return RuleYear(datetime.fromtimestamp(epoch, UTC).year, "the year of SOURCE_DATE_EPOCH")
    years = YEAR.findall(retrieved or "")
    return RuleYear(int(years[0]), "the year the source was retrieved") if years else None


def persons_of(work: model.Work, authority: Authority) -> list[tuple[str, Person | None]]:
    """The persons a work names, each as its page spells it beside the authority's person
    (``None``: unknown). The one lookup of this package.

    The persons are the work's own (``Work.authors``: the reader resolved its author line
    with the author authority, co-authors apart, a role or life dates not part of the
    name, a line naming nobody the folder's person), looked up by their keys, so the rule
    weighs the persons the master and the library name; a work that has none (a master's
    writer resolves its line) is resolved the same way here. A name the authority keys by
    its spelling (no record), an unsigned work, are unknown here: the work stays withheld.
    """
    credited = work.authors or resolve(work.author, work.url, authority)
    return [(c.wording, authority.person(c.key)) for c in credited] or [("", None)]


def translator_line(work: model.Work) -> str | None:
    """The credit or information-block line that names a translator or a translation."""
    for credit in work.credits:
        if "trl" in credit.roles:
            return credit.statement or f"Translated: {credit.name}"
    for line in work.info:
        if TRANSLATION.search(line.label) or TRANSLATION.search(line.value):
            return f"{line.label}: {line.value}"
    return None


def publication_year(work: model.Work) -> tuple[int, str] | None:
    """The year of first publication and the line it was read from (the latest year the
    line names), from the "First Published" line, else the "Source" line, else the first
    "Information" line when it cites a publication. A line is read up to its first credit
    ("Transcribed by ...", "Proofread by ... 2010"): a transcription's date is no
    publication's."""
    candidates: list[tuple[str, str, str]] = []  # (text read for years, kind, line quoted)
    if work.first_published:
        quoted = f"First Published: {work.first_published}"
        candidates.append((f"{work.first_published_iso or ''} {work.first_published}", "first", quoted))
    if work.source is not None:
        # the page's own label ("Source", "Publisher"), none for a prose citation
        label = work.source.label
        quoted = f"{label}: {work.source.statement}" if label else work.source.statement
        candidates.append((f"{work.source.date_iso or ''} {work.source.statement}", "source", quoted))
    citation = next((line for line in work.info if line.label.casefold() == "information"), None)
    if citation is not None:
        candidates.append((citation.value, "information", f"{citation.label}: {' '.join(citation.value.split())}"))
    for text, _kind, quoted in candidates:
        cited = CREDIT_WORDS.split(text, maxsplit=1)[0]
        years = [int(y) for y in YEAR.findall(cited)]
        if years:
            return max(years), quoted
    return None


def determine(work: model.Work, authority: Authority, year: RuleYear | None) -> Determination:
    """Weigh every condition of the rule for ``work``; each adds evidence or a miss."""
    evidence: list[str] = []
    unmet: list[tuple[str, str]] = []
    if year is None:
        unmet.append(
            ("year-unknown", "No year to apply the rule in: no pinned year, SOURCE_DATE_EPOCH or retrieval date.")
        )
    persons = persons_of(work, authority)
    for spelled, person in persons:
        if person is None:
            unmet.append(("author-unknown", f"The authority does not know the author {spelled or '(none named)'!r}."))
        elif person.died is None or not person.dates_source:
            unmet.append(("dates-unknown", f"{person.name}: death year unknown (no evidenced life dates)."))
        else:
            evidence.append(f"{person.name} died in {person.died} ({person.dates_source}).")
            if year is not None and year.year - person.died <= LIFE_YEARS:
                unmet.append(
                    (
                        "died-recently",
                        f"{person.name} died in {person.died}, not more than {LIFE_YEARS} years before {year.year}.",
                    )
                )
    _weigh_language(work, [p for _, p in persons if p is not None], evidence, unmet)
    published = publication_year(work)
    if published is None:
        unmet.append(("publication-unknown", "No First Published or Source line names a year of publication."))
    else:
        evidence.append(f"First published in {published[0]} ({published[1]}).")
        if year is not None and year.year - published[0] <= PUBLICATION_YEARS:
            unmet.append(
                (
                    "published-recently",
                    f"First published in {published[0]}, not more than {PUBLICATION_YEARS} years before {year.year}.",
                )
            )
    order = list(CONDITIONS)
    unmet.sort(key=lambda miss: order.index(miss[0]))
    return Determination(year, tuple(evidence), tuple(unmet))


def _weigh_language(work: model.Work, persons: list[Person], evidence: list[str], unmet: list[tuple[str, str]]) -> None:
    """Written in the page's language: no translator named, every author wrote in it."""
    language = LANGUAGE_NAMES.get(work.language, work.language)
    translated = translator_line(work)
    if translated is not None:
        unmet.append(("translation", f"A translation: {translated}"))
        return
    for person in persons:
        if work.language not in person.languages:
            unmet.append(("language", f"The authority does not say {person.name} wrote in {language}."))
            return
    if persons:
        names = ", ".join(p.name for p in persons)
        evidence.append(f"Written in {language}: no translator named; the authority says {names} wrote in {language}.")
