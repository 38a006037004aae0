"""Notes on an MIA page: find each note and its one marker, in every convention the
census counts, and link them.

Note bodies ("definitions"): ``p.note``/``p.endnote``/``p.endnotes``/``p.footnote``
anywhere; any block under a "Notes"/"Footnotes"/"Endnotes"/"Note" heading (up to the
next rule or heading), where a block that does not start with a label continues the
note before it (multi-paragraph notes); a numbered list under such a heading; and any
block that starts with an anchor a marker links to.

Markers: links to a note's anchor (``<a href="#n1">[1]</a>``, the ``#nN``/``#fN``/
``#fnN``/``#bN`` families, inside ``sup.enote``/``sup.anote``/``sup.ednote`` or
``span.note`` or not); for notes no link reaches, ``sup`` labels, unlinked ``[N]`` in
the text and Latin-1/Unicode superscript digits.

Every note must have exactly one marker and every marker a note: a duplicate or a
dangling number is a :class:`PipelineError` naming the page and the line.
The parsed tree is changed in place: markers become ``<mia-noteref key=...>``
placeholders and each note's printed label is taken out of its text (the label is
kept in :attr:`Note.label`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

import lxml.html
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.model import NoteRef
from pipeline.readers.mia_html.dom import (
    HEADINGS,
    MARKER_TAG,
    PageBlock,
    Recorder,
    Run,
    block_line,
    block_text,
    classes,
    drop,
    is_element,
    text_of,
)
from pipeline.readers.mia_html.markers import (
    LABEL_TEXT,
    NOTE_CLASSES,
    SUPERSCRIPTS,
    TEXT_MARKER,
    WRAPPER_RESP,
    Lead,
    TextSpot,
    elements_of,
    ids_of,
    leading,
    list_notes,
    looks_like_marker,
    marker_element,
    marker_resp,
    norm_label,
    same_page_links,
    texts_of,
)

NOTES_HEADING = re.compile(
    r"^(?:(?P<who>author|editor|translator|transcriber|publisher|mia)(?:['’]s|s['’]?)?\s+|editorial\s+|explanatory\s+)?"
    r"(?:end|foot)?\s*notes?(?:\s+by\s+(?:the\s+)?(?P<by>author|editors?|translators?|transcribers?|publishers?|mia)\b.*|\s+to\s+.{1,60})?\s*[:.]?$",
    re.I,
)
ONE_NOTE = re.compile(r"\bnote\s*[:.]?\s*$", re.I)  # "Publisher's Note": one note, not the notes ("Note" alone stays)
RESP_TEXT = [
    (re.compile(r"^(?:author['’]s\s+note|note\s+by\s+the\s+author)", re.I), "author"),
    (
        re.compile(
            r"^(?:editor['’]s\s+note|ed\.\s+note|editorial\s+note|note\s+by\s+the\s+editors?|mia\s+note|transcriber['’]s\s+note)",
            re.I,
        ),
        "editor",
    ),
    (
        re.compile(r"^(?:translator['’]s\s+note|note\s+by\s+the\s+translator|trans(?:\.|lator)\s+note)", re.I),
        "translator",
    ),
    (re.compile(r"[-–—]\s*(?:ed(?:s?\.|itors?)|MIA(?:\s+editor)?)\s*\]?\)?\.?$", re.I), "editor"),
    (re.compile(r"(?:\[|\()ed(?:s?\.|itors?)(?:\]|\))\.?$", re.I), "editor"),
    (re.compile(r"[-–—]\s*(?:trans(?:\.|lator)|tr\.)\s*\]?\)?\.?$", re.I), "translator"),
]


# A note's marker: the element printing it (or the spot in a text node), its line, and
# where it stands: "head", "info" or "body".
Marker: TypeAlias = tuple[etree._Element | TextSpot, int | None, str]


@dataclass
class NoteDef:
    key: str
    label: str | None
    blocks: list[PageBlock]
    lead: Lead
    line: int | None
    resp: str | None = None
    markers: list[Marker] = field(default_factory=list)
    xml_id: str = ""
    at: int = 0  # where in the body's blocks the note stood (an unreferenced note goes back there)


@dataclass
class NotePlan:
    defs: list[NoteDef]
    body: list[PageBlock]  # body blocks that are not notes or notes headings
    noterefs: dict[str, NoteRef]  # placeholder key -> NoteRef
    anchors: dict[str, str]  # page fragment -> note xml:id (note anchors and marker anchors)
    info_notes: list[NoteDef]  # notes whose marker stands in the information block
    head_notes: set[str]  # keys of notes marked in the head (title, date)


def is_notes_heading(block: PageBlock) -> re.Match[str] | None:
    if isinstance(block, Run) or block.tag in HEADINGS or block.tag == "p":
        text = block_text(block)
        if 0 < len(text) <= 60:
            return NOTES_HEADING.match(text)
    return None


@dataclass
class NoteRegions:
    """Where the page's notes stand: the blocks under a notes heading (by index in the
    text's blocks), who wrote the notes there (the heading says: "Translator's notes"),
    and the headings themselves."""

    inside: list[bool]
    resp: dict[int, str | None] = field(default_factory=dict)
    headings: set[int] = field(default_factory=set)


@dataclass
class MarkerPlaces:
    """The elements of the page's head, its information block and its notes: a marker's
    place decides what it marks (a title's note, an information line's, the text's)."""

    head: set[etree._Element]
    info: set[etree._Element]
    notes: set[etree._Element]

    def where(self, el: etree._Element) -> str:
        return "head" if el in self.head else "info" if el in self.info else "body"


class NotePlanner:
    def __init__(self, path: Path, rec: Recorder, id_prefix: str) -> None:
        self.path = path
        self.rec = rec
        self.prefix = id_prefix

    def fail(self, message: str, line: int | None) -> PipelineError:
        return PipelineError(message, self.path, line)

    def plan(
        self, body_el: etree._Element, head: list[etree._Element], info: list[PageBlock], body: list[PageBlock]
    ) -> NotePlan:
        """Find the page's notes and their markers, link them, and mark the tree (see the
        module docstring). Each step is a method; the order is the order of the header's
        sentences about them."""
        regions = self._note_regions(body)
        links = same_page_links(body_el, self.path.name)
        targeted = {frag for a, frag in links if looks_like_marker(marker_element(a))}
        defs, body_out = self._find_notes(body, regions, targeted)
        self._record_notes_headings(body, regions, body_out)
        by_anchor = self._notes_by_anchor(defs)
        # Sets of the elements themselves (never of id(): lxml makes a new proxy object
        # for an element no one holds, so an id() can be reused by another element).
        places = MarkerPlaces(
            head={e for b in head for e in elements_of(b)},
            info={e for b in info for e in elements_of(b)},
            notes={e for d in defs for b in d.blocks for e in elements_of(b)},
        )
        marker_anchor = self._linked_markers(links, by_anchor, defs, places, body_el)
        self._unlinked_markers(defs, body_out, places.notes, places.info)
        self._label_notes(defs)
        defs = self._keep_referenced(defs, body_out)
        self._report_disagreeing_markers(defs)
        noterefs, anchors = self._assign_ids(defs)
        self._put_placeholders(defs)
        for anchor, d in marker_anchor.items():
            anchors.setdefault(anchor, d.xml_id)
        info_notes = [d for d in defs if d.markers[0][2] == "info"]
        head_notes = {d.key for d in defs if d.markers[0][2] == "head"}
        return NotePlan(defs, body_out, noterefs, anchors, info_notes, head_notes)

    def _note_regions(self, body: list[PageBlock]) -> NoteRegions:
        """The blocks under a notes heading ("Notes", "Translator's notes"), up to the next
        rule or heading; the headings themselves are dropped and recorded."""
        regions = NoteRegions([False] * len(body))
        resp_now: str | None = None
        active = False
        for i, block in enumerate(body):
            m = is_notes_heading(block)
            if m:
                active = True
                regions.headings.add(i)
                resp_now = _who(m)
                continue
            if active and not isinstance(block, Run) and (block.tag == "hr" or block.tag in HEADINGS):
                active = False
            regions.inside[i] = active
            if active:
                regions.resp[i] = resp_now
        return regions

    def _find_notes(
        self, body: list[PageBlock], regions: NoteRegions, targeted: set[str]
    ) -> tuple[list[NoteDef], list[PageBlock]]:
        """The notes' bodies, and the blocks of the text that are not notes (see the module
        docstring: which blocks start a note, which continue the one before)."""
        defs: list[NoteDef] = []
        body_out: list[PageBlock] = []
        current: NoteDef | None = None

        def new_def(block: PageBlock, lead: Lead, resp: str | None) -> NoteDef:
            d = NoteDef(str(len(defs)), lead.label, [block], lead, block_line(block), resp, at=len(body_out))
            defs.append(d)
            return d

        one_note: list[PageBlock] = []  # a heading naming one note, kept in the text until a note follows it

        def notes_follow() -> None:
            if one_note:
                body_out.remove(one_note.pop())

        for i, block in enumerate(body):
            if i in regions.headings:
                current = None
                one_note.clear()
                m = is_notes_heading(block)
                if m is not None and m.group("who") and ONE_NOTE.search(block_text(block)):
                    body_out.append(block)
                    one_note.append(block)
                continue
            if regions.inside[i] and not isinstance(block, Run) and block.tag in ("ol", "ul"):
                for li, lead in list_notes(block):
                    notes_follow()
                    current = new_def(li, lead, regions.resp.get(i))
                continue
            lead = leading(block)
            if regions.inside[i] or _in_note_container(block):
                if lead.label is not None or (lead.anchors & targeted):
                    notes_follow()
                    current = new_def(block, lead, regions.resp.get(i) or _class_resp(block))
                    continue
                if current is not None:
                    current.blocks.append(block)
                    continue
            else:
                if lead.anchors & targeted and lead.label_el is not None:
                    current = new_def(block, lead, _class_resp(block))
                    continue
                current = None
            body_out.append(block)
        return defs, body_out

    def _record_notes_headings(self, body: list[PageBlock], regions: NoteRegions, body_out: list[PageBlock]) -> None:
        """Each notes heading dropped, recorded; rule *a heading naming one note and its
        writer over no note*: "PUBLISHER'S NOTE", "Author's Note" over paragraphs that are no note (the
        publisher's note to the reader, archive/kautsky/1903/economic/note.htm) heads text:
        it stays, a heading of the text, recorded."""
        for i in sorted(regions.headings):
            block = body[i]
            if any(b is block for b in body_out):
                self.rec.add(
                    f"Kept the heading {block_text(block)!r}: no note follows it, it heads the text", block_line(block)
                )
            else:
                self.rec.add(
                    f"Dropped the notes heading {block_text(block)!r} (the notes follow the text in the master)",
                    block_line(block),
                )

    def _notes_by_anchor(self, defs: list[NoteDef]) -> dict[str, NoteDef]:
        """Each note by the anchors at its start; two notes with one anchor are an error."""
        by_anchor: dict[str, NoteDef] = {}
        for d in defs:
            for anchor in d.lead.anchors:
                if anchor in by_anchor and by_anchor[anchor] is not d:
                    raise self.fail(
                        f"two notes share the anchor {anchor!r} (lines {by_anchor[anchor].line} and {d.line})",
                        d.line,
                    )
                by_anchor[anchor] = d
        return by_anchor

    def _linked_markers(
        self,
        links: list[tuple[etree._Element, str]],
        by_anchor: dict[str, NoteDef],
        defs: list[NoteDef],
        places: MarkerPlaces,
        body_el: etree._Element,
    ) -> dict[str, NoteDef]:
        """Markers that link to their note: each joins its note. Returns the notes by the
        anchors the markers carry (a back-link from the note lands there)."""
        known_ids = {v for el in body_el.iter() if is_element(el) for v in ids_of(el)}
        backlinks = {d.lead.label_el for d in defs if d.lead.label_el is not None}
        backlinks |= {n for d in defs if d.lead.label_el is not None for n in d.lead.label_el.iterdescendants()}
        marker_anchor: dict[str, NoteDef] = {}
        for a, frag in links:
            if a in backlinks or a in places.notes:  # a note's back-link, or a cross-reference inside a note
                continue
            el = marker_element(a)
            where = places.where(a)
            target = by_anchor.get(frag)
            if target is not None and LABEL_TEXT.match(text_of(el)):  # a number linking to a note is its marker
                target.markers.append((el, a.sourceline, where))
                if target.resp is None:
                    target.resp = marker_resp(el)
                for anchor in ids_of(a) | ids_of(el):
                    marker_anchor[anchor] = target
            elif target is None and frag not in known_ids and looks_like_marker(el) and where == "body":
                # Rule *marker without a note*: the marker's words stay, as the page shows them.
                self.rec.anomaly(
                    f"Kept as text note marker(s) that link to no note on the page (#{frag})", a.sourceline
                )
        return marker_anchor

    def _label_notes(self, defs: list[NoteDef]) -> None:
        """Every note gets a label (its own, its marker's, else its number) and one marker."""
        for d in defs:
            if d.label is None and d.markers:
                d.label = norm_label(text_of(d.markers[0][0]))
            if d.label is None:
                d.label = str(int(d.key) + 1)
            if len(d.markers) > 1:
                # Rule *note referenced twice*: the first marker links the note; the others
                # stay in the text as the page prints them (a note is referenced once in TEI).
                lines = ", ".join(str(line) for _, line, _ in d.markers)
                self.rec.anomaly(
                    f"Note {d.label} has {len(d.markers)} markers (lines {lines}): the first links the note, the others are kept as text",
                    d.markers[1][1],
                )
                d.markers = d.markers[:1]

    def _keep_referenced(self, defs: list[NoteDef], body_out: list[PageBlock]) -> list[NoteDef]:
        """Rule *note never referenced*: its words stay where the page shows them, as text."""
        for d in reversed([d for d in defs if not d.markers]):
            self.rec.anomaly(
                f"Note {d.label} is never referenced (no marker in the text): kept as text where it stands", d.line
            )
            body_out[d.at : d.at] = d.blocks
        return [d for d in defs if d.markers]

    def _report_disagreeing_markers(self, defs: list[NoteDef]) -> None:
        """Rule *marker and note disagree*: the page marks note "118." with "[18]"
        (archive/hansen/1951/03/lysenko2.htm); the master gives the note's label, and the
        header quotes the marker as the page prints it."""
        for d in defs:
            el = d.markers[0][0]
            shown = text_of(el) if not isinstance(el, tuple) else ""
            if shown and d.label and norm_label(shown) != d.label:
                self.rec.anomaly(f"Note {d.label}'s marker in the text reads '{shown}'", d.markers[0][1])

    def _assign_ids(self, defs: list[NoteDef]) -> tuple[dict[str, NoteRef], dict[str, str]]:
        """Each note's xml:id (its label when that is a unique plain word, else its number),
        its NoteRef by placeholder key, and the page's anchors that lead to it; the note's
        author from its words where its place did not say."""
        counts: dict[str, int] = {}
        for d in defs:
            counts[d.label or ""] = counts.get(d.label or "", 0) + 1
        noterefs: dict[str, NoteRef] = {}
        anchors: dict[str, str] = {}
        taken: set[str] = set()
        for d in defs:
            simple = re.fullmatch(r"[A-Za-z0-9]+", d.label or "") and counts[d.label or ""] == 1
            xml_id = f"{self.prefix}note-{d.label if simple else int(d.key) + 1}"
            n = 2
            while xml_id in taken:  # a numbered note "3" and the third unnumbered one
                xml_id = f"{self.prefix}note-{d.label if simple else int(d.key) + 1}-{n}"
                n += 1
            taken.add(xml_id)
            d.xml_id = xml_id
            noterefs[d.key] = NoteRef(d.xml_id, d.label or "")
            for anchor in d.lead.anchors:
                anchors[anchor] = d.xml_id
            if d.resp is None:
                d.resp = _text_resp(d)
        return noterefs, anchors

    def _put_placeholders(self, defs: list[NoteDef]) -> None:
        """Each marker becomes its placeholder, each note loses its printed label. Markers
        inside text nodes first, the later ones in a node before the earlier."""
        in_text = [(d.markers[0][0], d) for d in defs if isinstance(d.markers[0][0], tuple)]
        for (owner, attr, start, end), d in sorted(in_text, key=lambda r: (id(r[0][0]), r[0][1], -r[0][2])):
            self._replace_text(owner, attr, start, end, d)
        for d in defs:
            if not isinstance(d.markers[0][0], tuple):
                self._replace_element(d.markers[0][0], d)
            self._cut_label(d)

    def _unlinked_markers(
        self, defs: list[NoteDef], body: list[PageBlock], def_els: set[etree._Element], info_els: set[etree._Element]
    ) -> None:
        """Markers no link makes: ``sup`` labels, ``[N]`` and superscript digits in the text."""
        wanted: dict[str, NoteDef] = {}
        for d in defs:
            if d.markers or d.label is None:
                continue
            if d.label in wanted:
                # Rule *duplicate note number*: printed markers go to the first; the other
                # note then has no marker and is kept as text (see *note never referenced*).
                self.rec.anomaly(
                    f"Two notes are numbered {d.label} (lines {wanted[d.label].line} and {d.line})", d.line
                )
                continue
            wanted[d.label] = d
        if not wanted:
            return
        for block in body:
            for el in elements_of(block):
                if el.tag == "sup" and el not in def_els and not any(a.tag == "a" for a in el.iter("a")):
                    label = norm_label(text_of(el))
                    if label in wanted and LABEL_TEXT.match(text_of(el)):
                        d = wanted[label]
                        d.markers.append((el, el.sourceline, "body"))
                        d.resp = d.resp or marker_resp(el)
        for block in body:
            for owner, attr, text, line in list(texts_of(block)):
                for m in TEXT_MARKER.finditer(text):
                    label = (m.group(1) or m.group(2)).translate(SUPERSCRIPTS)
                    if label in wanted:
                        wanted[label].markers.append(((owner, attr, m.start(), m.end()), line, "body"))

    def _replace_text(self, owner: etree._Element, attr: str, start: int, end: int, d: NoteDef) -> None:
        """Split the text node at a printed marker and put the placeholder there."""
        text = (owner.text if attr == "text" else owner.tail) or ""
        ph = lxml.html.Element(MARKER_TAG, key=d.key)
        ph.text = text[start:end]
        ph.tail = text[end:]
        if attr == "text":
            owner.text = text[:start]
            owner.insert(0, ph)
        else:
            owner.addnext(ph)
            owner.tail = text[:start]

    def _replace_element(self, el: etree._Element, d: NoteDef) -> None:
        ph = lxml.html.Element(MARKER_TAG, key=d.key)
        ph.text = text_of(el)
        ph.tail = el.tail
        el.getparent().replace(el, ph)

    def _cut_label(self, d: NoteDef) -> None:
        lead = d.lead
        for el in lead.empty:
            if el.getparent() is not None:
                drop(el)
        if lead.label_el is not None and lead.label_el.getparent() is not None:
            drop(lead.label_el)
        elif lead.text_cut and lead.text_node is not None:
            lead.text_node.set(lead.text_node.get()[lead.text_cut :])


def _in_note_container(block: PageBlock) -> bool:
    """A block of class note/endnote/footnote..., or inside a div of such a class."""
    el = block.parent if isinstance(block, Run) else block
    if not isinstance(block, Run) and block.tag not in ("p", "div", "li", "dd", "blockquote"):
        return False
    if classes(el) & NOTE_CLASSES and (isinstance(block, Run) is False):
        return True
    return any(classes(a) & NOTE_CLASSES for a in el.iterancestors("div", "section", "aside"))


def _who(m: re.Match[str]) -> str | None:
    who = (m.group("who") or m.group("by") or "").lower().rstrip("s")
    return {
        "author": "author",
        "editor": "editor",
        "translator": "translator",
        "transcriber": "editor",
        "mia": "editor",
        "publisher": "editor",
    }.get(who)


def _class_resp(block: PageBlock) -> str | None:
    if isinstance(block, Run):
        return None
    return next((WRAPPER_RESP[c] for c in classes(block) if c in WRAPPER_RESP), None)


def _text_resp(d: NoteDef) -> str | None:
    first = block_text(d.blocks[0])
    last = block_text(d.blocks[-1])
    for pattern, resp in RESP_TEXT:
        if pattern.search(first if pattern.pattern.startswith("^") else last):
            return resp
    return None
