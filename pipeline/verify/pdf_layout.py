"""The PDF's words with their place on the page, and the one rule that needs it: a table's
reading order.

A table cell wrapped over two lines is read row by row from the PDF's text layer
("Lowest Level / in 1975" beside "Level on May 20-21 / 1975" reads "Lowest Level Level on
May 20-21 in 1975 1975"), not cell by cell as the master holds it. What the page shows
settles whether such a difference is the layout's: the table's words fall into
*fragments* (a run of words on one line with no gap wider than a space: one line of one
cell), and the master's table must read as those very fragments, each whole, in an order
the page allows (on one line, left to right; in one column, top to bottom). A word
dropped, added, changed, or moved inside a cell breaks a fragment; two cells exchanged
break the order; either is still reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.words import Token

COLUMN_GAP = 0.6  # a gap between two words wider than this many times their height parts two cells
SAME_LINE = 1.0  # points: fragments whose lines' tops are this close stand on one line (one row's cells)
LOOKAHEAD = 200  # words: how far a broken table cell's continuation is looked for
SAME_COLUMN = 1.5  # points: fragments whose left edges are this close stand in one column (cells align left)
Run = tuple[int, int, int]  # (start, end) of a run of one stream, and where it stands in the other
Op = tuple[str, int, int, int, int]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a PDF word stands: its page (index), its line's top and its own left edge
    (points), and whether it opens a fragment (a line's first word, or one after a gap
    wider than a space)."""

    page: int
    top: float
    left: float
    opens: bool


@dataclass
class Stream:
    """A region's words in reading order, each with its :class:`Place`."""

    tokens: list[Token] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    # the words (by id()) that stand at a line-end hyphen: a word joined again from its
    # halves, or the first half of two words the join left apart (see :func:`rejoined`)
    breaks: set[int] = field(default_factory=set)

    def add(self, token: Token, place: Place) -> None:
        self.tokens.append(token)
        self.places.append(place)

    def joined(
        self, broken: set[int], vocabulary: frozenset[str] = frozenset(), rules: Counter[str] | None = None
    ) -> Stream:
        """A word broken at a line's end ("consti-" / "tution", "short-" / "sighted") joins the
        next word of the same stream: the next line, or the next page's first line; it keeps
        the first half's place.

        Unless the master has the two halves as words and not the whole (``vocabulary``, the
        master's word keys): a print hyphen the source kept with a space after it
        ("bourgeois- democratic") that the PDF happened to set at a line's end is the master's
        two words, not one. A lost half is still missing either way."""
        out = Stream()
        toks = self.tokens
        taken: set[int] = set()
        for i, t in enumerate(toks):
            if i in taken:
                continue
            j = self.continuation(i) if i in broken else None
            if j is not None:
                nxt = toks[j]
                halves = t.key in vocabulary and nxt.key in vocabulary
                # in a table's cell, two words of the master stay two ("PER-" / "CENT" for its
                # "PER CENT"), even if the work also spells them as one
                if vocabulary and halves and (t.key + nxt.key not in vocabulary or j != i + 1):
                    _count(rules, "print hyphen at a line end")
                    out.add(t, self.places[i])
                    out.breaks.add(id(t))
                    continue
                t = Token(t.key + nxt.key, f"{t.surface}-{nxt.surface}", t.where)
                _count(rules, "line-end hyphen")
                out.breaks.add(id(t))
                taken.add(j)
            out.add(t, self.places[i])
        return out

    def continuation(self, i: int) -> int | None:
        """Where the word broken at ``i`` goes on: the next word, on the next line (or page);
        but in a table whose next cell the stream reads on the same line (varga-1924-x01's
        "Czecho-" / "Slovakia" beside "Poland"), the first word below the broken cell's
        line in its column."""
        if i + 1 >= len(self.tokens):
            return None
        here, nxt = self.places[i], self.places[i + 1]
        if nxt.page != here.page or abs(nxt.top - here.top) >= SAME_LINE:
            return i + 1
        start = next((k for k in range(i, -1, -1) if self.places[k].opens), i)  # the cell's line
        left = self.places[start].left
        for j in range(i + 1, min(len(self.tokens), i + LOOKAHEAD)):
            there = self.places[j]
            if there.opens and there.page == here.page and there.top >= here.top + SAME_LINE:
                if abs(there.left - left) < SAME_COLUMN:
                    return j
        return i + 1


def rejoined(master: list[Token], got: list[Token], breaks: set[int]) -> str:
    """The rule that explains a difference of word boundaries at a line-end hyphen, or "".

    A hyphen at a PDF line's end cannot show whether the master has one word there
    ("6-day", "bourgeois-democratic") or two ("bourgeois- democratic", a print hyphen the
    source kept with a space): :meth:`Stream.joined` guesses from the master's vocabulary,
    which holds both in a work that spells the compound both ways. The guess is wrong only
    where the alignment shows the master's run and the PDF's with the very same letters,
    one word more or fewer, the PDF's run holding the one word at a line-end hyphen: that
    and nothing else is forgiven; a letter lost, added or changed is still reported."""
    if abs(len(master) - len(got)) != 1 or len(master) + len(got) > 7:
        return ""
    if sum(id(t) in breaks for t in got) != 1 or not got or id(got[-1]) in breaks and len(got) > len(master):
        return ""
    if "".join(t.key for t in master) != "".join(t.key for t in got):
        return ""
    return "line-end hyphen" if len(master) < len(got) else "print hyphen at a line end"


def _count(rules: Counter[str] | None, rule: str) -> None:
    if rules is not None:
        rules[rule] += 1


def table_spans(
    toks: list[Token], table_lines: frozenset[str], table_tokens: frozenset[int] = frozenset()
) -> list[tuple[int, int]]:
    """The master index ranges of its tables' words (contiguous words located in a table, or
    among ``table_tokens``, by id(): the words of a table inside a note)."""

    def in_table(t: Token) -> bool:
        return t.where in table_lines or id(t) in table_tokens

    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if in_table(toks[i]):
            j = i
            while j < len(toks) and in_table(toks[j]):
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def forgive_table_order(
    master: list[Token],
    got: Stream,
    ops: list[Op],
    missing: list[Run],
    added: list[Run],
    table_lines: frozenset[str],
    rules: Counter[str] | None = None,
    table_tokens: frozenset[int] = frozenset(),
) -> tuple[list[Run], list[Run]]:
    """The missing and added runs, without those of a table the PDF reads in another order
    than the master (see the module's docstring); each table so read counts once in ``rules``."""
    if not (table_lines or table_tokens) or not (missing or added):
        return missing, added
    for start, end in table_spans(master, table_lines, table_tokens):
        pdf_range = table_in_pdf(ops, start, end)
        if pdf_range is None:
            continue
        for pa, pb in without_edge_words(ops, start, end, *pdf_range):
            if reads_as_fragments(master[start:end], got, pa, pb):
                missing = [m for m in missing if not start <= m[0] < end]
                added = [a for a in added if not pa <= a[0] < pb]
                _count(rules, "table reading order")
                break
    return missing, added


def without_edge_words(ops: list[Op], start: int, end: int, pa: int, pb: int) -> list[tuple[int, int]]:
    """The table's PDF range, then the same without the words added just before or just
    after it: a word added beside a table (a running head the page set next to its last
    line) is not one of its cells', and stays reported as added."""
    lead = sum(op[4] - op[3] for op in ops if op[0] == "insert" and op[1] == op[2] == start)
    trail = sum(op[4] - op[3] for op in ops if op[0] == "insert" and op[1] == op[2] == end)
    ranges = [(pa, pb), (pa + lead, pb), (pa, pb - trail), (pa + lead, pb - trail)]
    return list(dict.fromkeys(r for r in ranges if r[0] < r[1]))


def table_in_pdf(ops: list[Op], start: int, end: int) -> tuple[int, int] | None:
    """The PDF's range of the table whose master words are [start, end), by the alignment:
    from the PDF word aligned with its first word (or a word added just before it) to the one
    aligned with its last (or a word added just after it). None if no difference touches the
    table, or if one reaches across its edge (the table's words are then not all its own)."""
    inside = [op for op in ops if op[1] < end and op[2] > start or (op[1] == op[2] and start <= op[1] <= end)]
    if all(op[0] == "equal" for op in inside):
        return None
    if any(op[0] != "equal" and (op[1] < start or op[2] > end) for op in inside):
        return None
    first, last = inside[0], inside[-1]
    pa = first[3] + (start - first[1] if first[0] == "equal" else 0)
    pb = last[4] - (last[2] - end if last[0] == "equal" else 0)
    return pa, pb


def reads_as_fragments(master: list[Token], got: Stream, pa: int, pb: int) -> bool:
    """Whether the master's words are the PDF's fragments of [pa, pb), each whole, in an order
    the page allows: on one line left to right, in one column top to bottom.

    The master is read word by word; at each point the fragment taken is one that reads on
    from there and whose predecessors on the page (to its left on its line, above it in its
    column) are all taken already: of several, the longest, then the first on the page."""
    if pa >= pb or not got.places[pa].opens:
        return False
    keys = [t.key for t in master]
    if Counter(keys) != Counter(t.key for t in got.tokens[pa:pb]):
        return False
    cuts = [j for j in range(pa, pb) if got.places[j].opens] + [pb]
    fragments = list(zip(cuts, cuts[1:]))
    before = predecessors(got, [a for a, _ in fragments])
    words = {a: [t.key for t in got.tokens[a:b]] for a, b in fragments}
    taken: set[int] = set()
    i = 0
    while i < len(keys):
        fitting = [
            (a, b) for a, b in fragments if a not in taken and before[a] <= taken and words[a] == keys[i : i + b - a]
        ]
        if not fitting:
            return False
        a, b = max(fitting, key=lambda f: (f[1] - f[0], -f[0]))
        taken.add(a)
        i += b - a
    return True


def predecessors(got: Stream, starts: list[int]) -> dict[int, set[int]]:
    """For each fragment (by its first word), the fragments the page sets before it: to its
    left on its line, or above it in its column (cells align left). By their places, not
    their order in the stream: two cells of one row whose lines' tops differ by a fraction of
    a point (an italic word) are read in either order."""
    out: dict[int, set[int]] = {a: set() for a in starts}
    for x, a in enumerate(starts):
        pa = got.places[a]
        for b in starts[x + 1 :]:
            pb = got.places[b]
            if pa.page == pb.page and abs(pa.top - pb.top) < SAME_LINE:
                first, then = (a, b) if pa.left < pb.left else (b, a)
            elif abs(pa.left - pb.left) < SAME_COLUMN:
                first, then = (a, b) if (pa.page, pa.top) < (pb.page, pb.top) else (b, a)
            else:
                continue
            out[then].add(first)
    return out
