"""The HTML side of the MIA reader: safe parsing, the page as a flat list of blocks, and
the page furniture that is not part of the work.

MIA pages nest their text in presentational wrappers (``div``, ``center``, ``font``,
layout tables' cells) and mix loose inline content with paragraphs. The reader wants
the text as a browser lays it out: one block after another. :func:`flatten` gives that
list; loose inline content becomes a :class:`Run` (an anonymous paragraph).

The furniture (breadcrumbs, "Top of the page", next/previous links, the "return" image
map, footers, empty spacer paragraphs) is removed from the parsed tree before anything
else reads it, and every removal is counted in a :class:`Recorder` so the master can
say what was dropped and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeGuard

import lxml.html
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.images import figure_src, furniture
from pipeline.master.tei import XML_INCOMPATIBLE, check_xml_chars
from pipeline.readers import figures
from pipeline.readers.encoding import Decoded, decode

if TYPE_CHECKING:
    from pipeline.master.model import Normalization

# One parser for the process: safe (no network, no entities fetched) and told the
# encoding, so a wrong <meta charset> in the page can never re-decode the text.
PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
MAX_DEPTH = 256  # libxml2's nesting limit without XML_PARSE_HUGE (the reader's walks recurse per level)

# The placeholder the furniture phase puts where a figure of the work stands (its
# attributes say which image, or which absence); the block phase makes it a Figure.
FIGURE_TAG = "mia-figure"
BLOCK_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 blockquote ul ol dl table hr pre address fieldset dir menu".split() + [FIGURE_TAG]
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
CONTAINER_TAGS = frozenset("body div center section article main header footer aside figure nav form".split())
DROP_TAGS = frozenset(
    "script style noscript map area object embed iframe applet button input select textarea link meta".split()
)

FURNITURE_CLASSES = {
    "toplink": "breadcrumbs and links at the top of the page (p.toplink)",
    "link": "'Top of the page' links (p.link)",
    "skip": "spacer paragraphs (p.skip)",
    "next": "next/previous links (p.next)",
    "prev": "next/previous links (p.prev)",
    "previous": "next/previous links (p.previous)",
    "footer": "the page footer (p.footer)",
    "breadcrumb": "breadcrumbs",
    "breadcrumbs": "breadcrumbs",
    "nav": "navigation links",
    "navigation": "navigation links",
    "navbar": "navigation links",
}
NAV_TEXT = re.compile(
    r"^(?:top(?: of (?:the )?page)?|(?:back )?to top|back|return|home|up|next|previous|prev|forward|"
    r"(?:next|previous|prev|last|first) (?:chapter|section|part|page|article)|"
    r"(?:table of )?contents|index|mia|archive|marxists internet archive|"
    r".{1,60} (?:archive|index|contents|works)|collected works.{0,60})$",
    re.I,
)
NAV_SEPARATORS = re.compile(r"^[\s|>»«<·•\-–—:\[\]()/.,]*$")
LAST_UPDATED = re.compile(r"^\s*last\s+(?:updated|modified)(?:\s+on)?\s*:?\s*(.*?)\s*$", re.I | re.S)
# The placeholder element the note phase puts where a note's marker stood, ``key`` naming
# the note; the block phase turns it into the note's reference.
MARKER_TAG = "mia-noteref"
WS = re.compile(r"[ \t\n\r\f]+")
CLOSING = re.compile(r"</\s*(?:body|html)\s*>", re.I)


def collapse(text: str) -> str:
    """HTML whitespace collapsing: runs of space, tab, CR, LF and FF become one space (NBSP stays)."""
    return WS.sub(" ", text)


def text_of(el: etree._Element) -> str:
    """The element's text as a browser shows it, collapsed and stripped."""
    return collapse(el.text_content()).strip(" ")


def classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").lower().split())


def style(el: etree._Element) -> str:
    return (el.get("style") or "").lower().replace(" ", "")


def is_element(node: object) -> TypeGuard[etree._Element]:
    """An element node (not a comment, a processing instruction or a text slot)."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


class Recorder:
    """The cleanings made on a page, one entry per kind with a count and where."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.kinds: dict[str, list[str]] = {}
        self.anomalies: set[str] = set()

    def anomaly(self, kind: str, where: str | int | None = None) -> None:
        """A quirk of the source, kept and recorded (``<p n="anomaly">``), not a cleaning."""
        self.anomalies.add(kind)
        self.add(kind, where)

    def add(self, kind: str, where: str | int | None = None) -> None:
        spots = self.kinds.setdefault(kind, [])
        if where is not None:
            spots.append(f"line {where}" if isinstance(where, int) else where)
        else:
            spots.append("")

    def merge(self, other: Recorder) -> None:
        for kind, spots in other.kinds.items():
            name = other.prefix
            self.kinds.setdefault(kind, []).extend(f"{name} {s}".strip() if name else s for s in spots)
        self.anomalies |= other.anomalies

    def normalizations(self) -> list[Normalization]:
        """The sentences as the master's normalizations, each with its kind."""
        from pipeline.master.model import Normalization

        return [
            Normalization(sentence, "anomaly" if kind in self.anomalies else "artifact")
            for kind, sentence in zip(self.kinds, self.sentences())
        ]

    def sentences(self) -> list[str]:
        out = []
        for kind, spots in self.kinds.items():
            places = list(dict.fromkeys(s for s in spots if s))  # each place once, in order
            where = ""
            if places:
                shown = ", ".join(places)  # every place: the source check excuses a removal by its line
                where = f" ({shown})"
            count = f"{len(spots)} x " if len(spots) > 1 else ""
            out.append(f"{count}{kind}{where}.")
        return out


@dataclass(frozen=True)
class TextSlot:
    """A text node of the tree: ``owner.text`` or ``owner.tail`` (read when needed, so
    changes made to the tree after flattening are seen)."""

    owner: etree._Element
    attr: str  # "text" or "tail"

    def get(self) -> str:
        return (self.owner.text if self.attr == "text" else self.owner.tail) or ""

    def set(self, value: str) -> None:
        if self.attr == "text":
            self.owner.text = value
        else:
            self.owner.tail = value


# One piece of loose inline content: an element (``em``, ``a``, ``br``...) or a text node.
RunItem: TypeAlias = etree._Element | TextSlot


@dataclass(eq=False)
class Run:
    """Loose inline content between blocks: the children of ``parent`` after the block
    ``after`` (or from the start) up to the block ``until`` (or the end); an anonymous
    paragraph. Its items are computed from the tree each time."""

    parent: etree._Element
    after: etree._Element | None
    until: etree._Element | None
    sourceline: int | None = None

    def items(self) -> list[RunItem]:
        out: list[RunItem] = []
        lead = TextSlot(self.parent, "text") if self.after is None else TextSlot(self.after, "tail")
        if lead.get():
            out.append(lead)
        started = self.after is None
        for child in self.parent:
            if not started:
                started = child is self.after
                continue
            if child is self.until:
                break
            if is_element(child):
                out.append(child)
            if child.tail:
                out.append(TextSlot(child, "tail"))
        return out

    def text(self) -> str:
        parts = [i.get() if isinstance(i, TextSlot) else i.text_content() for i in self.items()]
        return collapse("".join(parts)).strip(" ")


def sequence(el: etree._Element) -> list[RunItem]:
    """An element's content as text slots and child elements, in order."""
    out: list[RunItem] = [TextSlot(el, "text")] if el.text else []
    for child in el:
        if is_element(child):
            out.append(child)
        if child.tail:
            out.append(TextSlot(child, "tail"))
    return out


# The reader's block: what :func:`flatten` yields and every later phase passes around (the
# head's lines, the information block, the text, a note's paragraphs). Either an HTML block
# element of the parsed page (``p``, ``h1``, ``blockquote``, ``table``, ``hr``...) or a
# :class:`Run` of loose inline content. Only a Run is not an element: test for it first
# (``isinstance(block, Run)``) before reading ``.tag`` or iterating the element.
PageBlock: TypeAlias = etree._Element | Run


@dataclass
class ParsedPage:
    path: Path
    root: etree._Element
    body: etree._Element
    decoded: Decoded
    truncated_at: int | None = None  # the last line, when the page ends without </body> or </html>


# C0 controls, DEL, and the five C1 codes windows-1252 leaves undefined (the other C1
# codes are windows-1252 punctuation saved as Latin-1: the converter reads them so).
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x81\x8d\x8f\x90\x9d]")


def without_controls(decoded: Decoded) -> tuple[Decoded, list[str]]:
    """Rule *stray control character*: a control character in the page is no word of the work.

    Layout: pages typed in old word processors keep a stray control byte inside a
    word (archive/hardcastle/*, archive/fitzgerald/*: "Italian \\x81eplanes"); a browser
    shows nothing for it and XML cannot hold it. It is removed and the removal recorded
    (in the encoding sentence of the header, with its line).
    """
    found = [(m.group(0), decoded.text.count("\n", 0, m.start()) + 1) for m in CONTROLS.finditer(decoded.text)]
    if not found:
        return decoded, []
    shown = ", ".join(f"U+{ord(c):04X} at line {line}" for c, line in found[:6]) + (
        f" and {len(found) - 6} more" if len(found) > 6 else ""
    )
    removed = f"removed {len(found)} control character(s) no browser shows ({shown})"
    return Decoded(CONTROLS.sub("", decoded.text), decoded.declared, decoded.used, decoded.reason, removed), [shown]


def parse(data: bytes, path: Path) -> ParsedPage:
    decoded = decode(data, path)
    decoded, removed = without_controls(decoded)
    check_xml_chars(decoded.text, path)
    # Rule *page without its end tags*: a browser shows such a page whole; the reader
    # reads it whole and the master records that the source may be truncated.
    truncated_at = None if CLOSING.search(decoded.text) else decoded.text.count("\n") + 1
    try:
        root = lxml.html.document_fromstring(decoded.text.encode("utf-8"), parser=PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise PipelineError(f"not an HTML page: {exc}", path) from None
    check_depth(PARSER.error_log, path)
    root.getroottree().docinfo.URL = str(path)  # the page's figures are looked up by it
    check_references(root, path)
    body = root.find("body")
    if body is None or not text_of(body):
        raise PipelineError("the page has no body text (truncated or not an HTML page)", path)
    return ParsedPage(path, root, body, decoded, truncated_at)


def check_depth(errors: etree._ListErrorLog, path: Path) -> None:
    """Rule *nesting past the parser's depth*: libxml2 stops reading a page nested deeper than
    MAX_DEPTH elements (300 unclosed ``<font>``, 260 ``<blockquote>``) and keeps only what came
    before, without a word: every word after that point would be lost from the master and from
    the source check alike (both read through libxml2). The page is refused instead, at the line
    where the reading stopped, so the loss can never be silent."""
    for error in errors:
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT or "Excessive depth" in error.message:
            raise PipelineError(
                f"elements nested deeper than {MAX_DEPTH} levels here: the HTML parser stops reading at this "
                "point and the rest of the page would be lost; not read (close the unclosed tags before it)",
                path,
                error.line,
            )


def check_references(root: etree._Element, path: Path) -> None:
    """Character references (``&#1;``) can name characters XML cannot hold; refuse them
    at their element, as the raw text check does for literal ones."""
    for el in root.iter():
        for text in (el.text, el.tail, *el.attrib.values()):
            found = XML_INCOMPATIBLE.search(text) if text else None
            if found:
                char = found.group(0)
                raise PipelineError(
                    f"character reference to U+{ord(char):04X} cannot be kept in XML; fix the source",
                    path,
                    el.sourceline,
                )


def holds_blocks(el: etree._Element) -> bool:
    """An inline element that wraps paragraphs or headings (``<font><p>..``) acts as a wrapper."""
    return any(is_element(d) and d.tag in BLOCK_TAGS for d in el.iterdescendants())


def table_cells(table: etree._Element) -> list[etree._Element]:
    cells: list[etree._Element] = table.xpath("./tr/td|./tr/th|./thead/tr/*|./tbody/tr/*|./tfoot/tr/*")
    return cells


def table_content(table: etree._Element, rec: Recorder | None = None) -> list[etree._Element]:
    """A layout table's cells; rule *a table without cells*: a table whose ``<tr><td>`` an
    unclosed attribute swallowed (``<table WIDTH="100%&#8221; >``, archive/weisbord/OneOne.htm)
    holds its text itself, as a browser shows it: read as the text it holds, recorded."""
    cells = table_cells(table)
    if not cells and collapse(table.text_content()).strip():
        if rec is not None:
            rec.add("Read a table without cells (its rows lost to the page's markup) as its text", table.sourceline)
        return [table]
    return cells


def is_layout_table(table: etree._Element) -> bool:
    """A table used to lay out the page (the text in its cells), not a table of data:
    one cell, or cells holding headings, quotations, tables or several paragraphs."""
    cells = table_cells(table)
    return len(cells) <= 1 or any(
        c.xpath(f".//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//blockquote|.//table|.//{FIGURE_TAG}")
        or len(c.xpath("./p")) > 1
        for c in cells
    )


def is_layout_blockquote(el: etree._Element) -> bool:
    """Rule *heading inside blockquote*: a ``blockquote`` that holds ``h1``-``h3`` is layout.

    Layout: pages indented whole by a ``blockquote`` (archive/rosdolsky/1965/workers.htm:
    author, title, information block and text all inside one); a quotation never holds
    the page's title. Its blocks are read as the page's own.
    """
    return bool(el.xpath("./h1|./h2|./h3|./*/h1|./*/h2|./*/h3"))


def flatten(container: etree._Element, rec: Recorder | None = None) -> list[PageBlock]:
    """The blocks of ``container`` in reading order (see the module docstring)."""
    out: list[PageBlock] = []

    def walk(el: etree._Element) -> None:
        after: etree._Element | None = None
        pending = bool((el.text or "").strip(" \t\r\n\f"))
        line = el.sourceline
        for child in el:
            if not is_element(child):
                continue
            if (
                child.tag in BLOCK_TAGS
                or child.tag in ("li", "dt", "dd")
                or child.tag in CONTAINER_TAGS
                or holds_blocks(child)
            ):
                if pending:
                    out.append(Run(el, after, child, line))
                if child.tag == "table" and is_layout_table(child):
                    if rec is not None:
                        rec.add("Read a layout table's cells as the text they hold", child.sourceline)
                    for cell in table_content(child, rec):
                        walk(cell)
                elif child.tag == "blockquote" and is_layout_blockquote(child):
                    if rec is not None:
                        rec.add(
                            "Read a blockquote that holds the page's headings as the text it holds, not a quotation",
                            child.sourceline,
                        )
                    walk(child)
                elif child.tag in CONTAINER_TAGS or (
                    child.tag not in BLOCK_TAGS and child.tag not in ("li", "dt", "dd")
                ):
                    walk(child)
                else:
                    out.append(child)
                after = child
                pending = bool((child.tail or "").strip(" \t\r\n\f"))
                line = child.sourceline
            else:
                if not pending:
                    line = child.sourceline
                pending = True
        if pending:
            out.append(Run(el, after, None, line))

    walk(container)
    return out


def block_line(block: PageBlock) -> int | None:
    return block.sourceline


def block_text(block: PageBlock) -> str:
    return block.text() if isinstance(block, Run) else text_of(block)


def block_tag(block: PageBlock) -> str:
    return "run" if isinstance(block, Run) else block.tag


def drop(el: etree._Element) -> None:
    """Remove ``el`` from the tree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def links_only(el: etree._Element) -> bool:
    """The element's words are all inside links (separators aside), and it has a link."""
    if not el.xpath(".//a[@href]"):
        return False
    loose = "".join(el.xpath(".//text()[not(ancestor::a[@href])]"))
    return bool(NAV_SEPARATORS.match(collapse(loose)))


def link_texts(el: etree._Element) -> list[str]:
    return [text_of(a) for a in el.iter("a") if a.get("href")]


def is_contents_in_link_class(el: etree._Element, cls: set[str]) -> bool:
    """Rule *contents in p.link*: a ``p.link`` whose links are not navigation is the work's own.

    Layout: book index pages (e.g. archive/cliff/works/1964/russia/index.htm, and most
    multi-part works' ``index.htm``) list their chapters in ``p.link`` paragraphs, the
    class other pages give to "Top of the page". Only a ``p.link`` whose every link reads
    as navigation ("Top of the page", "Contents", "Next chapter") is furniture.
    """
    if "link" not in cls or cls & (set(FURNITURE_CLASSES) - {"link"}):
        return False
    texts = [t for t in link_texts(el) if t]
    loose = collapse("".join(el.xpath(".//text()[not(ancestor::a[@href])]")))
    if not texts:
        return bool(loose.strip())
    return not all(NAV_TEXT.match(t) for t in texts) or not NAV_SEPARATORS.match(loose)


CLOSES_P = ".//p|.//h1|.//h2|.//h3|.//h4|.//h5|.//h6|.//blockquote|.//ul|.//ol|.//dl|.//pre|.//hr|.//div|.//center"


def close_open_paragraphs(body: etree._Element, rec: Recorder) -> None:
    """Rule *paragraph left open*: a ``p`` holding blocks is closed where the first begins.

    Layout: an information block whose last ``span`` is never closed
    (archive/grant/1944/11/sell-out.htm: ``<span class="info">Transcription/Proofread:
    Maarten, 2007<br />`` and no ``</span>``). libxml2 nests the rest of the page in that
    span, inside the ``p``; a browser (HTML5) closes the ``p`` at the next block start
    tag. The blocks are moved out after the ``p``, in order, as a browser lays them out,
    so the text is not read as the information block.
    """
    for p in list(body.iter("p")):
        if p.getparent() is None:
            continue
        inner = p.xpath(CLOSES_P)
        if not inner:
            continue
        first = inner[0]
        moved: list[etree._Element] = []
        node = first
        while node is not p:
            parent = node.getparent()
            moved.extend(list(parent)[parent.index(node) if node is first else parent.index(node) + 1 :])
            node = parent
        anchor = p
        for el in moved:
            anchor.addnext(el)
            anchor = el
        rec.add(
            "Closed a paragraph left open by broken markup where the next block begins, as a browser does", p.sourceline
        )


def remove_furniture(body: etree._Element, rec: Recorder) -> str | None:
    """Strip the page furniture from ``body`` (in place); return the "Last updated" text."""
    last_updated: str | None = None
    close_open_paragraphs(body, rec)
    for el in list(body.iter(*DROP_TAGS)):
        drop(el)
    remove_images(body, rec)
    for el in list(body.iter("p", "div", "span", "ul", "table", "h3", "h4", "h5", "h6", "a")):
        if el.getparent() is None:
            continue
        cls = classes(el)
        if is_updated_line(el, cls):
            m = LAST_UPDATED.match(text_of(el))
            if m and m.group(1) and last_updated is None:
                last_updated = m.group(1).strip()
            else:
                rec.add("Removed the 'updated' paragraph (p.updat)", el.sourceline)
            drop(el)
            continue
        hit = furniture_kind(el, cls)
        if hit:
            rec.add(f"Removed {hit}", el.sourceline)
            drop(el)
    return last_updated


def remove_images(body: etree._Element, rec: Recorder) -> None:
    """The site's furniture images are removed and recorded (the footer's "return" image
    map by that name); so is an image the source's manifest does not mention (a source
    brought in before figures were). A figure of the work becomes a placeholder block
    (:data:`FIGURE_TAG`) before the paragraph it stood in."""
    page = body.getroottree().docinfo.URL or ""
    for img in list(body.iter("img")):
        alt = (img.get("alt") or "").strip()
        src = img.get("src") or ""
        kind = furniture(img)
        found = figures.lookup(page, *figure_src(img)) if kind is None else None
        if found is not None:
            place_figure(img, found, alt)
            continue
        if kind == "return":
            rec.add("Removed the 'return' image map of the page footer", img.sourceline)
        else:
            rec.add(
                f"Removed an image ({src.rsplit('/', 1)[-1] or 'no source'}{', alt ' + repr(alt) if alt else ''})",
                img.sourceline,
            )
        drop(img)


def place_figure(img: etree._Element, found: figures.Present | figures.Absent, alt: str) -> None:
    """Put the figure's placeholder where a browser shows the image as a block of its own:
    before the paragraph (or data table) holding it, or in its place when its parent is a
    container (a ``div``, ``center``, a layout table's cell)."""
    ph = etree.Element(FIGURE_TAG)
    ph.set("url", found.url)
    ph.set("alt", alt)
    ph.set("line", str(img.sourceline or ""))
    if isinstance(found, figures.Present):
        ph.set("file", found.name)
        ph.set("media-type", found.media_type)
        ph.set("width", str(found.width))
        ph.set("height", str(found.height))
    else:
        ph.set("missing", found.reason)
    anchor: etree._Element | None = None
    for anc in img.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in CONTAINER_TAGS or tag in ("blockquote", "li", "dd", "dt", "fieldset"):
            break
        if tag in ("td", "th"):
            table = next((a for a in anc.iterancestors() if a.tag == "table"), None)
            if table is None or is_layout_table(table) or table.xpath(".//img"):
                break
        anchor = anc
    if anchor is None:
        img.addprevious(ph)
    else:
        anchor.addprevious(ph)
    ph.tail = None
    drop(img)


def is_updated_line(el: etree._Element, cls: set[str]) -> bool:
    """The "Last updated" line: ``p.updat``, or a short paragraph that says so."""
    small = el.tag in ("p", "span") or (el.tag == "div" and len(el) <= 3)
    return "updat" in cls or bool(small and LAST_UPDATED.match(text_of(el) if small else "") and len(text_of(el)) < 120)


def furniture_kind(el: etree._Element, cls: set[str]) -> str | None:
    """What furniture a classed element is (breadcrumbs, "Top of the page" links, the
    footer...), by the first of its classes that names furniture; None for the text's own."""
    hit = next((FURNITURE_CLASSES[c] for c in sorted(cls) if c in FURNITURE_CLASSES), None)
    return hit if hit and not is_contents_in_link_class(el, cls) else None
