"""One MIA HTML work page -> its parts: head, information block, text, notes.

The MIA's conventions (from its pages and its stylesheet, works.css): the head is an
``h2`` author, an ``h1`` title and an ``h3`` date (variants: no ``h1``, the author in
``p.title``); the information block is ``p.information`` or ``p.info`` between
``hr.infotop`` and ``hr.infobot``, with ``span.info`` labels or in prose; then the text.
A page may carry the information block elsewhere; any ``p.information``/``p.info`` or
block of ``span.info`` labels is read as information wherever it stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.model import Block, Head, Hi, InfoLine, Inline, LineBreak, Link, Note, NoteRef, Para, Q, Supplied
from pipeline.readers.encoding import Decoded
from pipeline.readers.mia_html.blocks import Converter, _merge, _no_breaks
from pipeline.readers.mia_html.dom import (
    FIGURE_TAG,
    HEADINGS,
    PageBlock,
    ParsedPage,
    Recorder,
    Run,
    block_line,
    block_tag,
    block_text,
    classes,
    collapse,
    flatten,
    is_element,
    parse,
    remove_furniture,
)
from pipeline.readers.mia_html.head import (
    YEAR_AFTER_NAME,
    archive_folder_author,
    chapter_heading,
    credited,
    first_line_title,
    head_roles,
    is_head_block,
    is_info_block,
    is_nav_block,
    is_series_heading,
    rule_between_head_lines,
    title_from_title_element,
    unsigned_section,
)
from pipeline.readers.mia_html.info import info_lines as read_info_lines
from pipeline.readers.mia_html.info import looks_like_info, text_in_info_class, what_the_info_says
from pipeline.readers.mia_html.notes import NotePlan, NotePlanner

EDGE = " \xa0"


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
    head_lines: list[HeadLine] = field(default_factory=list)  # the head's lines in the page's order
    title_at: int = 0  # how many of ``front`` stand above the title on the page
    last_opens_text: bool = False  # ``front``'s last line, a heading, is the head's last line
    credited: list[str] = field(default_factory=list)  # who the page's metadata says wrote it (see credited())


@dataclass
class HeadLine:
    """One line of the page's head as the page prints it, with the role the reader gave
    it ("title", "author", "date", "extra"): a multi-part work sorts its parts' heads
    into the part's own title and the book's running heads (:mod:`.parts`)."""

    role: str
    inlines: list[Inline]
    level: int
    line: int | None


@dataclass
class HeadRoles:
    """Which of the head's lines are the title, the author and the date; the others are
    extra (subtitles). ``by_name`` is the author's name when no line gives it."""

    head: list[etree._Element]
    title: etree._Element
    author: etree._Element | None
    date: etree._Element | None
    extra: list[etree._Element]
    by_name: str | None = None


@dataclass
class Byline:
    """The head converted: the author's name, the date's words, the text's opening headings."""

    author: str
    date_text: str | None
    byline_year: bool
    front: list[Block]
    lines: dict[etree._Element, HeadLine] = field(default_factory=dict)  # the head's lines but the title
    title_at: int = 0  # how many of ``front`` stand above the title on the page
    last_opens_text: bool = False  # ``front``'s last line, a heading, is the head's last line


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
        """The page's parts, phase by phase: the parsed page cleaned of its furniture and
        flattened into blocks; its head, information block and text; the head's roles; the
        notes planned; then everything converted into the document model."""
        parsed = self._parse()
        meta_author = self._meta_author(parsed.root)
        last_updated = remove_furniture(parsed.body, self.rec)
        blocks = self._clean_blocks(flatten(parsed.body, self.rec))
        lead, blocks = self._lead_in(blocks, parsed.root)
        head, i = self._head(blocks)
        info, rest = self._info(blocks, i)
        rest = lead + rest
        roles = self._head_roles(parsed.root, blocks, head, rest, bool(info), meta_author)
        self._chapter_title(roles, rest)
        roles.by_name = self._author_by_name(roles, meta_author)
        plan = NotePlanner(self.path, self.rec, self.prefix).plan(parsed.body, roles.head, info, rest)
        conv = Converter(
            self.url,
            self.rec,
            plan.noterefs,
            block_text(roles.author) if roles.author is not None else roles.by_name or "",
        )
        title = self._head_inlines(conv, roles.title, "the title")
        byline = self._byline(conv, roles)
        if not plain(title):
            raise self.fail("the page's title is empty", roles.title.sourceline)
        info_lines = read_info_lines(info)
        links = [(a.get("href"), a.sourceline) for b in plan.body for a in _iter_links(b)]
        text = conv.blocks(plan.body)
        notes = self._notes(conv, plan, info_lines)
        if not text and not notes and not byline.front:
            raise self.fail(
                "the page has no text after its head and information block" + what_the_info_says(info_lines)
            )
        return Page(
            path=self.path,
            url=self.url,
            decoded=parsed.decoded,
            author=byline.author,
            title=title,
            date_text=byline.date_text,
            byline_year=byline.byline_year,
            front=byline.front,
            info=info_lines,
            body=text,
            notes=notes,
            last_updated=last_updated,
            rec=self.rec,
            anchors=plan.anchors,
            links=links,
            credited=credited(parsed.root, meta_author),
            head_lines=_head_lines(roles, title, byline.lines),
            title_at=byline.title_at,
            last_opens_text=byline.last_opens_text,
        )

    def _parse(self) -> ParsedPage:
        parsed = parse(self.data, self.path)
        if parsed.truncated_at:
            self.rec.anomaly(
                "The page ends without </body> or </html>: the source may be truncated; its text is kept as it stands",
                parsed.truncated_at,
            )
        return parsed

    # -- the head -----------------------------------------------------------------------
    def _head_roles(
        self,
        root: etree._Element,
        blocks: list[PageBlock],
        head: list[etree._Element],
        rest: list[PageBlock],
        has_info: bool,
        meta_author: str | None,
    ) -> HeadRoles:
        """The head's title, author and date lines (:func:`head.head_roles`); a page with
        text but no heading is titled by its ``<title>``, else by its first line (taken out
        of ``rest``); a page without a title is an error."""
        title, author, date, extra = head_roles(head, meta_author, self.url)
        if title is None and (rest or has_info):
            title = title_from_title_element(root)
            if title is not None:
                self.rec.add(
                    f"The page has no heading: its title is the page's <title>, {block_text(title)!r}",
                    title.sourceline,
                )
        first = first_line_title(rest) if title is None else None
        if first is not None:
            rest.remove(first)
            self.rec.add(
                f"The page has no heading and no <title>: its title is its first line, {block_text(first)!r}",
                first.sourceline,
            )
            title = first
        if title is None:
            raise self.fail(
                "the page has no title (no h1, no heading after the author, no <title>)",
                block_line(blocks[0]) if blocks else None,
            )
        return HeadRoles(head, title, author, date, extra)

    def _chapter_title(self, roles: HeadRoles, rest: list[PageBlock]) -> None:
        """Rule *book chapter* (:func:`head.chapter_heading`): the chapter's heading, taken
        out of the text, is the title; the book's h1 stays as the first heading."""
        chapter = chapter_heading(rest, roles.title, self.path.name)
        if chapter is None:
            return
        rest.remove(chapter)
        roles.head = roles.head + [chapter]
        roles.extra = [roles.title, *roles.extra]
        self.rec.add(
            f"The page is a chapter of {block_text(roles.title)!r} (the page's h1, kept as its first heading): "
            f"its title is the chapter's, {block_text(chapter)[:80]!r}",
            block_line(chapter),
        )
        roles.title = chapter

    def _author_by_name(self, roles: HeadRoles, meta_author: str | None) -> str | None:
        """The author's name when no head line gives it: the page's meta, else the archive
        folder's author, else, in the history/ and subject/ sections, no named author ("",
        :func:`head.unsigned_section`); elsewhere a page with none is an error. None when a
        line gives it."""
        if roles.author is not None:
            return None
        if not meta_author:
            meta_author = archive_folder_author(self.url)
            if meta_author:
                self.rec.add(
                    f"The page names no author: the author is the archive's own, {meta_author} (the page sits in its folder)"
                )
        section = unsigned_section(self.url)
        if not meta_author and section:
            self.rec.add(
                f"The page names no author (no author line, no <meta name=author>) and stands in the MIA's {section}/"
                " section, in no author's folder: a work by no named author, credited as Anonymous"
            )
            return ""
        if not meta_author:
            raise self.fail(
                "the page has no author (no h2 or p.title before the title, no <meta name=author>, "
                'and not in a known archive/<author>/ folder): add <meta name="author"> to a copy of the page',
                roles.title.sourceline,
            )
        return meta_author

    def _byline(self, conv: Converter, roles: HeadRoles) -> Byline:
        """The head's lines other than the title, converted: the author's name, the date's
        words, and the lines the text opens with (subtitles as headings, and an author or
        date line that carries a note marker as a paragraph, so the marker stays in the
        text), in the page's order; ``title_at`` is how many of them stand above the title."""
        entries: list[tuple[int, Block]] = []  # (place in the head, line)
        lines: dict[etree._Element, HeadLine] = {}
        place = {id(el): n for n, el in enumerate(roles.head)}
        for block in roles.extra:
            kids = self._head_inlines(conv, block, "a heading of the page's head")
            if kids and not any(c.isalnum() for c in plain(kids)):
                # rule *an ornament among the head's lines*: "* * *" between the book's banner
                # and the chapter's title (archive/hallas/1982/revlp/*) marks no section
                self.rec.add(
                    f"Removed the ornament {plain(kids)!r} between the lines of the page's head", block.sourceline
                )
                continue
            if kids:
                entries.append((place.get(id(block), -1), Head(kids, level=_heading_level(block, 4))))
                lines[block] = HeadLine("extra", kids, _heading_level(block, 4), block.sourceline)
        author = roles.by_name
        if roles.author is not None:
            a_inlines = self._head_inlines(conv, roles.author, "the author line")
            author = plain(a_inlines)
            lines[roles.author] = HeadLine("author", a_inlines, 2, roles.author.sourceline)
            if _has_noteref(a_inlines):
                entries.append((place.get(id(roles.author), -1), Para(a_inlines, rend="author")))
        date_text = None
        if roles.date is not None:
            d_inlines = self._head_inlines(conv, roles.date, "the date line")
            date_text = plain(d_inlines)
            lines[roles.date] = HeadLine("date", d_inlines, 3, roles.date.sourceline)
            if _has_noteref(d_inlines):
                entries.append((place.get(id(roles.date), len(roles.head)), Para(d_inlines, rend="date")))
        author, date_text, byline_year = self._year_after_name(author, date_text)
        entries = sorted(self._author_not_repeated(entries, author or ""), key=lambda e: e[0])
        if not author and roles.by_name is None:
            raise self.fail(
                "the page's author line is empty", roles.author.sourceline if roles.author is not None else None
            )
        title_place = place.get(id(roles.title), len(roles.head))
        title_at = sum(1 for n, _ in entries if n < title_place)
        # the head's last line a heading below the title: nothing of the head parts it from the text
        last = (
            bool(entries) and entries[-1][0] == len(roles.head) - 1 > title_place and isinstance(entries[-1][1], Head)
        )
        return Byline(author or "", date_text, byline_year, [b for _, b in entries], lines, title_at, last)

    def _author_not_repeated(self, entries: list[tuple[int, Block]], author: str) -> list[tuple[int, Block]]:
        """Rule *the author's name twice in the head*: a heading of the head that is the
        author's name again (two ``h2`` "Joseph Hansen", archive/hansen/1945/01/greece4.html)
        is the byline's, not a heading of the text: dropped and recorded, its words quoted."""
        name = "".join(c for c in author.casefold() if c.isalnum())
        out: list[tuple[int, Block]] = []
        for n, b in entries:
            words = plain(b.children) if isinstance(b, Head) else ""
            if name and isinstance(b, Head) and "".join(c for c in words.casefold() if c.isalnum()) == name:
                if not _has_noteref(b.children):
                    self.rec.add(f"Removed the author's name repeated in the page's head, {words!r}")
                    continue
            out.append((n, b))
        return out

    def _year_after_name(self, author: str | None, date_text: str | None) -> tuple[str | None, str | None, bool]:
        """Rule *year after the author's name*: "Karl Korsch 1929" is the author Karl Korsch;
        rule *the byline's year is the date line* (head.YEAR_AFTER_NAME) when there is none.
        Returns the author, the date's words, and whether they are the byline's year."""
        bare = YEAR_AFTER_NAME.sub("", author or "").strip()
        if not bare or bare == author:
            return author, date_text, False
        self.rec.add(f"The author line '{author}' ends with a year: the author is {bare}")
        byline_year = False
        if date_text is None:
            date_text = (author or "")[len(bare) :].strip(" ,")
            byline_year = True
        return bare, date_text, byline_year

    # -- the notes ------------------------------------------------------------------------
    def _notes(self, conv: Converter, plan: NotePlan, info_lines: list[InfoLine]) -> list[Note]:
        """The planned notes, converted; a note whose marker stands in the information block
        stays there, as a line of it."""
        notes: list[Note] = []
        for d in plan.defs:
            blocks = conv.blocks(d.blocks)
            if d in plan.info_notes:
                value = " ".join(_block_plain(b) for b in blocks)
                info_lines.append(InfoLine(f"Note {d.label}", value, d.line))
                self.rec.add(
                    f"Kept note {d.label}, whose marker stands in the information block, with the information block",
                    d.line,
                )
                continue
            notes.append(Note(d.xml_id, d.label or "", blocks, d.resp))
        return notes

    # -- structure ----------------------------------------------------------------------
    def _clean_blocks(self, blocks: list[PageBlock]) -> list[PageBlock]:
        """Drop empty blocks and navigation links (breadcrumbs before the head)."""
        out = []
        seen_heading = False
        for block in blocks:
            tag = block_tag(block)
            if tag in ("hr", FIGURE_TAG):  # a figure has no words, and is no empty block
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
        info, text = text_in_info_class(info, body)
        if text is not body:
            self.rec.add(f"Read {len(text)} paragraphs in the information block's class, without labels, as the text")
            return info, text
        if not info:  # no p.information anywhere: labelled lines right after the head?
            k = 0
            while k < len(body) and block_tag(body[k]) == "hr":
                k += 1
            while k < len(body) and looks_like_info(body[k]):
                info.append(body.pop(k))
        return info, body

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


def _head_lines(roles: HeadRoles, title: list[Inline], lines: dict[etree._Element, HeadLine]) -> list[HeadLine]:
    """The head's lines in the page's order, the title among them."""
    out = []
    for el in dict.fromkeys([*roles.head, roles.title]):
        if el is roles.title:
            out.append(HeadLine("title", title, _heading_level(el, 1), el.sourceline))
        elif el in lines:
            out.append(lines[el])
    return sorted(out, key=lambda h: h.line or 0)


def _heading_level(block: etree._Element, default: int) -> int:
    return int(block.tag[1]) if block.tag in HEADINGS else default


def _has_noteref(items: list[Inline]) -> bool:
    return any(isinstance(k, NoteRef) for k in _walk(items))


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
