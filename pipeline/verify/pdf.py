"""The PDF read back by layout region: the text, and the footnotes at each page's foot."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pipeline.master.read import EditionMeta
from pipeline.pdftext import PdfLine, pdf_lines
from pipeline.verify.differences import Comparison, Difference
from pipeline.verify.figures import printed_texts, without_figures
from pipeline.verify.master import MasterText, marker_positions
from pipeline.verify.pdf_layout import (
    COLUMN_GAP,
    SAME_LINE,
    Op,
    Place,
    Run,
    Stream,
    forgive_table_order,
    rejoined,
)
from pipeline.words import Token, align, key_of, tokens

# The PDF is read by layout region, the way a reader sees a page: the running head above
# the text, the text, and the footnotes below the page's last line set at the text's size
# (notes are set smaller). The text is then aligned only with the master's text and the
# footnotes only with its notes, so a common word of a note can never be taken for a word
# of the text. The regions are this judge's own reading, not borrowed from the PDF writer;
# the text layer itself comes from :mod:`pipeline.pdftext` (PDFium by default).

HYPHEN_END_RE = re.compile(r"[^\W_][-\u2010\u2011\u00ad]$")  # "consti-", "short-", "6-" (day)
NOTE_SCALE_LIMIT = 0.875  # lines with no word this near the text's size are notes (or furniture)
CALL_SCALE_LIMIT = 0.75  # words markedly smaller than the text: note calls, superscripts
TOUCH = 0.3  # points: a word this close to the one before it (no space between) continues it
MAIN, FOOT = "main", "foot"


def furniture_lines(pages: list[list[PdfLine]], meta: EditionMeta, height: float) -> set[tuple[int, int]]:
    """(page index, line index) of the running heads and page numbers.

    By position: lines above the top of the text area (the highest text-size line of any
    page). By content, at the top and bottom edges of a page: the page's own number, the
    author, the title, or a line that repeats at the edge of many pages."""

    def core(line: str) -> str:
        return " ".join(re.sub(r"\d+", " ", line).split())

    heads = {
        core(meta.author),
        core(meta.title),
        core(f"{meta.author} {meta.title}"),
        core(f"{meta.title} {meta.author}"),
    } - {""}
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
        numbers = [lines[k].top for k in edges[p] if lines[k].text.strip() == str(p + 1)]
        for k in edges[p]:
            text = lines[k].text.strip()
            # a running head is set smaller than the text: a heading at a page's edge that
            # happens to read as the title or the author (a part headed by its author's name,
            # a one-part work headed by its title) is the text's, and compared; a page's
            # number is told by its value (pypdf reads its size larger than the text's), and
            # the title or author on the page number's line is the running head whatever
            # its size (in a work set mostly in a table, the text's type is smaller)
            beside_number = any(abs(lines[k].top - top) < SAME_LINE for top in numbers)
            if text == str(p + 1) or (core(text) in heads and beside_number):
                out.add((p, k))
            elif core(text) in heads | repeated and not big(lines[k], height):
                out.add((p, k))
    return out


def text_height(pages: list[list[PdfLine]]) -> float:
    """The most common word height: the text's type size."""
    heights = [round(h, 1) for lines in pages for line in lines for _, h in line.words]
    return max(set(heights), key=heights.count) if heights else 0.0


def big(line: PdfLine, height: float) -> bool:
    return max(h for _, h in line.words) >= NOTE_SCALE_LIMIT * height


def pdf_regions(
    pages: list[list[PdfLine]], meta: EditionMeta, call_labels: set[str], vocabulary: frozenset[str] = frozenset()
) -> tuple[list[Token], list[Token]]:
    """The words of the text (MAIN) and of the footnotes (FOOT), each in order across pages,
    de-hyphenated within its own stream, without the title page (page 1), the colophon
    (from its "Colophon" heading on), running heads, page numbers and note calls."""
    main, foot = read_regions(pages, meta, call_labels, vocabulary)
    return main.tokens, foot.tokens


def read_regions(
    pages: list[list[PdfLine]],
    meta: EditionMeta,
    call_labels: set[str],
    vocabulary: frozenset[str] = frozenset(),
    rules: Counter[str] | None = None,
    calls_made: Counter[str] | None = None,
) -> tuple[Stream, Stream]:
    """:func:`pdf_regions`, each word with its place on the page (:class:`Stream`); the
    rules applied (line-end hyphens joined, print hyphens kept) counted in ``rules``.
    ``calls_made``: how many calls of each label the master makes; no more small numbers
    are taken for calls (the rest are raised figures of the text)."""
    budget = Counter(calls_made) if calls_made is not None else None
    colophon = colophon_start(pages)
    # the text's type size, from the text's pages only: in a short work the colophon's
    # smaller type, or the long notes' (a letter of many words in a note), could outnumber it
    text_end = min(colophon, section_start(pages, "Long notes"))
    height = text_height(
        [[l for k, l in enumerate(lines) if (p, k) < text_end] for p, lines in enumerate(pages) if p > 0]
    )
    furniture = furniture_lines(pages, meta, height)
    streams = {MAIN: Stream(), FOOT: Stream()}
    broken: dict[str, set[int]] = {MAIN: set(), FOOT: set()}
    for p, lines in enumerate(pages):
        if p == 0 or (p, 0) >= colophon:
            continue  # the title page; the colophon
        text_lines = [(k, line) for k, line in enumerate(lines) if (p, k) not in furniture]
        foot_from = (
            foot_top(lines, [line for _, line in text_lines], height, call_labels)
            if has_notes(lines, height, call_labels)
            else float("inf")
        )
        # a call's note stands at its page's foot (the line calling it goes to the next page
        # with it): a number set small whose label opens no note there is a raised figure
        # (mehring-1910-absrev's "33<sup>1</sup>/<sub>3</sub>"), a word of the text
        calls = {key_of(l.words[0][0].strip().rstrip(".")) for l in lines if (l.top + l.bottom) / 2 > foot_from}
        for k, line in text_lines:
            if (p, k) >= colophon:
                continue
            region = FOOT if (line.top + line.bottom) / 2 > foot_from else MAIN
            stream = streams[region]
            before = len(stream.tokens)
            last_word = read_line(stream, line, p, height, call_labels & calls, budget)
            if len(stream.tokens) > before and HYPHEN_END_RE.search(last_word):
                broken[region].add(len(stream.tokens) - 1)
    return (
        streams[MAIN].joined(broken[MAIN], vocabulary, rules),
        streams[FOOT].joined(broken[FOOT], vocabulary, rules),
    )


def read_line(
    stream: Stream, line: PdfLine, p: int, height: float, calls: set[str], budget: Counter[str] | None = None
) -> str:
    """The line's words into ``stream``, but note calls (small numbers in ``calls``, while the
    ``budget`` of the master's calls of that label lasts); a raised figure touching the word
    before it is part of that word ("33" "1" -> "331", as the master's
    "33<hi rend="sup">1</hi>" reads). Returns the line's last word."""
    last_right, last_word, first, opening = None, "", len(stream.tokens), False
    for n, (w, h) in enumerate(line.words):
        small = h < CALL_SCALE_LIMIT * height
        label = key_of(w.strip(".,;:()[]")) if small else ""
        if small and label in calls and (budget is None or budget[label] > 0):
            if budget is not None:
                budget[label] -= 1
            continue
        left, right = line.spans[n] if line.spans else (0.0, 0.0)
        words = tokens(w, f"page {p + 1}")
        touching = last_right is not None and bool(line.spans) and left - last_right < TOUCH
        if small and touching and words and len(stream.tokens) > first and last_word[-1:].isalnum():
            prev = stream.tokens[-1]
            stream.tokens[-1] = Token(prev.key + words[0].key, prev.surface + words[0].surface, prev.where)
            words = words[1:]
        # a fragment of a table's cell starts a line, or follows a gap wider than a space;
        # one opening with no word ("% of GNP") opens at its first word
        gap = opening or last_right is None or (bool(line.spans) and left - last_right > COLUMN_GAP * h)
        opening = gap and not words
        for t in words:
            stream.add(t, Place(p, line.top, left, gap))
            gap = False
        last_right, last_word = right, w
    return last_word


def has_notes(lines: list[PdfLine], height: float, call_labels: set[str]) -> bool:
    """Whether the page can have footnotes: it shows a note call (a label in small type), or
    a line opening with a note's label ("3."). A page without either has no foot region: a
    quotation in smaller type at its end (a quotation within a quotation) is the text's."""
    for line in lines:
        first = line.words[0][0]
        if key_of(first.strip().rstrip(".")) in call_labels:
            return True
        if any(h < CALL_SCALE_LIMIT * height and key_of(w.strip(".,;:()[]")) in call_labels for w, h in line.words):
            return True
    return False


def colophon_start(pages: list[list[PdfLine]]) -> tuple[int, int]:
    """(page, line) of the colophon's heading, (page count, 0) if none."""
    return section_start(pages, "Colophon")


def section_start(pages: list[list[PdfLine]], heading: str) -> tuple[int, int]:
    """(page, line) of a back section's ``heading`` ("Colophon", "Long notes"), (page count,
    0) if none: the largest type on its page (a running head is small), searched from the
    end, never on the title page."""
    return next(
        (
            (p, k)
            for p in range(len(pages) - 1, 0, -1)
            for k, line in enumerate(pages[p])
            if line.text.strip() == heading
            and max(h for _, h in line.words) >= max(h for l in pages[p] for _, h in l.words)
        ),
        (len(pages), 0),
    )


def foot_top(lines: list[PdfLine], text_lines: list[PdfLine], height: float, call_labels: set[str]) -> float:
    """Where the page's footnotes begin: below the last of its ``text_lines`` (the page's
    ``lines`` but running heads and page numbers) in the text's type size above the first
    note; -1 when there is none."""
    notes_top = first_note_top(lines, height, call_labels)
    return max((l.bottom for l in text_lines if big(l, height) and l.top < notes_top), default=-1.0)


def first_note_top(lines: list[PdfLine], height: float, call_labels: set[str]) -> float:
    """The top of the page's first footnote that opens with its label ("1.") below its call.

    Size alone cannot tell a note from the text when the note belongs to a heading: it is
    set smaller than the heading, which can bring it back to the text's size. A line that
    opens with the label of a call standing above it, in type not exactly the text's, is
    such a note; the text ends above it."""
    calls: dict[str, float] = {}  # label -> top of the first line calling it
    # a footnote stands below the text: a numbered line with a line of the text's own size
    # below it (a numbered list in a quotation, set a little smaller) is the text's
    text_bottom = max((l.top for l in lines if any(abs(h - height) <= 0.005 * height for _, h in l.words)), default=0.0)
    for line in sorted(lines, key=lambda l: l.top):
        first, first_h = line.words[0]
        label = key_of(first.strip().rstrip("."))
        if (
            label in calls
            and calls[label] < line.top
            and abs(first_h - height) > 0.005 * height
            and line.top > text_bottom
        ):
            return line.top
        for w, h in line.words:
            label = key_of(w.strip(".,;:()[]"))
            if h < CALL_SCALE_LIMIT * height and label in call_labels:
                calls.setdefault(label, line.top)
    return float("inf")


def join_broken(toks: list[Token], broken: set[int], vocabulary: frozenset[str] = frozenset()) -> list[Token]:
    """A word broken at a line's end ("consti-" / "tution", "short-" / "sighted") joins the
    next word of the same stream: the next line, or the next page's first line (see
    :meth:`Stream.joined`, which does it keeping each word's place)."""
    stream = Stream(list(toks), [Place(0, 0.0, 0.0, False)] * len(toks))
    return stream.joined(broken, vocabulary).tokens


LONG_NOTES = ["long", "notes"]  # the PDF writer's section for notes too long for a page foot
POINTER = ["printed", "after", "the", "text", "page"]  # "Printed after the text, page N." at the call's foot


def split_long_notes(
    main: list[Token], foot: list[Token], master: MasterText
) -> tuple[list[Token], list[Token], set[int]]:
    """The PDF writer sets a note too long for a page foot in a "Long notes" section after
    the text, and leaves "Printed after the text, page N." at the call's foot. Take the
    heading out of the text, the pointers out of the footnotes, put the section's words
    (in whichever region their type size put them) at the end of the footnotes, and
    return the notes so set (by index), which are then expected there, in call order."""
    keys = [t.key for t in main]
    start = next((i for i in range(len(keys) - 1, -1, -1) if keys[i : i + 2] == LONG_NOTES), None)
    if start is None:
        return main, foot, set()
    labels = {key_of(label) for _, label, _ in master.notes}
    pointed: list[str] = []  # the labels of the pointers, in page order
    kept: list[Token] = []
    i = 0
    while i < len(foot):
        if [t.key for t in foot[i : i + 5]] == POINTER and i + 5 < len(foot) and foot[i + 5].key.isdigit():
            if kept and kept[-1].key in labels:
                pointed.append(kept.pop().key)
            i += 6
            continue
        kept.append(foot[i])
        i += 1
    section = main[start + 2 :]
    printed = [t.key for t in kept if page_of(t) >= page_of(main[start])] + [t.key for t in section]
    return main[:start], kept + section, long_notes_of(master, pointed, printed)


def long_notes_of(master: MasterText, pointed: list[str], section: list[str]) -> set[int]:
    """The notes (by index) the pointers labelled ``pointed`` stand for: of the notes so
    labelled, those whose opening words the "Long notes" ``section`` (its words in either
    region, from its heading's page on) prints after their label. A work whose parts each number their notes from 1 has several notes "1"; the
    label alone would name the last of them."""
    found: set[int] = set()
    for label in dict.fromkeys(pointed):
        candidates = [k for k, (_, l, _) in enumerate(master.notes) if key_of(l) == label]
        printed = [
            k for k in candidates if _opens_in(master.notes[k][2].tokens(notes=False, numbers=False), label, section)
        ]
        found.update((printed or candidates[-1:])[: pointed.count(label)])
    return found


def _opens_in(note: list[Token], label: str, section: list[str]) -> bool:
    """Whether ``section`` holds ``label`` followed by the note's first words."""
    opening = [label] + [t.key for t in note[:6]]
    return any(section[j : j + len(opening)] == opening for j in range(len(section) - len(opening) + 1))


def check_pdf(path: Path, master: MasterText, meta: EditionMeta, cmp: Comparison, tool: str = "auto") -> None:
    """The PDF's text region against the master's text, its page feet against the notes,
    and each note at the foot of the page that carries its marker."""
    check_pdf_pages(pdf_lines(path, tool, master.labels), master, meta, cmp)


def stream_without_figures(stream: Stream, texts: list[str], labels: frozenset[str]) -> Stream:
    """The stream without the words printed for the figures (:func:`without_figures`), each
    word it keeps with its place, so the layout rules still know where it stood."""
    if not texts:
        return stream
    kept = without_figures(stream.tokens, texts, labels)
    out = Stream(breaks=stream.breaks)
    j = 0
    for token, place in zip(stream.tokens, stream.places):
        if j < len(kept) and token is kept[j]:
            out.add(token, place)
            j += 1
    return out


def check_pdf_pages(pages: list[list[PdfLine]], master: MasterText, meta: EditionMeta, cmp: Comparison) -> None:
    """:func:`check_pdf` on a PDF's lines, as :func:`pipeline.pdftext.pdf_lines` reads them."""
    body = master.body.tokens(refs=False, numbers=False)
    # The page foot prints notes in the order of their calls, which need not be the
    # notes' own order (a note called before a lower-numbered one): compare in call order.
    refs = marker_positions(master)
    order = sorted(range(len(master.notes)), key=lambda k: (refs.get(master.notes[k][0], len(body)), k))
    note_toks = {k: master.notes[k][2].tokens(notes=False, numbers=False) for k in order}
    notes, note_of = note_stream(order, note_toks)
    label_keys = {key_of(l) for l in master.labels}
    generated = generated_words(master, label_keys)
    vocabulary = frozenset(t.key for t in body) | frozenset(t.key for t in notes)
    calls_made = Counter(
        key_of(i.value) for col in [master.body] + [c for _, _, c in master.notes] for i in col.items if i.kind == "ref"
    )
    main_stream, foot_stream = read_regions(pages, meta, label_keys, vocabulary, cmp.rules, calls_made)
    main_stream = stream_without_figures(main_stream, printed_texts(master.figures, "pdf"), master.labels)
    main, foot, long_notes = split_long_notes(main_stream.tokens, foot_stream.tokens, master)
    if long_notes:  # set after the text: expected last, in call order
        cmp.applied("long notes", len(long_notes))
        order = [k for k in order if k not in long_notes] + [k for k in order if k in long_notes]
        notes, note_of = note_stream(order, note_toks)
    # 1. the text against the text region (the long notes cut off its end: places stay valid)
    breaks = main_stream.breaks | foot_stream.breaks
    matched, missing, added, ops = aligned_runs(body, main, generated, breaks, cmp.rules)
    body_at = dict(matched)  # master body index -> MAIN index
    missing, added = forgive_table_order(body, main_stream, ops, missing, added, master.table_lines, cmp.rules)
    cmp.report_runs(body, main, missing, added, "text")
    # 2. the notes against the footnote region
    matched, missing, added, ops = aligned_runs(notes, foot, generated, breaks, cmp.rules)
    if master.note_table_tokens:  # a table inside a note, read row by row
        foot_places = restream(foot, main_stream, foot_stream)
        missing, added = forgive_table_order(
            notes, foot_places, ops, missing, added, frozenset(), cmp.rules, master.note_table_tokens
        )
    note_page: dict[int, int] = {}
    for i, j in matched:
        note_page.setdefault(note_of[i], page_of(foot[j]))
    cmp.report_runs(notes, foot, missing, added, "notes")
    # 3. each note at the foot of the page that carries its marker
    marker_pages = {
        k: {page_of(main[body_at[n]]) for n in (refs[note_id] - 1, refs[note_id]) if n in body_at}
        for k, (note_id, _, _) in enumerate(master.notes)
        if k in note_page and note_id in refs and k not in long_notes
    }
    for k, pages_of_marker in marker_pages.items():
        if pages_of_marker and note_page[k] not in pages_of_marker:
            label = master.notes[k][1]
            cmp.add(
                Difference(
                    cmp.work,
                    cmp.edition,
                    "misplaced",
                    f"page {note_page[k]}",
                    f"note {label}",
                    detail=f"note {label} is on page {note_page[k]}, its marker on page {min(pages_of_marker)}",
                )
            )


def restream(toks: list[Token], *streams: Stream) -> Stream:
    """``toks`` (words of ``streams``, regrouped: the footnotes and the long notes) with their places."""
    places = {id(t): place for stream in streams for t, place in zip(stream.tokens, stream.places)}
    out = Stream()
    for t in toks:
        out.add(t, places[id(t)])
    return out


def note_stream(order: list[int], note_toks: dict[int, list[Token]]) -> tuple[list[Token], list[int]]:
    """The notes' words in ``order``, and for each word the index of its note."""
    return [t for k in order for t in note_toks[k]], [k for k in order for _ in note_toks[k]]


def generated_words(master: MasterText, label_keys: set[str]) -> set[str]:
    """Notes' labels and list items' numbers: the PDF may or may not carry them in its text layer."""
    generated = label_keys | {i.value for _, _, c in master.notes for i in c.items if i.kind == "number"}
    return generated | {i.value for i in master.body.items if i.kind == "number"}


def page_of(t: Token) -> int:
    """The page number of a PDF word ("page 12")."""
    return int(t.where.split()[1])


def aligned_runs(
    want: list[Token],
    got: list[Token],
    generated: set[str],
    breaks: set[int] | None = None,
    rules: Counter[str] | None = None,
) -> tuple[list[tuple[int, int]], list[Run], list[Run], list[Op]]:
    """Align: the matched (master, edition) index pairs, the missing and the added runs, and
    the alignment's opcodes. An added run's leading ``generated`` words (a note's label, a
    list item's number) are no addition; nor is a word parted or joined otherwise than the
    master at a line-end hyphen (``breaks``, see :func:`rejoined`), counted in ``rules``."""
    matched: list[tuple[int, int]] = []
    missing: list[Run] = []
    added: list[Run] = []
    ops = align([t.key for t in want], [t.key for t in got])
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            matched += zip(range(i1, i2), range(j1, j2))
        rule = rejoined(want[i1:i2], got[j1:j2], breaks) if breaks and tag == "replace" else ""
        if rule:
            if rules is not None:
                rules[rule] += 1
            continue
        if tag in ("delete", "replace"):
            missing.append((i1, i2, j1))
        if tag in ("insert", "replace"):
            while j1 < j2 and got[j1].key in generated:
                j1 += 1
            if j1 < j2:
                added.append((j1, j2, i1))
    return matched, missing, added, ops
