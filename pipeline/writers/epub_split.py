"""The EPUB's text in one content document per chapter, and its links made to follow.

Reading systems lay out and paginate one content document at a time: a 300 kB book in one
file opens slowly and pages sluggishly on a small reader, and its chapters do not start on
a page of their own. Standard Ebooks and Project Gutenberg split a book at its chapters;
so does this edition, at the work's own top-level headed divisions (the parts of a
multi-part work, the chapters of a book). A work with fewer than two keeps one document.

The split only regroups the XHTML the shared transform made: every element stays, in
order (words before the first chapter share its document, as a subtitle or a short note
would be lost on a page of its own; anything between chapters stays with the chapter
before it), so verify, which reads the spine in order, reads the same
words. Links are then rewritten by where their targets landed: the contents, the notes'
back-links and any cross-reference.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pipeline.writers.xhtml import H, h

FIRST_HREF = "text.xhtml"  # the text's first document: the bodymatter landmark's target
HEADINGS = {H + f"h{n}" for n in range(1, 7)}


@dataclass
class TextDocument:
    """One content document of the text: its file, its title (its chapter's heading; None
    before any) and its content."""

    href: str
    title: str | None
    section: etree._Element
    chapter_id: str | None = None  # the id of its chapter's section (the contents' label names it)


def words(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


def chapter_heading(el: etree._Element) -> etree._Element | None:
    """The heading a top-level division opens with (None: not a chapter)."""
    if el.tag != H + "section":
        return None
    first = next((c for c in el if isinstance(c.tag, str)), None)
    return first if first is not None and first.tag in HEADINGS and words(first) else None


def split_level(body: etree._Element) -> etree._Element:
    """Where the chapters are: the text itself, or the one unheaded division that holds
    the whole work (a reader's wrapper), descended through."""
    level = body
    while True:
        children = [c for c in level if isinstance(c.tag, str)]
        if len(children) == 1 and children[0].tag == H + "section" and chapter_heading(children[0]) is None:
            level = children[0]
        else:
            return level


def text_section(first: bool) -> etree._Element:
    """The bodymatter section each document of the text holds (the first keeps the id
    the landmarks point at)."""
    section = h("section", epub_type="bodymatter", class_="text", id="text" if first else None)
    section.set("aria-label", "Text")
    return section


def split_text(body: etree._Element) -> list[TextDocument]:
    """``body`` (the transform's ``section#text``) as the text's documents."""
    level = split_level(body)
    children = [c for c in level if isinstance(c.tag, str)]
    if sum(chapter_heading(c) is not None for c in children) < 2:
        return [TextDocument(FIRST_HREF, None, body)]
    docs: list[TextDocument] = []
    opened = False  # has the current document a chapter yet?
    for child in children:
        heading = chapter_heading(child)
        if not docs or (heading is not None and opened):
            href = FIRST_HREF if not docs else f"text-{len(docs) + 1}.xhtml"
            docs.append(TextDocument(href, None, text_section(first=not docs)))
            opened = False
        if heading is not None and not opened:
            docs[-1].title, docs[-1].chapter_id, opened = words(heading), child.get("id"), True
        docs[-1].section.append(child)  # moved, in order
    return docs


def ids_by_document(documents: dict[str, etree._Element]) -> dict[str, str]:
    """Every id of the given documents -> the file holding it."""
    where: dict[str, str] = {}
    for href, root in documents.items():
        for el in root.iter():
            ident = el.get("id") if isinstance(el.tag, str) else None
            if ident and ident not in where:
                where[ident] = href
    return where


def relink(documents: dict[str, etree._Element], where: dict[str, str], moved_from: str = FIRST_HREF) -> None:
    """Point every link into the text (``#id`` inside one document, ``text.xhtml#id``
    from another) at the document its target now lives in."""
    for href, root in documents.items():
        for a in root.iter(H + "a"):
            target = a.get("href") or ""
            page, hash_, ident = target.partition("#")
            if not hash_ or page not in ("", moved_from) or ident not in where:
                continue
            a.set("href", f"#{ident}" if where[ident] == href else f"{where[ident]}#{ident}")


def located(href: str, where: dict[str, str]) -> str:
    """A ``text.xhtml#id`` address as it reads after the split."""
    page, _, ident = href.partition("#")
    return f"{where[ident]}#{ident}" if page == FIRST_HREF and ident in where else href
