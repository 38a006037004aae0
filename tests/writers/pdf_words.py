"""The PDF edition read back, for the PDF writer's tests: every word with its page and region.

The running head, the text, the notes at the foot: the layout tests check each. The text
layer comes from :mod:`pipeline.pdftext` (Poppler's reading, every word with its box); the
regions follow from the print stylesheet's geometry (:data:`pipeline.writers.pdf.PAGE_SIZES`):
heads sit in the top margin, and the notes are the lines set smaller than the text below
the page's last line of text. (Verify reads PDFs with its own code, :mod:`pipeline.verify.pdf`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.pdftext import pdf_pages
from pipeline.writers.pdf import DEFAULT_PAGE_SIZE, PAGE_SIZES

HEAD, MAIN, FOOT = "head", "main", "foot"
AUTO_HYPHENS = ("\u2010", "\u00ad")  # what WeasyPrint inserts at a hyphenation break
NOTE_SCALE_LIMIT = 0.875  # notes are set at 0.82 of the text size, block quotations at 0.93
CALL_SCALE_LIMIT = 0.75  # note calls at 0.68


@dataclass(frozen=True)
class PdfWord:
    text: str
    page: int  # 1-based
    region: str  # HEAD, MAIN or FOOT
    small: bool  # set markedly smaller than the text (a note call, a superscript)
    line_end: bool  # last word of its line
    top: float  # the line's box, in points from the top of the page
    bottom: float


def read_words(pdf: Path) -> list[PdfWord]:
    """Every word of ``pdf`` in reading order, with its page and region."""
    pages = [((p.width, p.height), [(l.top, l.bottom, l.words) for l in p.lines]) for p in pdf_pages(pdf, "pdftotext")]
    heights = [round(h, 1) for _, lines in pages for _, _, words in lines for _, h in words]
    text_height = max(set(heights), key=heights.count) if heights else 0.0
    result = []
    for number, (size, lines) in enumerate(pages, 1):
        geometry = next((g for g in PAGE_SIZES.values() if g.matches(*size)), PAGE_SIZES[DEFAULT_PAGE_SIZE])
        head_limit = geometry.top_pt
        body_lines = [
            y_max
            for y_min, y_max, words in lines
            if y_max > head_limit and max(h for _, h in words) >= NOTE_SCALE_LIMIT * text_height
        ]
        foot_from = max(body_lines, default=float("inf"))
        for y_min, y_max, words in lines:
            region = HEAD if y_max <= head_limit else FOOT if (y_min + y_max) / 2 > foot_from else MAIN
            for i, (text, height) in enumerate(words):
                small = height < CALL_SCALE_LIMIT * text_height
                result.append(PdfWord(text, number, region, small, i == len(words) - 1, y_min, y_max))
    return result


def dehyphenate(words: list[PdfWord]) -> list[str]:
    """The words' texts with each word broken across lines made whole again.

    A break WeasyPrint made (U+2010 or a soft hyphen at the line's end) loses its
    hyphen; a word that already held a hyphen ("short-" / "sighted") keeps it.
    """
    out: list[str] = []
    pending = ""
    for word in words:
        text = pending + word.text
        pending = ""
        if word.line_end and len(text) > 1:
            if text.endswith(AUTO_HYPHENS):
                pending = text[:-1]
                continue
            if text.endswith("-"):
                pending = text
                continue
        out.append(text)
    if pending:
        out.append(pending)
    return out
