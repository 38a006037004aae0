"""The master side: the words of the TEI master's text and notes, located by line and note."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from pipeline.master.tei import NS, XML_NS
from pipeline.verify.figures import MasterFigure, master_figures
from pipeline.verify.streams import Collector, localname
from pipeline.words import Token

# The master's block elements, as its schema (schemas/mia-tei.rnc) allows them; stated here,
# not imported from pipeline.master.tei, because the judge shares no code with what it judges.
TEI_BLOCKS = {
    "p",
    "head",
    "item",
    "cell",
    "row",
    "table",
    "list",
    "quote",
    "closer",
    "signed",
    "dateline",
    "salute",
    "div",
    "figure",  # read by pipeline.verify.figures, not as words
    "milestone",  # a section break: no words
}


@dataclass
class MasterText:
    body: Collector
    notes: list[tuple[str, str, Collector]]  # (id, label, words)
    labels: frozenset[str]
    table_lines: frozenset[str] = frozenset()  # the "line N" locations of the words of tables
    figures: list[MasterFigure] = field(default_factory=list)  # judged by verify.figures, not in the streams
    # the words (by id(): a note's words are located by its label, not a line) of the tables
    # inside notes, as each note's Collector gives them (it computes its words once)
    note_table_tokens: frozenset[int] = frozenset()

    def note_tokens(
        self,
        labels: frozenset[str] = frozenset(),
        boundaries: bool = True,
        note_labels: bool = True,
        numbers: bool = True,
    ) -> list[Token]:
        out: list[Token] = []
        for _, _, col in self.notes:
            out += col.tokens(labels, notes=boundaries, note_labels=note_labels, numbers=numbers)
        return out


def read_master(tei: etree._Element) -> MasterText:
    notes_el = tei.xpath("tei:text//tei:note[@xml:id]", namespaces=NS)
    labels_by_id = {n.get(f"{{{XML_NS}}}id"): n.get("n") or str(i) for i, n in enumerate(notes_el, 1)}

    def walk(el: etree._Element, col: Collector) -> None:
        col.add(el.text)
        for child in el:
            if isinstance(child.tag, str):
                element(child, col)
            col.add(child.tail)

    def element(el: etree._Element, col: Collector) -> None:
        tag = localname(el)
        if tag == "figure":  # no words of the text: pipeline.verify.figures checks the figures
            return
        if tag == "note":  # a note written in place: a marker here, its words in the notes
            note_id = el.get(f"{{{XML_NS}}}id") or ""
            col.mark("ref", labels_by_id.get(note_id, el.get("n") or "?"), note_id)
        elif tag == "ref" and el.get("type") == "noteref":
            col.mark("ref", " ".join("".join(el.itertext()).split()), (el.get("target") or "#")[1:])
        elif tag == "lb":
            col.add(" ")
        elif tag in TEI_BLOCKS:
            outer = col.block(f"line {el.sourceline}")
            parent = el.getparent()
            if tag == "item" and parent is not None and parent.get("rend") in ("numbered", "ordered"):
                col.mark(
                    "number",
                    str(parent.index(el) + 1 - sum(1 for c in parent[: parent.index(el)] if localname(c) != "item")),
                )
            walk(el, col)
            col.end_block(outer)
        else:
            walk(el, col)

    body = Collector()
    for el in tei.xpath("tei:text/tei:body", namespaces=NS):
        walk(el, body)
    body.flush()
    notes = []
    note_tables = tei.xpath("tei:text//tei:note//tei:table", namespaces=NS)
    note_table_lines = {f"line {e.sourceline}" for t in note_tables for e in t.iter() if isinstance(e.tag, str)}
    note_table_tokens: set[int] = set()
    for note in notes_el:
        note_id = note.get(f"{{{XML_NS}}}id")
        label = labels_by_id[note_id]
        col = Collector(f"note {label}")
        col.mark("note", label)
        walk(note, col)
        col.flush()
        for k, item in enumerate(col.items):  # a note's words are located by its label
            if item.kind == "text" and item.where in note_table_lines:
                note_table_tokens.update(id(t) for t in col.words(k))
            item.where = f"note {label}"
        notes.append((note_id, label, col))
    tables = tei.xpath("tei:text/tei:body//tei:table", namespaces=NS)
    table_lines = frozenset(f"line {e.sourceline}" for t in tables for e in t.iter() if isinstance(e.tag, str))
    return MasterText(
        body,
        notes,
        frozenset(labels_by_id.values()),
        table_lines,
        master_figures(tei),
        frozenset(note_table_tokens),
    )


def marker_positions(master: MasterText) -> dict[str, int]:
    """For each note id, the index in the body's words (markers left out) where its marker stands."""
    out: dict[str, int] = {}
    count = 0
    for k, item in enumerate(master.body.items):
        if item.kind == "text":
            count += len(master.body.words(k))

        elif item.kind == "ref":
            out.setdefault(item.target, count)
    return out
