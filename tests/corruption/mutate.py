"""Corruptions of real editions, generated: one word dropped, added, swapped with its
neighbour or moved to another paragraph, at a chosen place of the work, in the EPUB, the
PDF or the text edition, each written as a real edition file (the PDF as its text layer,
the lines :func:`pipeline.pdftext.pdf_lines` reads, which is what verify reads).

A *target* is a word of the master picked by its place (:data:`PLACES`): the body text, a
table cell, the signature, a note, a heading, a word at a line-end hyphen, a word at a
page break. It is found again in each edition by the verify readers' own streams (the
n-th occurrence of its word in the text or the notes), and the edition's file is edited
there: the text edition's line, the EPUB's text node, the PDF's line of words.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.master.read import load
from pipeline.master.tei import NS
from pipeline.pdftext import PdfLine
from pipeline.verify.epub import NOTE_ROLES, NOTE_TYPES, NOTES_TYPES, XHTML, not_words
from pipeline.verify.master import MasterText, read_master
from pipeline.verify.pdf import HYPHEN_END_RE, read_regions
from pipeline.verify.pdf_layout import Stream
from pipeline.verify.streams import localname
from pipeline.verify.txt import read_txt
from pipeline.words import WORD_RE, Token, key_of, normalize

PLACES = ("body text", "table cell", "signature", "note", "heading", "line-end hyphen", "page break")
MUTATIONS = ("drop", "add", "swap", "move")
ADDED = "against"  # a common word: an addition must be caught however ordinary the word


@dataclass(frozen=True)
class Target:
    """A word of the master: its key, the stream ("text" or "notes") and which occurrence."""

    place: str
    stream: str
    key: str
    occurrence: int  # 0-based, among the stream's words with this key


def occurrence(toks: list[Token], index: int) -> int:
    return sum(1 for t in toks[:index] if t.key == toks[index].key)


def master_targets(master_file: Path) -> dict[str, Target]:
    """A word for each place the master has (the PDF's places are found in the PDF)."""
    tei, _ = load(master_file)
    master = read_master(tei)
    body = master.body.tokens(refs=False, numbers=False)
    notes = master.note_tokens(boundaries=False, note_labels=False, numbers=False)
    out: dict[str, Target] = {}

    def first_in(xpath: str, place: str, toks: list[Token], stream: str, pick: int = 0) -> None:
        els = tei.xpath(xpath, namespaces=NS)
        lines = {f"line {e.sourceline}" for el in els[pick : pick + 1] for e in el.iter() if isinstance(e.tag, str)}
        at = [i for i, t in enumerate(toks) if t.where in lines and len(t.key) > 2 and t.surface.isalpha()]
        if at:
            i = at[len(at) // 2]
            out[place] = Target(place, stream, toks[i].key, occurrence(toks, i))

    paragraphs = tei.xpath("tei:text/tei:body//tei:p[not(ancestor::tei:note)]", namespaces=NS)
    first_in("tei:text/tei:body//tei:p[not(ancestor::tei:note)]", "body text", body, "text", len(paragraphs) // 2)
    first_in("tei:text/tei:body//tei:cell", "table cell", body, "text", 2)
    first_in("tei:text/tei:body//tei:signed", "signature", body, "text")
    first_in("tei:text/tei:body//tei:head[not(ancestor::tei:note)]", "heading", body, "text")
    if notes:
        i = len(notes) // 2
        while i < len(notes) - 1 and not notes[i].surface.isalpha():
            i += 1
        out["note"] = Target("note", "notes", notes[i].key, occurrence(notes, i))
    hyphened = [i for i, t in enumerate(body) if "-" in t.surface and t.surface.replace("-", "").isalpha()]
    if hyphened:  # the text edition and the EPUB never break a word: the master's compound
        i = hyphened[len(hyphened) // 2]
        out["line-end hyphen"] = Target("line-end hyphen", "text", body[i].key, occurrence(body, i))
    return out


# ---- the text edition -------------------------------------------------------------------------


def split_words(text: str) -> list[str]:
    """``text`` cut so that the odd items are its words (:data:`pipeline.words.WORD_RE`)."""
    return re.split(f"({WORD_RE.pattern})", text)


def mutate_parts(parts: list[str], at: int, mutation: str, dest: tuple[list[str], int] | None) -> None:
    """Mutate word ``at`` (an odd index of ``parts``); ``dest``: where a moved word goes."""
    if mutation == "drop":
        parts[at] = ""
    elif mutation == "add":
        parts[at] = f"{parts[at]} {ADDED}"
    elif mutation == "swap":
        other = next(
            (k for k in (at + 2, at - 2) if 0 < k < len(parts) and key_of(parts[k]) != key_of(parts[at])), None
        )
        assert other is not None, f"no neighbour to swap {parts[at]!r} with"
        parts[at], parts[other] = parts[other], parts[at]
    elif mutation == "move":
        assert dest is not None
        word, parts[at] = parts[at], ""
        dest_parts, d = dest
        dest_parts[d] = f"{word} {dest_parts[d]}"


def word_at(parts: list[str], key: str, nth: int) -> int:
    """The index in ``parts`` of the ``nth`` word with ``key``."""
    seen = -1
    for k in range(1, len(parts), 2):
        if key_of(normalize(parts[k])) == key:
            seen += 1
            if seen == nth:
                return k
    raise AssertionError(f"{key!r} #{nth} not found in {''.join(parts)!r}")


def line_site(toks: list[Token], key: str, nth: int) -> tuple[int, int]:
    """(line number, occurrence on the line) of the ``nth`` token with ``key``."""
    hits = [t for t in toks if t.key == key]
    where = hits[nth].where
    return int(where.split()[1]), sum(1 for t in hits[:nth] if t.where == where)


def corrupt_txt(src: Path, dst: Path, master: MasterText, target: Target, mutation: str) -> None:
    body, notes, _ = read_txt(src, master.labels)
    toks = body if target.stream == "text" else notes
    number, nth = line_site(toks, target.key, target.occurrence)
    lines = src.read_text(encoding="utf-8").split("\n")
    parts = split_words(lines[number - 1])
    at = word_at(parts, target.key, nth)
    dest = None
    if mutation == "move":  # to the start of a line far away in the text
        far_number = next(
            n for n in (int(body[len(body) * k // 4].where.split()[1]) for k in (2, 1, 3)) if abs(n - number) > 2
        )
        dest_parts = split_words(lines[far_number - 1])
        dest = (dest_parts, 1)
    mutate_parts(parts, at, mutation, dest)
    lines[number - 1] = "".join(parts)
    if dest is not None:
        lines[far_number - 1] = "".join(dest[0])
    dst.write_text("\n".join(lines), encoding="utf-8")


# ---- the EPUB ---------------------------------------------------------------------------------

TextNode = tuple[str, etree._Element, str]  # (document name, element, "text" or "tail")


def epub_nodes(docs: dict[str, etree._Element], order: list[str]) -> tuple[list[TextNode], int]:
    """The text nodes whose words verify compares, in reading order (text, then notes), and
    how many are the text's."""
    text: list[TextNode] = []
    notes: list[TextNode] = []

    def walk(name: str, el: etree._Element, part: str) -> None:
        tag = localname(el)
        types = set((el.get("{http://www.idpf.org/2007/ops}type") or "").split())
        roles = set((el.get("role") or "").split())
        if part == "skip" or not_words(el, tag, types, roles) or "noteref" in types:
            return
        if types & NOTES_TYPES or "doc-endnotes" in roles:
            part = "notes"
        elif types & NOTE_TYPES or roles & NOTE_ROLES or (part == "notes" and tag == "li"):
            part = "note"
        elif part == "notes" and tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "header"):
            return
        into = text if part == "text" else notes if part == "note" else None
        if into is not None and el.text:
            into.append((name, el, "text"))
        for child in el:
            if isinstance(child.tag, str):
                walk(name, child, part)
            if into is not None and child.tail:
                into.append((name, child, "tail"))

    for name in order:
        for body in docs[name].iterfind(f"{{{XHTML}}}body"):
            walk(name, body, "text")
    return text + notes, len(text)


def corrupt_epub(src: Path, dst: Path, target: Target, mutation: str) -> None:
    """The EPUB with the target word mutated (the notes' words follow the text's)."""
    with zipfile.ZipFile(src) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n]
        docs = {n: etree.fromstring(z.read(n)) for n in names}
        opf_name = next(n for n in z.namelist() if n.endswith(".opf"))
        opf = etree.fromstring(z.read(opf_name))
    ns = {"o": "http://www.idpf.org/2007/opf"}
    hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//o:manifest/o:item", namespaces=ns)}
    base = opf_name.rpartition("/")[0]
    order = [f"{base}/{hrefs[r.get('idref')]}".lstrip("/") for r in opf.xpath("//o:spine/o:itemref", namespaces=ns)]
    order = [n for n in order if n in docs]
    nodes, text_nodes = epub_nodes(docs, order)
    hits = [(n, k) for n, node in enumerate(nodes) for k in word_indices(node, target.key)]
    if target.stream == "notes":
        hits = [h for h in hits if h[0] >= text_nodes]
    n, k = hits[target.occurrence]
    parts = split_words(get(nodes[n]))
    dest = None
    if mutation == "move":
        far = nodes[(n + len(nodes) // 2) % len(nodes)]
        dest = (split_words(get(far)), 1 if len(split_words(get(far))) > 1 else 0)
    mutate_parts(parts, k, mutation, dest)
    put(nodes[n], "".join(parts))
    if dest is not None:
        put(far, "".join(dest[0]))
    changed = {nodes[n][0]} | ({far[0]} if dest is not None else set())
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in changed:
                data = etree.tostring(docs[info.filename], xml_declaration=True, encoding="utf-8")
            zout.writestr(info, data)


def get(node: TextNode) -> str:
    return getattr(node[1], node[2]) or ""


def put(node: TextNode, value: str) -> None:
    setattr(node[1], node[2], value)


def word_indices(node: TextNode, key: str) -> list[int]:
    parts = split_words(get(node))
    return [k for k in range(1, len(parts), 2) if key_of(normalize(parts[k])) == key]


# ---- the PDF ----------------------------------------------------------------------------------


def pdf_site(pages: list[list[PdfLine]], stream: Stream, index: int) -> tuple[int, int, int]:
    """(page, line, word) of the PDF word behind ``stream``'s token ``index``."""
    place = stream.places[index]
    for k, line in enumerate(pages[place.page]):
        if abs(line.top - place.top) < 0.01:
            for w, (left, _) in enumerate(line.spans):
                if abs(left - place.left) < 0.01:
                    return place.page, k, w
    raise AssertionError(f"no PDF word at {place}")


def corrupt_pdf_lines(
    pages: list[list[PdfLine]], site: tuple[int, int, int], mutation: str, dest: tuple[int, int, int] | None
) -> list[list[PdfLine]]:
    """A copy of ``pages`` with the word at ``site`` mutated."""
    pages = [[PdfLine(l.top, l.bottom, list(l.words), list(l.spans)) for l in lines] for lines in pages]
    p, k, w = site
    line = pages[p][k]
    if mutation == "drop":
        del line.words[w], line.spans[w]
    elif mutation == "add":
        left, right = line.spans[w]
        line.words.insert(w + 1, (ADDED, line.words[w][1]))
        line.spans.insert(w + 1, (right + 1, right + 2))
    elif mutation == "swap":
        other = next(
            (
                o
                for o in (w + 1, w - 1)
                if 0 <= o < len(line.words) and key_of(line.words[o][0]) != key_of(line.words[w][0])
            ),
            None,
        )
        assert other is not None, f"no neighbour to swap {line.words[w]} with"
        line.words[w], line.words[other] = line.words[other], line.words[w]
    elif mutation == "move":
        assert dest is not None
        word = line.words.pop(w)
        span = line.spans.pop(w)
        dp, dk, dw = dest
        pages[dp][dk].words.insert(dw, word)
        pages[dp][dk].spans.insert(dw, (pages[dp][dk].spans[dw][0] - 1 if pages[dp][dk].spans else span[0], span[1]))
    return pages


def pdf_places(pages: list[list[PdfLine]], master: MasterText, meta: object) -> tuple[Stream, Stream]:
    label_keys = {key_of(l) for l in master.labels}
    return read_regions(pages, meta, label_keys)  # type: ignore[arg-type]


def pdf_special_targets(main: Stream, pages: list[list[PdfLine]]) -> dict[str, int]:
    """Indices in the text stream of a word at a line-end hyphen and of a page's first word."""
    out: dict[str, int] = {}
    for i in range(len(main.tokens)):
        p, k, w = pdf_site(pages, main, i)
        word = pages[p][k].words[w][0]
        if "line-end hyphen" not in out and HYPHEN_END_RE.search(word) and i > len(main.tokens) // 4:
            out["line-end hyphen"] = i
        if (
            "page break" not in out
            and i > 0
            and main.places[i - 1].page != main.places[i].page
            and i > len(main.tokens) // 4
        ):
            out["page break"] = i
    return out
