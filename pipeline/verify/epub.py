"""The EPUB read back through EbookLib: the words of its content documents in spine
order, split into text and notes by EPUB semantics (``epub:type`` and DPUB-ARIA roles)."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from ebooklib import epub
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.tei import safe_parser
from pipeline.verify.differences import Comparison, Difference
from pipeline.verify.master import MasterText
from pipeline.verify.streams import Collector, localname

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
EXCLUDED_TYPES = {
    "cover",
    "titlepage",
    "halftitlepage",
    "seriespage",
    "frontispiece",
    "colophon",
    "imprint",
    "imprimatur",
    "copyright-page",
    "toc",
    "landmarks",
    "page-list",
    "loi",
    "lot",
    "backlink",
    "pagebreak",
}
EXCLUDED_ROLES = {"doc-cover", "doc-colophon", "doc-toc", "doc-backlink", "doc-pagebreak", "doc-pagelist"}
NOTE_TYPES = {"footnote", "endnote", "rearnote", "note"}
NOTE_ROLES = {"doc-footnote", "doc-endnote"}
NOTES_TYPES = {"endnotes", "footnotes", "rearnotes"}
SKIPPED_TAGS = {"head", "script", "style", "nav", "template", "svg", "figure"}  # figures: verify.figures
XHTML_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "aside",
    "blockquote",
    "ol",
    "ul",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "footer",
    "main",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "br",
    "body",
    "address",
}


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse a document of the EPUB safely. Unlike a master, XHTML may carry the HTML
    ``<!DOCTYPE html>``; a DOCTYPE declaring entities is still refused."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise PipelineError(f"not well-formed XML in {where}: {exc.msg}") from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise PipelineError(f"{where} declares entities; refused")
    return root


class EpubReader:
    """The EPUB's words in spine order, split into text and notes by EPUB semantics."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.body = Collector()
        self.notes = Collector()
        self.noterefs: list[tuple[str, str, str]] = []  # (label, target id, where)
        self.note_ids: set[str] = set()
        self.paragraph = 0
        self.doc = ""

    def read(self) -> None:
        """Each content document of the spine, in order, read by EbookLib (the nav left out)."""
        try:
            book = epub.read_epub(str(self.path), options={"ignore_ncx": True})
            for idref, _linear in book.spine:
                item = book.get_item_with_id(idref)
                if item is None or item.media_type != "application/xhtml+xml" or isinstance(item, epub.EpubNav):
                    continue
                name = item.get_name()
                self.doc = posixpath.basename(name)
                root = parse_xml(item.get_content(), name)
                self.paragraph = 0
                for body in root.iterfind(f"{{{XHTML}}}body"):
                    self.element(body, "text")
        except (
            zipfile.BadZipFile,
            KeyError,
            OSError,
            IndexError,
            AttributeError,
            ValueError,
            etree.XMLSyntaxError,
            epub.EpubException,
        ) as exc:
            raise PipelineError(f"unreadable EPUB: {exc}", self.path) from None

    def collector(self, part: str) -> Collector | None:
        return {"text": self.body, "note": self.notes}.get(part)

    def walk(self, el: etree._Element, part: str) -> None:
        """``part``: "text", "notes" (a notes section: only its notes are words), "note", "skip"."""
        col = self.collector(part)
        if col is not None:
            col.add(el.text)
        for child in el:
            if isinstance(child.tag, str):
                self.element(child, part)
            if col is not None:
                col.add(child.tail)

    def element(self, el: etree._Element, part: str) -> None:
        tag = localname(el)
        types = set((el.get(EPUB_TYPE) or "").split())
        roles = set((el.get("role") or "").split())
        if el.get("id") and part == "note":
            self.note_ids.add(el.get("id"))
        if part == "skip" or not_words(el, tag, types, roles):
            return  # presentation, navigation, attribution, back-links
        if "noteref" in types or "doc-noteref" in roles:
            self.noteref(el, part)
        elif types & NOTES_TYPES or "doc-endnotes" in roles:
            self.walk(el, "notes")  # a notes section: only the notes in it are words
        elif types & NOTE_TYPES or roles & NOTE_ROLES or (part == "notes" and tag == "li"):
            self.note(el)
        elif part == "notes":  # around the notes: headings are navigation, lists hold the notes
            self.walk(el, "skip" if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "header") else "notes")
        elif tag in XHTML_BLOCKS:
            self.paragraph_block(el, tag, part)
        else:
            self.walk(el, part)

    def noteref(self, el: etree._Element, part: str) -> None:
        """A note marker: a marker in the words, and a link whose target must be a note."""
        label = " ".join("".join(el.itertext()).split())
        where = self.body.where if part == "text" else self.notes.where
        self.noterefs.append((label, unquote((el.get("href") or "").partition("#")[2]), where))
        (self.notes if part == "note" else self.body).mark("ref", label)

    def note(self, el: etree._Element) -> None:
        """A note: its words go to the notes stream, as one block starting with a note mark."""
        if el.get("id"):
            self.note_ids.add(el.get("id"))
        self.paragraph += 1
        outer = self.notes.block(f"{self.doc}#{el.get('id')}" if el.get("id") else f"{self.doc} note {self.paragraph}")
        self.notes.mark("note", "")
        self.walk(el, "note")
        self.notes.end_block(outer)

    def paragraph_block(self, el: etree._Element, tag: str, part: str) -> None:
        """A block of the text or of a note: a block of its stream (a line break is a space)."""
        col = self.notes if part == "note" else self.body
        if tag in ("br", "hr"):
            col.add(" ")
            return
        self.paragraph += 1
        outer = col.block(f"{self.doc} paragraph {self.paragraph}" if part == "text" else col.where)
        self.walk(el, part)
        col.end_block(outer)


def not_words(el: etree._Element, tag: str, types: set[str], roles: set[str]) -> bool:
    """Presentation, navigation, attribution and back-links: elements verify reads no words from."""
    return bool(
        tag in SKIPPED_TAGS or not el.tag.startswith(f"{{{XHTML}}}") or types & EXCLUDED_TYPES or roles & EXCLUDED_ROLES
    )


def check_epub(path: Path, master: MasterText, cmp: Comparison) -> None:
    reader = EpubReader(path)
    reader.read()
    cmp.compare(master.body.tokens(numbers=False), reader.body.tokens(), "text")
    cmp.compare(master.note_tokens(note_labels=False, numbers=False), reader.notes.tokens(note_labels=False), "notes")
    for label, target, where in reader.noterefs:
        if target not in reader.note_ids:
            cmp.add(
                Difference(
                    cmp.work,
                    cmp.edition,
                    "broken-link",
                    where,
                    f"note {label}",
                    detail=f"note marker [{label}] links to #{target}, which is not a note",
                )
            )
