"""TEI master -> XHTML: the transform the EPUB and PDF editions share.

Written in Python rather than XSLT because the colophon and title page come from
:class:`~pipeline.master.read.EditionMeta`, which both writers already use, and because
note handling differs per target (EPUB endnotes with back-links; PDF footnotes floated
to the foot of the page). Semantics follow EPUB 3 Structural Semantics with the
matching DPUB-ARIA roles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from pipeline.master.attribution import attribution, made
from pipeline.master.read import EditionMeta
from pipeline.master.tei import T
from pipeline.writers import figures

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
H = f"{{{XHTML_NS}}}"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}

HI_TAGS = {"italic": "em", "i": "em", "bold": "strong", "b": "strong", "sup": "sup", "sub": "sub", "superscript": "sup"}


def h(tag: str, text: str | None = None, parent: etree._Element | None = None, **attrs: str | None) -> etree._Element:
    """Make an XHTML element; ``class_`` for class, ``epub_type`` for epub:type."""
    # A new root declares XHTML as the default namespace and the epub prefix, so it
    # serializes as plain XHTML (<section epub:type=...>) on its own or inside a document.
    el = etree.Element(H + tag, nsmap=NSMAP) if parent is None else etree.SubElement(parent, H + tag)
    for key, value in attrs.items():
        if value is None:
            continue
        if key == "class_":
            key = "class"
        elif key == "epub_type":
            key = EPUB_TYPE
        else:
            key = key.replace("_", "-")
        el.set(key, value)
    if text is not None:
        el.text = text
    return el


def append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


@dataclass
class Links:
    """Where notes and their markers live, so links work across content documents."""

    notes_href: str = ""  # document holding the notes ("" = same document)
    text_href: str = ""  # document holding the markers
    # A present figure's image: the element -> the address the edition gives its image
    # (a file of the EPUB, a data: URI for the PDF); see pipeline.writers.figures.
    figure_src: dict[etree._Element, tuple[str, int, int]] = field(default_factory=dict)  # (src, width, height)


def noteref_id(note_id: str) -> str:
    return f"ref-{note_id}"


XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@dataclass
class TocEntry:
    """A headed division of the text: what a table of contents (or PDF outline) lists."""

    label: str
    id: str
    children: list[TocEntry]


def heading_level(head: etree._Element, depth: int) -> int:
    """The XHTML heading level of a TEI ``head``: its division depth, pushed down by
    ``rend="hN"`` (N > 2) for the sub-headings the readers keep inside one division.

    Never h1: the book's title is the h1 (title page); the text's headings rank below it.
    Pushed down one level at most: a sub-heading the source set as h4 under an h2 would
    skip a level, which HTML forbids (the W3C checker reports it) and screen readers
    announce as a missing section.
    """
    rend = head.get("rend") or ""
    extra = 1 if len(rend) == 2 and rend[0] == "h" and rend[1] in "3456" else 0
    return max(2, min(6, depth + extra))


class Transform:
    """Renders TEI text content as XHTML.

    ``note_mode`` is "endnotes" (markers link to a notes section) or "footnotes" (the
    note's content is placed at its marker, for CSS ``float: footnote`` in the PDF).
    """

    def __init__(self, tei: etree._Element, links: Links | None = None, note_mode: str = "endnotes") -> None:
        self.tei = tei
        self.links = links or Links()
        self.note_mode = note_mode
        self.notes = {n.get(XML_ID): n for n in tei.iterfind(f".//{T('note')}")}
        # Every division of the body gets an id (its xml:id, else its position), so a
        # table of contents can link to it; the ids are the same in every edition.
        self.div_ids: dict[etree._Element, str] = {}
        body = tei.find(f"{T('text')}/{T('body')}")
        if body is not None:
            taken = {el.get(XML_ID) for el in tei.iter() if el.get(XML_ID)}
            for n, div in enumerate(body.iter(T("div")), 1):
                ident = div.get(XML_ID)
                if not ident:
                    ident = f"div-{n}"
                    while ident in taken:
                        ident += "x"
                    taken.add(ident)
                self.div_ids[div] = ident

    # -- inline -----------------------------------------------------------------------
    def inline(self, src: etree._Element, dst: etree._Element) -> None:
        """Copy ``src``'s mixed content into ``dst``."""
        append_text(dst, src.text)
        for child in src:
            if not isinstance(child.tag, str):  # comments, processing instructions
                append_text(dst, child.tail)
                continue
            self.inline_element(child, dst)
            append_text(dst, child.tail)

    def inline_element(self, el: etree._Element, dst: etree._Element) -> None:
        tag = etree.QName(el).localname
        if tag == "ref" and el.get("type") == "noteref":
            self.noteref(el, dst)
        elif tag == "ref":
            a = h("a", parent=dst, href=el.get("target"))
            self.inline(el, a)
        elif tag == "hi":
            rend = el.get("rend", "italic")
            out = h(HI_TAGS.get(rend, "span"), parent=dst, class_=None if rend in HI_TAGS else rend)
            self.inline(el, out)
        elif tag == "q":
            self.inline(el, h("q", parent=dst))
        elif tag == "supplied":
            self.inline(el, h("span", parent=dst, class_="supplied"))
        elif tag == "lb":
            h("br", parent=dst)
        else:  # unknown inline: keep its words
            self.inline(el, h("span", parent=dst, class_=tag))

    def noteref(self, ref: etree._Element, dst: etree._Element) -> None:
        note_id = (ref.get("target") or "#")[1:]
        label = "".join(ref.itertext())
        if self.note_mode == "footnotes" and note_id in self.notes:
            self.footnote(self.notes[note_id], dst, label)
            return
        sup = h("sup", parent=dst, class_="noteref")
        a = h(
            "a",
            label,
            parent=sup,
            href=f"{self.links.notes_href}#{note_id}",
            id=noteref_id(note_id),
            epub_type="noteref",
            role="doc-noteref",
        )
        a.set("aria-label", f"Note {label}")

    def footnote(self, note: etree._Element, dst: etree._Element, label: str) -> None:
        """The note's content at its marker: a span floated to the page foot by print CSS."""
        span = h("span", parent=dst, class_="footnote", id=note.get(XML_ID))
        span.set("data-label", label)
        for i, block in enumerate(note):
            if i:
                h("br", parent=span, class_="para")
            self.inline(block, span)

    # -- blocks -----------------------------------------------------------------------
    def blocks(self, src: etree._Element, dst: etree._Element, depth: int = 2) -> None:
        for el in src:
            if not isinstance(el.tag, str):
                continue
            self.block(el, dst, depth)

    def block(self, el: etree._Element, dst: etree._Element, depth: int) -> None:
        tag = etree.QName(el).localname
        if tag == "p":
            rend = el.get("rend")
            self.inline(el, h("p", parent=dst, class_=rend))
        elif tag == "head":
            self.inline(el, h(f"h{heading_level(el, depth)}", parent=dst))
        elif tag == "div":
            self.division(el, dst, depth)
        elif tag == "quote":
            self.blockquote(el, dst, depth)
        elif tag == "list":
            self.item_list(el, dst, depth)
        elif tag == "table":
            self.table(el, dst)
        elif tag == "closer":
            self.closer(el, dst)
        elif tag == "figure":
            self.figure(el, dst)
        elif tag == "note":
            return  # notes render in their own section
        elif tag == "milestone":  # a section break: a thematic break, shown as an ornament (CSS)
            h("hr", parent=dst, class_="break")
        else:
            self.inline(el, h("p", parent=dst, class_=tag))

    def division(self, el: etree._Element, dst: etree._Element, depth: int) -> None:
        section = h("section", parent=dst, id=self.div_ids.get(el) or el.get(XML_ID))
        if el.get("type") == "part":
            section.set(EPUB_TYPE, "chapter")
            section.set("role", "doc-chapter")
        # A division's own head is one level below its parent's: the body's
        # divisions head at h2, under the book's title (h1 on the title page).
        self.blocks(el, section, min(6, depth + 1))

    def blockquote(self, el: etree._Element, dst: etree._Element, depth: int) -> None:
        """A quotation of blocks keeps them; a quotation of words alone becomes one paragraph."""
        bq = h("blockquote", parent=dst)
        if any(isinstance(c.tag, str) and etree.QName(c).localname in ("p", "quote", "list", "table") for c in el):
            self.blocks(el, bq, depth)
        else:
            self.inline(el, h("p", parent=bq))

    def item_list(self, el: etree._Element, dst: etree._Element, depth: int) -> None:
        """A numbered list as <ol>, a bulleted one as <ul>; an item of words alone holds them directly."""
        lst = h("ol" if el.get("rend") == "numbered" else "ul", parent=dst)
        for item in el.iterfind(T("item")):
            li = h("li", parent=lst)
            if any(isinstance(c.tag, str) and etree.QName(c).localname in ("p", "list", "quote") for c in item):
                self.blocks(item, li, depth)
            else:
                self.inline(item, li)

    def table(self, el: etree._Element, dst: etree._Element) -> None:
        """Rows and cells; a label row's cells are header cells."""
        table = h("table", parent=dst)
        for row in el.iterfind(T("row")):
            tr = h("tr", parent=table)
            for cell in row.iterfind(T("cell")):
                self.inline(cell, h("th" if row.get("role") == "label" else "td", parent=tr))

    def figure(self, el: etree._Element, dst: etree._Element) -> None:
        """A figure: its image with its alt text (the caption's words when the page gave no
        alt), the caption under it; a missing image's "[Image not available: ...]" line."""
        fig = h("figure", parent=dst, class_="figure missing" if figures.is_missing(el) else "figure")
        found = self.links.figure_src.get(el)
        if found is None:
            h("p", figures.missing_text(el), parent=fig, class_="figure-missing")
        else:
            src, width, height = found
            h(
                "img",
                parent=fig,
                src=src,
                alt=figures.alt_text(el) or figures.caption(el) or f"Figure: {figures.file_name(el)}",
                width=str(width) if width else None,
                height=str(height) if height else None,
            )
        head = el.find(T("head"))
        if head is not None:
            self.inline(head, h("figcaption", parent=fig))

    def closer(self, el: etree._Element, dst: etree._Element) -> None:
        """The signature and dateline close the work: HTML's footer of its section."""
        closer = h("footer", parent=dst, class_="closer")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            kind = etree.QName(child).localname
            self.inline(child, h("p", parent=closer, class_={"signed": "signed", "dateline": "dateline"}.get(kind)))

    # -- sections ---------------------------------------------------------------------
    def body(self) -> etree._Element:
        """The work's text as a ``<section epub:type="bodymatter">``."""
        section = h("section", epub_type="bodymatter", class_="text", id="text")
        section.set("aria-label", "Text")
        body = self.tei.find(f"{T('text')}/{T('body')}")
        if body is not None:
            self.blocks(body, section, depth=1)
        return section

    def toc(self) -> list[TocEntry]:
        """The headed divisions of the body, nested as in the master (ids as in ``body()``)."""

        def label(head: etree._Element) -> str:
            """The heading's words, without its note markers ("Introduction", not "Introduction1")."""
            parts = [head.text or ""]
            for child in head:
                if not (etree.QName(child).localname == "ref" and child.get("type") == "noteref"):
                    parts.append("".join(child.itertext()))
                parts.append(child.tail or "")
            return " ".join("".join(parts).split())

        def entries(parent: etree._Element) -> list[TocEntry]:
            out = []
            for div in parent.iterfind(T("div")):
                head = div.find(T("head"))
                children = entries(div)
                if head is not None and label(head):
                    out.append(TocEntry(label(head), self.div_ids[div], children))
                else:  # an unheaded division (the work itself): lift its headed children
                    out.extend(children)
            return out

        body = self.tei.find(f"{T('text')}/{T('body')}")
        return entries(body) if body is not None else []

    def endnotes(self) -> etree._Element | None:
        notes = self.tei.findall(f"{T('text')}/{T('back')}/{T('div')}/{T('note')}")
        if not notes:
            return None
        section = h("section", epub_type="endnotes", role="doc-endnotes", class_="notes", id="notes")
        head = self.tei.find(f"{T('text')}/{T('back')}/{T('div')}/{T('head')}")
        h("h2", " ".join("".join(head.itertext()).split()) if head is not None else "Notes", parent=section)
        ol = h("ol", parent=section)
        for note in notes:
            note_id = note.get(XML_ID)
            label = note.get("n", "")
            li = h("li", parent=ol, id=note_id, epub_type="endnote")
            li.set("value", label) if label.isdigit() else None
            first = True
            for block in note:
                if not isinstance(block.tag, str):
                    continue
                p = h("p", parent=li)
                if first:
                    back = h(
                        "a",
                        f"{label}.",
                        parent=p,
                        href=f"{self.links.text_href}#{noteref_id(note_id)}",
                        role="doc-backlink",
                        epub_type="backlink",
                        class_="backlink",
                    )
                    back.set("aria-label", f"Back to note {label} reference")
                    append_text(p, " ")
                    first = False
                if etree.QName(block).localname == "p":
                    self.inline(block, p)
                else:
                    self.block(block, li, 3)
        return section


def title_page(meta: EditionMeta) -> etree._Element:
    section = h("section", epub_type="titlepage", class_="titlepage", id="titlepage")
    section.set("aria-label", "Title page")
    h("h1", meta.title, parent=section, class_="title")
    h("p", meta.author, parent=section, class_="author")
    if meta.date_text:
        h("p", meta.date_text, parent=section, class_="date")
    return section


def colophon(
    meta: EditionMeta, build_date: str | None, extra: Callable[[etree._Element], None] | None = None
) -> etree._Element:
    """The full attribution the MIA's terms require (:mod:`pipeline.master.attribution`,
    its colophon form) as a definition list: a link after its plain prefix in a span."""
    section = h("section", epub_type="colophon", role="doc-colophon", class_="colophon", id="colophon")
    section.set("aria-label", "Colophon")
    h("h2", "Colophon", parent=section)
    dl = h("dl", parent=section)
    for item in attribution(meta, "colophon", made(meta, "colophon", build_date)):
        h("dt", item.term, parent=dl)
        for value in item.values:
            dd = h("dd", parent=dl)
            if value.href is None:
                dd.text = value.text
            else:
                h("a", value.text, parent=h("span", value.prefix, parent=dd), href=value.href, rel=value.rel)
    if extra:
        extra(dl)
    return section


def to_string(el: etree._Element) -> str:
    text: str = etree.tostring(el, encoding="unicode")
    return text
