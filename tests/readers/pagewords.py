"""The words of an MIA page as a browser shows them, and the words of a master, by region.

Written for the tests independently of the reader: the page is decoded with the
encoding the test states, parsed with lxml, the furniture is dropped by the MIA's own
class names, and the regions are found by the MIA conventions (head headings before
the information block; the information block; notes after a "Notes" heading or in
``p.endnote``; the rest is the text). Words are compared as tokens (runs of word
characters, and each punctuation mark), so whitespace differences never count but
every letter and mark does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

TOKEN = re.compile(r"\w+|[^\w\s]")
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
FURNITURE = (
    "//script|//style|//img|//map"
    "|//p[contains(concat(' ', normalize-space(@class), ' '), ' toplink ')]"
    "|//p[@class='link' or @class='skip' or @class='next' or @class='footer' or @class='updat']"
)
MARKER_TEXT = re.compile(r"^\s*\[?\s*(\d{1,3}|\*{1,4})\s*\]?\s*\.?\s*$")
NOTES_HEADING = re.compile(r"^(?:author['’]s\s+|editor['’]s\s+)?(?:end|foot)?notes?\s*:?$", re.I)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


@dataclass
class Regions:
    head: list[str]
    info: list[str]
    body: list[str]
    notes: list[str]


def _remove(el: etree._Element) -> None:
    """Remove an element, keeping its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def page_regions(path: Path, encoding: str) -> Regions:
    data = Path(path).read_bytes().decode(encoding)
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    doc = lxml.html.document_fromstring(data.encode("utf-8"), parser=parser)
    body = doc.find("body")
    for el in body.xpath(FURNITURE):
        _remove(el)
    info_els = body.xpath(".//p[@class='information' or @class='info']")
    first_info = info_els[0]
    head_els = []
    for el in body.iter():
        if el is first_info:
            break
        if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or (el.tag == "p" and el.get("class") == "title"):
            head_els.append(el)
    notes_els: list[etree._Element] = []
    for heading in body.xpath(".//h3|.//h4|.//p"):
        if NOTES_HEADING.match(" ".join(heading.text_content().split())):
            notes_els.append(heading)
            sib = heading.getnext()
            while sib is not None and sib.tag not in ("hr", "h1", "h2", "h3", "h4", "h5", "h6"):
                notes_els.append(sib)
                sib = sib.getnext()
    for p in body.xpath(".//p[@class='endnote']"):
        if p not in notes_els:
            notes_els.append(p)
    # Note markers (same-page links printing a number or asterisks) and note labels (such
    # a link at the start of a note); in the information block markers stay as printed.
    in_info = {d for el in info_els for d in el.iter()}  # the elements, not id()s: lxml proxies come and go
    in_notes = {d for el in notes_els for d in el.iter()}
    for a in body.xpath(".//a[starts-with(@href, '#')]"):
        if not MARKER_TEXT.match(a.text_content()) or a in in_info:
            continue
        if a in in_notes and not _at_start(a):
            continue  # "see note 14" inside a note: a cross-reference, its words stay
        _remove(a)
    head = [t for el in head_els for t in tokens(el.text_content())]
    info = [t for el in info_els for t in tokens(el.text_content())]
    notes = [
        t
        for el in notes_els
        if not NOTES_HEADING.match(" ".join(el.text_content().split()))
        for t in tokens(el.text_content())
    ]
    for el in head_els + info_els + notes_els:
        _remove(el)
    return Regions(head, info, tokens(body.text_content()), notes)


def _at_start(a: etree._Element) -> bool:
    """No text before ``a`` in its paragraph."""
    p = next(x for x in a.iterancestors() if x.tag in ("p", "li", "div", "body"))
    before = []
    for node in p.iter():
        if node is a:
            break
        before.append(node.text or "")
        if node is not p and a not in node.iterdescendants():
            before.append(node.tail or "")
    return not "".join(before).strip()


def master_text(el: etree._Element) -> list[str]:
    """Tokens of a master element with note markers left out."""
    el = etree.fromstring(etree.tostring(el))
    for ref in el.xpath(".//tei:ref[@type='noteref']", namespaces=NS):
        _remove(ref)
    return tokens("".join(el.itertext()))


def master_regions(tei: etree._Element) -> Regions:
    """Head (title page and the page-head lines kept as headings), information lines
    (notes of the information block excepted), body, notes (back notes, then the notes
    kept with the information block)."""
    front = tei.xpath("//tei:text/tei:front/tei:titlePage", namespaces=NS)
    leading_heads = tei.xpath(
        "//tei:text/tei:body/tei:head | //tei:text/tei:body/tei:div[@type='work']/tei:head", namespaces=NS
    )
    head = [t for el in front + leading_heads for t in master_text(el)]
    info_notes = tei.xpath("//tei:notesStmt/tei:note", namespaces=NS)
    info = [t for n in info_notes if not n.get("n", "").startswith("Note ") for t in master_text(n)]
    body_el = etree.fromstring(etree.tostring(tei.xpath("//tei:text/tei:body", namespaces=NS)[0]))
    for h in body_el.xpath("./tei:head | ./tei:div[@type='work']/tei:head", namespaces=NS):
        _remove(h)
    body = master_text(body_el)
    notes = [t for n in tei.xpath("//tei:text/tei:back//tei:note", namespaces=NS) for t in master_text(n)]
    notes += [t for n in info_notes if n.get("n", "").startswith("Note ") for t in tokens(n.text.split(":", 1)[1])]
    return Regions(head, info, body, notes)


# The master's records of a line it drops on purpose, its words quoted (issue 20): from
# the text, the title repeated over it and the page's label over a part's number; from the
# head, the author's name printed twice. The page's words are read against them.
BODY_REMOVAL = re.compile(
    r"^Removed the (?:title repeated as the text's first heading,|page's label) ['\"<](.*?)['\">](?: above .*)?\.?$"
)
HEAD_REMOVAL = re.compile(r"^Removed the author's name repeated in the page's head, ['\"<](.*?)['\">]\.?$")


def recorded_removals(tei: etree._Element, pattern: re.Pattern[str]) -> list[list[str]]:
    """The tokens of each line the master records as dropped (``BODY_REMOVAL``, ``HEAD_REMOVAL``)."""
    out = []
    for p in tei.xpath("//tei:editorialDecl/tei:normalization/tei:p", namespaces=NS):
        m = pattern.match(" ".join("".join(p.itertext()).split()))
        if m:
            out.append(tokens(m.group(1)))
    return out


def without(words: list[str], removals: list[list[str]]) -> list[str]:
    """``words`` with each removal's tokens taken out once, where they first stand in a row."""
    out = list(words)
    for removal in removals:
        n = len(removal)
        for i in range(len(out) - n + 1):
            if n and out[i : i + n] == removal:
                del out[i : i + n]
                break
    return out
