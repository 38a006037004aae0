"""How a note and its marker look on an MIA page: the printed labels ("[1]", "1.", "*",
"¹"), where a note's text starts (:class:`Lead`), the element that prints a marker, the
links to an anchor of the same page, and the text nodes a printed marker may stand in.

:mod:`pipeline.readers.mia_html.notes` uses these to find each note and its one marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipeline.readers.mia_html.dom import (
    MARKER_TAG,
    PageBlock,
    Run,
    RunItem,
    TextSlot,
    classes,
    is_element,
    sequence,
    text_of,
)

NOTE_CLASSES = frozenset(
    "note notes endnote endnotes footnote footnotes fn fnote anote ednote enote tnote notetext".split()
)


WRAPPER_RESP = {"anote": "author", "ednote": "editor", "tnote": "translator"}


MARKER_WRAPPERS = frozenset("sup span small font b strong em i sub".split())


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


# A text node of a block: (owner element, "text" or "tail", its text, its line).
TextNode: TypeAlias = tuple[etree._Element, str, str, int | None]


# A marker printed inside a text node ("[3]", "³"): (owner, "text" or "tail", start, end).
TextSpot: TypeAlias = tuple[etree._Element, str, int, int]


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


def same_page_links(body_el: etree._Element, page_name: str) -> list[tuple[etree._Element, str]]:
    """The links to an anchor of this same page, with the anchor, in the page's order."""
    links: list[tuple[etree._Element, str]] = []
    for a in body_el.iter("a"):
        frag = fragment(a.get("href"), page_name)
        if frag:
            links.append((a, frag))
    return links


def list_notes(block: etree._Element) -> list[tuple[etree._Element, Lead]]:
    """A list under a notes heading: each item a note, numbered as the list numbers it
    when the item prints no label of its own."""
    start = int(block.get("start") or 1) if (block.get("start") or "1").isdigit() else 1
    out: list[tuple[etree._Element, Lead]] = []
    for k, li in enumerate(el for el in block if is_element(el) and el.tag == "li"):
        lead = leading(li)
        if lead.label is None and block.tag == "ol":
            lead.label = str(start + k)
        out.append((li, lead))
    return out


def elements_of(block: PageBlock) -> Iterator[etree._Element]:
    if isinstance(block, Run):
        for item in block.items():
            if is_element(item):
                yield from (e for e in item.iter() if is_element(e))
    else:
        yield from (e for e in block.iter() if is_element(e))


def texts_of(block: PageBlock) -> Iterator[TextNode]:
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
