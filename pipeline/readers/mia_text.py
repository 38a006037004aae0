"""Reader for the MIA's plain-text extractions of its work pages.

The format, as the MIA's pages come out as text: author, title and a parenthesized date
at the top, each its own paragraph; the information block of ``Label: value`` lines;
the body's paragraphs separated by blank lines, with note markers ``[N]``; the closing
signature and dateline as the last short block; a "Notes" heading followed by
``N. text`` paragraphs; then the page's furniture ("return" back-links) and the
"Last updated on:" line.

Web-page artifacts (stray tags such as ``<./p>``, the "return return ..." back-link
text) are removed and every removal is recorded as a :class:`Normalization`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from pipeline.authors.resolve import resolve
from pipeline.errors import PipelineError
from pipeline.master.model import (
    Block,
    Closer,
    Head,
    InfoLine,
    Inline,
    Normalization,
    Note,
    NoteRef,
    Para,
    Work,
)
from pipeline.master.tei import check_xml_chars
from pipeline.readers import infoblock

INFO_LINE = re.compile(r"^(?P<label>[A-Z][A-Za-z][\w ./\\&'()-]{0,48}?)\s*:\s+(?P<value>\S.*)$")
NOTES_HEADING = re.compile(r"^(end\s*)?(notes?|footnotes?|endnotes?)\s*:?$", re.I)
NOTE_START = re.compile(r"^\[?(\d{1,3})[.)\]]\s+(.*)$", re.S)
MARKER = re.compile(r"\[(\d{1,3})\]")
RETURN_LINE = re.compile(r"^(?:return\s*)+$", re.I)
LAST_UPDATED = re.compile(r"^last\s+updated(?:\s+on)?\s*:\s*(.*)$", re.I)
STRAY_TAG = re.compile(r"<\.?/?\.?[A-Za-z][A-Za-z0-9]*\s*/?>")

TextBlock = tuple[int, list[str]]  # a paragraph block: the line it starts on, its lines
P = ParamSpec("P")
R = TypeVar("R")


def decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise PipelineError("empty source file", path)
    if b"\x00" in data[:4096]:
        raise PipelineError("binary file, not MIA text (NUL bytes)", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); MIA text sources must be UTF-8", path, line
        ) from None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    check_xml_chars(text, path)
    return text


def blocks_of(text: str) -> list[TextBlock]:
    """Paragraph blocks (separated by blank lines) with the 1-based line each starts on."""
    out: list[TextBlock] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            out.append((start, current))
            current = []
    if current:
        out.append((start, current))
    return out


def inlines(text: str, note_ids: dict[str, str], refs: list[tuple[str, int]], line: int = 0) -> list[Inline]:
    """Split text at note markers ``[N]`` into strings and :class:`NoteRef`."""
    out: list[Inline] = []
    pos = 0
    for m in MARKER.finditer(text):
        label = m.group(1)
        if label not in note_ids:
            if note_ids and int(label) <= max(int(k) for k in note_ids):
                raise PipelineError(f"note marker [{label}] has no note {label} in the Notes section", None, line)
            continue  # a bracketed number beyond the notes is the author's text (a citation, a year)
        # The marker's own leading space is typographic, not a word: "Miasnikov [1] and".
        before = text[pos : m.start()]
        if before:
            out.append(before)
        out.append(NoteRef(note_ids[label], label))
        refs.append((label, line))
        pos = m.end()
    if text[pos:]:
        out.append(text[pos:])
    return out


def _split_at_notes(rest: list[TextBlock]) -> tuple[list[TextBlock], list[TextBlock]]:
    """The body's blocks and the notes' blocks: those before and after a "Notes" heading
    (a paragraph of one line), if there is one."""
    notes_at = next(
        (k for k, (_, lines) in enumerate(rest) if len(lines) == 1 and NOTES_HEADING.match(lines[0].strip())),
        None,
    )
    if notes_at is None:
        return rest, []
    return rest[:notes_at], rest[notes_at + 1 :]


class TextReader:
    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.text = decode(data, path)
        self.normalizations: list[Normalization] = []

    def fail(self, message: str, line: int | None = None) -> PipelineError:
        return PipelineError(message, self.path, line)

    def clean(self, text: str, where: str) -> str:
        def drop(m: re.Match[str]) -> str:
            self.normalizations.append(
                Normalization(f"Removed the stray markup {m.group(0)!r} left by the web page in {where}.")
            )
            return ""

        return STRAY_TAG.sub(drop, text)

    def read(self, slug: str, url: str, language: str) -> Work:
        """The work, read in the order the format lays it out: head, information block,
        the page's tail furniture, notes, body; then the notes and markers checked."""
        blocks = blocks_of(self.text)
        if len(blocks) < 3:
            raise self.fail("truncated or not an MIA text: expected author, title, information block and text")
        author, title, date_text, i = self._head(blocks)
        info, i = self._info_block(blocks, i)
        rest, last_updated = self._strip_tail(blocks[i:])
        body_blocks, note_blocks = _split_at_notes(rest)
        if not body_blocks:
            raise self.fail("the work has no text after its information block", blocks[-1][0])
        raw_notes = self._raw_notes(note_blocks)
        note_ids = {label: f"note-{label}" for label, _, _ in raw_notes}
        refs: list[tuple[str, int]] = []
        body = self._body(body_blocks, author, note_ids, refs)
        notes = [self._note(label, note_ids[label], paras) for label, _line_no, paras in raw_notes]
        self._check_markers(refs, raw_notes)
        work = Work(
            slug=slug,
            url=url,
            language=language,
            title=[title],
            author=author,
            authors=resolve(author, url),
            date_text=date_text,
            body=body,
            notes=notes,
            last_updated=last_updated,
            normalizations=self.normalizations,
            source_format="mia-text",
        )
        self.located(infoblock.interpret, work, info)
        infoblock.date_of_work(work)
        return work

    def _head(self, blocks: list[TextBlock]) -> tuple[str, str, str | None, int]:
        """Author, title and the optional "(date)" line, each a paragraph of one line at
        the top; with the index of the first block after them."""
        (a_line, author_lines), (t_line, title_lines) = blocks[0], blocks[1]
        if len(author_lines) != 1 or INFO_LINE.match(author_lines[0]):
            raise self.fail("no author line at the top of the file", a_line)
        if len(title_lines) != 1 or INFO_LINE.match(title_lines[0]) or re.fullmatch(r"\(.*\)", title_lines[0].strip()):
            raise self.fail("no title line after the author", t_line)
        date_text = None
        i = 2
        if len(blocks[i][1]) == 1 and re.fullmatch(r"\(.*\)", blocks[i][1][0].strip()):
            date_text = blocks[i][1][0].strip()
            i += 1
        return author_lines[0].strip(), title_lines[0].strip(), date_text, i

    def _info_block(self, blocks: list[TextBlock], i: int) -> tuple[list[InfoLine], int]:
        """The ``Label: value`` lines from block ``i`` on (a line without a label continues
        the value before it), with the index of the first block after them."""
        info: list[InfoLine] = []
        while i < len(blocks) and all(INFO_LINE.match(l) for l in blocks[i][1][:1]) and self._is_info(blocks[i][1]):
            for offset, line in enumerate(blocks[i][1]):
                m = INFO_LINE.match(line)
                if m:
                    info.append(InfoLine(m.group("label").strip(), m.group("value").strip(), blocks[i][0] + offset))
                else:  # a wrapped continuation of the previous value
                    info[-1].value += " " + line.strip()
            i += 1
        if not info:
            raise self.fail(
                "no information block (Label: value lines) after the title", blocks[min(i, len(blocks) - 1)][0]
            )
        return info, i

    def _strip_tail(self, rest: list[TextBlock]) -> tuple[list[TextBlock], str | None]:
        """The blocks without the page's tail: the "Last updated on:" line (its date kept)
        and the "return" back-links (their removal recorded), in any order at the end."""
        last_updated = None
        while rest:
            line_no, lines = rest[-1]
            joined = " ".join(l.strip() for l in lines)
            m = LAST_UPDATED.match(joined)
            if m and last_updated is None:
                last_updated = m.group(1).strip()
                rest = rest[:-1]
            elif RETURN_LINE.match(joined):
                self.normalizations.append(
                    Normalization(f"Removed the web page's back-link text {joined!r} (line {line_no}).")
                )
                rest = rest[:-1]
            else:
                break
        return rest, last_updated

    def _raw_notes(self, note_blocks: list[TextBlock]) -> list[tuple[str, int, list[str]]]:
        """(label, line, paragraphs) of each ``N. text`` note; an unnumbered paragraph is a
        further paragraph of the note before it."""
        raw_notes: list[tuple[str, int, list[str]]] = []
        for line_no, lines in note_blocks:
            text = " ".join(l.strip() for l in lines)
            m = NOTE_START.match(text)
            if m:
                label = m.group(1)
                if any(label == n[0] for n in raw_notes):
                    raise self.fail(f"duplicate note number {label}", line_no)
                raw_notes.append((label, line_no, [m.group(2)]))
            elif raw_notes:
                raw_notes[-1][2].append(text)  # a further paragraph of the same note
            else:
                raise self.fail("text after the Notes heading is not a numbered note", line_no)
        return raw_notes

    def _body(
        self, body_blocks: list[TextBlock], author: str, note_ids: dict[str, str], refs: list[tuple[str, int]]
    ) -> list[Block]:
        """Paragraphs and headings (note markers linked, each one noted in ``refs``), and
        the closing signature when the last block is one."""
        body: list[Block] = []
        closer = self._closer(body_blocks[-1][1], author)
        if closer is not None:
            body_blocks = body_blocks[:-1]
        for line_no, lines in body_blocks:
            text = self.clean(" ".join(l.strip() for l in lines), f"the paragraph at line {line_no}")
            content = self.located(inlines, text, note_ids, refs, line_no)
            body.append(Head(content, level=2) if self._is_heading(lines, text) else Para(content))
        if closer is not None:
            body.append(closer)
        return body

    def _note(self, label: str, note_id: str, paras: list[str]) -> Note:
        """A note, its paragraphs cleaned of stray markup (and emptied ones dropped)."""
        cleaned = [self.clean(p, f"note {label}") for p in paras]
        return Note(note_id, label, [Para([p]) for p in cleaned if p.strip()])

    def _check_markers(self, refs: list[tuple[str, int]], raw_notes: list[tuple[str, int, list[str]]]) -> None:
        """Each note is referenced exactly once in the text: a repeated marker or a note
        with none is a fault of the source, reported at its line."""
        seen: dict[str, int] = {}
        for label, line_no in refs:
            if label in seen:
                raise self.fail(
                    f"note marker [{label}] appears more than once in the text (first at line {seen[label]})", line_no
                )
            seen[label] = line_no
        for label, line_no, _ in raw_notes:
            if label not in seen:
                raise self.fail(f"note {label} is never referenced in the text (no [{label}] marker)", line_no)

    def located(self, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Call ``func``, giving any error it raises this source's path."""
        try:
            return func(*args, **kwargs)
        except PipelineError as exc:
            exc.path = exc.path or self.path
            raise

    @staticmethod
    def _is_info(lines: list[str]) -> bool:
        """An information block: each line a Label: value, or a wrapped continuation."""
        return sum(1 for l in lines if INFO_LINE.match(l)) >= max(1, len(lines) // 2)

    @staticmethod
    def _is_heading(lines: list[str], text: str) -> bool:
        return (
            len(lines) == 1 and len(text) <= 70 and not re.search(r"[.,;:!?\"”’)]$", text) and not MARKER.search(text)
        )

    def _closer(self, lines: list[str], author: str) -> Closer | None:
        """The signature block: a short last block whose first line is the author's name."""
        if not 1 <= len(lines) <= 3 or any(len(l) > 80 for l in lines):
            return None
        surname = author.split()[-1].lower() if author.split() else ""
        if not surname or surname not in lines[0].lower():
            return None
        return Closer(
            signed=[lines[0].strip()],
            dateline=[" ".join(l.strip() for l in lines[1:])] if len(lines) > 1 else None,
        )


def read(path: Path, data: bytes, slug: str, url: str, language: str = "en") -> Work:
    return TextReader(path, data).read(slug, url, language)
