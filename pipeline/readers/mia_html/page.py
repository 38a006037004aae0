"""One MIA HTML work page -> its parts: head, information block, text, notes.

The MIA's conventions (from its pages and its stylesheet, works.css): the head is an
``h2`` author, an ``h1`` title and an ``h3`` date (variants: no ``h1``, the author in
``p.title``); the information block is ``p.information`` or ``p.info`` between
``hr.infotop`` and ``hr.infobot``, with ``span.info`` labels or in prose; then the text.
A page may carry the information block elsewhere; any ``p.information``/``p.info`` or
block of ``span.info`` labels is read as information wherever it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.model import Block, Head, Hi, InfoLine, Inline, LineBreak, Link, Note, NoteRef, Q, Supplied
from pipeline.readers.encoding import Decoded
from pipeline.readers.mia_html.blocks import Converter, _merge, _no_breaks
from pipeline.readers.mia_html.dom import (
    HEADINGS,
    MARKER_TAG,
    PageBlock,
    Recorder,
    Run,
    RunItem,
    TextSlot,
    block_line,
    block_tag,
    block_text,
    classes,
    collapse,
    flatten,
    is_element,
    is_nav_block,
    parse,
    remove_furniture,
    sequence,
    text_of,
)
from pipeline.readers.mia_html.head import (
    DATE_LINE,
    LABEL_LINE,
    NUMERIC,
    YEAR,
    YEAR_AFTER_NAME,
    archive_folder_author,
    author_heading_of_other_rank,
    chapter_heading,
    is_author_h1,
    is_head_block,
    is_info_block,
    is_series_heading,
    lone_title_paragraph,
    not_an_author,
    rule_between_head_lines,
    title_from_title_element,
    title_h2_beside_meta_author,
)
from pipeline.readers.mia_html.notes import NotePlanner

EDGE = " \xa0"
KNOWN_LABEL = re.compile(
    r"^(written|sources?|first\s+publi|published|delivered|translat|transcri|html|x?html|mark|proof|public\s+domain|"
    r"pubic\s+domain|copyleft|copyright|copright|online\s+version|publisher|spoken|date)",
    re.I,
)
PROSE_LABEL = "Information"  # the label kept for an information line the page does not label
# A piece of an information block, in order: ("label", its words, line), ("text", words,
# line), ("link", href, line) or ("br", "", line) where a line of the block ends.
InfoToken = tuple[str, str, int | None]


@dataclass
class Page:
    path: Path
    url: str
    decoded: Decoded
    author: str | None
    title: list[Inline]  # as the page prints it (note markers included)
    date_text: str | None
    front: list[Block]  # the head's other lines (subtitles) as headings
    info: list[InfoLine]
    body: list[Block]
    notes: list[Note]
    last_updated: str | None
    rec: Recorder
    anchors: dict[str, str]  # fragment -> note xml:id
    links: list[tuple[str, int | None]] = field(default_factory=list)  # hrefs of the text's links, in order
    byline_year: bool = False  # the date line is the year after the author's name ("Karl Korsch 1929")


def plain(items: list[Inline]) -> str:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, LineBreak):
            out.append(" ")
        elif isinstance(item, (Hi, Q, Supplied, Link)):
            out.append(plain(item.children))
    return collapse("".join(out)).strip(EDGE)


def without_noterefs(items: list[Inline]) -> tuple[list[Inline], bool]:
    out: list[Inline] = []
    found = False
    for item in items:
        if isinstance(item, NoteRef):
            found = True
            continue
        if isinstance(item, (Hi, Q, Supplied, Link)):
            kids, f = without_noterefs(item.children)
            found = found or f
            if kids:
                out.append(_rebuild(item, kids))
            continue
        out.append(item)
    out = _merge(out)
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(EDGE)
    return [i for i in out if i != ""], found


def _rebuild(item: Hi | Q | Supplied | Link, kids: list[Inline]) -> Inline:
    """The inline element again, around other children."""
    if isinstance(item, Hi):
        return Hi(item.rend, kids)
    if isinstance(item, Link):
        return Link(item.target, kids)
    return Q(kids) if isinstance(item, Q) else Supplied(kids)


def unlink(items: list[Inline]) -> tuple[list[Inline], int]:
    """Links unwrapped (their words kept); how many there were."""
    out: list[Inline] = []
    count = 0
    for item in items:
        if isinstance(item, Link):
            kids, n = unlink(item.children)
            out.extend(kids)
            count += 1 + n
        elif isinstance(item, (Hi, Q, Supplied)):
            item.children, n = unlink(item.children)
            out.append(item)
            count += n
        else:
            out.append(item)
    return _merge(out), count


class PageReader:
    def __init__(self, path: Path, data: bytes, url: str, id_prefix: str = "") -> None:
        self.path = path
        self.data = data
        self.url = url
        self.prefix = id_prefix
        self.rec = Recorder(path.name)

    def fail(self, message: str, line: int | None = None) -> PipelineError:
        return PipelineError(message, self.path, line)

    def read(self) -> Page:
        parsed = parse(self.data, self.path)
        body = parsed.body
        if parsed.truncated_at:
            self.rec.anomaly(
                "The page ends without </body> or </html>: the source may be truncated; its text is kept as it stands",
                parsed.truncated_at,
            )
        meta_author = self._meta_author(parsed.root)
        last_updated = remove_furniture(body, self.rec)
        blocks = self._clean_blocks(flatten(body, self.rec))
        lead, blocks = self._lead_in(blocks, parsed.root)
        head, i = self._head(blocks)
        info, rest = self._info(blocks, i)
        rest = lead + rest
        title_block, author_block, date_block, extra = self._roles(head, meta_author)
        if title_block is None and (rest or info):
            title_block = title_from_title_element(parsed.root)
            if title_block is not None:
                self.rec.add(
                    f"The page has no heading: its title is the page's <title>, {block_text(title_block)!r}",
                    title_block.sourceline,
                )
        if title_block is None:
            raise self.fail(
                "the page has no title (no h1, no heading after the author, no <title>)",
                block_line(blocks[0]) if blocks else None,
            )
        chapter = chapter_heading(rest, title_block, self.path.name)
        if chapter is not None:
            rest.remove(chapter)
            head = head + [chapter]
            extra = [title_block, *extra]
            self.rec.add(
                f"The page is a chapter of {block_text(title_block)!r} (the page's h1, kept as its first heading): "
                f"its title is the chapter's, {block_text(chapter)[:80]!r}",
                block_line(chapter),
            )
            title_block = chapter
        if author_block is None and not meta_author:
            meta_author = archive_folder_author(self.url)
            if meta_author:
                self.rec.add(
                    f"The page names no author: the author is the archive's own, {meta_author} (the page sits in its folder)"
                )
        if author_block is None and not meta_author:
            raise self.fail(
                "the page has no author (no h2 or p.title before the title, no <meta name=author>, "
                'and not in a known archive/<author>/ folder): add <meta name="author"> to a copy of the page',
                title_block.sourceline,
            )
        planner = NotePlanner(self.path, self.rec, self.prefix)
        plan = planner.plan(body, head, info, rest)
        author_text = meta_author if author_block is None else None
        conv = Converter(self.url, self.rec, plan.noterefs, author_text or block_text(author_block))

        title_inlines = self._head_inlines(conv, title_block, "the title")
        front: list[Block] = []
        for block in extra:
            kids = self._head_inlines(conv, block, "a heading of the page's head")
            if kids:
                front.append(Head(kids, level=int(block.tag[1]) if block.tag in HEADINGS else 4))
        author = author_text
        if author_block is not None:
            a_inlines = self._head_inlines(conv, author_block, "the author line")
            author = plain(a_inlines)
            if any(isinstance(k, NoteRef) for k in _walk(a_inlines)):
                front.insert(0, Head(a_inlines, level=2))
        date_text = None
        if date_block is not None:
            d_inlines = self._head_inlines(conv, date_block, "the date line")
            date_text = plain(d_inlines)
            if any(isinstance(k, NoteRef) for k in _walk(d_inlines)):
                front.append(Head(d_inlines, level=int(date_block.tag[1]) if date_block.tag in HEADINGS else 3))
        bare = YEAR_AFTER_NAME.sub("", author or "").strip()
        byline_year = False
        if bare and bare != author:  # rule *year after the author's name*: "Karl Korsch 1929"
            self.rec.add(f"The author line '{author}' ends with a year: the author is {bare}")
            if date_text is None:  # rule *the byline's year is the date line* (head.YEAR_AFTER_NAME)
                date_text = (author or "")[len(bare) :].strip(" ,")
                byline_year = True
            author = bare
        if not author:
            raise self.fail(
                "the page's author line is empty", author_block.sourceline if author_block is not None else None
            )
        if not plain(title_inlines):
            raise self.fail("the page's title is empty", title_block.sourceline)

        info_lines = self.info_lines(info)
        links = [(a.get("href"), a.sourceline) for b in plan.body for a in _iter_links(b)]
        text = conv.blocks(plan.body)
        notes: list[Note] = []
        for d in plan.defs:
            blocks_ = conv.blocks(d.blocks)
            if d in plan.info_notes:
                value = " ".join(_block_plain(b) for b in blocks_)
                info_lines.append(InfoLine(f"Note {d.label}", value, d.line))
                self.rec.add(
                    f"Kept note {d.label}, whose marker stands in the information block, with the information block",
                    d.line,
                )
                continue
            notes.append(Note(d.xml_id, d.label or "", blocks_, d.resp))
        if not text and not notes and not front:
            raise self.fail("the page has no text after its head and information block")
        return Page(
            path=self.path,
            url=self.url,
            decoded=parsed.decoded,
            author=author,
            title=title_inlines,
            date_text=date_text,
            byline_year=byline_year,
            front=front,
            info=info_lines,
            body=text,
            notes=notes,
            last_updated=last_updated,
            rec=self.rec,
            anchors=plan.anchors,
            links=links,
        )

    # -- structure ----------------------------------------------------------------------
    def _clean_blocks(self, blocks: list[PageBlock]) -> list[PageBlock]:
        """Drop empty blocks and navigation links (breadcrumbs before the head)."""
        out = []
        seen_heading = False
        for block in blocks:
            tag = block_tag(block)
            if tag == "hr":
                out.append(block)
                continue
            if not block_text(block).strip(EDGE) and not (
                not isinstance(block, Run) and block.xpath(".//*[@id or @name]")
            ):
                if tag != "run":
                    self.rec.add(
                        "Dropped empty blocks (spacers, or left empty by the removals above)", block_line(block)
                    )
                continue
            if is_nav_block(block, before_head=not seen_heading):
                what = "breadcrumbs" if not seen_heading else "navigation links"
                self.rec.add(f"Removed {what} {block_text(block)[:60]!r}", block_line(block))
                continue
            if tag in HEADINGS:
                seen_heading = True
            out.append(block)
        return out

    def _lead_in(self, blocks: list[PageBlock], root: etree._Element) -> tuple[list[PageBlock], list[PageBlock]]:
        """Rule *lead-in before the head*: a line or two above the first heading.

        Layout: a portrait's caption (archive/sedova-natalia/1947/06/fi-danger.html:
        ``p.sig`` "Natalia Sedova Trotsky" above the ``h2`` author), or the head's
        ``<title>`` spilled into the body by a stray "<" before the doctype
        (archive/meyer/1922/07/volcano.htm). The words stay, at the start of the text;
        only a spilled ``<title>`` (a browser never shows it) is removed, and recorded.
        """
        k = next((k for k, b in enumerate(blocks[:4]) if is_head_block(b)), None)
        if not k or not any(not isinstance(b, Run) and b.tag in ("h1", "h2", "h3") for b in blocks[k : k + 5]):
            return [], blocks
        title = collapse(" ".join(t.text_content() for t in root.iter("title"))).strip()
        lead = []
        for b in blocks[:k]:
            text = block_text(b).strip()
            if title and isinstance(b, Run) and text.lstrip("<> ").strip() == title:
                self.rec.add(
                    f"Removed the page's <title> {title[:60]!r}, spilled into the body by broken markup", block_line(b)
                )
                continue
            lead.append(b)
        return lead, blocks[k:]

    def _head(self, blocks: list[PageBlock]) -> tuple[list[etree._Element], int]:
        head: list[etree._Element] = []
        i = 0
        while (
            i < len(blocks)
            and not is_info_block(blocks[i])
            and (is_head_block(blocks[i]) or is_series_heading(blocks, i) or rule_between_head_lines(blocks, i, head))
        ):
            if block_tag(blocks[i]) != "hr":
                head.append(blocks[i])
            i += 1
        return head, i

    def _info(self, blocks: list[PageBlock], i: int) -> tuple[list[PageBlock], list[PageBlock]]:
        """The information block(s), and the text's blocks (rules kept: they end notes)."""
        info: list[PageBlock] = []
        start = i
        j = i
        while j < len(blocks) and block_tag(blocks[j]) == "hr" and "infotop" not in classes(blocks[j]):
            j += 1
        if j < len(blocks) and block_tag(blocks[j]) == "hr" and "infotop" in classes(blocks[j]):
            k = next(
                (
                    k
                    for k in range(j + 1, len(blocks))
                    if block_tag(blocks[k]) == "hr" and "infobot" in classes(blocks[k])
                ),
                None,
            )
            if k is not None:
                info = [b for b in blocks[j + 1 : k] if block_tag(b) != "hr"]
                start = k + 1
        body: list[PageBlock] = []
        for block in blocks[start:]:
            (info if is_info_block(block) else body).append(block)
        if not info:  # no p.information anywhere: labelled lines right after the head?
            k = 0
            while k < len(body) and block_tag(body[k]) == "hr":
                k += 1
            while k < len(body) and looks_like_info(body[k]):
                info.append(body.pop(k))
        return info, body

    def _roles(
        self, head: list[etree._Element], meta_author: str | None = None
    ) -> tuple[etree._Element | None, etree._Element | None, etree._Element | None, list[etree._Element]]:
        """Which head lines are the title, the author and the date; the others are extra."""
        title = next((b for b in head if b.tag == "h1"), None)
        author = None
        if title is None and meta_author:
            title = title_h2_beside_meta_author(head, meta_author)
        if title is not None and is_author_h1(title, head, self.url):
            author = title
            title = next(
                (b for b in head[head.index(author) + 1 :] if b.tag in HEADINGS and not YEAR.search(block_text(b))),
                None,
            )
        if title is None:
            # no h1: the heading after the author line (h2 author + h3 title), else the only heading
            headings = [b for b in head if b.tag in HEADINGS]
            if len(headings) >= 2 and headings[0].tag == "h2":
                author, title = headings[0], headings[1]
            elif headings:
                title = headings[0]
            else:
                title = lone_title_paragraph(head)
        before = head[: head.index(title)] if title is not None else []
        after = head[head.index(title) + 1 :] if title is not None else []
        if author is None:
            author = _first(b for b in before if b.tag == "h2")
        if author is None:
            author = _first(
                b for b in before if b.tag == "p" and classes(b) & {"title", "author"} and not not_an_author(b)
            )
        if author is None:
            author = author_heading_of_other_rank(before)
        date = _first(b for b in after if b.tag == "h3" and YEAR.search(block_text(b)))
        if date is None:  # rule *date line in h2*: "(May 1935)" in an h2 under the h1 (archive/cannon/works/1935/*)
            date = _first(b for b in after if b.tag == "h2" and DATE_LINE.fullmatch(block_text(b).strip()))
        if date is None:
            date = _first(
                b
                for b in after
                if b.tag in ("h4", "h5", "h6") and YEAR.search(block_text(b)) and len(block_text(b)) <= 80
            )
        extra = [b for b in head if b is not title and b is not author and b is not date]
        return title, author, date, extra

    def _head_inlines(self, conv: Converter, block: PageBlock, what: str) -> list[Inline]:
        kids = _no_breaks(conv.para_inlines(block))
        kids, n = unlink(kids)
        if n:
            self.rec.add(f"Kept the words of {n} link(s) in {what} without the link", block_line(block))
        return kids

    @staticmethod
    def _meta_author(root: etree._Element) -> str | None:
        for meta in root.iter("meta"):
            if (meta.get("name") or meta.get("http-equiv") or "").lower() == "author" and (
                meta.get("content") or ""
            ).strip():
                return collapse(meta.get("content")).strip()
        return None

    # -- the information block ------------------------------------------------------------
    def info_lines(self, blocks: list[PageBlock]) -> list[InfoLine]:
        """``Label: value`` lines of the information block, verbatim (markers as printed)."""
        out: list[InfoLine] = []
        for block in blocks:
            tokens: list[InfoToken] = []
            _info_tokens(block.items() if isinstance(block, Run) else [block], tokens, top=True)
            out.extend(_labelled_lines(_raw_info_lines(tokens)))
        return out


@dataclass
class RawInfoLine:
    """One line of an information block as its tokens give it, before its label is read."""

    label: str | None  # the words of its span.info label, if it has one
    parts: list[str]  # its text, in pieces
    line: int | None
    hrefs: list[str] = field(default_factory=list)  # the links in it


def _raw_info_lines(tokens: list[InfoToken]) -> list[RawInfoLine]:
    """The block's lines: a label starts one, a line break ends one, loose text outside a
    line starts one of its own (whitespace alone does not)."""
    lines: list[RawInfoLine] = []
    current: RawInfoLine | None = None
    for kind, value, line in tokens:
        if kind == "label":
            current = RawInfoLine(value, [], line)
            lines.append(current)
        elif kind == "br":
            current = None
        elif kind == "link":
            if current is not None:
                current.hrefs.append(value)
        elif value:
            if current is None:
                if not value.strip(" \xa0\t\r\n"):
                    continue
                current = RawInfoLine(None, [], line)
                lines.append(current)
            current.parts.append(value)
    return lines


def _label_and_value(raw: RawInfoLine) -> tuple[str | None, str]:
    """The line's label (its span's words, else a ``Label:`` at its start, else None) and value."""
    label = raw.label
    value = collapse("".join(raw.parts)).strip(EDGE + ":" if label else EDGE)
    if label is not None:
        label = collapse(label).strip(EDGE)
        head, sep, tail = label.partition(":")
        if sep and tail.strip(EDGE + ":"):  # "Proofread: Emil 1998" all inside the label span
            label, value = head, f"{tail.strip(EDGE)} {value}".strip()
        label = re.sub(r"[\s\xa0:]+$", "", label)
    else:
        m = _label_line(value)
        if m:
            label, value = m.group("label").strip(), m.group("value").strip()
    return label, value


def _labelled_lines(raw_lines: list[RawInfoLine]) -> list[InfoLine]:
    """One block's lines as information lines: an unlabelled line continues the labelled
    line before it, else it is kept under :data:`PROSE_LABEL`."""
    block_lines: list[InfoLine] = []
    for raw in raw_lines:
        label, value = _label_and_value(raw)
        if label is None:
            prev = block_lines[-1] if block_lines else None
            if prev is not None and prev.label != PROSE_LABEL:
                prev.value = f"{prev.value} {value}".strip()
                prev.links.extend(raw.hrefs)
                continue
            label = PROSE_LABEL
        if not value and label == PROSE_LABEL:
            continue
        block_lines.append(InfoLine(label, value, raw.line, list(raw.hrefs)))
    return block_lines


def _info_tokens(items: list[RunItem], out: list[InfoToken], top: bool = False) -> None:
    for item in items:
        if isinstance(item, TextSlot):
            out.append(("text", item.get(), item.owner.sourceline))
            continue
        if not is_element(item):
            continue
        tag = item.tag
        if tag == "br":
            out.append(("br", "", item.sourceline))
        elif tag == "span" and "info" in classes(item) and not NUMERIC.match(text_of(item) or "0"):
            out.append(("label", item.text_content(), item.sourceline))
        elif tag == "a" and item.get("href"):
            out.append(("link", item.get("href").strip(), item.sourceline))
            _info_tokens(sequence(item), out)
        elif tag == MARKER_TAG:
            out.append(("text", item.text or "", item.sourceline))
        elif (
            tag in ("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr")
            and not top
        ):
            out.append(("br", "", item.sourceline))
            _info_tokens(sequence(item), out)
            out.append(("br", "", item.sourceline))
        else:
            _info_tokens(sequence(item), out)


def _label_line(text: str) -> re.Match[str] | None:
    """``Label: value``, where the label is a few words, not the end of a sentence.

    Rule *a colon between numbers is no label*: "From International Socialism 2 : 108,
    Autumn 2005." (the second series' issue; some 90 pages, archive/harman/* and
    archive/cliff/*, archive/hallas/* ...) is a line of prose, not a label "International Socialism 2",
    which would swallow the block's next lines (the Copyright line, the credits).
    """
    m = LABEL_LINE.match(text)
    if m and not re.search(r"\.\s", m.group("label")) and len(m.group("label").split()) <= 6:
        if m.group("label")[-1:].isdigit() and m.group("value")[:1].isdigit():
            return None
        return m
    return None


def _lines(block: PageBlock) -> list[str]:
    """A block's lines (split at <br> and inner blocks), collapsed."""
    tokens: list[InfoToken] = []
    _info_tokens(block.items() if isinstance(block, Run) else [block], tokens, top=True)
    lines: list[str] = []
    current: list[str] = []
    for kind, value, _ in tokens:
        if kind == "br":
            lines.append("".join(current))
            current = []
        else:
            current.append(value)
    lines.append("".join(current))
    return [t for t in (collapse(x).strip(EDGE) for x in lines) if t]


def looks_like_info(block: PageBlock) -> bool:
    """An information block without the MIA's classes: lines of known labels
    ("<b>Source:</b> ...", "Written: ...") right after the head."""
    if not isinstance(block, Run) and block.tag not in ("p", "div", "blockquote", "center"):
        return False
    lines = _lines(block)
    known = 0
    for line in lines:
        m = _label_line(line)
        if m and KNOWN_LABEL.match(m.group("label")):
            known += 1
    return known >= 2 or (known == 1 and len(lines) == 1)


def _first(items: Iterable[etree._Element]) -> etree._Element | None:
    """The first item, or None (lxml elements must not be truth-tested)."""
    return next(iter(items), None)


def _walk(items: list[Inline]) -> Iterator[Inline]:
    for item in items:
        yield item
        if isinstance(item, (Hi, Q, Supplied, Link)):
            yield from _walk(item.children)


def _iter_links(block: PageBlock) -> Iterator[etree._Element]:
    els = [i for i in block.items() if is_element(i)] if isinstance(block, Run) else [block]
    for el in els:
        for a in el.iter("a"):
            if a.get("href"):
                yield a


def _block_plain(block: Block) -> str:
    from pipeline.master.model import Closer, Div, ListBlock, Para, Quote, Table

    if isinstance(block, (Para, Head)):
        return plain(block.children)
    if isinstance(block, Quote):
        return " ".join(_block_plain(b) for b in block.blocks)
    if isinstance(block, ListBlock):
        return " ".join(_block_plain(b) for item in block.items for b in item)
    if isinstance(block, Table):
        return " ".join(plain(c) for row in block.rows for c in row)
    if isinstance(block, Closer):
        return " ".join(plain(x) for x in [*block.other, block.signed or [], block.dateline or []])
    if isinstance(block, Div):
        return " ".join(_block_plain(b) for b in block.blocks)
    return ""
