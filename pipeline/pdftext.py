"""A PDF's text layer: its pages' lines, each with its extent and its words' heights.

The one reader of PDF text in the pipeline: verify (:mod:`pipeline.verify.pdf`) sorts
the lines into regions to compare them with the master, and the PDF writer's tests
(:func:`tests.writers.pdf_words.read_words`) check the layout with it. Three independent
tools read the same layer: PDFium (pypdfium2, the default and the cheapest: some five
times cheaper than Poppler on WeasyPrint's PDFs), Poppler's ``pdftotext -bbox-layout``
and pypdf's text visitor; the tests hold them to the same words.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.tei import safe_parser

RAISED_SCALE = 0.75  # pypdf: a run this much smaller than its line, on it, is a call: a word of its own


@dataclass
class PdfLine:
    """One line of a page: its vertical extent (points from the top) and its words with their heights."""

    top: float
    bottom: float
    words: list[tuple[str, float]]
    # each word's horizontal extent (left, right), in points: PDFium's reading only (a gap
    # between two words wider than a space tells a table's columns apart); empty otherwise
    spans: list[tuple[float, float]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)


@dataclass
class PdfPage:
    width: float  # points
    height: float
    lines: list[PdfLine]


def pdf_lines(path: Path, tool: str = "pdfium", labels: frozenset[str] | None = None) -> list[list[PdfLine]]:
    """The PDF's lines, page by page (see :func:`pdf_pages`)."""
    return [page.lines for page in pdf_pages(path, tool, labels)]


def pdf_pages(path: Path, tool: str = "pdfium", labels: frozenset[str] | None = None) -> list[PdfPage]:
    """The PDF's pages: their size, and their lines in reading order, with their geometry.

    ``tool``: PDFium (the default: the cheapest), Poppler's ``pdftotext -bbox-layout``,
    or pypdf's text visitor, which gives each run of text with its position and size.
    Three independent readers of one text layer; the tests hold them to the same words.
    ``labels``: the note labels, when known: PDFium then looks for a call set in smaller
    type only in runs of text holding a character of a label (a call inside a run of
    letters, as in "Hillman12", is told by its size)."""
    if tool == "pdftotext":
        return _poppler_lines(path)
    if tool == "pypdf":
        return _pypdf_lines(path)
    return _pdfium_lines(path, None if labels is None else frozenset("".join(labels)))


SIZE_STEP = 0.01  # a change of font size larger than this inside a run of letters starts a new word (a note call)
JOINED_HYPHEN = "\ufffe"  # PDFium's mark for a hyphen at a line's end that it joined to the next line
GAP_LINES = (
    3.0  # a horizontal gap of this many line heights parts two lines on one baseline (page number, running head)
)


def _pdfium_lines(path: Path, label_chars: frozenset[str] | None = None) -> list[PdfPage]:
    """PDFium (pypdfium2) reads each character with its font size and box; words are runs
    of letters in one size, lines the words that share a band of the page. Five times
    cheaper than Poppler on WeasyPrint's PDFs (whose text Poppler reads at some 15 ms a page)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise PipelineError(f"unreadable PDF: {exc}", path) from None
    try:
        return [PdfPage(page.get_width(), page.get_height(), _pdfium_page_lines(page, label_chars)) for page in pdf]
    except pdfium.PdfiumError as exc:
        raise PipelineError(f"unreadable PDF: {exc}", path) from None
    finally:
        pdf.close()


def _pdfium_page_lines(page: pdfium.PdfPage, label_chars: frozenset[str] | None) -> list[PdfLine]:
    height = page.get_height()
    textpage = page.get_textpage()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters beyond the BMP: one index each, two UTF-16 units in the text
        text = "".join(chr(pdfium_raw.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    size_of = pdfium_raw.FPDFText_GetFontSize
    words: list[tuple[str, float, float, float, float]] = []  # text, top, bottom, left, right
    for run in re.finditer(r"\S+", text):
        start, end = run.span()
        # a new word where the size changes, and after a hyphen that PDFium joined to the
        # next line's word (it marks such a hyphen U+FFFE)
        cuts = [start]
        if end - start > 1 and (label_chars is None or not label_chars.isdisjoint(run.group())):
            sizes = [size_of(textpage, i) for i in range(start, end)]
            cuts += [start + k for k in range(1, end - start) if abs(sizes[k] - sizes[k - 1]) > SIZE_STEP]
        if JOINED_HYPHEN in run.group():
            cuts = sorted({*cuts, *(start + k + 1 for k, c in enumerate(run.group()[:-1]) if c == JOINED_HYPHEN)})
        cuts.append(end)
        for a, b in zip(cuts, cuts[1:]):
            left, bottom, _, top = textpage.get_charbox(a, loose=True)
            right = textpage.get_charbox(b - 1, loose=True)[2]
            words.append((text[a:b].replace(JOINED_HYPHEN, "-"), height - top, height - bottom, left, right))
    textpage.close()
    lines: list[PdfLine] = []
    lefts: list[float] = []
    last_right = 0.0
    for word, top, bottom, left, right in words:
        line = lines[-1] if lines else None
        if (
            line is not None
            and min(bottom, line.bottom) - max(top, line.top) > 0.5 * min(bottom - top, line.bottom - line.top)
            and left - last_right < GAP_LINES * (line.bottom - line.top)
        ):
            line.top, line.bottom = min(line.top, top), max(line.bottom, bottom)
            line.words.append((word, bottom - top))
            line.spans.append((left, right))
        else:
            lines.append(PdfLine(top, bottom, [(word, bottom - top)], [(left, right)]))
            lefts.append(left)
        last_right = right
    order = sorted(range(len(lines)), key=lambda k: (lines[k].top, lefts[k]))  # top to bottom, then left to right
    return [lines[k] for k in order]


def _poppler_lines(path: Path) -> list[PdfPage]:
    try:
        proc = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    except FileNotFoundError:
        raise PipelineError(
            "pdftotext (Debian package poppler-utils) is needed to read a PDF with Poppler", path
        ) from None
    if proc.returncode != 0:
        raise PipelineError(f"unreadable PDF: {proc.stderr.decode('utf-8', 'replace').strip()}", path)
    try:
        root = etree.fromstring(proc.stdout, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise PipelineError(f"unreadable PDF text layer: {exc.msg}", path) from None
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in root.iter(f"{ns}page"):
        lines = []
        for line in page.iter(f"{ns}line"):
            words = [(w.text or "", float(w.get("yMax", 0)) - float(w.get("yMin", 0))) for w in line.iter(f"{ns}word")]
            if words:
                lines.append(PdfLine(float(line.get("yMin", 0)), float(line.get("yMax", 0)), words))
        pages.append(PdfPage(float(page.get("width", 0)), float(page.get("height", 0)), lines))
    return pages


def _pypdf_lines(path: Path) -> list[PdfPage]:
    """Runs of text on one baseline make a line; a raised small run (a note call) joins the
    line it stands on. Heights are font sizes, which compare with each other as boxes do."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        pages = []
        for page in reader.pages:
            height = float(page.mediabox.top)
            runs: list[tuple[str, float, float]] = []  # text, top-down baseline, size

            def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
                if not text.strip():
                    return
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((text, height - y, abs(size * tm[3] * cm[3])))  # noqa: B023 (called in this iteration)

            page.extract_text(visitor_text=visit)
            lines: list[PdfLine] = []
            chars: list[list[tuple[str, float]]] = []  # per line: (character, size)
            for text, base, size in runs:
                line = lines[-1] if lines else None
                if line is not None and abs(base - line.bottom) < 0.5 * max(size, line.bottom - line.top):
                    if size < RAISED_SCALE * (line.bottom - line.top):
                        chars[-1].append((" ", size))  # a call is a word of its own
                    line.top = min(line.top, base - size)
                else:
                    lines.append(PdfLine(base - size, base, []))
                    chars.append([])
                chars[-1] += [(c, size) for c in text]
            for line, cs in zip(lines, chars):
                word, size = "", 0.0
                for c, s in cs + [(" ", 0.0)]:
                    if c.isspace():
                        if word:
                            line.words.append((word, size))
                        word, size = "", 0.0
                    else:
                        word, size = word + c, max(size, s)
            pages.append(PdfPage(float(page.mediabox.width), height, [line for line in lines if line.words]))
        return pages
    except (PyPdfError, OSError, ValueError) as exc:
        raise PipelineError(f"unreadable PDF: {exc}", path) from None
