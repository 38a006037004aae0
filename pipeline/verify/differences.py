"""Differences between an edition and its master: the model, and the comparison that finds them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.words import Token, align, key_of

CONTEXT = 5  # words of context on each side
SHOWN = 8  # differing words shown before "…"

# ---- differences --------------------------------------------------------------------------


@dataclass
class Difference:
    """One located difference between an edition and its master."""

    work: str
    edition: str  # the edition's file name
    kind: str  # missing | added | changed | moved | misplaced | broken-link | unreadable
    where: str  # position in the edition: "page 5", "line 120", "text.xhtml paragraph 7"
    master_where: str = ""  # "line 97" of the master, or "note 3"
    words: list[str] = field(default_factory=list)
    replacement: list[str] = field(default_factory=list)
    context: str = ""
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.work}: {self.edition}: {self.where}: {self.kind}"
        if self.words:
            text += f" {shown(self.words)}"
        if self.replacement:
            text += f" -> {shown(self.replacement)}"
        if self.detail:
            text += f" {self.detail}"
        if self.kind == "added":  # the context is the edition's: the words are not in the master
            if self.context or self.master_where:
                parts = [f'edition: "{self.context}"'] if self.context else []
                parts += [f"master {self.master_where}"] if self.master_where else []
                text += f" ({'; '.join(parts)})"
        elif self.where.startswith("source "):  # the master against its source: the context is the page's
            text += f' (page: "{self.context}")' if self.context else ""
        elif self.master_where or self.context:
            text += f" (master {self.master_where}" + (f': "{self.context}"' if self.context else "") + ")"
        return text


def shown(words: list[str]) -> str:
    text = " ".join(words[:SHOWN]) + (f" … ({len(words)} words)" if len(words) > SHOWN else "")
    return f'"{text}"'


@dataclass
class EditionReport:
    work: str
    edition: str
    path: str
    words: int  # the master's words compared (text and notes)
    notes: int
    differences: list[Difference]
    rules: dict[str, int] = field(default_factory=dict)  # each rule that explained a legitimate difference: times


# The rules by which an edition legitimately differs from its master, each known from the
# edition's own structure; verify counts each use and prints it beside the edition's result,
# so a reader of the report sees why a difference was not one.
RULES = {
    "line-end hyphen": "PDF: a word the typesetter broke at a line's end (or a page's), joined again",
    "print hyphen at a line end": "PDF: the master's two words joined by a hyphen and a space, broken at a line's end",
    "table reading order": "PDF: a table's words read row by row across a wrapped cell, each run moved whole to "
    "another line of the same table",
    "long notes": "PDF: notes too long for a page foot, set after the text with a pointer at the foot",
    "in-word emphasis": "text edition: an emphasis mark inside a word, no word boundary",
}


class Comparison:
    """Differences between a master stream and an edition stream, located."""

    def __init__(self, work: str, edition: str) -> None:
        self.work = work
        self.edition = edition
        self.differences: list[Difference] = []
        self.rules: Counter[str] = Counter()

    def applied(self, rule: str, times: int = 1) -> None:
        """Count a use of one of :data:`RULES` (a legitimate difference explained)."""
        if times:
            self.rules[rule] += times

    def compare(self, master: list[Token], got: list[Token], what: str) -> list[tuple[str, int, int, int, int]]:
        ops = align([t.key for t in master], [t.key for t in got])
        missing: list[tuple[int, int, int]] = []
        added: list[tuple[int, int, int]] = []
        for tag, i1, i2, j1, j2 in ops:
            if tag == "delete":
                missing.append((i1, i2, j1))
            elif tag == "insert":
                added.append((j1, j2, i1))
            elif tag == "replace":
                self.add(self.changed(master, got, i1, i2, j1, j2, what))
        self.report_runs(master, got, missing, added, what)
        return ops

    def report_runs(
        self,
        master: list[Token],
        got: list[Token],
        missing: list[tuple[int, int, int]],
        added: list[tuple[int, int, int]],
        what: str,
    ) -> None:
        """Report missing runs (master indices, edition index) and added runs (edition indices, master index)."""
        for i1, i2, j in missing:
            self.add(
                self.diff(
                    "missing",
                    near(got, j),
                    master[i1].where,
                    master[i1:i2],
                    context(master, i1, i2),
                    f"from the {what}",
                )
            )
        for j1, j2, i in added:
            self.add(
                self.diff("added", got[j1].where, near(master, i), got[j1:j2], context(got, j1, j2), f"to the {what}")
            )
        pair_moves(self)

    def changed(
        self, master: list[Token], got: list[Token], i1: int, i2: int, j1: int, j2: int, what: str
    ) -> Difference:
        d = self.diff(
            "changed", got[j1].where, master[i1].where, master[i1:i2], context(master, i1, i2), f"in the {what}"
        )
        d.replacement = surfaces(got[j1:j2])
        return d

    def diff(
        self, kind: str, where: str, master_where: str, words: list[Token], ctx: str, detail: str = ""
    ) -> Difference:
        return Difference(
            self.work, self.edition, kind, where, master_where, surfaces(words), context=ctx, detail=detail
        )

    def add(self, difference: Difference) -> None:
        self.differences.append(difference)


def surfaces(toks: Iterable[Token]) -> list[str]:
    return [t.surface for t in toks]


def near(toks: list[Token], i: int) -> str:
    """Where something absent from ``toks`` belongs: after the word before it."""
    if not toks:
        return "start"
    if i <= 0:
        return f"before {toks[0].where}"
    return f"after {toks[min(i, len(toks)) - 1].where}"


def context(toks: list[Token], i1: int, i2: int) -> str:
    before = " ".join(t.surface for t in toks[max(0, i1 - CONTEXT) : i1])
    inside = " ".join(t.surface for t in toks[i1:i2][:SHOWN]) + (" …" if i2 - i1 > SHOWN else "")
    after = " ".join(t.surface for t in toks[i2 : i2 + CONTEXT])
    return f"{before} [{inside}] {after}".strip()


def pair_moves(cmp: Comparison) -> None:
    """A run reported missing and the same words reported added elsewhere: one move."""
    missing = [d for d in cmp.differences if d.kind == "missing" and len(d.words) >= 2]
    for d in missing:
        keys = [key_of(w) for w in d.words]
        for a in cmp.differences:
            if a.kind == "added" and [key_of(w) for w in a.words] == keys:
                cmp.differences.remove(a)
                d.kind, d.detail = "moved", f"{d.detail}, found {a.where}".strip(", ")
                break
