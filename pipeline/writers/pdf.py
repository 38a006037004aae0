"""TEI master -> PDF edition: a small printed book, archival (PDF/A-3a) and tagged.

The pages are the EPUB's content (the shared :mod:`pipeline.writers.xhtml` transform,
with notes placed at their markers for CSS ``float: footnote``) laid out by WeasyPrint
with ``pipeline/data/print.css``. The work is split in two steps so that a benchmark
can time WeasyPrint alone against the whole stage:

* :func:`build_html` reads the master and returns the HTML string (plus what
  rendering needs): cheap, pure Python;
* :func:`render` hands that HTML to WeasyPrint (``render`` then ``write_pdf``) with the
  cached stylesheet and font configuration, under a fixed SOURCE_DATE_EPOCH; when
  WeasyPrint's layout sets a note away from its call, it lays the book out again with
  a correction (see "keeping each note on its call's page" below).

Reproducibility: every date comes from :func:`pipeline.reproducible.build_datetime`,
and SOURCE_DATE_EPOCH is set in-process while WeasyPrint runs, because fontTools
stamps the current time into the font subsets it writes unless it is set.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipeline import __version__, atomic
from pipeline.errors import PipelineError
from pipeline.master.read import EditionMeta, load
from pipeline.reproducible import build_datetime, edition_date, epoch_set_for
from pipeline.writers import figures, fonts
from pipeline.writers.xhtml import EPUB_TYPE, Links, Transform, colophon, h, title_page

if TYPE_CHECKING:  # WeasyPrint is imported when first needed (slow to import); it has no type information
    from weasyprint import CSS, HTML, Document
    from weasyprint.text.fonts import FontConfiguration

DEFAULT_PAGE_SIZE = "A5"
DEFAULT_VARIANT = "pdf/a-3a"
NO_VARIANT = "none"
PRINT_CSS = Path(__file__).resolve().parent.parent / "data" / "print.css"
MM_TO_PT = 72 / 25.4


@dataclass(frozen=True)
class PageGeometry:
    """A page size and the type and margins that suit it (lengths in millimetres).

    Margins follow the book convention: the inner (gutter) margin narrower than the
    outer, the foot deeper than the head; the measure stays near 65 characters.
    """

    width: float
    height: float
    top: float
    bottom: float
    inner: float
    outer: float
    body_size: str  # type size of the text
    head_size: str  # type size of the running heads and folios
    long_note_words: int  # a note longer than this is set after the text (see _set_long_notes_apart)

    @property
    def top_pt(self) -> float:
        return self.top * MM_TO_PT

    def matches(self, width_pt: float, height_pt: float) -> bool:
        return abs(width_pt - self.width * MM_TO_PT) < 1 and abs(height_pt - self.height * MM_TO_PT) < 1


PAGE_SIZES: dict[str, PageGeometry] = {
    "A5": PageGeometry(
        148, 210, top=17, bottom=21, inner=16, outer=20, body_size="10.5pt", head_size="8.5pt", long_note_words=280
    ),
    "A4": PageGeometry(
        210, 297, top=25, bottom=31, inner=30, outer=38, body_size="12.5pt", head_size="9.5pt", long_note_words=400
    ),
    "Letter": PageGeometry(
        215.9, 279.4, top=24, bottom=29, inner=32, outer=38, body_size="12.5pt", head_size="9.5pt", long_note_words=370
    ),
}


@dataclass(frozen=True)
class PrintDocument:
    """What :func:`render` needs: the HTML and everything WeasyPrint must be told besides."""

    html: str
    base_url: str
    page_size: str
    build_date: datetime
    meta: EditionMeta


# -- variants ---------------------------------------------------------------------------
def variants() -> tuple[str, ...]:
    """The PDF variants the installed WeasyPrint offers, plus 'none' (plain PDF, still tagged)."""
    from weasyprint.pdf import VARIANTS

    return (*sorted(VARIANTS), NO_VARIANT)


def check_variant(variant: str) -> str | None:
    """WeasyPrint's name for ``variant`` (None for a plain PDF), or a PipelineError naming the choices."""
    name = (variant or NO_VARIANT).lower()
    if name == NO_VARIANT:
        return None
    if name not in variants():
        raise PipelineError(f"unknown PDF variant {variant!r}; choose one of: {', '.join(variants())}")
    return name


def check_page_size(page_size: str) -> PageGeometry:
    try:
        return PAGE_SIZES[page_size]
    except KeyError:
        raise PipelineError(f"unknown page size {page_size!r}; choose one of: {', '.join(PAGE_SIZES)}") from None


# -- stylesheet (cached per process) ------------------------------------------------------
@functools.cache
def print_css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def geometry_css(geometry: PageGeometry) -> str:
    """The rules that depend on the page size; margin boxes inherit their type from @page."""
    g = geometry
    stack = fonts.font_stack()
    return (
        f"@page {{ size: {g.width}mm {g.height}mm; margin: {g.top}mm {g.outer}mm {g.bottom}mm {g.inner}mm;"
        f" font-family: {stack}; font-size: {g.head_size}; }}\n"
        f"@page :left {{ margin-left: {g.outer}mm; margin-right: {g.inner}mm; }}\n"
        f"@page :right {{ margin-left: {g.inner}mm; margin-right: {g.outer}mm; }}\n"
        f"html {{ font-family: {stack}; font-size: {g.body_size}; }}\n"
        # A figure and its caption fit one page's text block: the image at most 70% of its height.
        f"figure.figure img {{ max-height: {0.7 * (g.height - g.top - g.bottom):.1f}mm; }}\n"
    )


@functools.cache
def stylesheet_text(page_size: str) -> str:
    return fonts.font_face_css() + geometry_css(check_page_size(page_size)) + print_css()


@functools.cache
def _stylesheet(page_size: str) -> tuple[CSS, FontConfiguration]:
    """The parsed stylesheet and the font configuration holding its @font-face fonts.

    Cached: parsing the CSS and registering the font files with fontconfig is the same
    work for every book of a run, and a warm build worker renders many books.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(string=stylesheet_text(page_size), font_config=font_config)
    # Release it before the interpreter tears modules down: its __del__ removes the
    # temporary folder holding the font copies, and cannot once `shutil` is gone.
    atexit.register(_stylesheet.cache_clear)
    return css, font_config


# -- HTML ---------------------------------------------------------------------------------
def _strip_namespaces(root: etree._Element) -> None:
    """XHTML elements -> plain HTML ones for WeasyPrint's HTML parser; epub:type has no use in print."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        el.tag = etree.QName(el).localname
        if EPUB_TYPE in el.attrib:
            del el.attrib[EPUB_TYPE]
    etree.cleanup_namespaces(root)


def _attach_footnote_calls(root: etree._Element) -> None:
    """Close the space before each note, so its call sits on the word it annotates.

    The master keeps the source's spacing ("Miasnikov [1] and"); a printed call is a
    superscript set against the word ("Miasnikov¹ and"). Only whitespace is removed.
    """
    for span in root.iter("{*}span"):
        if span.get("class") != "footnote":
            continue
        before = span.getprevious()
        if before is not None:
            if before.tail and before.tail.strip():
                before.tail = before.tail.rstrip()
        else:
            parent = span.getparent()
            if parent is not None and parent.text and parent.text.strip():
                parent.text = parent.text.rstrip()


LONG_NOTES_HEADING = "Long notes"


def _holds_table(note: etree._Element) -> bool:
    """Whether a note holds a table: its cells would be set a line each, a note of few words
    taller than a page (wintringham-1934-air's note 1 of 23 cells ran over the next page's
    text): such a note goes apart too, whatever its words."""
    return any(el.get("class") in ("table", "row") for el in note.iter("{*}span"))


def _as_table_row(row: etree._Element) -> None:
    """A note's table row, which the footnote set as a run of spans, made a table row again
    (its cells, cells) now that the note stands apart, where a table can be set."""
    ns = etree.QName(row).namespace
    row.tag = f"{{{ns}}}tr" if ns else "tr"
    row.attrib.pop("class", None)
    for cell in row:
        if cell.get("class") == "cell":
            cell.tag = f"{{{ns}}}td" if ns else "td"
            del cell.attrib["class"]


def _set_long_notes_apart(text: etree._Element, limit: int) -> None:
    """Set each note of more than ``limit`` words, or holding a table, after the text, leaving
    a pointer at its call.

    WeasyPrint 70 cannot break a footnote across pages: a note taller than the page's
    room is set over the running head and the text. Books set such a note apart; here
    it goes into a "Long notes" section closing the text, under its own number, and the
    foot of the calling page says where ("printed after the text, page N", a link).
    The limit (per page size) keeps a note to about half a page, so the text above it
    keeps a few lines too.
    """
    long_notes = [
        span
        for span in text.iter("{*}span")
        if span.get("class") == "footnote" and (len(" ".join(span.itertext()).split()) > limit or _holds_table(span))
    ]
    if not long_notes:
        return
    section = h("section", parent=text)
    section.set("class", "long-notes")
    h("h2", LONG_NOTES_HEADING, parent=section)
    for span in long_notes:
        label, target = span.get("data-label", ""), f"long-{span.get('id', '')}"
        note = h("div", parent=section)
        note.set("class", "long-note")
        note.set("id", target)
        first = h("p", parent=note)
        number = h("span", f"{label}.\u00a0", parent=first, class_="long-note-label")
        number.tail, span.text = span.text, None
        current = first
        for child in list(span):
            if etree.QName(child).localname == "br" and child.get("class") == "para":
                current = h("p", parent=note)
                current.text = child.tail
                span.remove(child)
            elif child.get("class") == "row":  # a table's row, set as one again
                if etree.QName(current).localname != "table":
                    current = h("table", parent=note)
                _as_table_row(child)
                current.append(child)
            else:
                if etree.QName(current).localname == "table":
                    current = h("p", parent=note)
                current.append(child)
        span.text = "Printed after the text, "
        link = h("a", "page", parent=span, href=f"#{target}")
        link.set("class", "long-note-ref")
        link.tail = "."


def pdf_subject(meta: EditionMeta) -> str:
    what = f"{meta.author}, {meta.title}"
    if meta.date_text:
        what += f", {meta.date_text.strip('()')}"
    parts = [what, meta.source_statement, f"{meta.source_name}: {meta.url}"]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def pdf_keywords(meta: EditionMeta) -> list[str]:
    words = [meta.author, meta.source_title, meta.year, meta.source_name]
    # WeasyPrint splits keywords at commas, so none may hold one.
    return list(dict.fromkeys(w.replace(",", " ") for w in words if w))


def build_tree(
    tei: etree._Element,
    meta: EditionMeta,
    page_size: str,
    build_date: datetime,
    figure_files: dict[etree._Element, figures.FigureFile] | None = None,
) -> etree._Element:
    """The book as one HTML tree: title page, the work with its footnotes (and its figures,
    ``figure_files``, as data: URIs: the PDF embeds them), the colophon."""
    check_page_size(page_size)
    html = h("html", lang=meta.language)
    head = h("head", parent=html)
    h("meta", parent=head, charset="utf-8")
    h("title", meta.title, parent=head)
    metas = [
        ("author", meta.author),
        ("description", pdf_subject(meta)),
        ("generator", f"mia-pipeline {meta.pipeline_version or __version__}"),
    ]
    metas += [("keywords", k) for k in pdf_keywords(meta)]
    stamp = build_date.isoformat(timespec="seconds")
    metas += [("dcterms.created", stamp), ("dcterms.modified", stamp)]
    for name, content in metas:
        h("meta", parent=head, name=name, content=content)
    body = h("body", parent=html)
    body.append(title_page(meta))
    links = Links(figure_src={el: figure_data_uri(f) for el, f in (figure_files or {}).items()})
    text = Transform(tei, links, note_mode="footnotes").body()
    _attach_footnote_calls(text)
    _set_long_notes_apart(text, check_page_size(page_size).long_note_words)
    _number_blocks(text)
    text.set("data-bookmark", meta.title)  # the outline's entry for the text (print.css)
    body.append(text)
    # The same colophon as the EPUB's, word for word (the fidelity check knows its words).
    body.append(colophon(meta, edition_date()))
    _strip_namespaces(html)
    return html


def figure_data_uri(figure: figures.FigureFile) -> tuple[str, int, int]:
    """The figure's image as a data: URI (WeasyPrint embeds it once), with its pixel size."""
    image = figure.image
    data = base64.b64encode(image.data).decode("ascii")
    return f"data:{image.media_type};base64,{data}", image.width, image.height


def build_html(master: Path, page_size: str = DEFAULT_PAGE_SIZE) -> PrintDocument:
    """Read the master; return the book's HTML and what rendering it needs."""
    check_page_size(page_size)
    master = Path(master)
    tei, meta = load(master)
    build_date = build_datetime(meta.ingest_date)
    tree = build_tree(tei, meta, page_size, build_date, figures.load(tei, master))
    text = "<!DOCTYPE html>\n" + etree.tostring(tree, method="html", encoding="unicode")
    return PrintDocument(text, master.resolve().parent.as_uri() + "/", page_size, build_date, meta)


# -- rendering ----------------------------------------------------------------------------
class _Problems(logging.Handler):
    """Collects WeasyPrint's errors: each one means the PDF breaks a promise (a variant's rule, a lost font)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_options(variant: str) -> dict[str, object]:
    """WeasyPrint options for ``variant``; tags always on, because print readers need them too."""
    return {"pdf_variant": check_variant(variant), "pdf_tags": True}


# -- keeping each note on its call's page ---------------------------------------------------------
# WeasyPrint 70 sometimes moves a note to the next page although it fits beside its
# call: when the paragraph at the foot of a page has exactly one line too few for
# `orphans`, it carries the page's last notes over to make room for one more line,
# whatever paragraph called them (weasyprint/layout/block.py, _linebox_layout, the
# "report footnotes" loop; a known gap since WeasyPrint 66, still in 70). The loop came
# with https://github.com/Kozea/WeasyPrint/pull/2437 ("Try to report footnotes when text
# overflows because of orphans"), the fix of https://github.com/Kozea/WeasyPrint/issues/2432
# ("Footnotes and forbidden page breaks can force page breaks too early"); notes set away
# from their calls are the GCPM footnote-policy problem of
# https://github.com/Kozea/WeasyPrint/issues/1564. No CSS setting avoids it: orphans and
# widows of 1 or 2 only move the cases.
#
# Correcting it afterwards (laying the book out again with a rule for each page that
# lost a note) costs a whole layout per round, and each correction moves the pages
# after it, so a long book needed several rounds and still kept some (a 100,000-word
# work: 4 layouts, 2.7x WeasyPrint's bare write_pdf, 4 notes still astray). So the
# loop is switched off at its source, for this layout only: the one line of
# `_linebox_layout` that decides to carry notes away (`report = ...`) is recompiled
# as `report = False`, and the paragraph that cannot keep `orphans` lines on the page
# starts the next one, which is what a compositor does and what WeasyPrint does on a
# page without notes. A note that does not fit still goes over with its calling line
# (footnote-policy: line), so every note stays on its call's page in ONE layout.
# Recompiling one line keeps the rest of WeasyPrint's function (no copy to maintain);
# if a WeasyPrint release changes that line, the patch is not applied and
# :func:`render` falls back to correcting by re-layout (MAX_RELAYOUTS rounds);
# :func:`layout_path` says which path runs. pyproject.toml pins the WeasyPrint releases
# this was written and tested for. The swap is process-wide, so it is made under
# :data:`_LAYOUT_LOCK`: two renders in threads of one process (a Dask worker runs tasks
# in threads) take turns instead of one restoring the function under the other.
REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
MAX_RELAYOUTS = 3
BLOCK_ATTR = "data-block"  # numbers the text's blocks so a rule can address one
BLOCK_TAGS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "td", "th"}
CORRECTIONS = ("orphans: 1", "break-before: page")  # tried in this order, per paragraph


@functools.cache
def _linebox_layout_keeping_notes() -> Callable[..., Any] | None:  # None if WeasyPrint changed
    """WeasyPrint's ``_linebox_layout`` with its note-carrying loop disabled (see above)."""
    import inspect
    import textwrap

    from weasyprint.layout import block

    original = block._linebox_layout
    try:
        source = textwrap.dedent(inspect.getsource(original))
    except (OSError, TypeError):
        return None
    if source.count(REPORT_LINE) != 1:
        return None
    namespace: dict[str, Any] = {}
    code = compile(
        source.replace(REPORT_LINE, "report = False"), inspect.getsourcefile(original) or "<weasyprint>", "exec"
    )
    exec(code, block.__dict__, namespace)  # noqa: S102 - WeasyPrint's own source, one line changed
    patched: Callable[..., Any] = namespace["_linebox_layout"]
    return patched


PATCHED, RELAYOUT = "one layout, notes kept with their calls", "re-layout corrections"
_LAYOUT_LOCK = threading.Lock()  # one render at a time may hold WeasyPrint's patched layout


def layout_path() -> str:
    """Which layout path :func:`render` takes with the installed WeasyPrint: PATCHED or RELAYOUT."""
    return PATCHED if _linebox_layout_keeping_notes() is not None else RELAYOUT


@contextlib.contextmanager
def notes_kept_with_calls() -> Iterator[bool]:
    """WeasyPrint's layout with the patched ``_linebox_layout`` for the block; yields whether it applies."""
    from weasyprint.layout import block

    patched = _linebox_layout_keeping_notes()
    if patched is None:
        yield False
        return
    with _LAYOUT_LOCK:
        original, block._linebox_layout = block._linebox_layout, patched
        try:
            yield True
        finally:
            block._linebox_layout = original


def _number_blocks(text: etree._Element) -> None:
    blocks = (el for el in text.iter() if isinstance(el.tag, str) and etree.QName(el).localname in BLOCK_TAGS)
    for n, el in enumerate(blocks):
        el.set(BLOCK_ATTR, str(n))


def displaced_notes(document: Document) -> dict[int, list[str]]:
    """{0-based page index: labels of the notes called on that page but set elsewhere}."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    found: dict[int, list[str]] = {}
    for index, page in enumerate(document.pages):
        boxes = page._page_box.children
        here = {note.element for area in boxes if isinstance(area, FootnoteAreaBox) for note in area.children}
        calls = {b.element for b in boxes[0].descendants() if b.element_tag.endswith("::footnote-call")}
        away = [el.get("data-label", "?") for el in calls if el not in here]
        if away:
            found[index] = sorted(away)
    return found


def _foot_block(document: Document, index: int) -> str | None:
    """The paragraph that ends page ``index``, unless it also begins it (nothing to correct)."""
    from weasyprint.formatting_structure.boxes import LineBox

    blocks = [
        b.element.get(BLOCK_ATTR)
        for b in document.pages[index]._page_box.children[0].descendants()
        if b.element is not None
        and b.element.get(BLOCK_ATTR)
        and any(isinstance(c, LineBox) for c in getattr(b, "children", ()))
    ]
    return blocks[-1] if blocks and blocks[-1] != blocks[0] else None


def _corrections_css(corrections: dict[str, int]) -> str:
    return "".join(
        f'[{BLOCK_ATTR}="{block}"] {{ {CORRECTIONS[level]}; }}\n'
        for block, level in sorted(corrections.items(), key=lambda i: int(i[0]))
    )


def _render_correcting(html: HTML, css: CSS, font_config: FontConfiguration, options: dict[str, object]) -> Document:
    """The fallback when the patch cannot apply: lay out, and again where a note left its call.

    The paragraph at the foot of such a page may first keep a single line there
    (`orphans: 1`); if the note is still carried over, that paragraph starts the next page.
    """
    from weasyprint import CSS

    corrections: dict[str, int] = {}  # block -> index in CORRECTIONS
    for _ in range(MAX_RELAYOUTS + 1):
        sheets = [css, CSS(string=_corrections_css(corrections), font_config=font_config)] if corrections else [css]
        document = html.render(stylesheets=sheets, font_config=font_config, **options)
        changed = False
        for index in displaced_notes(document):
            block = _foot_block(document, index)
            if not block:
                continue  # the page holds one paragraph only: nothing to correct
            level = corrections.get(block, -1) + 1
            if level < len(CORRECTIONS):
                corrections[block] = level
                changed = True
        if not changed:
            break
    return document


def render(doc: PrintDocument, variant: str = DEFAULT_VARIANT) -> bytes:
    """Lay out and write the PDF with WeasyPrint; the bytes depend only on ``doc`` and ``variant``."""
    from weasyprint import HTML

    options = render_options(variant)
    css, font_config = _stylesheet(doc.page_size)
    logger = logging.getLogger("weasyprint")
    problems = _Problems()
    logger.addHandler(problems)
    try:
        with epoch_set_for(int(doc.build_date.timestamp())):
            html = HTML(string=doc.html, base_url=doc.base_url)
            with notes_kept_with_calls() as patched:
                if patched:
                    document = html.render(stylesheets=[css], font_config=font_config, **options)
                else:
                    document = _render_correcting(html, css, font_config, options)
            data: bytes = document.write_pdf(**options)
    finally:
        logger.removeHandler(problems)
    if problems.messages:
        raise PipelineError(f"WeasyPrint could not make a sound PDF of {doc.meta.slug}: {problems.messages[0]}")
    return data


def write_pdf(master: Path, out: Path, page_size: str = DEFAULT_PAGE_SIZE, variant: str = DEFAULT_VARIANT) -> None:
    """Write the PDF edition of ``master`` to ``out`` (atomically)."""
    check_variant(variant)
    doc = build_html(master, page_size)
    atomic.write_bytes(out, render(doc, variant))
