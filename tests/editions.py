"""Minimal EPUB and PDF editions for the fidelity tests, made from a master with the
shared XHTML transform, with a hook to corrupt their XHTML before packaging or rendering.
They test verify against editions other than the real writers' (a second layout, with
its own running heads and footnotes); the real EPUB is corrupted too, in
``test_verify.py::test_real_epub_corruption_is_caught``.

The EPUB is a minimal EPUB 3 container (OPF spine, nav, title page, text, notes,
colophon); the PDF is WeasyPrint's rendering of ``Transform(note_mode="footnotes")``
with footnotes floated to the page foot, running heads and page numbers.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from pipeline.master.read import load
from pipeline.writers.xhtml import EPUB_NS, XHTML_NS, H, Links, Transform, colophon, title_page

Edit = Callable[[etree._Element], None]

PRINT_CSS = """
@page { size: A5; margin: 20mm 16mm;
  @top-left { content: "%(author)s"; font-size: 8pt }
  @top-right { content: "%(title)s"; font-size: 8pt }
  @bottom-center { content: counter(page) } }
@page :first { @top-left { content: none } @top-right { content: none } @bottom-center { content: none } }
body { font-family: "EB Garamond", serif; font-size: 11pt; text-align: justify; hyphens: auto }
section.titlepage { break-after: page }
section.colophon { break-before: page; font-size: 9pt }
span.footnote { float: footnote; font-size: 9pt }
"""


def document(sections: list[etree._Element], title: str, css: str = "") -> etree._Element:
    html = etree.Element(H + "html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    html.set("lang", "en")
    head = etree.SubElement(html, H + "head")
    etree.SubElement(head, H + "title").text = title
    if css:
        etree.SubElement(head, H + "style").text = css
    body = etree.SubElement(html, H + "body")
    for section in sections:
        body.append(section)
    return html


def xhtml_bytes(html: etree._Element) -> bytes:
    return etree.tostring(html, xml_declaration=True, encoding="utf-8")


def make_epub(master: Path, out: Path, edit: Edit | None = None) -> Path:
    """``edit`` may change the text document (the <html> of text.xhtml) before it is zipped."""
    tei, meta = load(master)
    transform = Transform(tei, Links(notes_href="notes.xhtml", text_href="text.xhtml"))
    docs = {
        "title.xhtml": document([title_page(meta)], meta.title),
        "text.xhtml": document([transform.body()], meta.title),
        "colophon.xhtml": document([colophon(meta, "2026-01-01")], meta.title),
    }
    notes = transform.endnotes()
    if notes is not None:
        docs["notes.xhtml"] = document([notes], meta.title)
    if edit:
        edit(docs["text.xhtml"], docs.get("notes.xhtml"))
    nav = (
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}"><head><title>Contents</title></head><body>'
        '<nav epub:type="toc"><h1>Contents</h1><ol><li><a href="text.xhtml">Text</a></li></ol></nav></body></html>'
    )
    order = [n for n in ("title.xhtml", "text.xhtml", "notes.xhtml", "colophon.xhtml") if n in docs]
    manifest = "".join(f'<item id="d{i}" href="{n}" media-type="application/xhtml+xml"/>' for i, n in enumerate(order))
    spine = "".join(f'<itemref idref="d{i}"/>' for i in range(len(order)))
    opf = (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
        f"<dc:title>{meta.title}</dc:title><dc:language>en</dc:language></metadata>"
        f'<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>{manifest}</manifest>'
        f'<spine><itemref idref="nav" linear="no"/>{spine}</spine></package>'
    )
    container = (
        '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
    )
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", container)
        z.writestr("OEBPS/content.opf", opf)
        z.writestr("OEBPS/nav.xhtml", nav)
        for name, html in docs.items():
            z.writestr(f"OEBPS/{name}", xhtml_bytes(html))
    return out


def make_pdf(master: Path, out: Path, edit: Edit | None = None) -> Path:
    from weasyprint import HTML

    tei, meta = load(master)
    transform = Transform(tei, note_mode="footnotes")
    css = PRINT_CSS % {"author": meta.author, "title": meta.title}
    html = document([title_page(meta), transform.body(), colophon(meta, "2026-01-01")], meta.title, css)
    if edit:
        edit(html, None)
    HTML(string=etree.tostring(html, encoding="unicode")).write_pdf(out)
    return out
