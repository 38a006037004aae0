"""Named rules for the head of an MIA page: which lines are the title, the author, the date.

Each rule is one layout of the archive, with a docstring saying which layout and which
pages show it (issue 14: fix kinds of layout, never single pages). ``page`` calls
them while it splits a page into head, information block and text. The head's lines
are elements (``h1``, ``p.title``...), never a loose :class:`~.dom.Run`; the blocks
around them are any :data:`~.dom.PageBlock`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from pipeline.authors.resolve import authority, folder_person
from pipeline.mia import INFO_CLASSES
from pipeline.readers.mia_html.dom import (
    HEADINGS,
    NAV_SEPARATORS,
    NAV_TEXT,
    PageBlock,
    Run,
    TextSlot,
    block_tag,
    block_text,
    classes,
    collapse,
    is_element,
    link_texts,
    links_only,
    text_of,
)
from pipeline.readers.mia_html.notes import is_notes_heading

HEAD_P_CLASSES = frozenset("title author subtitle".split())
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b|\bundated\b|\bn\.\s?d\.", re.I)
LABEL_LINE = re.compile(r"^(?P<label>[A-Z][\w .’'/\\&()-]{0,48}?)\s*:\s+(?P<value>\S.*)$", re.S)
NUMERIC = re.compile(r"^[\[(]?\s*\d+\s*[\])]?[.:]?$")


def is_info_block(block: PageBlock) -> bool:
    if isinstance(block, Run):
        return False
    if block.tag in ("p", "div") and classes(block) & INFO_CLASSES:
        return True
    return block.tag in ("p", "div", "blockquote") and any(
        not NUMERIC.match(text_of(s) or "0") for s in block.iter("span") if "info" in classes(s)
    )


def is_head_block(block: PageBlock) -> bool:
    if isinstance(block, Run) or is_notes_heading(block):
        return False
    return block.tag in HEADINGS or (block.tag == "p" and bool(classes(block) & HEAD_P_CLASSES))


def rule_between_head_lines(blocks: list[PageBlock], i: int, head: list[PageBlock]) -> bool:
    """Rule *rule inside the head*: an ``hr`` between the author line and the ``h1``.

    Layout: archive/reed/1918/soviets.htm, history/usa/workers/black-panthers/*
    ("p.title", ``hr``, ``h1``, ``hr``, information block). A rule before the title,
    with a heading right after it, is part of the head (it holds no words).
    """
    if block_tag(blocks[i]) != "hr" or not head or any(not isinstance(b, Run) and b.tag == "h1" for b in head):
        return False
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return nxt is not None and not isinstance(nxt, Run) and nxt.tag in HEADINGS and is_head_block(nxt)


def lone_title_paragraph(head: list[etree._Element]) -> etree._Element | None:
    """Rule *letter titled in p.title*: no heading at all, one ``p.title`` naming the piece.

    Layout: letters such as archive/maclean/1917/11/petroff-letter.htm ("Letter from
    John Maclean to Peter Petroff 13 November 1917" in ``p.title``, no ``h1``): a
    ``p.title`` with a date in it is no author line; it is the page's title.
    """
    titles = [b for b in head if not isinstance(b, Run) and b.tag == "p"]
    if (
        len(titles) == 1
        and not any(not isinstance(b, Run) and b.tag in HEADINGS for b in head)
        and (YEAR.search(block_text(titles[0])) or len(block_text(titles[0]).split()) > 5)
    ):
        return titles[0]
    return None


def is_series_heading(blocks: list[PageBlock], i: int) -> bool:
    """Rule *series heading in the head*: a heading that reads like "Notes" before the title.

    Layout: columns reprinted by the MIA (archive/cannon/works/1931/*: ``h2`` author,
    ``h4`` "Editorial Notes", ``h1`` title) name their series in a heading with "Notes"
    in it. Before the page's title such a heading is part of the head, not the notes.
    """
    block = blocks[i]
    if isinstance(block, Run) or block.tag not in HEADINGS or not is_notes_heading(block):
        return False
    if block.tag == "h1":  # "Note to the article ..." (archive/malatesta/1924/08/note.htm) is a title
        return True
    rest = blocks[i + 1 : i + 4]
    return any(not isinstance(b, Run) and b.tag == "h1" for b in rest)


DATE_LINE = re.compile(r"\(?[\w ,.–-]{0,30}\b(?:1[5-9]|20)\d\d\)?\.?")
AUTHOR_NOT = re.compile(r"internet archive|^\W*(?:\(?\w+\)?\W*)?\b(?:1[5-9]|20)\d\d\b|^\W*$", re.I)
YEAR_AFTER_NAME = re.compile(r"[\s,]+\(?(?:1[5-9]|20)\d\d\)?\s*$")


def archive_folder_author(url: str) -> str | None:
    """Rule *the archive's author*: a page with no author line is by its folder's author.

    Layout: the MIA files an author's works under ``archive/<author>/``; pages such as
    archive/cannon/works/1940/renegades.htm (a periodical line above the title) name
    no author, because the archive's own index page does. The person comes from the
    author authority (pipeline/data/authors.json, written by ``pipeline authors``).
    """
    person = folder_person(url)
    return person.name if person else None


UNSIGNED_SECTION = re.compile(r"^https?://[^/]+/(history|subject)/")


def unsigned_section(url: str) -> str | None:
    """Rule *a page by no named author*: the MIA's history/ and subject/ sections file
    documents no person signs (a constitution, history/algeria/1963/09/constitution.htm; a
    trade agreement, history/capitalism/gatt/; theses a group printed unsigned,
    subject/left-wing/icc/1935/05/thesis.htm): a page there with no author line and no
    ``<meta name="author">`` is a work by no named author, credited to the authority's
    unsigned key (Anonymous), not refused. The section's name, or None elsewhere (an
    author's folder names its person; a page elsewhere with no author is refused)."""
    m = UNSIGNED_SECTION.match(url)
    return m.group(1) if m else None


def is_author_h1(h1: etree._Element, head: list[etree._Element], url: str) -> bool:
    """Rule *author in h1*: an ``h1`` naming the archive's author, a lower heading the title.

    Layout: archive/cannon/works/1931/* ("<h1>James P. Cannon</h1><h3>Even A Browder
    Can Learn</h3>"). Only when the ``h1`` is the folder's author and a heading follows.
    """
    person = folder_person(url)
    if not person:
        return False
    after = head[head.index(h1) + 1 :]
    named = authority().by_name(block_text(h1).strip())  # any spelling of the folder's person
    return (
        named is not None
        and named.key == person.key
        and any(b.tag in HEADINGS and not YEAR.search(block_text(b)) for b in after)
    )


def not_an_author(block: PageBlock) -> bool:
    """Rule *not an author line*: a head line holding a date, or "X Internet Archive"."""
    return bool(AUTHOR_NOT.search(block_text(block)))


def author_heading_of_other_rank(before: list[etree._Element]) -> etree._Element | None:
    """Rule *author heading of another rank*: a short heading before the title names the author.

    Layout: archive/cannon/works/19xx pages put the author in an ``h3`` (or ``h4``)
    above the ``h1`` title, where most pages use ``h2``. A heading holding a year or
    "Internet Archive" is a date line or breadcrumb, not an author.
    """
    for b in before:
        if not isinstance(b, Run) and b.tag in ("h3", "h4", "h5") and len(block_text(b)) <= 60 and not not_an_author(b):
            return b
    return None


CHAPTER_FILE = re.compile(r"(?:^|[^a-z])(?:ch|chap|chapter|part|pt|sec|section)?\d+[a-z]?\.html?$", re.I)
# The MIA names an article whose month it does not know x01.htm, x02.htm (archive/varga/
# 1924/x01.htm, archive/pouliop/1924/x01.htm): a number of the year's folder, not a chapter's.
UNDATED_FILE = re.compile(r"^x\d+[a-z]?\.html?$", re.I)


def chapter_heading(rest: list[PageBlock], title: etree._Element, file_name: str) -> etree._Element | None:
    """Rule *book chapter*: the head's ``h1`` is the book's, the chapter's title follows.

    Layout: chapter pages of books (archive/ciliga/1940/russian-enigma/ch09.htm: ``h1``
    "The Russian Enigma", information block, then ``h1`` "Lenin, Also..."; the chapters
    of archive/rosmer/1955/xx/moscow*.html: an ``h3`` "1921 / Chapter II / The
    Kronstadt Uprising"). Only on a page whose file name numbers it (ch09.htm,
    moscow4.html; not x01.htm, an undated article) or whose heading says "Chapter", when the text begins with that
    heading, and only when the heading has words, not a bare numeral.
    """
    first = next((b for b in rest if block_tag(b) != "hr"), None)
    if first is None or isinstance(first, Run) or first.tag not in ("h1", "h2", "h3") or title.tag != "h1":
        return None
    text = block_text(first)
    if not re.search(r"[^\W\d_]{3,}", text) or re.fullmatch(r"\W*(?:part|book|section)?\W*[ivxlc\d]+\W*", text, re.I):
        return None
    if is_notes_heading(first):
        return None
    if (CHAPTER_FILE.search(file_name) and not UNDATED_FILE.match(file_name)) or re.search(r"\bchapter\b", text, re.I):
        return first
    return None


def title_h2_beside_meta_author(head: list[etree._Element], meta_author: str) -> etree._Element | None:
    """Rule *h2 title when the meta names the author*: no ``h1``, an ``h2`` that is not the author.

    Layout: archive/lenin/works/1919/mar/guardian.htm (``<meta name="author">``
    Vladimir Lenin; ``h2`` "An Interview with Lenin", ``h3`` subtitle): the ``h2``
    shares no name with the author the page's meta gives, so it is the title.
    """
    headings = [b for b in head if b.tag in HEADINGS]
    if not headings or headings[0].tag != "h2":
        return None
    names = {w.casefold() for w in re.findall(r"[^\W\d_]{3,}", meta_author)}
    words = [w.casefold() for w in re.findall(r"[^\W\d_]+", block_text(headings[0]))]
    if not names or (words and set(words) <= names) or (len(words) <= 4 and names & set(words) == names):
        return None
    # "V. I. Lenin" beside the meta's "Vladimir Lenin": initials and the surname are the author
    long = {w for w in words if len(w) >= 3}
    if long and long <= names and len(words) <= 5 and all(len(w) == 1 for w in words if len(w) < 3):
        return None
    return headings[0]


def title_from_title_element(root: etree._Element) -> etree._Element | None:
    """Rule *no heading at all*: the page's ``<title>`` is its title.

    Layout: archive/weisbord/*.htm (the chapters of *The Conquest of Power* and the
    pamphlets: no ``h1``, no information block, the text opening on ``p.sub`` lines, the
    name only in ``<title>Chapter One, The English Civil Wars</title>``). A page with text
    but no heading names itself in its ``<title>``; refusing it would lose a work. The title
    is made an ``h1`` of its own (the body is left as it is), and the caller records where
    it came from.
    """
    found = root.find(".//title") if hasattr(root, "find") else None
    if found is None or not text_of(found):
        return None
    words = text_of(found)
    h1 = found.makeelement("h1", {})
    h1.text = words
    h1.sourceline = found.sourceline
    return h1


FIRST_LINE_WORDS = 12


def first_line_title(rest: list[PageBlock]) -> etree._Element | None:
    """Rule *no heading, no <title>*: the text's first line, a paragraph of its own of a
    few words, is the title. Layout: an issue of a periodical set as paragraphs, its
    masthead first (archive/weisbord/TwoEight.htm: ``<p><font size=+4>Class Struggle``,
    no heading, no ``<title>``). Refusing it would lose a work; the title is the line's
    words, taken out of the text, and the caller records where it came from."""
    lines = [b for b in rest if block_tag(b) != "hr" and block_text(b).strip()]
    first = lines[0] if len(lines) >= 2 else None  # a line alone is no title over a text
    if first is None or isinstance(first, Run) or first.tag not in ("p", "div", "center"):
        return None
    words = block_text(first).split()
    return first if 0 < len(words) <= FIRST_LINE_WORDS and re.search(r"[^\W\d_]", block_text(first)) else None


def head_roles(
    head: list[etree._Element], meta_author: str | None, url: str
) -> tuple[etree._Element | None, etree._Element | None, etree._Element | None, list[etree._Element]]:
    """Which head lines are the title, the author and the date; the others are extra."""
    title, author = title_line(head, meta_author, url)
    before = head[: head.index(title)] if title is not None else []
    after = head[head.index(title) + 1 :] if title is not None else []
    if author is None:
        author = author_line(before)
    date = date_line(after)
    extra = [b for b in head if b is not title and b is not author and b is not date]
    return title, author, date, extra


def title_line(
    head: list[etree._Element], meta_author: str | None, url: str
) -> tuple[etree._Element | None, etree._Element | None]:
    """The title line: the ``h1`` (unless it names the archive's author, rule *author in
    h1*), else an ``h2`` the meta does not name as the author; without an ``h1``, the
    heading after an ``h2`` author line, else the only heading, else a lone ``p.title``.
    Returns it with the author line where the layout that found the title also finds it."""
    title = next((b for b in head if b.tag == "h1"), None)
    author = None
    if title is None and meta_author:
        title = title_h2_beside_meta_author(head, meta_author)
    if title is not None and is_author_h1(title, head, url):
        author = title
        title = next(
            (b for b in head[head.index(author) + 1 :] if b.tag in HEADINGS and not YEAR.search(block_text(b))),
            None,
        )
    if title is None:
        # no h1: the heading after the author line (h2 author + h3 title), else the only heading
        headings = [b for b in head if b.tag in HEADINGS]
        if len(headings) >= 2 and headings[0].tag == "h2":
            return headings[1], headings[0]
        title = headings[0] if headings else lone_title_paragraph(head)
    return title, author


def author_line(before: list[etree._Element]) -> etree._Element | None:
    """The author line above the title: an ``h2``, else a ``p.title``/``p.author`` that is
    not a date or a breadcrumb, else a short heading of another rank."""
    author = _first(b for b in before if b.tag == "h2")
    if author is None:
        author = _first(b for b in before if b.tag == "p" and classes(b) & {"title", "author"} and not not_an_author(b))
    if author is None:
        author = author_heading_of_other_rank(before)
    return author


def date_line(after: list[etree._Element]) -> etree._Element | None:
    """The date line below the title: an ``h3`` with a year; rule *date line in h2*:
    "(May 1935)" in an ``h2`` under the ``h1`` (archive/cannon/works/1935/*); else a short
    lower heading with a year."""
    date = _first(b for b in after if b.tag == "h3" and YEAR.search(block_text(b)))
    if date is None:
        date = _first(b for b in after if b.tag == "h2" and DATE_LINE.fullmatch(block_text(b).strip()))
    if date is None:
        date = _first(
            b for b in after if b.tag in ("h4", "h5", "h6") and YEAR.search(block_text(b)) and len(block_text(b)) <= 80
        )
    return date


def _first(items: Iterable[etree._Element]) -> etree._Element | None:
    """The first item, or None (lxml elements must not be truth-tested)."""
    return next(iter(items), None)


def is_nav_block(block: PageBlock, before_head: bool) -> bool:
    """Links that navigate (breadcrumbs before the head; next/previous/top/contents links)."""
    if isinstance(block, Run):
        items = block.items()
        els = [i for i in items if is_element(i)]
        loose = collapse("".join(i.get() for i in items if isinstance(i, TextSlot)))
        anchors = [e for e in els if e.tag == "a" and e.get("href")]
        if not anchors or any(e.tag not in ("a", "br") for e in els) or not NAV_SEPARATORS.match(loose):
            return False
        texts = [text_of(a) for a in anchors]
    else:
        if block.tag not in ("p", "div", "h3", "h4", "h5", "h6", "ul", "table") or not links_only(block):
            return False
        texts = link_texts(block)
    if before_head:
        return True
    return all(NAV_TEXT.match(t) for t in texts if t)


_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,4}"  # a person's name: two to five capitalised words
# The <title> of a book's part page naming the part's own author: "Karl Kautsky: The Historic
# Accomplishment of Karl Marx (Alexander Gallus: Translator's Introduction)", "Karl Radek:
# November (Introduction by E.H. Carr)".
_TITLE_CREDIT = (
    re.compile(rf"\((?P<name>{_NAME}):\s*[^()]+\)\s*$"),
    re.compile(rf"\([^()]+?\s+by\s+(?P<name>{_NAME})\)\s*$"),
)


def credited(root: etree._Element, meta_author: str | None) -> list[str]:
    """The people the page's metadata names as its authors: ``<meta name="author">`` and
    the part's author in the ``<title>`` (a translator's or editor's preface to a book)."""
    names = [meta_author] if meta_author else []
    title = collapse(" ".join(t.text or "" for t in root.iter("title")))
    for pattern in _TITLE_CREDIT:
        found = pattern.search(title)
        if found:
            names.append(found["name"].strip())
    return names
