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
from pipeline.mia import LANGUAGE_FOLDERS

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
    """The kind of page this is when its layout alone says it is not a work, else None.

    What a page's place or title says (admin, error page, author index, glossary) holds
    even with an information block; a page with one is otherwise taken as a work, and a
    page without one is judged as a listing."""
    kind = _kind_by_place(f)
    if kind or f.info:
        return kind
    return _listing_kind(f)


def _kind_by_place(f: PageFacts) -> str | None:
    """Not a work because of where the page sits or what its title says, else None."""
    seg = _segments(f.path)
    if seg[0] == "admin":
        return ADMIN_PAGE
    if _is_error_page(f):
        return ERROR_PAGE_REASON
    if is_author_index(f.path):
        return AUTHOR_INDEX
    if "glossary" in seg or (GLOSSARY.search(f.title) and not f.info):
        return GLOSSARY_PAGE
    return None


def _is_error_page(f: PageFacts) -> bool:
    """Named as an error page (``404.htm``), or titled as one and short (a real work may say "404")."""
    return bool(ERROR_PAGE.match(_segments(f.path)[-1]) or (ERROR_TITLE.search(f.title) and f.words < 400))


def _is_listing(f: PageFacts) -> bool:
    """More words in links than outside them, or little text and many links."""
    return f.link_words > f.words or (f.words < MIN_PROSE_WORDS and len(f.links) >= 10)


def _listing_kind(f: PageFacts) -> str | None:
    """For a page without an information block that reads as a listing: which listing
    (by its folder, its name or its title), else None. A page named as a chapter is never
    a listing: a chapter can be a short list of links (a contents of sub-chapters)."""
    if not _is_listing(f) or numbered_stem(f.path):
        return None
    seg = _segments(f.path)
    if any(LISTING_FOLDER.match(s) for s in seg[1:-1]) or re.match(r"^\d{4}s?\.html?$", seg[-1]):
        return DATE_LISTING if any(re.match(r"^(\d{4}s?|date|by-date)", s) for s in seg[1:]) else LISTING
    if ARCHIVE_TITLE.search(f.title):
        return AUTHOR_INDEX if "subject" not in seg else SUBJECT_INDEX
    if seg[0] == "subject":
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
    links = _candidate_parts(f, facts)
    if not links:
        return None
    if f.info:
        return links
    return links if _parts_of_uninformed_index(f, links, facts) else None


def _candidate_parts(f: PageFacts, facts: dict[str, PageFacts]) -> list[str] | None:
    """The pages this page would hold as parts, by which of the three kinds of index it is."""
    if _is_contents_page(f):
        return _same_folder_links(f)  # an index or a contents page: its links in its folder are its parts
    if f.info and _lists_instalments(f):
        return _instalments(f, facts)
    if f.info:
        return _series(f, facts) or None
    return None


def _is_contents_page(f: PageFacts) -> bool:
    """``index.htm``, or a page named as contents (``war-index.htm``) with an information block."""
    return bool(INDEX_NAME.match(posixpath.basename(f.path)) or (CONTENTS_NAME.search(_stem(f.path)) and f.info))


def _lists_instalments(f: PageFacts) -> bool:
    """Almost no text of its own but links, or an introduction to numbered instalments."""
    return (f.words < 60 and f.link_words > f.words) or _numbered_children(f) >= 2


def _instalments(f: PageFacts, facts: dict[str, PageFacts]) -> list[str]:
    """The pages of this page's name family it links to, in its folder or a sibling folder;
    failing those, a series of pages named otherwise that link back to it."""
    stem = _stem(f.path)
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
        return _series(f, facts)  # instalments named otherwise, that link back to it
    return links


def _parts_of_uninformed_index(f: PageFacts, links: list[str], facts: dict[str, PageFacts]) -> bool:
    """Whether an index without an information block is a multi-part work: it links to at
    least two readable pages of its folder, mostly chapters (named so, or without an
    information block of their own), and is not a listing folder's or an archive's index."""
    present = [p for p in links if p in facts and facts[p].error is None]
    folder = posixpath.basename(posixpath.dirname(f.path))
    if len(present) < 2 or LISTING_FOLDER.match(folder) or ARCHIVE_TITLE.search(f.title):
        return False
    chapterish = sum(1 for p in present if numbered_stem(p) or not facts[p].info)
    return chapterish * 2 >= len(present)


def _stem(path: str) -> str:
    return PAGE_EXT.sub("", posixpath.basename(path)).lower()


def _continuations(plan: WorkPlan, links: list[str], readable: dict[str, PageFacts], claimed: dict[str, str]) -> None:
    """Pages that continue a chapter (``ch06b.htm`` after ``ch06.htm``, ``ch01-s2.htm`` after
    ``ch01.htm``): the chapter links to them, the index does not. They are parts, placed
    right after their chapter, in name order; a chapter the copy lacks still places them."""
    order = [link for link in links if link in plan.parts or link in plan.missing]
    extra = _continuation_pages(plan, order, readable, claimed)
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


def _continuation_pages(
    plan: WorkPlan, order: list[str], readable: dict[str, PageFacts], claimed: dict[str, str]
) -> dict[str, list[str]]:
    """Chapter -> the unclaimed pages of the index's folder that continue it (their name is
    the chapter's name and more), each claimed for the plan; the longest chapter name wins."""
    folder = posixpath.dirname(plan.main)
    stems = {_stem(p): p for p in order if posixpath.dirname(p) == folder}
    extra: dict[str, list[str]] = {}
    for q in sorted(readable):
        if posixpath.dirname(q) != folder or q in claimed or q == plan.main or is_index_name(q):
            continue
        chapter = _continued_chapter(_stem(q), stems)
        if chapter is None:
            continue
        extra.setdefault(stems[chapter], []).append(q)
        claimed[q] = plan.main
    return extra


def _continued_chapter(stem: str, chapters: dict[str, str]) -> str | None:
    """The longest chapter name (two letters or more) that ``stem`` extends, else None."""
    return max(
        (s for s in chapters if stem.startswith(s) and len(stem) > len(s) and len(s) >= 2), key=len, default=None
    )


def triage(facts: dict[str, PageFacts]) -> Triage:
    """Decide every page's verdict and group the works (pure: facts in, verdicts out).

    Multi-part works first: their parts are claimed before single pages are decided."""
    readable = {p: f for p, f in facts.items() if f.error is None}
    verdicts = _not_work_verdicts(facts, readable)
    works = _multipart_works(facts, readable, verdicts)
    index_by_folder = {posixpath.dirname(w.main): w.main for w in works if _named_as_index(w.main)}
    works += _single_works(facts, readable, verdicts, index_by_folder)
    works.sort(key=lambda w: w.main)
    return Triage(verdicts, works)


def _named_as_index(path: str) -> bool:
    """``index.htm`` or a name that says contents (``war-index.htm``, ``earlytoc.htm``)."""
    return bool(is_index_name(path) or CONTENTS_NAME.search(_stem(path)))


def _not_work_verdicts(facts: dict[str, PageFacts], readable: dict[str, PageFacts]) -> dict[str, Verdict]:
    """The unreadable pages, and the pages whose layout says they are not works."""
    verdicts: dict[str, Verdict] = {}
    for p, f in facts.items():
        if f.error is not None:
            verdicts[p] = Verdict(p, UNREADABLE, f.error)
    for p in sorted(readable):
        reason = not_a_work(readable[p])
        if reason:
            verdicts[p] = Verdict(p, NOT_WORK, reason)
    return verdicts


def _multipart_works(
    facts: dict[str, PageFacts], readable: dict[str, PageFacts], verdicts: dict[str, Verdict]
) -> list[WorkPlan]:
    """The multi-part works, each index's verdict and its parts' verdicts added to ``verdicts``.

    Index pages by name first, so a chapter never takes its siblings before its index does;
    a page already decided (a part of an earlier index) is not an index itself."""
    claimed: dict[str, str] = {}
    works: list[WorkPlan] = []
    for p in sorted(readable, key=lambda p: (not _named_as_index(p), p)):
        if p in verdicts:
            continue
        links = multipart_links(readable[p], readable)
        if links is None:
            continue
        plan = _multipart_plan(p, links, facts, claimed)
        _continuations(plan, links, readable, claimed)
        if not plan.parts:  # every chapter absent: the index alone, noted
            plan.kind = "single"
            plan.notes.append("index page whose chapters are all absent from the copy")
        _record_multipart(plan, verdicts)
        works.append(plan)
    return works


def _multipart_plan(index: str, links: list[str], facts: dict[str, PageFacts], claimed: dict[str, str]) -> WorkPlan:
    """The index's plan: each link not yet claimed is a part (claimed now), or a missing
    part when the copy lacks it or cannot read it."""
    plan = WorkPlan(main=index, kind="multi-part")
    for link in links:
        if link in claimed or link == index:
            continue
        target = facts.get(link)
        if target is None:
            plan.missing.append(link)
        elif target.error is not None:
            plan.missing.append(link)
            plan.notes.append(f"part {posixpath.basename(link)} is unreadable ({target.error})")
        else:
            plan.parts.append(link)
            claimed[link] = index
    return plan


def _record_multipart(plan: WorkPlan, verdicts: dict[str, Verdict]) -> None:
    """The verdicts of a multi-part work's index and of each of its parts."""
    p = plan.main
    verdicts[p] = Verdict(p, WORK, plan.kind, p)
    for part in plan.parts:
        verdicts[part] = Verdict(part, PART, f"part {plan.parts.index(part) + 1} of {len(plan.parts)}", p)
    if plan.missing:
        verdicts[p].reason += f", incomplete: {len(plan.missing)} part(s) absent"


def _single_works(
    facts: dict[str, PageFacts],
    readable: dict[str, PageFacts],
    verdicts: dict[str, Verdict],
    index_by_folder: dict[str, str],
) -> list[WorkPlan]:
    """Every page not yet decided that reads as a work is one on its own (noted when it
    looks like a chapter); the others are not works, with why."""
    works: list[WorkPlan] = []
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
        note = _single_note(p, f, facts, index_by_folder)
        if note:
            plan.notes.append(note)
        verdicts[p] = Verdict(p, WORK, "single" + (f" ({plan.notes[0]})" if plan.notes else ""), p)
        works.append(plan)
    return works


def _single_note(p: str, f: PageFacts, facts: dict[str, PageFacts], index_by_folder: dict[str, str]) -> str | None:
    """Why a single page that looks like a part of something is a work of its own, if it does."""
    folder = posixpath.dirname(p)
    if folder in index_by_folder:
        return f"in the folder of the multi-part work {index_by_folder[folder]}, which does not link to it"
    if any(
        INDEX_NAME.match(posixpath.basename(link.path)) and link.same_folder and link.path not in facts
        for link in f.links
    ):
        return "a chapter whose index page is absent from the copy: a work of its own"
    if (numbered_stem(p) and not f.info and not dated_name(p)) or CHAPTER_NAME.match(_stem(p)):
        return "named as a chapter, with no index page in its folder: a work of its own"
    return None
