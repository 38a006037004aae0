"""HTML elements -> the document model's blocks and inlines.

Whitespace is collapsed as a browser collapses it (runs of ASCII whitespace become one
space, dropped at block edges and beside line breaks; no-break spaces are kept inside
the text), so the master holds the words a reader of the page sees, in order.
Presentational markup is read for its meaning: ``em``/``i`` italic, ``b``/``strong``
bold, ``sup``, small capitals (``font-variant: small-caps``), ``q`` quotations,
bracketed editor's words as :class:`Supplied`. Note markers were already replaced by
``<mia-noteref>`` placeholders (see :mod:`pipeline.readers.mia_html.notes`).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from pipeline.master.model import (
    Block,
    Closer,
    Head,
    Hi,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Para,
    Q,
    Quote,
    Supplied,
    Table,
)
from pipeline.readers.mia_html.closings import closings
from pipeline.readers.mia_html.dom import (
    BLOCK_TAGS,
    FIGURE_TAG,
    MARKER_TAG,
    PageBlock,
    Recorder,
    Run,
    TextSlot,
    classes,
    collapse,
    flatten,
    is_element,
    is_layout_table,
    style,
    table_content,
)
from pipeline.readers.mia_html.figures import figure, with_captions

ITALIC = frozenset("em i cite dfn var".split())
BOLD = frozenset("b strong".split())
UNWRAP = frozenset("span font small big abbr acronym tt code kbd samp nobr label bdo ins blink".split())
QUOTE_CLASSES = frozenset("quote quoteb quotec quoted blockquote indentquote citation extract".split())
HEAD_CLASSES = frozenset("title subtitle sub subhead subheading heading head chapter section".split())
SIG_CLASSES = frozenset("sig signed signature".split())
DATELINE_CLASSES = frozenset("dateline date datel place".split())
EDITORIAL_CLASSES = frozenset("editorial editor inote ednote-inline context".split())
MARGIN_CLASSES = frozenset("mn-note marginal marginal-note margin-note sidenote".split())
SMALLCAPS_CLASSES = frozenset("smallcaps small-caps sc".split())
# Tags whose meaning is a highlighting of their words: the rendition the model gives them.
TAG_RENDS = {
    **dict.fromkeys(ITALIC, "italic"),
    **dict.fromkeys(BOLD, "bold"),
    "u": "underline",
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    "sup": "sup",
    "sub": "sub",
}
EDGE = " \xa0"
# Bracketed words inside the text: the MIA's convention for an editor's insertion.
BRACKETED = re.compile(r"\[([^\[\]]*[^\W\d_][^\[\]]*)\]")
# C1 controls in the text (the parser already reads "&#150;" as browsers do) are
# windows-1252 punctuation that went through a Latin-1 step: never text of their own.
C1 = re.compile("[\x80-\x9f]")
C1_MAP = {chr(b): bytes([b]).decode("windows-1252", "ignore") or chr(b) for b in range(0x80, 0xA0)}

URI_UNSAFE = re.compile(r'[\x00-\x20"<>\\^`{|}\[\]\x7f]')
# The schemes a link of the master may keep: a "file:" link (the transcriber's own disk),
# "javascript:" or "data:" would follow the text into every edition; its words stay, unlinked.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})


class Converter:
    """Converts one page's elements; ``base_url`` resolves relative links."""

    def __init__(self, base_url: str, rec: Recorder, noterefs: dict[str, NoteRef], author: str = "") -> None:
        self.base_url = base_url
        self.rec = rec
        self.noterefs = noterefs
        self.author = author
        self.surname = author.split()[-1].lower().strip(".,") if author.split() else ""
        # Quotations made from p.quote/p.quoteb paragraphs: a run of them is one quotation
        # (a <blockquote> stands alone). Kept as objects so their ids stay theirs.
        self.paragraph_quotes: list[Quote] = []
        self.pre = False  # inside <pre>: whitespace is kept

    # -- inlines ----------------------------------------------------------------------
    def text(self, s: str | None, line: int | None) -> list[Inline]:
        if not s:
            return []
        if self.pre:  # preformatted: the lines stay lines
            out: list[Inline] = []
            for i, part in enumerate(s.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
                if i:
                    out.append(LineBreak())
                if part:
                    out.append(part)
            return out
        s = collapse(s)
        if C1.search(s):
            self.rec.add(
                "Read C1 control characters (U+0080-U+009F, left where windows-1252 text was saved as Latin-1) "
                "as the windows-1252 characters they stand for",
                line,
            )
            s = C1.sub(lambda m: C1_MAP[m.group(0)], s)
        return [s]

    def inlines(self, el: etree._Element) -> list[Inline]:
        """The content of ``el`` (not its tail)."""
        out: list[Inline] = self.text(el.text, el.sourceline)
        for child in el:
            if is_element(child):
                out.extend(self.inline(child))
            out.extend(self.text(child.tail, child.sourceline))
        return out

    def inline(self, el: etree._Element) -> list[Inline]:
        """One inline element: a note's placeholder, a line break, or its content with the
        meaning its tag gives (emphasis, a quotation, a link) or its class and style give."""
        tag = el.tag
        if tag == MARKER_TAG:
            return [self.noterefs[el.get("key")]]
        if tag == "br":
            return [LineBreak()]
        kids = self.inlines(el)
        if tag in TAG_RENDS:
            return [Hi(TAG_RENDS[tag], kids)]
        if tag == "q":
            return [Q(kids)]
        if tag == "a":
            return self.link(el, kids)
        if tag in BLOCK_TAGS or tag in ("li", "dt", "dd", "div"):
            return [LineBreak(), *kids, LineBreak()]  # a block inside a paragraph: keep it on its own line
        return styled(el, kids)

    def link(self, el: etree._Element, kids: list[Inline]) -> list[Inline]:
        href = (el.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "data:")):
            return kids
        try:
            target = urljoin(self.base_url, href)
            if urlsplit(target).scheme.lower() not in LINK_SCHEMES:
                return kids
        except ValueError:
            return kids
        # Characters a URI may not hold unescaped (a space, "[28]" in a file name) are
        # percent-encoded as a browser does when it follows the link; a target stays an
        # xsd:anyURI the master's schema accepts. Non-ASCII letters stay (an IRI is allowed).
        target = URI_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), target)
        return [Link(target, kids)] if kids else []

    # -- whitespace -------------------------------------------------------------------
    def tidy(self, items: list[Inline], pre: bool = False) -> list[Inline]:
        """Collapse whitespace across element boundaries as a browser does."""
        if pre:
            return _merge(items)
        items, _ = _forward(items, "edge")
        items, _ = _backward(items, True)
        items = _merge(items)
        while items and isinstance(items[0], LineBreak):
            items.pop(0)
        while items and isinstance(items[-1], LineBreak):
            items.pop()
        return items

    def supplied(self, items: list[Inline]) -> list[Inline]:
        """Mark bracketed editor's words ("[open their books]") as :class:`Supplied`; the
        brackets stay in the text, outside the element."""
        out: list[Inline] = []
        for item in items:
            if isinstance(item, str):
                pos = 0
                for m in BRACKETED.finditer(item):
                    if len(m.group(1).strip()) < 2:
                        continue
                    out.append(item[pos : m.start() + 1])
                    out.append(Supplied([m.group(1)]))
                    pos = m.end() - 1
                out.append(item[pos:])
            elif isinstance(item, (Hi, Q, Link)):
                item.children = self.supplied(item.children)
                out.append(item)
            else:
                out.append(item)
        return [i for i in out if i != ""]

    # -- blocks -----------------------------------------------------------------------
    def para_inlines(self, block: PageBlock) -> list[Inline]:
        if isinstance(block, Run):
            out: list[Inline] = []
            for item in block.items():
                out.extend(self.text(item.get(), block.sourceline) if isinstance(item, TextSlot) else self.inline(item))
            return self.supplied(self.tidy(out))
        if block.tag == "pre":
            self.pre = True
            try:
                kids = self.inlines(block)
            finally:
                self.pre = False
            while kids and isinstance(kids[0], LineBreak):
                kids.pop(0)
            while kids and isinstance(kids[-1], LineBreak):
                kids.pop()
            return self.supplied(self.tidy(kids, pre=True))
        return self.supplied(self.tidy(self.inlines(block)))

    def paras(self, block: PageBlock, rend: str | None = None) -> list[Block]:
        """One block's inlines as paragraphs, split where the page has a blank line (<br><br>)."""
        return self.split_paras(self.para_inlines(block), rend, block.sourceline)

    def split_paras(self, kids: list[Inline], rend: str | None, line: int | None) -> list[Block]:
        if not kids:
            return []
        out: list[Para] = []
        current: list[Inline] = []
        breaks = 0
        for item in kids:
            if isinstance(item, LineBreak):
                breaks += 1
                continue
            if breaks >= 2 and current:
                out.append(Para(_newline_after_breaks(_strip_edges(current)), rend))
                current = []
                self.rec.add("Split a paragraph at a blank line (<br><br>)", line)
            elif breaks == 1 and current:
                current.append(LineBreak())
            breaks = 0
            current.append(item)
        if current:
            out.append(Para(_newline_after_breaks(_strip_edges(current)), rend))
        return [p for p in out if p.children]

    def blocks(self, items: list[PageBlock]) -> list[Block]:
        out: list[Block] = []
        captions: set[int] = set()
        figure_table: etree._Element | None = None  # the table the last figure stood in
        for block in items:
            converted = self.block(block)
            element = block.parent if isinstance(block, Run) else block
            table = next(element.iterancestors("table"), None)
            if ("caption" in classes(element) and not isinstance(block, Run)) or (
                table is not None and table is figure_table
            ):
                captions.update(id(b) for b in converted)
            if not isinstance(block, Run) and block.tag == FIGURE_TAG:
                figure_table = table
            elif converted:
                figure_table = None
            out.extend(converted)
        out = closings(with_captions(out, captions), self.author, self.rec)
        return merge_adjacent(out, {id(q) for q in self.paragraph_quotes})

    def block(self, block: PageBlock) -> list[Block]:
        """One block of the page as the model's blocks (none for a rule or an empty block)."""
        if isinstance(block, Run):
            return self.paras(block)
        tag = block.tag
        if tag == "hr":
            self.rec.add("Dropped horizontal rules (section separators)", block.sourceline)
            return []
        if tag == FIGURE_TAG:
            return [figure(block)]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            kids = self.para_inlines(block)
            return [Head(_no_breaks(kids), level=int(tag[1]))] if kids else []
        if tag == "blockquote":
            inner = self.blocks(flatten(block, self.rec))
            return [Quote(inner)] if inner else []
        if tag in ("ul", "ol", "dir", "menu"):
            return self.list_block(block)
        if tag == "dl":
            return self.definition_list(block)
        if tag == "table":
            return self.table(block)
        if tag in ("li", "dt", "dd"):
            return self.paras(block)
        if tag == "fieldset":
            return self.blocks(flatten(block, self.rec))
        return self.paragraph(block)

    def paragraph(self, el: etree._Element) -> list[Block]:
        """A ``p``, ``pre`` or ``address``: a quotation, a heading, a signature or a dateline
        when its class says so; else paragraphs (a right-aligned one with the author's
        name is a signature)."""
        cls = classes(el)
        if cls & QUOTE_CLASSES:
            inner = self.paras(el)
            if not inner:
                return []
            quote = Quote(inner)
            self.paragraph_quotes.append(quote)  # consecutive p.quote paragraphs are one quotation
            return [quote]
        if cls & HEAD_CLASSES:
            kids = self.para_inlines(el)
            return [Head(_no_breaks(kids), level=4)] if kids else []
        if cls & SIG_CLASSES:
            kids = self.para_inlines(el)
            return [Closer(signed=_newline_after_breaks(kids))] if kids else []
        if cls & DATELINE_CLASSES:
            kids = self.para_inlines(el)
            return [Closer(dateline=_newline_after_breaks(kids))] if kids else []
        rend = paragraph_rend(el, cls)
        paras = self.paras(el, rend)
        only = paras[0] if len(paras) == 1 else None
        if rend == "right" and isinstance(only, Para) and self.is_signature(only):
            return [Closer(signed=only.children)]
        return paras

    def is_signature(self, para: Para) -> bool:
        words = "".join(i for i in para.children if isinstance(i, str))
        return bool(self.surname) and len(words) <= 60 and self.surname in words.lower()

    def list_block(self, el: etree._Element) -> list[Block]:
        if not any(is_element(c) and c.tag == "li" for c in el):
            return self.indentation(el)
        items: list[list[Block]] = []
        for li in el:
            if not is_element(li):
                continue
            if li.tag != "li":  # stray content between items
                inner = (
                    self.block(li)
                    if li.tag in BLOCK_TAGS
                    else self.split_paras(self.supplied(self.tidy(self.inline(li))), None, li.sourceline)
                )
            elif any(is_element(c) and (c.tag in BLOCK_TAGS) for c in li):
                inner = self.blocks(flatten(li, self.rec))
            else:
                inner = self.paras(li)
            if inner:
                items.append(inner)
        return [ListBlock(items, ordered=el.tag == "ol")] if items else []

    def indentation(self, el: etree._Element) -> list[Block]:
        """Rule *a list without items*: a ``dir`` or ``ul`` holding text and no ``li``, the
        old way to indent a quotation (archive/weisbord/TwoFive.htm: ``<dir><dir>"To put
        disarmament ...``), shows no bullet: it is a quotation of the text it holds, its
        loose text included; nested ones are one quotation."""
        inner = self.blocks(flatten(el, self.rec))
        if not inner:
            return []
        self.rec.add(f"Read a <{el.tag}> without list items (an indentation) as a quotation", el.sourceline)
        return inner if len(inner) == 1 and isinstance(inner[0], Quote) else [Quote(inner)]

    def definition_list(self, el: etree._Element) -> list[Block]:
        items: list[list[Block]] = []
        for child in el:
            if not is_element(child):
                continue
            inner = (
                self.blocks(flatten(child, self.rec))
                if any(is_element(c) and c.tag in BLOCK_TAGS for c in child)
                else self.paras(child)
            )
            if not inner:
                continue
            if child.tag == "dd" and items:
                items[-1].extend(inner)
            else:
                items.append(inner)
        return [ListBlock(items)] if items else []

    def table(self, el: etree._Element) -> list[Block]:
        # Rule *table caption*: a data table's caption (archive/bukharin/works/1917/
        # imperial/01.htm: "Price Per Thousand Kilogrammes ...") is text of the work: it
        # stands before the table as a paragraph.
        captions: list[Block] = [Para(kids) for c in el.xpath("./caption") if (kids := self.para_inlines(c))]
        return captions + self._table(el)

    def _table(self, el: etree._Element) -> list[Block]:
        rows = el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        layout = is_layout_table(el)
        if layout:
            self.rec.add("Read a layout table's cells as the text they hold", el.sourceline)
            out: list[Block] = []
            for cell in table_content(el, self.rec):
                out.extend(self.blocks(flatten(cell, self.rec)))
            return merge_adjacent(out, {id(q) for q in self.paragraph_quotes})
        table_rows: list[list[list[Inline]]] = []
        head_rows = 0
        for r in rows:
            row = [_newline_after_breaks(self.para_inlines(c)) for c in r if is_element(c) and c.tag in ("td", "th")]
            if not any(row):
                continue
            if len(table_rows) == head_rows and (
                r.getparent().tag == "thead" or all(c.tag == "th" for c in r if is_element(c))
            ):
                head_rows += 1
            table_rows.append(row)
        return [Table(table_rows, head_rows)] if table_rows else []


def styled(el: etree._Element, kids: list[Inline]) -> list[Inline]:
    """An element without meaning of its own (``span``, ``font``, ``small``...): what its
    class or its style says, else its content alone (presentation only)."""
    cls = classes(el)
    css = style(el)
    if cls & MARGIN_CLASSES:
        return [Hi("marginal-note", kids)]  # a marginal comment, kept where the page has it
    if cls & EDITORIAL_CLASSES:
        return [Supplied(kids)]
    if cls & SMALLCAPS_CLASSES or "font-variant:small-caps" in css:
        return [Hi("smallcaps", kids)]
    if "font-style:italic" in css:
        return [Hi("italic", kids)]
    if "font-weight:bold" in css or "font-weight:700" in css:
        return [Hi("bold", kids)]
    if "text-decoration:underline" in css:
        return [Hi("underline", kids)]
    return kids


def paragraph_rend(el: etree._Element, cls: set[str]) -> str | None:
    """How a paragraph is set: centred, right-aligned, indented or preformatted, by its
    class, its ``align`` or its style."""
    align = (el.get("align") or "").lower()
    css = style(el)
    if "center" in cls or "c" in cls or "centered" in cls or align == "center" or "text-align:center" in css:
        return "center"
    if "right" in cls or align == "right" or "text-align:right" in css:
        return "right"
    if any(c.startswith("indent") for c in cls):
        return "indent"
    if el.tag == "pre":
        return "pre"
    return None


def merge_adjacent(blocks: list[Block], paragraph_quotes: set[int] | frozenset[int] = frozenset()) -> list[Block]:
    """Consecutive quotation paragraphs are one quotation; a signature and the dateline
    after it are one closer (never reordered: the words stay in the page's order)."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(b, Quote)
            and isinstance(prev, Quote)
            and id(b) in paragraph_quotes
            and id(prev) in paragraph_quotes
        ):
            prev.blocks.extend(b.blocks)
        elif (
            isinstance(b, Closer)
            and isinstance(prev, Closer)
            and b.signed is None
            and not b.other
            and b.dateline is not None
            and prev.dateline is None
        ):
            prev.dateline = b.dateline
        else:
            out.append(b)
    return out


def _no_breaks(items: list[Inline]) -> list[Inline]:
    """A heading's line breaks become spaces (a heading is one line in a table of contents)."""
    out: list[Inline] = []
    for item in items:
        if isinstance(item, LineBreak):
            if out and isinstance(out[-1], str) and not out[-1].endswith(" "):
                out.append(" ")
            elif not out or not isinstance(out[-1], str):
                out.append(" ")
        elif isinstance(item, (Hi, Q, Supplied, Link)):
            item.children = _no_breaks(item.children)
            out.append(item)
        else:
            out.append(item)
    return _merge(out)


def _forward(items: list[Inline], state: str) -> tuple[list[Inline], str]:
    """Drop spaces a browser would not show: after a space, at the block's start, after a break.

    ``state`` is "edge" (block start or after a line break: spaces and no-break spaces
    go), "space" (the text so far ends with a space) or "" (it does not).
    """
    out: list[Inline] = []
    for it in items:
        if isinstance(it, str):
            s = it.lstrip(EDGE) if state == "edge" else it.lstrip(" ") if state == "space" else it
            if not s:
                continue
            out.append(s)
            state = "space" if s.endswith(" ") else ""
        elif isinstance(it, LineBreak):
            out.append(it)
            state = "edge"
        elif isinstance(it, NoteRef):
            out.append(it)
            state = ""
        else:
            kids, state = _forward(it.children, state)
            if kids and all(isinstance(k, str) and not k.strip(" ") for k in kids) and not isinstance(it, Link):
                out.append(" ")
            elif kids:
                it.children = kids
                out.append(it)
    return out, state


def _backward(items: list[Inline], at_end: bool) -> tuple[list[Inline], bool]:
    out: list[Inline] = []
    for it in reversed(items):
        if isinstance(it, str):
            s = it.rstrip(EDGE) if at_end else it
            if not s:
                continue
            out.append(s)
            at_end = False
        elif isinstance(it, LineBreak):
            out.append(it)
            at_end = True
        elif isinstance(it, NoteRef):
            out.append(it)
            at_end = False
        else:
            kids, at_end = _backward(it.children, at_end)
            if kids:
                it.children = kids
                out.append(it)
    out.reverse()
    return out, at_end


def _newline_after_breaks(items: list[Inline]) -> list[Inline]:
    """A newline after each line break: the break separates words in the master's text
    as it does on the page (TEI readers take ``<lb/>`` for markup, not for a space)."""
    out: list[Inline] = []
    pending = False
    for item in items:
        if isinstance(item, LineBreak):
            out.append(item)
            pending = True
            continue
        if pending:
            if isinstance(item, str):
                item = "\n" + item
            else:
                out.append("\n")
            pending = False
        if isinstance(item, (Hi, Q, Supplied, Link)):
            item.children = _newline_after_breaks(item.children)
        out.append(item)
    return out


def _merge(items: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for it in items:
        if isinstance(it, str) and out and isinstance(out[-1], str):
            out[-1] += it
        elif it != "":
            out.append(it)
    return out


def _strip_edges(items: list[Inline]) -> list[Inline]:
    items, _ = _forward(items, "edge")
    items, _ = _backward(items, True)
    return _merge(items)
