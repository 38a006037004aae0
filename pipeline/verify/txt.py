"""The text edition read back: its text and notes parts, without the title block and
"About this edition"; the ``--ascii`` edition compared through :mod:`pipeline.verify.ascii`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.verify.ascii import fold, unescape
from pipeline.verify.differences import Comparison
from pipeline.verify.figures import printed_texts, without_figures
from pipeline.verify.master import MasterText
from pipeline.words import Token, marker, marker_surface, tokens

RULE_RE = re.compile(r"^-{20,}\s*$")
NOTE_START_RE = re.compile(r"^\[([^\[\]\s]{1,12})\](?:\s|$)")
# An emphasis mark (``_`` italic, ``*`` bold) the writer set where the master's emphasis
# begins or ends inside a word ("_Daily Worke_r" for <hi>Daily Worke</hi>r, "*Tribune*’s"):
# between letters, before an apostrophe, or beside the hyphen of a compound
# ("wage-_increase_", "_ersatz_-wages"), it is no word boundary. An underscore or asterisk
# the master itself has between letters ("by_encouraging", "foo_bar.htm") is its text, not
# emphasis: the master's own such words (:func:`literal_marks`) keep theirs.
INWORD_MARK_RE = re.compile(r"(?:(?<=[^\W_])|(?<=[^\W_][-\u2010\u2011]))[_*]+(?=[^\W_]|[-\u2010\u2011'’][^\W_])")
LITERAL_MARK_RE = re.compile(r"[^\W_]+(?:[_*]+[^\W_]+)+")


def literal_marks(master: MasterText) -> frozenset[str]:
    """The master's words with an underscore or asterisk between letters ("by_encouraging"):
    its own characters, which the text edition prints as they are."""
    items = [*master.body.items, *(item for _, _, col in master.notes for item in col.items)]
    return frozenset(
        m.group()
        for item in items
        if item.kind == "text" and ("_" in item.value or "*" in item.value)
        for m in LITERAL_MARK_RE.finditer(item.value)
    )


def join_inword_marks(line: str, literal: frozenset[str] = frozenset()) -> str:
    """The line with the emphasis marks inside words removed (see ``INWORD_MARK_RE``), but
    those of the master's own ``literal`` words."""
    if "_" not in line and "*" not in line:
        return line
    return " ".join(_join_chunk(chunk, literal) for chunk in line.split(" "))


def _join_chunk(chunk: str, literal: frozenset[str]) -> str:
    kept = [m.span() for word in literal if word in chunk for m in re.finditer(re.escape(word), chunk)]
    return INWORD_MARK_RE.sub(lambda m: m.group() if any(a < m.start() < b for a, b in kept) else "", chunk)


def read_txt(
    path: Path, labels: frozenset[str], literal: frozenset[str] = frozenset()
) -> tuple[list[Token], list[Token], bool]:
    """The text edition's (text, notes, is-ASCII), without its title block and attribution."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"not UTF-8 (byte {exc.start})", path) from None
    if data.isascii():  # the --ascii edition: its escapes stand for the characters
        text = unescape(text)
    lines = text.split("\n")
    body: list[Token] = []
    notes: list[Token] = []
    part = "title"  # title -> text -> notes / about
    for n, line in enumerate(lines, start=1):
        where = f"line {n}"
        if RULE_RE.match(line):
            part = "after-rule"
            continue
        if part == "after-rule":
            if not line.strip():
                continue
            heading = line.strip()
            part = {"Notes": "notes", "About this edition": "about"}.get(heading, "text")
            if part != "text":
                continue
        if part in ("title", "about"):
            continue
        if part == "notes":
            m = NOTE_START_RE.match(line)
            if m:
                notes.append(Token(marker("note", m.group(1)), marker_surface("note", m.group(1)), where))
                line = line[m.end() :]
            notes += tokens(join_inword_marks(line, literal), where, labels)
        else:
            body += tokens(join_inword_marks(line, literal), where, labels)
    return body, notes, data.isascii()


def check_txt(path: Path, master: MasterText, cmp: Comparison) -> None:
    body, notes, is_ascii = read_txt(path, master.labels, literal_marks(master))
    figure_lines = printed_texts(master.figures, "txt")
    body = without_figures(body, [fold(t) for t in figure_lines] if is_ascii else figure_lines, master.labels)
    want_body = master.body.tokens(master.labels)
    want_notes = master.note_tokens(master.labels)
    if is_ascii:  # the --ascii edition: the master's words folded as that edition promises
        want_body = retokenize(want_body, fold, master.labels)
        want_notes = retokenize(want_notes, fold, master.labels)
    cmp.compare(want_body, body, "text")
    cmp.compare(want_notes, notes, "notes")


def retokenize(toks: list[Token], fix: Callable[[str], str], labels: frozenset[str]) -> list[Token]:
    out: list[Token] = []
    for t in toks:
        if t.key.startswith("\x00"):
            out.append(t)
        else:
            out += [Token(n.key, t.surface, t.where) for n in tokens(fix(t.surface), t.where, labels)]
    return out
