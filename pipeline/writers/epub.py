"""The EPUB 3 edition, rendered from the TEI master alone.

The book: a typographic cover (PNG, with a text alternative), a title page, a contents
page (the navigation document, with ``toc`` and hidden ``landmarks`` navs), the text,
the notes (endnotes with back-links, DPUB-ARIA roles as Apple Books, Kobo and
Readium-based readers expect), and a colophon with the full attribution from the
master's header. The package metadata carries the same attribution, a stable
``urn:uuid`` derived from the work's URL (so a rebuild keeps the identifier), and the
EPUB Accessibility 1.1 discovery metadata, every claim of which is true of these books:
text only, structured, with navigation and alternative text, no forced presentation.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from lxml import etree

from pipeline import APP_NAME, __version__, atomic
from pipeline import cover as covers
from pipeline.errors import PipelineError
from pipeline.master.read import EditionMeta, file_as, load
from pipeline.master.tei import T
from pipeline.reproducible import build_datetime, edition_date
from pipeline.writers import epub_package as pkg
from pipeline.writers import epub_split, figures, xhtml
from pipeline.writers.xhtml import EPUB_NS, XHTML_NS, h

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CSS_HREF = "css/epub.css"
FIGURES_CSS_HREF = "css/figures.css"  # linked by the text of an EPUB with figures only
COVER_IMAGE = "images/cover.png"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# documents of the book, in reading order: (id, file, title)
COVER, TITLEPAGE, NAV, TEXT, NOTES, COLOPHON = "cover", "titlepage", "nav", "text", "notes", "colophon"
HREF = {name: f"{name}.xhtml" for name in (COVER, TITLEPAGE, NAV, TEXT, NOTES, COLOPHON)}

XHTML_BLOCKS = frozenset(
    {
        "html",
        "head",
        "body",
        "meta",
        "title",
        "link",
        "section",
        "nav",
        "header",
        "footer",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "img",
        "hr",
        "aside",
    }
)

W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

ACCESSIBILITY_FEATURES = (
    "structuralNavigation",  # headings mark the title page, the text's divisions, the notes, the colophon
    "tableOfContents",  # the navigation document
    "readingOrder",  # one linear spine
    "alternativeText",  # the cover's text alternative (the only image)
    "displayTransformability",  # no fixed fonts, sizes or colours on the text
    "ARIA",  # DPUB-ARIA roles for notes, back-links, chapters, the cover
)
ACCESSIBILITY_SUMMARY = (
    "This publication is text only, apart from a typographic cover image whose words are "
    "given as its text alternative. It has a table of contents, headings, a single logical "
    "reading order, and notes linked to their markers and back. Its stylesheet sets no fixed "
    "fonts, sizes or colours, so the reading system's settings apply. Its conformance was "
    "evaluated by its producer with EPUBCheck and DAISY Ace."
)
FIGURES_SUMMARY = (
    "This publication is text with figures (charts, pictures or facsimiles from the source "
    "page), each with the page's text alternative and its caption; the cover is typographic, "
    "its words given as its text alternative. It has a table of contents, headings, a single "
    "logical reading order, and notes linked to their markers and back. Its stylesheet sets "
    "no fixed fonts, sizes or colours, so the reading system's settings apply. Its conformance "
    "was evaluated by its producer with EPUBCheck and DAISY Ace."
)
IMAGES = "images"  # the figures' folder in the EPUB (beside the cover image)
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def book_uuid(url: str) -> str:
    """A stable identifier: the same work URL always names the same book."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}"


# -- content documents --------------------------------------------------------------------


def document(
    title: str, lang: str, *content: etree._Element, body_class: str | None = None, figures_css: bool = False
) -> bytes:
    """A complete XHTML content document around ``content`` (linking the figures'
    stylesheet too with ``figures_css``)."""
    html = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", lang)
    html.set(XML_LANG, lang)
    head = h("head", parent=html)
    h("meta", parent=head, charset="utf-8")
    h("title", title, parent=head)
    h("link", parent=head, rel="stylesheet", type="text/css", href=CSS_HREF)
    if figures_css:
        h("link", parent=head, rel="stylesheet", type="text/css", href=FIGURES_CSS_HREF)
    body = h("body", parent=html, class_=body_class)
    for el in content:
        body.append(el)
    pkg.indent(html, XHTML_BLOCKS)
    return pkg.serialize(html, doctype="<!DOCTYPE html>")


def cover_document(meta: EditionMeta, text: covers.CoverText) -> bytes:
    section = h("section", epub_type="cover", class_="cover", id="cover")
    section.set("aria-label", "Cover")
    h("img", parent=section, src=COVER_IMAGE, alt=covers.alt_text(text), role="doc-cover")
    return document(f"Cover: {meta.title}", meta.language, section, body_class="cover")


def check_notes(tei: etree._Element, master: Path) -> None:
    """Every note marker must have its note, or the book would carry a dead link."""
    ids = {n.get(xhtml.XML_ID) for n in tei.iter(T("note"))}
    for ref in tei.iter(T("ref")):
        if ref.get("type") == "noteref" and (ref.get("target") or "#")[1:] not in ids:
            label = "".join(ref.itertext())
            raise PipelineError(
                f"note marker {label!r} points to {ref.get('target')!r}, which is no note", master, ref.sourceline
            )


def toc_points(
    meta: EditionMeta, entries: list[xhtml.TocEntry], has_notes: bool, where: dict[str, str]
) -> list[pkg.NavPoint]:
    """Title page, the text (one entry per headed division, or one for the whole work),
    notes, colophon: hrefs relative to the package document, each division's in the
    document of the text that holds it (``where``: id -> document)."""

    def points(es: list[xhtml.TocEntry]) -> list[pkg.NavPoint]:
        return [
            pkg.NavPoint(e.label, epub_split.located(f"{HREF[TEXT]}#{e.id}", where), points(e.children)) for e in es
        ]

    out = [pkg.NavPoint("Title Page", HREF[TITLEPAGE])]
    if entries:
        out += points(entries)
    else:
        out.append(pkg.NavPoint(meta.title, HREF[TEXT]))
    if has_notes:
        out.append(pkg.NavPoint("Notes", HREF[NOTES]))
    out.append(pkg.NavPoint("Colophon", HREF[COLOPHON]))
    return out


def flatten(entries: list[xhtml.TocEntry]) -> list[xhtml.TocEntry]:
    return [e for entry in entries for e in (entry, *flatten(entry.children))]


def nav_document(meta: EditionMeta, points: list[pkg.NavPoint], has_notes: bool) -> bytes:
    toc = h("nav", epub_type="toc", role="doc-toc", id="toc")
    toc.set("aria-labelledby", "toc-title")
    h("h2", "Contents", parent=toc, id="toc-title")

    def add(parent: etree._Element, ps: list[pkg.NavPoint]) -> None:
        ol = h("ol", parent=parent)
        for p in ps:
            li = h("li", parent=ol)
            h("a", p.label, parent=li, href=p.href)
            if p.children:
                add(li, p.children)

    add(toc, points)
    landmarks = h("nav", epub_type="landmarks", id="landmarks", hidden="hidden")
    landmarks.set("aria-label", "Landmarks")
    h("h2", "Landmarks", parent=landmarks)
    ol = h("ol", parent=landmarks)
    marks = [
        ("cover", HREF[COVER], "Cover"),
        ("titlepage", HREF[TITLEPAGE], "Title Page"),
        ("toc", f"{HREF[NAV]}#toc", "Contents"),
        ("bodymatter", f"{HREF[TEXT]}#text", "Text"),
    ]
    if has_notes:
        marks.append(("endnotes", f"{HREF[NOTES]}#notes", "Notes"))
    marks.append(("colophon", f"{HREF[COLOPHON]}#colophon", "Colophon"))
    for kind, href, label in marks:
        h("a", label, parent=h("li", parent=ol), href=href, epub_type=kind)
    return document(f"Contents: {meta.title}", meta.language, toc, landmarks)


# -- package metadata ---------------------------------------------------------------------


OPENING_WORDS = 40  # the text's first words in the description a reading app shows as the blurb


def opening_words(tei: etree._Element, count: int = OPENING_WORDS) -> str:
    """The text's first ``count`` words (its paragraphs, note markers and the repeated
    title or author line left out), "…" when the text runs on."""
    words: list[str] = []
    for p in tei.iterfind(f"{T('text')}/{T('body')}//{T('p')}"):
        if p.get("rend") in ("title", "author", "date"):
            continue
        words += "".join(p.xpath(".//text()[not(ancestor::*[local-name()='ref'][@type='noteref'])]")).split()
        if len(words) > count:
            break
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def description(meta: EditionMeta, opening: str) -> str:
    """The blurb reading apps show (issue 20): the original publication, the text's first
    words, and where the edition comes from; the information block stays in the colophon."""
    parts = []
    if meta.source_statement:
        parts.append(meta.source_statement.rstrip(". ") + ".")
    if meta.first_published:
        parts.append(f"First published: {meta.first_published.rstrip('. ')}.")
    if opening:
        parts.append(opening)
    parts.append(f"From the {meta.source_name}, {meta.url}.")
    return " ".join(parts)


def package_metadata(
    meta: EditionMeta, uid: str, modified: str, has_figures: bool = False, opening: str = ""
) -> pkg.Metadata:
    """Dublin Core and EPUB metadata: the same attribution as the colophon."""
    md = pkg.Metadata()
    md.dc("identifier", uid, id="uid")
    md.dc("title", meta.title, id="title")
    md.meta("title-type", "main", refines="title")
    for n, person in enumerate(meta.people, 1):
        ident = "creator" if n == 1 else f"creator-{n}"  # one dc:creator per person, in the page's order
        md.dc("creator", person.name, id=ident)
        md.meta("role", "aut", refines=ident, scheme="marc:relators")
        md.meta("file-as", person.file_as, refines=ident)
    for n, credit in enumerate(meta.credits, 1):
        ident = f"contributor-{n}"
        md.dc("contributor", credit.name, id=ident)
        for role in credit.roles:
            md.meta("role", role, refines=ident, scheme="marc:relators")
        md.meta("file-as", file_as(credit.name), refines=ident)
    md.dc("language", meta.language)
    if meta.date_iso and W3CDTF.match(meta.date_iso):
        md.dc("date", meta.date_iso)
    md.dc("source", meta.url, id="source-mia")
    if meta.source_statement:
        md.dc("source", meta.source_statement, id="source-original")
    md.dc("description", description(meta, opening))
    for lic in meta.licences:
        md.dc("rights", lic.text)
        md.meta("dcterms:license", lic.uri)
    if meta.permission:
        md.dc("rights", meta.permission)
    md.meta("dcterms:modified", modified)
    # EPUB Accessibility 1.1 discovery metadata
    md.meta("dcterms:conformsTo", CONFORMANCE)
    md.meta("a11y:certifiedBy", f"{APP_NAME} (the producer of this edition)")
    md.meta("schema:accessMode", "textual")
    if has_figures:
        md.meta("schema:accessMode", "visual")
    md.meta("schema:accessModeSufficient", "textual")
    for feature in ACCESSIBILITY_FEATURES:
        md.meta("schema:accessibilityFeature", feature)
    md.meta("schema:accessibilityHazard", "none")
    md.meta("schema:accessibilitySummary", FIGURES_SUMMARY if has_figures else ACCESSIBILITY_SUMMARY)
    md.legacy("cover", "cover-image")
    md.legacy("generator", f"{APP_NAME} {__version__}")
    return md


# -- the book -----------------------------------------------------------------------------


def build_epub(tei: etree._Element, meta: EditionMeta, master: Path) -> bytes:
    """The EPUB's bytes: a pure function of the master (and SOURCE_DATE_EPOCH)."""
    check_notes(tei, master)
    when = build_datetime(meta.ingest_date)
    uid = book_uuid(meta.url)
    lang = meta.language

    figure_files = figures.load(tei, master)
    links = xhtml.Links(
        notes_href=HREF[NOTES],
        text_href=HREF[TEXT],
        figure_src={el: (f"{IMAGES}/{f.name}", f.image.width, f.image.height) for el, f in figure_files.items()},
    )
    transform = xhtml.Transform(tei, links, note_mode="endnotes")
    text_docs = epub_split.split_text(transform.body())
    endnotes = transform.endnotes()
    has_notes = endnotes is not None
    where = epub_split.ids_by_document({d.href: d.section for d in text_docs})
    linked = {d.href: d.section for d in text_docs} | ({HREF[NOTES]: endnotes} if endnotes is not None else {})
    epub_split.relink(linked, where)
    entries = transform.toc()
    points = toc_points(meta, entries, has_notes, where)
    labels = {e.id: e.label for e in flatten(entries)}  # the contents' labels: no note markers
    for d in text_docs:
        d.title = labels.get(d.chapter_id or "", d.title)

    def add_identifier(dl: etree._Element) -> None:
        h("dt", "Identifier", parent=dl)
        h("dd", uid, parent=dl)

    colophon = xhtml.colophon(meta, edition_date(), extra=add_identifier)
    cover_text = covers.CoverText(meta.title, meta.author, meta.year, meta.source_name)
    xhtml_type = "application/xhtml+xml"

    items = [
        pkg.Item("css", CSS_HREF, "text/css", (DATA_DIR / "epub.css").read_bytes()),
        pkg.Item("cover-image", COVER_IMAGE, "image/png", covers.render_png(cover_text), properties="cover-image"),
        pkg.Item(COVER, HREF[COVER], xhtml_type, cover_document(meta, cover_text), spine=True),
        pkg.Item(
            TITLEPAGE, HREF[TITLEPAGE], xhtml_type, document(meta.title, lang, xhtml.title_page(meta)), spine=True
        ),
        pkg.Item(NAV, HREF[NAV], xhtml_type, nav_document(meta, points, has_notes), properties="nav", spine=True),
    ]
    items += [
        pkg.Item(
            Path(d.href).stem,
            d.href,
            xhtml_type,
            document(
                f"{d.title}: {meta.title}" if d.title else meta.title, lang, d.section, figures_css=bool(figure_files)
            ),
            spine=True,
        )
        for d in text_docs
    ]
    if figure_files:
        items.append(pkg.Item("figures-css", FIGURES_CSS_HREF, "text/css", (DATA_DIR / "figures.css").read_bytes()))
    items += [
        pkg.Item(f"figure-{f.number}", f"{IMAGES}/{f.name}", f.image.media_type, f.image.data)
        for f in figure_files.values()
    ]
    if endnotes is not None:
        items.append(
            pkg.Item(NOTES, HREF[NOTES], xhtml_type, document(f"Notes: {meta.title}", lang, endnotes), spine=True)
        )
    items.append(
        pkg.Item(COLOPHON, HREF[COLOPHON], xhtml_type, document(f"Colophon: {meta.title}", lang, colophon), spine=True)
    )
    items.append(
        pkg.Item(
            "ncx", "toc.ncx", "application/x-dtbncx+xml", pkg.ncx_document(uid, meta.title, meta.author, points, lang)
        )
    )

    metadata = package_metadata(meta, uid, when.strftime("%Y-%m-%dT%H:%M:%SZ"), bool(figure_files), opening_words(tei))
    opf = pkg.package_document(metadata, items, lang, "uid", "ncx")
    return pkg.ocf_zip(items, opf, when)


def write_epub(master: Path, out: Path) -> None:
    """Render ``master`` as an EPUB 3 at ``out`` (written atomically)."""
    master = Path(master)
    tei, meta = load(master)
    atomic.write_bytes(out, build_epub(tei, meta, master))
