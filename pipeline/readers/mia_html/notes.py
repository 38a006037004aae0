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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.model import NoteRef
from pipeline.readers.mia_html.blocks import MARKER_TAG
from pipeline.readers.mia_html.dom import (
    HEADINGS,
    PageBlock,
    Recorder,
    Run,
    RunItem,
    TextSlot,
    block_line,
    block_text,
    classes,
    drop,
    is_element,
    text_of,
)

NOTE_CLASSES = frozenset(
    "note notes endnote endnotes footnote footnotes fn fnote anote ednote enote tnote notetext".split()
)
WRAPPER_RESP = {"anote": "author", "ednote": "editor", "tnote": "translator"}
MARKER_WRAPPERS = frozenset("sup span small font b strong em i sub".split())
NOTES_HEADING = re.compile(
    r"^(?:(?P<who>author|editor|translator|transcriber|publisher|mia)(?:['’]s|s['’]?)?\s+|editorial\s+|explanatory\s+)?"
    r"(?:end|foot)?\s*notes?(?:\s+by\s+(?:the\s+)?(?P<by>author|editors?|translators?|transcribers?|publishers?|mia)\b.*|\s+to\s+.{1,60})?\s*[:.]?$",
    re.I,
)
# A label as a whole element's text: [1], 1., (1), 1), *, **, †, a, iv, ¹.
LABEL_TEXT = re.compile(
    r"^[\[(]?\s*(\d{1,3}[a-z]?|[a-z]|\*{1,4}|†{1,3}|‡{1,2}|§|[ivxlc]{1,7}|[¹²³⁰⁴-⁹]+)\s*[\])]?\s*[.):]?$", re.I
)
# A label at the start of a note's text.
LEADING_TEXT = re.compile(
    r"^[\s\xa0]*(?:\[(?P<a>\d{1,3}[a-z]?|\*{1,4}|[a-z])\]|\((?P<b>\d{1,3})\)|(?P<c>\d{1,3})[.)](?=[\s\xa0])|"
    r"(?P<d>\*{1,4}|†{1,3}|‡{1,2})(?=[\s\xa0])|(?P<e>[¹²³⁰⁴-⁹]+))[\s\xa0]*"
)
TEXT_MARKER = re.compile(r"\[(\d{1,3}[a-z]?|\*{1,4})\]|([¹²³⁰⁴-⁹]+)")
SUPERSCRIPTS = str.maketrans("¹²³⁰⁴⁵⁶⁷⁸⁹", "1230456789")
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


# A text node of a block: (owner element, "text" or "tail", its text, its line).
TextNode: TypeAlias = tuple[etree._Element, str, str, int | None]
# A marker printed inside a text node ("[3]", "³"): (owner, "text" or "tail", start, end).
TextSpot: TypeAlias = tuple[etree._Element, str, int, int]
# A note's marker: the element printing it (or the spot in a text node), its line, and
# where it stands: "head", "info" or "body".
Marker: TypeAlias = tuple[etree._Element | TextSpot, int | None, str]


def norm_label(text: str) -> str:
    m = LABEL_TEXT.match(text.strip())
    label = m.group(1) if m else text.strip().strip("[]().:")
    return label.translate(SUPERSCRIPTS)


@dataclass
class Lead:
    """How a block starts: the anchors there, and the note label printed there."""

    anchors: set[str] = field(default_factory=set)
    label: str | None = None
    label_el: etree._Element | None = None  # the element printing the label (often the back-link)
    empty: list[etree._Element] = field(default_factory=list)  # empty anchors before the label
    text_node: TextSlot | None = None  # where the note's text starts
    text_cut: int = 0  # characters of a printed label at the start of that text


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


def ids_of(el: etree._Element) -> set[str]:
    out = set()
    for attr in ("id", "name"):
        v = el.get(attr)
        if v:
            out.add(v.strip())
    return out


def fragment(href: str | None, page_name: str) -> str | None:
    """The fragment of a link to this same page ("#n1", "page.htm#n1"), else None."""
    if not href or "#" not in href:
        return None
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if path and path.rsplit("/", 1)[-1] != page_name:
        return None
    return unquote(parts.fragment).strip() or None


def is_notes_heading(block: PageBlock) -> re.Match[str] | None:
    if isinstance(block, Run) or block.tag in HEADINGS or block.tag == "p":
        text = block_text(block)
        if 0 < len(text) <= 60:
            return NOTES_HEADING.match(text)
    return None


def sequence(el: etree._Element) -> list[RunItem]:
    """An element's content as text slots and child elements, in order."""
    out: list[RunItem] = [TextSlot(el, "text")] if el.text else []
    for child in el:
        if is_element(child):
            out.append(child)
        if child.tail:
            out.append(TextSlot(child, "tail"))
    return out


def leading(block: PageBlock) -> Lead:
    """Where the block's text starts: anchors and a printed label passed on the way."""
    lead = Lead()

    def check_text(slot: TextSlot) -> bool:
        text = slot.get()
        if not text.strip(" \xa0\t\r\n"):
            return False
        lead.text_node = slot
        m = LEADING_TEXT.match(text)
        if m and lead.label is None:
            lead.label = next(g for g in m.groups() if g).translate(SUPERSCRIPTS)
            lead.text_cut = m.end()
        return True

    def scan(items: list[RunItem]) -> bool:
        """Scan content in order; True once the note's own text has started."""
        for item in items:
            if isinstance(item, TextSlot):
                if check_text(item):
                    return True
                continue
            if item.tag == "br":
                continue
            if item.tag not in MARKER_WRAPPERS and item.tag != "a":
                return True  # the text starts with other markup: no printed label here
            lead.anchors |= ids_of(item)
            for d in item.iterdescendants():
                if is_element(d):
                    lead.anchors |= ids_of(d)
            words = text_of(item)
            if not words:
                lead.empty.append(item)
            elif LABEL_TEXT.match(words) and lead.label is None:
                lead.label = norm_label(words)
                lead.label_el = item
            elif scan(sequence(item)):
                return True
        return False

    if isinstance(block, Run):
        scan(block.items())
    else:
        lead.anchors |= ids_of(block)
        scan(sequence(block))
    return lead


def marker_element(a: etree._Element) -> etree._Element:
    """The outermost element printing only this marker (``sup.enote > a``, ``span.note > a``...)."""
    el = a
    words = text_of(a)
    while True:
        parent = el.getparent()
        if parent is None or parent.tag not in MARKER_WRAPPERS or text_of(parent) != words:
            return el
        el = parent


def marker_resp(el: etree._Element) -> str | None:
    for node in [el, *el.iterdescendants()]:
        if is_element(node):
            for c in classes(node):
                if c in WRAPPER_RESP:
                    return WRAPPER_RESP[c]
    return None


def looks_like_marker(el: etree._Element) -> bool:
    words = text_of(el)
    if not words or not LABEL_TEXT.match(words):
        return False
    if el.tag != "a":
        return True
    # a bare "1" link may be a page or section number; brackets, asterisks, superscript say "note"
    if re.match(r"^\[.*\]$|^\*+$|^[†‡§]", words) or any(
        is_element(n) and n.tag == "sup" for n in [*el.iterancestors(), *el.iterdescendants()]
    ):
        return True
    parent = el.getparent()
    return parent is not None and bool(classes(parent) & NOTE_CLASSES)


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
        page_name = self.path.name
        region_resp: dict[int, str | None] = {}
        in_region = [False] * len(body)
        removed: set[int] = set()
        resp_now: str | None = None
        active = False
        for i, block in enumerate(body):
            m = is_notes_heading(block)
            if m:
                active = True
                removed.add(i)
                resp_now = _who(m)
                self.rec.add(
                    f"Dropped the notes heading {block_text(block)!r} (the notes follow the text in the master)",
                    block_line(block),
                )
                continue
            if active and not isinstance(block, Run) and (block.tag == "hr" or block.tag in HEADINGS):
                active = False
            in_region[i] = active
            if active:
                region_resp[i] = resp_now

        # Internal links by target, to tell which anchors markers point at.
        links: list[tuple[etree._Element, str]] = []
        for a in body_el.iter("a"):
            frag = fragment(a.get("href"), page_name)
            if frag:
                links.append((a, frag))
        targeted = {frag for a, frag in links if looks_like_marker(marker_element(a))}

        defs: list[NoteDef] = []
        current: NoteDef | None = None
        body_out: list[PageBlock] = []

        def new_def(block: PageBlock, lead: Lead, resp: str | None) -> NoteDef:
            d = NoteDef(str(len(defs)), lead.label, [block], lead, block_line(block), resp, at=len(body_out))
            defs.append(d)
            return d

        for i, block in enumerate(body):
            if i in removed:
                current = None
                continue
            note_class = _in_note_container(block)
            if in_region[i] and not isinstance(block, Run) and block.tag in ("ol", "ul"):
                start = int(block.get("start") or 1) if (block.get("start") or "1").isdigit() else 1
                for k, li in enumerate(el for el in block if is_element(el) and el.tag == "li"):
                    lead = leading(li)
                    if lead.label is None and block.tag == "ol":
                        lead.label = str(start + k)
                    current = new_def(li, lead, region_resp.get(i))
                continue
            if in_region[i] or note_class:
                lead = leading(block)
                if lead.label is not None or (lead.anchors & targeted):
                    current = new_def(block, lead, region_resp.get(i) or _class_resp(block))
                    continue
                if current is not None:
                    current.blocks.append(block)
                    continue
            else:
                lead = leading(block)
                if lead.anchors & targeted and lead.label_el is not None:
                    current = new_def(block, lead, _class_resp(block))
                    continue
                current = None
            body_out.append(block)

        def_by_anchor: dict[str, NoteDef] = {}
        for d in defs:
            for anchor in d.lead.anchors:
                if anchor in def_by_anchor and def_by_anchor[anchor] is not d:
                    raise self.fail(
                        f"two notes share the anchor {anchor!r} (lines {def_by_anchor[anchor].line} and {d.line})",
                        d.line,
                    )
                def_by_anchor[anchor] = d

        # Sets of the elements themselves (never of id(): lxml makes a new proxy object
        # for an element no one holds, so an id() can be reused by another element).
        head_els = {e for b in head for e in _elements(b)}
        info_els = {e for b in info for e in _elements(b)}
        def_els = {e for d in defs for b in d.blocks for e in _elements(b)}
        known_ids = {v for el in body_el.iter() if is_element(el) for v in ids_of(el)}
        backlinks = {d.lead.label_el for d in defs if d.lead.label_el is not None}
        backlinks |= {n for d in defs if d.lead.label_el is not None for n in d.lead.label_el.iterdescendants()}

        marker_anchor: dict[str, NoteDef] = {}
        for a, frag in links:
            if a in backlinks:
                continue
            el = marker_element(a)
            if a in def_els:
                continue  # a cross-reference inside a note: an ordinary link
            where = "head" if a in head_els else "info" if a in info_els else "body"
            target = def_by_anchor.get(frag)
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

        self._unlinked_markers(defs, body_out, def_els, info_els)

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
        # Rule *note never referenced*: its words stay where the page shows them, as text.
        for d in reversed([d for d in defs if not d.markers]):
            self.rec.anomaly(
                f"Note {d.label} is never referenced (no marker in the text): kept as text where it stands", d.line
            )
            body_out[d.at : d.at] = d.blocks
        defs = [d for d in defs if d.markers]
        for d in defs:
            # Rule *marker and note disagree*: the page marks note "118." with "[18]"
            # (archive/hansen/1951/03/lysenko2.htm); the master gives the note's label,
            # and the header quotes the marker as the page prints it.
            el = d.markers[0][0]
            shown = text_of(el) if not isinstance(el, tuple) else ""
            if shown and d.label and norm_label(shown) != d.label:
                self.rec.anomaly(f"Note {d.label}'s marker in the text reads '{shown}'", d.markers[0][1])
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
        # Markers inside text nodes first, the later ones in a node before the earlier.
        in_text = [(d.markers[0][0], d) for d in defs if isinstance(d.markers[0][0], tuple)]
        for (owner, attr, start, end), d in sorted(in_text, key=lambda r: (id(r[0][0]), r[0][1], -r[0][2])):
            self._replace_text(owner, attr, start, end, d)
        for d in defs:
            if not isinstance(d.markers[0][0], tuple):
                self._replace_element(d.markers[0][0], d)
            self._cut_label(d)
        for anchor, d in marker_anchor.items():
            anchors.setdefault(anchor, d.xml_id)
        info_notes = [d for d in defs if d.markers[0][2] == "info"]
        head_notes = {d.key for d in defs if d.markers[0][2] == "head"}
        return NotePlan(defs, body_out, noterefs, anchors, info_notes, head_notes)

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
            for el in _elements(block):
                if el.tag == "sup" and el not in def_els and not any(a.tag == "a" for a in el.iter("a")):
                    label = norm_label(text_of(el))
                    if label in wanted and LABEL_TEXT.match(text_of(el)):
                        d = wanted[label]
                        d.markers.append((el, el.sourceline, "body"))
                        d.resp = d.resp or marker_resp(el)
        for block in body:
            for owner, attr, text, line in list(_texts(block)):
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


def _elements(block: PageBlock) -> Iterator[etree._Element]:
    if isinstance(block, Run):
        for item in block.items():
            if is_element(item):
                yield from (e for e in item.iter() if is_element(e))
    else:
        yield from (e for e in block.iter() if is_element(e))


def _texts(block: PageBlock) -> Iterator[TextNode]:
    """Every text node of a body block: (owner element, "text"|"tail", text, line)."""
    items = block.items() if isinstance(block, Run) else [block]
    for item in items:
        if isinstance(item, TextSlot):
            yield (item.owner, item.attr, item.get(), block.sourceline)
        else:
            yield from _element_texts(item, include_tail=False)


def _element_texts(el: etree._Element, include_tail: bool) -> Iterator[TextNode]:
    if el.tag not in ("a", MARKER_TAG) and el.text:
        yield (el, "text", el.text, el.sourceline)
    if el.tag not in ("a", MARKER_TAG):
        for child in el:
            if is_element(child):
                yield from _element_texts(child, include_tail=True)
    if include_tail and el.tail:
        yield (el, "tail", el.tail, el.sourceline)
