"""Triage: what every page of a site copy is, and which pages make one work.

Each page gets one verdict: ``work`` (a page that is a work on its own, or the index of
a multi-part work), ``part`` (a chapter of a multi-part work), ``not-work`` (with the
kind of page it is instead) or ``unreadable`` (with why). The rules are KINDS of MIA
layout, decided from :class:`~pipeline.archive.page.PageFacts` alone:

- An author's index (``archive/<author>/index.htm``, ``<language>/<author>/index.htm``
  and any page titled as an author's "Internet Archive"), year and date listings
  (``.../works/1917/index.htm``, ``.../date/1922.htm``), subject indexes, glossaries,
  admin pages (``admin/``) and error pages (``404.htm``, "File not found") are not works.
- An index page (``index.htm``/``index.html``) that carries an information block and
  links to pages of its own folder is a multi-part work: those pages are its parts, in
  the order the index first links to them; the ones the copy lacks are its missing parts.
  An index page without an information block is a multi-part work only when it links
  to at least two pages of its folder and is not a listing (its folder is not a year,
  a decade, ``works`` or ``date``).
- Any other page with an information block is a work. A page without one is a work when
  it holds prose (at least 100 words outside links, more than inside them) or is named
  as a chapter (``ch03.htm``, ``07.htm``); otherwise it is a listing or holds too little
  text, and says which.
- A chapter whose index page is absent, and a page in a multi-part work's folder that
  the index does not link to, are works of their own, noted as such.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from pipeline.archive.page import PAGE_EXT, PageFacts, numbered_stem

LANGUAGE_FOLDERS = {
    "espanol": "es",
    "esperanto": "eo",
    "italiano": "it",
    "eesti": "et",
    "shqip": "sq",
    "suomi": "fi",
    "ellinika": "el",
    "islenska": "is",
    "norsk": "no",
    "polski": "pl",
}
LISTING_FOLDER = re.compile(r"^(\d{4}s?|\d{3}0s|1[5-9]xx|works|date|by-date|index|subject)$", re.I)
INDEX_NAME = re.compile(r"^index\.html?$", re.I)
CHAPTER_NAME = re.compile(
    r"^(ch|chap|chapter|part|pt|sec|section|app|appendix|lect|lecture|book|vol)[-_]?\d+[a-z]?$", re.I
)
CONTENTS_NAME = re.compile(r"(^|[-_])?(index|toc|contents)$", re.I)
ERROR_PAGE = re.compile(r"^(404|40\d|50\d|error)\.html?$", re.I)
ERROR_TITLE = re.compile(r"file not found|page not found|restricted directory|filen finnes ikke|\b404\b", re.I)
ARCHIVE_TITLE = re.compile(
    r"(internet\s+)?archive\b|archivo|archivi|arkiv|biblioteca|library|\bindex\b|indice|índice", re.I
)
GLOSSARY = re.compile(r"\bglossary\b|\bglosario\b", re.I)
MIN_PROSE_WORDS = 100

# Verdicts and the reasons a page is not a work.
WORK, PART, NOT_WORK, UNREADABLE = "work", "part", "not-work", "unreadable"
AUTHOR_INDEX = "author or section index"
DATE_LISTING = "year or date listing"
SUBJECT_INDEX = "subject index"
GLOSSARY_PAGE = "glossary"
ADMIN_PAGE = "admin page"
ERROR_PAGE_REASON = "error page"
LISTING = "listing of links (little text of its own)"
TOO_LITTLE = "too little text to be a work (no information block, under 100 words)"


@dataclass
class Verdict:
    path: str
    verdict: str  # work, part, not-work, unreadable
    reason: str = ""  # why (not-work, unreadable) or a note (work, part)
    work: str | None = None  # the work's main page (its index for a part)


@dataclass
class WorkPlan:
    """One work to import: its main page, its parts in order, the parts the copy lacks."""

    main: str  # site path of the single page or the index page
    kind: str  # "single" or "multi-part"
    parts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    slug: str = ""

    @property
    def pages(self) -> list[str]:
        return [self.main, *self.parts]


@dataclass
class Triage:
    verdicts: dict[str, Verdict]
    works: list[WorkPlan]


def _segments(path: str) -> list[str]:
    return path.split("/")


def language(path: str) -> str:
    return LANGUAGE_FOLDERS.get(_segments(path)[0], "en")


def is_author_index(path: str) -> bool:
    """``archive/<author>/index.htm`` at any depth of ``.../archive/``, or ``<language>/<author>/index.htm``."""
    seg = _segments(path)
    if not INDEX_NAME.match(seg[-1]):
        return False
    if len(seg) == 3 and (seg[0] == "archive" or seg[0] in LANGUAGE_FOLDERS):
        return True
    if len(seg) >= 3 and seg[-3] == "archive":  # reference/archive/<author>/, history/cuba/archive/<author>/
        return True
    return len(seg) <= 2  # a section's or language's own front page (espanol/index.htm)


def not_a_work(f: PageFacts) -> str | None:
    """The kind of page this is when its layout alone says it is not a work, else None."""
    seg = _segments(f.path)
    name = seg[-1]
    if seg[0] == "admin":
        return ADMIN_PAGE
    if ERROR_PAGE.match(name) or (ERROR_TITLE.search(f.title) and f.words < 400):
        return ERROR_PAGE_REASON
    if is_author_index(f.path):
        return AUTHOR_INDEX
    if "glossary" in seg or (GLOSSARY.search(f.title) and not f.info):
        return GLOSSARY_PAGE
    if f.info:
        return None
    listing = f.link_words > f.words or (f.words < MIN_PROSE_WORDS and len(f.links) >= 10)
    if (
        listing
        and (any(LISTING_FOLDER.match(s) for s in seg[1:-1]) or re.match(r"^\d{4}s?\.html?$", name))
        and not numbered_stem(f.path)
    ):
        return DATE_LISTING if any(re.match(r"^(\d{4}s?|date|by-date)", s) for s in seg[1:]) else LISTING
    if listing and ARCHIVE_TITLE.search(f.title) and not numbered_stem(f.path):
        return AUTHOR_INDEX if "subject" not in seg else SUBJECT_INDEX
    if listing and seg[0] == "subject" and not numbered_stem(f.path):
        return SUBJECT_INDEX
    return None


def prose_or_chapter(f: PageFacts) -> str | None:
    """For a page without an information block: None if it reads as a work, else why not."""
    if f.words >= MIN_PROSE_WORDS and f.words > f.link_words:
        return None
    if numbered_stem(f.path) and f.words > 0:
        return None
    if f.link_words > f.words:
        return LISTING
    return TOO_LITTLE


def _same_folder_links(f: PageFacts) -> list[str]:
    return [link.path for link in f.links if link.same_folder and not INDEX_NAME.match(posixpath.basename(link.path))]


def _family(a: str, b: str) -> bool:
    """Two file stems of one family: ``purges``/``purges2``, ``2eras-index``/``2eras1``, ``china``/``china``."""
    return len(posixpath.commonprefix([a, b])) >= min(len(a), len(b), 4)


def _numbered_children(f: PageFacts) -> int:
    """How many pages of its folder an introduction links as its numbered instalments
    (``conq.html`` -> ``conq1.htm``, ``conq2.htm``): only for a page of modest length whose
    own name does not end in a number (``16.htm`` -> ``16b.htm`` is two articles)."""
    stem = _stem(f.path)
    if f.words >= 400 or not stem or stem[-1].isdigit():
        return 0
    child = re.compile(re.escape(stem) + r"[-_]?\d+[a-z]?$")
    return sum(1 for p in _same_folder_links(f) if child.match(_stem(p)))


def _series(f: PageFacts, facts: dict[str, PageFacts]) -> list[str]:
    """The pages of a series this page introduces: at least two pages of its folder that it
    links to and that each link back to it and to none of the others (a contents page by
    another name: ``tightrope.htm`` -> ``1-power.htm``, ``2-noback.htm`` ...). Not a page in a
    chain of instalments (``india5.htm`` between ``india4.htm`` and ``india6.htm``)."""
    stem = _stem(f.path)
    links = [p for p in _same_folder_links(f) if p in facts and facts[p].error is None]
    if len(links) < 2:
        return []
    base = stem.rstrip("0123456789")
    if stem[-1:].isdigit() and all(_stem(q).rstrip("0123456789") == base for q in links):
        return []
    wanted = set(links)
    for q in links:
        targets = {link.path for link in facts[q].links}
        if f.path not in targets or targets & (wanted - {q}):
            return []
    return links


def dated_name(path: str) -> bool:
    """``.../1920/08/04.htm``, ``.../1918/jan/12.htm``: a page named by its day, not a chapter."""
    seg = _segments(path)
    return (
        len(seg) >= 3
        and re.fullmatch(r"\d{1,2}[a-z]?", _stem(path)) is not None
        and re.fullmatch(r"\d\d|xx|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", seg[-2].lower()) is not None
    )


def is_index_name(path: str) -> bool:
    return INDEX_NAME.match(posixpath.basename(path)) is not None


def multipart_links(f: PageFacts, facts: dict[str, PageFacts]) -> list[str] | None:
    """The part links of a page that is a multi-part work's index, else None.

    Three kinds of index: ``index.htm``; a page named as a contents page (``war-index.htm``,
    ``earlytoc.htm``); and a page with an information block and almost no text of its own
    that lists the instalments of one work (``china.html`` -> ``china.htm``, ``../10/china.htm``),
    whose parts are the pages of its name's family, in its folder or a sibling folder.
    """
    name = posixpath.basename(f.path)
    stem = _stem(f.path)
    links = _same_folder_links(f)
    if INDEX_NAME.match(name) or (CONTENTS_NAME.search(stem) and f.info):
        pass  # an index or a contents page: its links in its folder are its parts
    elif f.info and ((f.words < 60 and f.link_words > f.words) or _numbered_children(f) >= 2):
        folder = posixpath.dirname(f.path)
        parent = posixpath.dirname(folder)
        links = [
            link.path
            for link in f.links
            if _family(stem, _stem(link.path))
            and not is_index_name(link.path)
            and (link.same_folder or (posixpath.dirname(posixpath.dirname(link.path)) == parent and parent))
        ]
        links = [p for p in links if p != f.path]
        if not any(posixpath.dirname(p) == folder for p in links) and len(links) < 2:
            links = _series(f, facts)  # instalments named otherwise, that link back to it
            if not links:
                return None
    elif f.info and (series := _series(f, facts)):
        links = series
    else:
        return None
    if not links:
        return None
    if f.info:
        return links
    present = [p for p in links if p in facts and facts[p].error is None]
    folder = posixpath.basename(posixpath.dirname(f.path))
    if len(present) < 2 or LISTING_FOLDER.match(folder) or ARCHIVE_TITLE.search(f.title):
        return None
    chapterish = sum(1 for p in present if numbered_stem(p) or not facts[p].info)
    return links if chapterish * 2 >= len(present) else None


def _stem(path: str) -> str:
    return PAGE_EXT.sub("", posixpath.basename(path)).lower()


def _continuations(plan: WorkPlan, links: list[str], readable: dict[str, PageFacts], claimed: dict[str, str]) -> None:
    """Pages that continue a chapter (``ch06b.htm`` after ``ch06.htm``, ``ch01-s2.htm`` after
    ``ch01.htm``): the chapter links to them, the index does not. They are parts, placed
    right after their chapter, in name order; a chapter the copy lacks still places them."""
    folder = posixpath.dirname(plan.main)
    order = [link for link in links if link in plan.parts or link in plan.missing]
    stems = {_stem(p): p for p in order if posixpath.dirname(p) == folder}
    extra: dict[str, list[str]] = {}
    for q in sorted(readable):
        if posixpath.dirname(q) != folder or q in claimed or q == plan.main or INDEX_NAME.match(posixpath.basename(q)):
            continue
        qs = _stem(q)
        parent = max((s for s in stems if qs.startswith(s) and len(qs) > len(s) and len(s) >= 2), key=len, default=None)
        if parent is None:
            continue
        extra.setdefault(stems[parent], []).append(q)
        claimed[q] = plan.main
    if not extra:
        return
    parts: list[str] = []
    for p in order:
        if p in plan.parts:
            parts.append(p)
        parts += extra.get(p, [])
    plan.notes += [
        f"part {posixpath.basename(q)} continues {posixpath.basename(p)}, which links to it (the index does not)"
        for p, qs in extra.items()
        for q in qs
    ]
    plan.parts = parts


def triage(facts: dict[str, PageFacts]) -> Triage:
    """Decide every page's verdict and group the works (pure: facts in, verdicts out)."""
    verdicts: dict[str, Verdict] = {}
    works: list[WorkPlan] = []
    readable = {p: f for p, f in facts.items() if f.error is None}
    for p, f in facts.items():
        if f.error is not None:
            verdicts[p] = Verdict(p, UNREADABLE, f.error)
    for p in sorted(readable):
        reason = not_a_work(readable[p])
        if reason:
            verdicts[p] = Verdict(p, NOT_WORK, reason)

    # Multi-part works first: their parts are claimed before single pages are decided.
    claimed: dict[str, str] = {}
    indexes: dict[str, WorkPlan] = {}
    # Index pages by name first, so a chapter never takes its siblings before its index does.
    for p in sorted(readable, key=lambda p: (not (is_index_name(p) or CONTENTS_NAME.search(_stem(p))), p)):
        if p in verdicts:
            continue
        links = multipart_links(readable[p], readable)
        if links is None:
            continue
        plan = WorkPlan(main=p, kind="multi-part")
        for link in links:
            if link in claimed or link == p:
                continue
            target = facts.get(link)
            if target is None:
                plan.missing.append(link)
            elif target.error is not None:
                plan.missing.append(link)
                plan.notes.append(f"part {posixpath.basename(link)} is unreadable ({target.error})")
            else:
                plan.parts.append(link)
                claimed[link] = p
        _continuations(plan, links, readable, claimed)
        if not plan.parts:  # every chapter absent: the index alone, noted
            plan.kind = "single"
            plan.notes.append("index page whose chapters are all absent from the copy")
        indexes[p] = plan
        verdicts[p] = Verdict(p, WORK, plan.kind, p)
        for part in plan.parts:
            verdicts[part] = Verdict(part, PART, f"part {plan.parts.index(part) + 1} of {len(plan.parts)}", p)
        if plan.missing:
            verdicts[p].reason += f", incomplete: {len(plan.missing)} part(s) absent"
        works.append(plan)

    index_by_folder = {posixpath.dirname(p): p for p in indexes if is_index_name(p) or CONTENTS_NAME.search(_stem(p))}
    for p in sorted(readable):
        if p in verdicts:
            continue
        f = readable[p]
        if not f.info:
            why = prose_or_chapter(f)
            if why:
                verdicts[p] = Verdict(p, NOT_WORK, why)
                continue
        plan = WorkPlan(main=p, kind="single")
        folder = posixpath.dirname(p)
        if folder in index_by_folder:
            plan.notes.append(
                f"in the folder of the multi-part work {index_by_folder[folder]}, which does not link to it"
            )
        elif any(
            INDEX_NAME.match(posixpath.basename(link.path)) and link.same_folder and link.path not in facts
            for link in f.links
        ):
            plan.notes.append("a chapter whose index page is absent from the copy: a work of its own")
        elif (numbered_stem(p) and not f.info and not dated_name(p)) or CHAPTER_NAME.match(_stem(p)):
            plan.notes.append("named as a chapter, with no index page in its folder: a work of its own")
        verdicts[p] = Verdict(p, WORK, "single" + (f" ({plan.notes[0]})" if plan.notes else ""), p)
        works.append(plan)
    works.sort(key=lambda w: w.main)
    return Triage(verdicts, works)
