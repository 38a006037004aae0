"""The PDF read back by layout region: the text, and the footnotes at each page's foot."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.read import EditionMeta
from pipeline.master.tei import safe_parser
from pipeline.verify.differences import Comparison, Difference
from pipeline.verify.master import MasterText, marker_positions
from pipeline.words import Token, align, key_of, tokens

# The PDF is read by layout region, the way a reader sees a page: the running head above
# the text, the text, and the footnotes below the page's last line set at the text's size
# (notes are set smaller). The text is then aligned only with the master's text and the
# footnotes only with its notes, so a common word of a note can never be taken for a word
# of the text. This reader is written here, not borrowed from the PDF writer: the judge
# must not share the code it judges.

HYPHEN_END_RE = re.compile(r"[^\W\d_][-\u2010\u2011\u00ad]$")
NOTE_SCALE_LIMIT = 0.875  # lines with no word this near the text's size are notes (or furniture)
CALL_SCALE_LIMIT = 0.75  # words markedly smaller than the text: note calls, superscripts
MAIN, FOOT = "main", "foot"


@dataclass
class PdfLine:
    """One line of a page: its vertical extent (points from the top) and its words with their heights."""

    top: float
    bottom: float
    words: list[tuple[str, float]]

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)


def pdf_lines(path: Path, tool: str = "pdfium", labels: frozenset[str] | None = None) -> list[list[PdfLine]]:
    """The PDF's lines, page by page, in reading order, with their geometry.

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
GAP_LINES = 3.0  # a horizontal gap of this many line heights parts two lines on one baseline (page number, running head)


def _pdfium_lines(path: Path, label_chars: frozenset[str] | None = None) -> list[list[PdfLine]]:
    """PDFium (pypdfium2) reads each character with its font size and box; words are runs
    of letters in one size, lines the words that share a band of the page. Five times
    cheaper than Poppler on WeasyPrint's PDFs (whose text Poppler reads at some 15 ms a page)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise PipelineError(f"unreadable PDF: {exc}", path) from None
    try:
        return [_pdfium_page_lines(page, label_chars) for page in pdf]
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
        else:
            lines.append(PdfLine(top, bottom, [(word, bottom - top)]))
            lefts.append(left)
        last_right = right
    order = sorted(range(len(lines)), key=lambda k: (lines[k].top, lefts[k]))  # top to bottom, then left to right
    return [lines[k] for k in order]


def _poppler_lines(path: Path) -> list[list[PdfLine]]:
    try:
        proc = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    except FileNotFoundError:
        raise PipelineError("pdftotext (Debian package poppler-utils) is needed to read a PDF with Poppler", path) from None
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
        pages.append(lines)
    return pages


def _pypdf_lines(path: Path) -> list[list[PdfLine]]:
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
                runs.append((text, height - y, abs(size * tm[3] * cm[3])))

            page.extract_text(visitor_text=visit)
            lines: list[PdfLine] = []
            chars: list[list[tuple[str, float]]] = []  # per line: (character, size)
            for text, base, size in runs:
                line = lines[-1] if lines else None
                if line is not None and abs(base - line.bottom) < 0.5 * max(size, line.bottom - line.top):
                    if size < CALL_SCALE_LIMIT * (line.bottom - line.top):
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
            pages.append([line for line in lines if line.words])
        return pages
    except (PyPdfError, OSError, ValueError) as exc:
        raise PipelineError(f"unreadable PDF: {exc}", path) from None


def furniture_lines(pages: list[list[PdfLine]], meta: EditionMeta, height: float) -> set[tuple[int, int]]:
    """(page index, line index) of the running heads and page numbers.

    By position: lines above the top of the text area (the highest text-size line of any
    page). By content, at the top and bottom edges of a page: the page's own number, the
    author, the title, or a line that repeats at the edge of many pages."""

    def core(line: str) -> str:
        return " ".join(re.sub(r"\d+", " ", line).split())

    heads = {core(meta.author), core(meta.title), core(f"{meta.author} {meta.title}"), core(f"{meta.title} {meta.author}")} - {""}
    counts: dict[str, int] = {}
    edges: list[list[int]] = []
    for lines in pages:
        order = sorted(range(len(lines)), key=lambda k: lines[k].top)
        edge = order[:2] + order[-2:]
        edges.append(edge)
        for c in {core(lines[k].text) for k in edge} - {""}:
            counts[c] = counts.get(c, 0) + 1
    repeated = {c for c, n in counts.items() if n >= max(3, len(pages) // 3)}
    tops = [min((l.top for l in lines if big(l, height)), default=float("inf")) for lines in pages[1:]]
    text_top = min(tops, default=float("inf"))
    out: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        for k, line in enumerate(lines):
            if line.bottom <= text_top + 0.5:
                out.add((p, k))
        for k in edges[p]:
            text = lines[k].text.strip()
            if text == str(p + 1) or core(text) in heads | repeated:
                out.add((p, k))
    return out


def text_height(pages: list[list[PdfLine]]) -> float:
    """The most common word height: the text's type size."""
    heights = [round(h, 1) for lines in pages for line in lines for _, h in line.words]
    return max(set(heights), key=heights.count) if heights else 0.0


def big(line: PdfLine, height: float) -> bool:
    return max(h for _, h in line.words) >= NOTE_SCALE_LIMIT * height


def pdf_regions(pages: list[list[PdfLine]], meta: EditionMeta, call_labels: set[str]) -> tuple[list[Token], list[Token]]:
    """The words of the text (MAIN) and of the footnotes (FOOT), each in order across pages,
    de-hyphenated within its own stream, without the title page (page 1), the colophon
    (from its "Colophon" heading on), running heads, page numbers and note calls."""
    colophon = next(  # its heading: the largest type on its page (a running head is small)
        ((p, k) for p in range(len(pages) - 1, 0, -1) for k, line in enumerate(pages[p])
         if line.text.strip() == "Colophon" and max(h for _, h in line.words) >= max(h for l in pages[p] for _, h in l.words)),
        (len(pages), 0),
    )
    # the text's type size, from the text's pages only: in a short work the colophon's
    # smaller type could outnumber it
    height = text_height([[l for k, l in enumerate(lines) if (p, k) < colophon] for p, lines in enumerate(pages) if p > 0])
    furniture = furniture_lines(pages, meta, height)
    streams: dict[str, list[Token]] = {MAIN: [], FOOT: []}
    broken: dict[str, set[int]] = {MAIN: set(), FOOT: set()}
    for p, lines in enumerate(pages):
        if p == 0 or (p, 0) >= colophon:
            continue  # the title page; the colophon
        notes_top = first_note_top(lines, height, call_labels)
        foot_from = max(
            (l.bottom for k, l in enumerate(lines) if (p, k) not in furniture and big(l, height) and l.top < notes_top), default=-1.0
        )
        for k, line in enumerate(lines):
            if (p, k) in furniture or (p, k) >= colophon:
                continue
            region = FOOT if (line.top + line.bottom) / 2 > foot_from else MAIN
            words = [w for w, h in line.words if not (h < CALL_SCALE_LIMIT * height and key_of(w.strip(".,;:()[]")) in call_labels)]
            toks = tokens(" ".join(words), f"page {p + 1}")  # words hold no spaces: one call per line
            streams[region] += toks
            if toks and words and HYPHEN_END_RE.search(words[-1]):
                broken[region].add(len(streams[region]) - 1)
    return join_broken(streams[MAIN], broken[MAIN]), join_broken(streams[FOOT], broken[FOOT])


def first_note_top(lines: list[PdfLine], height: float, call_labels: set[str]) -> float:
    """The top of the page's first footnote that opens with its label ("1.") below its call.

    Size alone cannot tell a note from the text when the note belongs to a heading: it is
    set smaller than the heading, which can bring it back to the text's size. A line that
    opens with the label of a call standing above it, in type not exactly the text's, is
    such a note; the text ends above it."""
    calls: dict[str, float] = {}  # label -> top of the first line calling it
    for line in sorted(lines, key=lambda l: l.top):
        first, first_h = line.words[0]
        label = key_of(first.strip().rstrip("."))
        if label in calls and calls[label] < line.top and abs(first_h - height) > 0.005 * height:
            return line.top
        for w, h in line.words:
            label = key_of(w.strip(".,;:()[]"))
            if h < CALL_SCALE_LIMIT * height and label in call_labels:
                calls.setdefault(label, line.top)
    return float("inf")


def join_broken(toks: list[Token], broken: set[int]) -> list[Token]:
    """A word broken at a line's end ("consti-" / "tution", "short-" / "sighted") joins the
    next word of the same stream: the next line, or the next page's first line."""
    out: list[Token] = []
    skip = False
    for i, t in enumerate(toks):
        if skip:
            skip = False
            continue
        if i in broken and i + 1 < len(toks):
            nxt = toks[i + 1]
            t = Token(t.key + nxt.key, f"{t.surface}-{nxt.surface}", t.where)
            skip = True
        out.append(t)
    return out


LONG_NOTES = ["long", "notes"]  # the PDF writer's section for notes too long for a page foot
POINTER = ["printed", "after", "the", "text", "page"]  # "Printed after the text, page N." at the call's foot


def split_long_notes(main: list[Token], foot: list[Token], master: MasterText):
    """The PDF writer sets a note too long for a page foot in a "Long notes" section after
    the text, and leaves "Printed after the text, page N." at the call's foot. Take the
    heading out of the text, the pointers out of the footnotes, put the section's words
    (in whichever region their type size put them) at the end of the footnotes, and
    return the notes so set (by index), which are then expected there, in call order."""
    keys = [t.key for t in main]
    start = next((i for i in range(len(keys) - 1, -1, -1) if keys[i : i + 2] == LONG_NOTES), None)
    if start is None:
        return main, foot, set()
    by_label = {key_of(label): k for k, (_, label, _) in enumerate(master.notes)}
    long_notes: set[int] = set()
    kept: list[Token] = []
    i = 0
    while i < len(foot):
        if [t.key for t in foot[i : i + 5]] == POINTER and i + 5 < len(foot) and foot[i + 5].key.isdigit():
            if kept and kept[-1].key in by_label:
                long_notes.add(by_label[kept.pop().key])
            i += 6
            continue
        kept.append(foot[i])
        i += 1
    return main[:start], kept + main[start + 2 :], long_notes


def check_pdf(path: Path, master: MasterText, meta: EditionMeta, cmp: Comparison, tool: str = "auto") -> None:
    body = master.body.tokens(refs=False, numbers=False)
    # The page foot prints notes in the order of their calls, which need not be the
    # notes' own order (a note called before a lower-numbered one): compare in call order.
    refs = marker_positions(master)
    order = sorted(range(len(master.notes)), key=lambda k: (refs.get(master.notes[k][0], len(body)), k))
    note_toks = {k: master.notes[k][2].tokens(notes=False, numbers=False) for k in order}
    notes = [t for k in order for t in note_toks[k]]
    note_of = [k for k in order for _ in note_toks[k]]
    label_keys = {key_of(l) for l in master.labels}
    # numbers of list items and notes' labels: the PDF may or may not carry them in its text layer
    generated = label_keys | {i.value for _, _, c in master.notes for i in c.items if i.kind == "number"}
    generated |= {i.value for i in master.body.items if i.kind == "number"}
    main, foot = pdf_regions(pdf_lines(path, tool, master.labels), meta, label_keys)
    main, foot, long_notes = split_long_notes(main, foot, master)
    if long_notes:  # set after the text: expected last, in call order
        order = [k for k in order if k not in long_notes] + [k for k in order if k in long_notes]
        notes = [t for k in order for t in note_toks[k]]
        note_of = [k for k in order for _ in note_toks[k]]

    def page(t: Token) -> int:
        return int(t.where.split()[1])

    def additions(got: list[Token], j1: int, j2: int) -> tuple[int, int]:
        while j1 < j2 and got[j1].key in generated:
            j1 += 1  # a note's label, a list item's number
        return j1, j2

    # 1. the text against the text region
    body_at: dict[int, int] = {}  # master body index -> MAIN index
    missing: list[tuple[int, int, int]] = []
    added: list[tuple[int, int, int]] = []
    for tag, i1, i2, j1, j2 in align([t.key for t in body], [t.key for t in main]):
        if tag == "equal":
            body_at.update(zip(range(i1, i2), range(j1, j2)))
        if tag in ("delete", "replace"):
            missing.append((i1, i2, j1))
        if tag in ("insert", "replace"):
            j1, j2 = additions(main, j1, j2)
            if j1 < j2:
                added.append((j1, j2, i1))
    cmp.report_runs(body, main, missing, added, "text")
    # 2. the notes against the footnote region
    note_page: dict[int, int] = {}
    missing, added = [], []
    for tag, i1, i2, j1, j2 in align([t.key for t in notes], [t.key for t in foot]):
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                note_page.setdefault(note_of[i], page(foot[j]))
        if tag in ("delete", "replace"):
            missing.append((i1, i2, j1))
        if tag in ("insert", "replace"):
            j1, j2 = additions(foot, j1, j2)
            if j1 < j2:
                added.append((j1, j2, i1))
    cmp.report_runs(notes, foot, missing, added, "notes")
    # 3. each note at the foot of the page that carries its marker
    for k, (note_id, label, _) in enumerate(master.notes):
        if k not in note_page or note_id not in refs or k in long_notes:
            continue
        i = refs[note_id]
        pages_of_marker = {page(main[body_at[n]]) for n in (i - 1, i) if n in body_at}
        if pages_of_marker and note_page[k] not in pages_of_marker:
            cmp.add(
                Difference(
                    cmp.work, cmp.edition, "misplaced", f"page {note_page[k]}", f"note {label}",
                    detail=f"note {label} is on page {note_page[k]}, its marker on page {min(pages_of_marker)}",
                )
            )


