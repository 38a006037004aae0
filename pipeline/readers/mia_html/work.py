"""Reader for MIA HTML work pages: one page, or an index page with its chapter pages.

A manifest with one ``main`` file is a single page. A manifest with an ``index`` file
and ``part`` files is a multi-part work: the index gives the work's head and
information block and, by its links, the order of the parts; each part becomes a
``div type="part"`` headed by the part's own title, its notes' ids prefixed with the
part's file name so they stay unique. A chapter the index links to but the folder
lacks is an error naming it; so is a part file the index never links to (its place
in the work would be a guess).

Links inside the work (to a note, to another part) are kept as their words: the
editions make their own note links and tables of contents. Links out of the work are
kept, made absolute against the page's URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from pipeline.authors.authority import UNSIGNED
from pipeline.authors.resolve import Credited, resolve
from pipeline.errors import PipelineError
from pipeline.manifest import Manifest, SourceFile
from pipeline.master.model import (
    Block,
    Closer,
    Div,
    Head,
    Hi,
    InfoLine,
    Inline,
    Link,
    ListBlock,
    Normalization,
    Note,
    Para,
    Q,
    Quote,
    Supplied,
    Table,
    Work,
)
from pipeline.mia import PAGE_FILE
from pipeline.readers import infoblock, language
from pipeline.readers.formats import MIA_HTML
from pipeline.readers.mia_html.dom import Recorder
from pipeline.readers.mia_html.info import PROSE_LABEL
from pipeline.readers.mia_html.page import Page, PageReader, plain, without_noterefs
from pipeline.readers.mia_html.parts import PartHead, book_chrome, names_the_book, part_head, quoted, without_contents
from pipeline.readers.mia_html.structure import (
    flat,
    heads_before_text,
    is_bare_number,
    key,
    not_headings,
    structure,
)

# a page by no named author (head.unsigned_section): the authority's unsigned key, no author page
UNSIGNED_CREDIT = Credited("Anonymous", UNSIGNED, "Anonymous", "Anonymous")


def read(manifest: Manifest) -> Work:
    """The work a manifest describes (see the module docstring)."""
    index = [f for f in manifest.files if f.role == "index"]
    parts = [f for f in manifest.files if f.role == "part"]
    mains = [f for f in manifest.files if f.role == "main"]
    where = manifest.folder / "manifest.json"
    if index:
        if len(index) > 1 or mains:
            raise PipelineError("a multi-part work has exactly one file with role 'index' and no 'main' file", where)
        return read_multipart(manifest, index[0], parts)
    if parts:
        raise PipelineError("files with role 'part' need an 'index' file that orders them", where)
    if len(mains) != 1:
        raise PipelineError(f"a single-page work has exactly one file with role 'main' ({len(mains)} given)", where)
    return read_single(manifest, mains[0])


def read_page(file: SourceFile, url: str, prefix: str = "") -> Page:
    return PageReader(file.path, file.path.read_bytes(), url, prefix).read()


def file_url(manifest: Manifest, file: SourceFile, is_main: bool) -> str:
    if file.url:
        return file.url
    return manifest.url if is_main else urljoin(manifest.url, file.path.name)


def new_work(manifest: Manifest, page: Page, body: list[Block], notes: list[Note]) -> Work:
    title, _ = without_noterefs(page.title)
    for note in notes:
        note.blocks = flat(note.blocks)
    return Work(
        slug=manifest.slug,
        url=manifest.url,
        language=manifest.language,
        title=title,
        author=page.author or "",
        authors=resolve(page.author, manifest.url) if page.author else [UNSIGNED_CREDIT],
        date_text=page.date_text,
        body=body,
        notes=notes,
        last_updated=page.last_updated,
        source_format=MIA_HTML.name,
    )


def read_single(manifest: Manifest, main: SourceFile) -> Work:
    url = file_url(manifest, main, True)
    page = read_page(main, url)
    front = list(page.front)
    if without_noterefs(page.title)[1]:
        front.insert(page.title_at, Para(page.title, rend="title"))
        where = "the text's first line" if not page.title_at else "a line of the text where the page prints it"
        page.rec.add(f"Repeated the title, which carries a note marker, as {where} so the marker stays in the text")
    front, opening = heads_before_text(not_headings(front), page.rec, page.last_opens_text)
    body = opening + _title_not_repeated(page.body, page.title, page.rec)
    work = new_work(manifest, page, front + structure(body), page.notes)
    rec = Recorder()
    rec.merge(_strip_prefix(page.rec))
    fix_links(work, {_doc(url): None}, rec)
    interpret(work, page.info, page.path)
    _encoding(work, [page])
    _language(work, [page])
    work.normalizations = rec.normalizations() + work.normalizations
    infoblock.date_of_work(work, page.byline_year)
    return work


def _title_not_repeated(blocks: list[Block], title: list[Inline], rec: Recorder) -> list[Block]:
    """Rule *the title repeated over the text*: a heading the text opens with that is the
    page's title again ("AFRO-AMERICAN MANIFESTO" under "Afro-American Manifesto",
    archive/weisbord/*, archive/kitz/*, archive/cliff/*: the page's head and the text's
    own first line both set) is the title page's, not a section's: dropped and recorded,
    its words quoted. A heading carrying a note marker stays, as the title's line (the
    marker is in the text; the title is no section's: archive/pouliop/1937/x01.htm)."""
    words = key(plain(without_noterefs(title)[0]))
    i = 0
    while i < len(blocks) and isinstance(blocks[i], (Head, Quote)) and i < 4:
        head = blocks[i]
        i += 1
        if not isinstance(head, Head):
            continue  # an epigraph before the title (archive/cliff/works/1956/stalintok/)
        text = plain(head.children)
        if words and key(text) == words and not without_noterefs(head.children)[1]:
            rec.add(f"Removed the title repeated as the text's first heading, {quoted(text)}")
            return blocks[: i - 1] + blocks[i:]
        if words and key(text) == words:
            rec.add(
                f"Kept the title repeated as the text's first heading, {quoted(text)}, as a line: it carries a note marker"
            )
            return [*blocks[: i - 1], Para(head.children, rend="title"), *blocks[i:]]
    return blocks


@dataclass
class PartOrder:
    """The parts of a multi-part work in reading order: those the index links, in its
    order, then those it does not (``unlinked``); ``absent``: the chapters it links that
    the work lacks, as the header names them."""

    order: list[SourceFile]
    unlinked: list[SourceFile]
    absent: list[str]


def read_multipart(manifest: Manifest, index_file: SourceFile, part_files: list[SourceFile]) -> Work:
    """An index page and its parts (see the module docstring): the index's head and
    information block, its contents, then one division per part."""
    index_url = file_url(manifest, index_file, True)
    index = read_page(index_file, index_url, prefix="index-")
    parts = part_order(manifest, index_file, index, part_files)
    pages = [read_page(f, file_url(manifest, f, False), prefix=_prefix(f.path, manifest.folder)) for f in parts.order]
    rec = _multipart_recorder(index, parts)
    targets = {_doc(p.url) for p in pages} | {_doc(urljoin(index_url, n.split(" ")[0])) for n in parts.absent}
    chrome = book_chrome(index, pages)
    body, listed = _index_blocks(index, rec, targets, chrome)
    notes = list(index.notes)
    info = list(index.info)
    seen_info = {(line.label, line.value) for line in info}
    doc_ids: dict[str, str | None] = {_doc(index_url): None}
    extra_info: list[tuple[Page, list[InfoLine]]] = []
    for f, page in zip(parts.order, pages):
        part_id = f"part-{_prefix(f.path, manifest.folder).rstrip('-')}"
        doc_ids[_doc(page.url)] = part_id
        body.append(
            _part_division(
                page, index, part_id, part_head(page, chrome, page.rec, index.author or "", listed.get(_doc(page.url)))
            )
        )
        notes.extend(page.notes)
        new = _new_info_lines(page, seen_info)
        if new:
            extra_info.append((page, new))
        rec.merge(page.rec)
        if page.last_updated and page.last_updated != index.last_updated:
            rec.add(
                f"The part was last updated on {page.last_updated} (the index: {index.last_updated or 'no date'})",
                page.path.name,
            )
    work = new_work(manifest, index, body, notes)
    if work.last_updated is None:
        work.last_updated = next((p.last_updated for p in pages if p.last_updated), None)
    fix_links(work, doc_ids, rec)
    interpret(work, info, index.path)
    for page, lines in extra_info:
        _interpret_part_info(work, page, lines)
    _encoding(work, [index, *pages])
    _language(work, [index, *pages])
    work.normalizations = rec.normalizations() + work.normalizations
    infoblock.date_of_work(work, index.byline_year)
    return work


def part_order(manifest: Manifest, index_file: SourceFile, index: Page, part_files: list[SourceFile]) -> PartOrder:
    """The parts in the order the index links them (see :class:`PartOrder`); a lone index
    page, with no part at hand, is an error."""
    # a part in a sibling folder ("../10/china.htm", a serial's next month) by its URL
    by_url = {_doc(file_url(manifest, f, False)): f for f in part_files}
    index_url = file_url(manifest, index_file, True)
    here = index_url.rsplit("/", 1)[0]
    by_name = {f.path.name: f for url, f in by_url.items() if url.rsplit("/", 1)[0] == here}
    by_name.update({f.path.name: f for f in part_files if f.path.name not in by_name})
    order: list[SourceFile] = []
    absent: list[str] = []
    for href, line in index.links:
        name = _local_page(href)
        linked = by_url.get(_doc(urljoin(index_url, href))) if href and name is None else None
        if linked is not None and linked not in order:
            order.append(linked)
        if name is None or name == index_file.path.name:
            continue
        f = by_name.get(name)
        if f is None:
            # Rule *index lists an absent chapter*: every mirror is incomplete; the work is
            # the chapters at hand, and the header says which the index lists but lacks.
            exists = (manifest.folder / name).is_file()
            why = "the manifest does not list it as a part" if exists else "the source lacks it"
            absent.append(f"{name} (line {line}; {why})")
            continue
        if f not in order:
            order.append(f)
    # Rule *part the index does not link*: the manifest registers it as the work's (a
    # notes page, a bibliography, a blurb linked only from the page furniture): it
    # follows the linked parts in the manifest's order, and the header says so.
    unlinked = [f for f in part_files if f not in order]
    order.extend(unlinked)
    if not order:
        listed = (
            f": it links to {len(absent)} chapter(s), none of them in the source ({absent[0].split(' ')[0]}, ...)"
            if absent
            else ""
        )
        raise PipelineError(
            f"a lone index page is not a work's text{listed}; register the index with its chapter pages",
            index_file.path,
        )
    return PartOrder(order, unlinked, absent)


def _multipart_recorder(index: Page, parts: PartOrder) -> Recorder:
    """The work's record: the index page's cleanings, then what the order of parts found."""
    rec = Recorder()
    rec.merge(index.rec)
    for what in dict.fromkeys(parts.absent):
        rec.anomaly(f"The index links to a chapter the work lacks: {what}")
    if parts.unlinked:
        rec.anomaly(
            f"Part file(s) the index does not link placed after the linked ones, in the manifest's order: "
            f"{', '.join(f.path.name for f in parts.unlinked)}"
        )
    return rec


def _index_blocks(
    index: Page, rec: Recorder, targets: set[str], chrome: set[str]
) -> tuple[list[Block], dict[str, list[Inline]]]:
    """The index page's text: its opening headings, then what it says about the book
    (a preface, a note, the publication history) as the book's front matter; its list of
    the parts is left to the editions' generated contents (:mod:`.parts`)."""
    body: list[Block] = list(index.front)
    if without_noterefs(index.title)[1]:
        body.insert(index.title_at, Head(index.title, level=1))
        where = "the first heading of the text" if not index.title_at else "a heading where the page prints it"
        rec.add(f"Repeated the title of the index, which carries a note marker, as {where}")
    body, opening = heads_before_text(body, rec, index.last_opens_text)
    text, listed = without_contents(not_headings(opening + index.body), targets, rec)
    while (
        text
        and isinstance(text[0], Head)
        and (key(plain(text[0].children)) in chrome or names_the_book(plain(text[0].children), plain(index.title)))
    ):
        rec.add(f"Removed the title of the book repeated on the index page, {quoted(plain(text[0].children))}")
        text = text[1:]
    while text and isinstance(text[0], (Head, Para)) and not any(c.isalnum() for c in plain(text[0].children)):
        # rule *an ornament left by the list of parts*: "*", "* * *" between the contents and
        # the note on the book (archive/james-clr/works/1967/forces/, archive/harman/2009/zombiecap/)
        rec.add(f"Removed the ornament {quoted(plain(text[0].children))} left beside the index page's list of parts")
        text = text[1:]
    if text:
        head = text[0]
        if isinstance(head, Head) and len(text) > 1:
            body.append(Div(structure(text[1:]), head=head.children, type="preface", xml_id="front"))
        else:
            body.append(Div(structure(text), type="preface", xml_id="front"))
    return body, listed


def _part_division(page: Page, index: Page, part_id: str, head: PartHead) -> Div:
    """A part as a division headed by its own title (:func:`.parts.part_head`); its author
    and date lines stay when they differ from the index's."""
    blocks: list[Block] = []
    if page.author and page.author != index.author:
        blocks.insert(0, Para([page.author], rend="author"))
    if page.date_text and page.date_text != index.date_text:
        blocks.append(Para([page.date_text], rend="date"))
    blocks.extend(_first_section(head.kept, structure(page.body[head.body_taken :]), page, head.body_taken))
    return Div(blocks, head=head.title, type="part", xml_id=part_id)


def _first_section(kept: list[Block], body: list[Block], page: Page, taken: int) -> list[Block]:
    """Rule *the part's first section*: a congress's part page opens "Part I: …", then
    "1 Speech at the Opening …", "March 8", the speech, then "2 Report …" and the next
    speeches as sections. The head lines kept under the part's title head the text before
    the part's first section, as a section of its own (else the first speech has no
    division and no contents entry, its title fused into the part's heads). Where the
    part has no sections, the lines stay under its title (a subtitle, a date)."""
    first = next((i for i, b in enumerate(body) if isinstance(b, Div)), None)
    if not kept or not isinstance(kept[0], Head) or not first:
        return kept + body
    sections_level = next((b.level for b in page.body[taken:] if isinstance(b, Head)), None)
    text = plain(kept[0].children)
    if kept[0].level != sections_level or is_bare_number(text) or text[:1].islower() or text[:1] == "[":
        return kept + body  # a subtitle, a byline, a number: the part's own head lines
    page.rec.add(f"Opened the part's first section with the heading {quoted(plain(kept[0].children))}")
    section = Div(kept[1:] + body[:first], head=kept[0].children, type="section")
    return [section] + body[first:]


def _new_info_lines(page: Page, seen: set[tuple[str, str]]) -> list[InfoLine]:
    """The part's information block lines the index does not already have."""
    new = [line for line in page.info if (line.label, line.value) not in seen]
    if len(new) < len(page.info):
        page.rec.add("Dropped the part's information block lines that repeat the index's")
    return new


def _interpret_part_info(work: Work, page: Page, lines: list[InfoLine]) -> None:
    """A part's own information lines: kept, named by the part's file; its credits,
    licences and source added where the work lacks them."""
    part = Work(slug=work.slug, url=page.url, language=work.language, title=[], author=work.author)
    interpret(part, lines, page.path)
    work.info.extend(InfoLine(f"{line.label} ({page.path.name})", line.value, line.line) for line in lines)
    known = {(c.name, tuple(c.roles)) for c in work.credits}
    work.credits.extend(c for c in part.credits if (c.name, tuple(c.roles)) not in known)
    texts = {lic.text for lic in work.licences}
    work.licences.extend(lic for lic in part.licences if lic.text not in texts)
    work.source = work.source or part.source


def interpret(work: Work, lines: list[InfoLine], path: Path) -> None:
    """Credits, licence and bibliography from the information block, as the text reader does."""
    try:
        infoblock.interpret(work, lines)
        for line in lines:
            if line.label == PROSE_LABEL:
                infoblock.interpret_prose(work, line)
    except PipelineError as exc:
        exc.path = exc.path or path
        raise


HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z-]+)", re.I)
META_LANG = re.compile(r"<meta\b[^>]*content-language[^>]*content\s*=\s*[\"']?([A-Za-z-]+)", re.I)
TAG = re.compile(r"<[^>]*>|&[#\w]+;")


def _language(work: Work, pages: list[Page]) -> None:
    """Rule *language from the page*: the page's words, its declaration as a hint (see
    pipeline/readers/language.py); a change from the manifest's is recorded."""
    raw = pages[0].decoded.text
    m = HTML_LANG.search(raw) or META_LANG.search(raw)
    text = " ".join(TAG.sub(" ", p.decoded.text.split("<body", 1)[-1]) for p in pages)
    lang, why = language.decide(m.group(1) if m else None, work.language, text)
    if why:
        work.language = lang
        work.normalizations.append(Normalization(why))


def _encoding(work: Work, pages: list[Page]) -> None:
    declared = sorted({p.decoded.declared or "none" for p in pages})
    used = sorted({p.decoded.used for p in pages})
    work.encoding_declared = ", ".join(declared)
    work.encoding_used = ", ".join(used)
    for p in pages:
        if p.decoded.used not in ("us-ascii",) and p.decoded.declared not in (p.decoded.used,):
            name = f"{p.path.name}: " if len(pages) > 1 else ""
            work.normalizations.append(Normalization(f"Character encoding: {name}{p.decoded.reason}."))
        if p.decoded.controls_removed:
            name = f"{p.path.name}: " if len(pages) > 1 else ""
            work.normalizations.append(Normalization(f"Control characters: {name}{p.decoded.controls_removed}."))


def _prefix(path: Path, folder: Path | None = None) -> str:
    """The id prefix of a part: from its path in the work's folder, so that instalments of
    one name in two month folders (``china.htm``, ``10/china.htm``) get two prefixes."""
    name = path.name
    for base in (folder, folder.resolve()) if folder is not None else ():
        if path.is_relative_to(base):
            name = path.relative_to(base).as_posix()
            break
    stem = re.sub(r"[^A-Za-z0-9]+", "-", PAGE_FILE.sub("", name)).strip("-").lower() or "part"
    if not stem[0].isalpha():
        stem = f"p{stem}"
    return f"{stem}-"


def _local_page(href: str | None) -> str | None:
    """The file name of a link to a page in the same folder ("ch01.htm", "ch01.htm#s2")."""
    if not href:
        return None
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path or "/" in path or not PAGE_FILE.search(path):
        return None
    return path


def _doc(url: str) -> str:
    return urldefrag(url)[0]


def fix_links(work: Work, docs: dict[str, str | None], rec: Recorder) -> None:
    """Links to this work's own pages keep their words only (see the module docstring)."""
    count = 0

    def inlines(items: list[Inline]) -> list[Inline]:
        nonlocal count
        out: list[Inline] = []
        for item in items:
            if isinstance(item, Link):
                item.children = inlines(item.children)
                if _doc(item.target) in docs:
                    count += 1
                    out.extend(item.children)
                    continue
                out.append(item)
            elif isinstance(item, (Hi, Q, Supplied)):
                item.children = inlines(item.children)
                out.append(item)
            else:
                out.append(item)
        return out

    def blocks(items: list[Block]) -> None:
        for b in items:
            if isinstance(b, (Para, Head)):
                b.children = inlines(b.children)
            elif isinstance(b, Quote):
                blocks(b.blocks)
            elif isinstance(b, ListBlock):
                for item in b.items:
                    blocks(item)
            elif isinstance(b, Table):
                b.rows = [[inlines(c) for c in row] for row in b.rows]
            elif isinstance(b, Closer):
                b.signed = inlines(b.signed) if b.signed is not None else None
                b.dateline = inlines(b.dateline) if b.dateline is not None else None
                b.other = [inlines(o) for o in b.other]
            elif isinstance(b, Div):
                if b.head:
                    b.head = inlines(b.head)
                blocks(b.blocks)

    blocks(work.body)
    for note in work.notes:
        blocks(note.blocks)
    if count:
        rec.add(f"Kept {count} link(s) within the work (to notes, anchors or other parts) as their words only")


def _strip_prefix(rec: Recorder) -> Recorder:
    """A single page's cleanings need not name the file."""
    out = Recorder()
    out.kinds = {k: list(v) for k, v in rec.kinds.items()}
    out.anomalies = set(rec.anomalies)
    return out
