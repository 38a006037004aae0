"""Token streams: the words of a document gathered in reading order, with their place.

Inline markup joins text, blocks and markers separate it; the master and each edition
reader fill a :class:`Collector` and compare its :meth:`Collector.tokens`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pipeline.words import Token, marker, marker_surface, tokens


@dataclass
class Item:
    kind: str  # "text", "ref" (a note marker), "note" (a note starts), "number" (of a list item)
    value: str  # the text, or the note's label
    where: str
    target: str = ""  # for "ref": the id of the note it points to


class Collector:
    """Gathers text in reading order; inline markup joins, blocks and markers separate."""

    def __init__(self, where: str = "") -> None:
        self.items: list[Item] = []
        self.buf: list[str] = []
        self.where = where
        self._words: dict[tuple[int, frozenset[str]], list[Token]] = {}  # the master is read several ways

    def words(self, k: int, labels: frozenset[str] = frozenset()) -> list[Token]:
        """The tokens of text item ``k`` (computed once per set of labels)."""
        key = (k, labels)
        if key not in self._words:
            item = self.items[k]
            self._words[key] = tokens(item.value, item.where, labels)
        return self._words[key]

    def add(self, text: str | None) -> None:
        if text:
            self.buf.append(text)

    def flush(self) -> None:
        if self.buf:
            self.items.append(Item("text", "".join(self.buf), self.where))
            self.buf = []

    def block(self, where: str) -> str:
        """Start a block at ``where``; returns the outer location to restore."""
        self.flush()
        outer, self.where = self.where, where
        return outer

    def end_block(self, outer: str) -> None:
        self.flush()
        self.where = outer

    def mark(self, kind: str, label: str, target: str = "") -> None:
        self.flush()
        self.items.append(Item(kind, label, self.where, target))

    def tokens(
        self,
        labels: frozenset[str] = frozenset(),
        refs: bool = True,
        notes: bool = True,
        note_labels: bool = True,
        numbers: bool = True,
    ) -> list[Token]:
        self.flush()
        out: list[Token] = []
        for k, item in enumerate(self.items):
            if item.kind == "text":
                out += self.words(k, labels)
            elif item.kind == "ref" and refs:
                out.append(Token(marker("ref", item.value), marker_surface("ref", item.value), item.where))
            elif item.kind == "number" and numbers:  # printed by the text edition and the PDF, not in EPUB text
                out.append(Token(item.value, f"{item.value}.", item.where))
            elif item.kind == "note" and notes:
                label = item.value if note_labels else ""
                out.append(Token(marker("note", label), marker_surface("note", item.value), item.where))
        return out


def localname(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""
