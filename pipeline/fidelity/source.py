"""The master against its source: every word a browser shows on the source pages is in it.

`verify` compares the editions with the master; this closes the other half of the
claim. Each source page is read again here, independently of the reader (its own
parse, no furniture rules, no note planning), as a browser shows it: the text of
``<body>``, without scripts, styles, comments or ``<title>``. Its words (Unicode word
characters, case-folded) are then looked up in the whole master, header included (the
information block, title and author live there), as a multiset: each source word
consumes one occurrence.

A source word the master lacks is excused only when the master's header records its
removal: a normalization that names the line where the word's element stands (the
readers name the line of every removal: "Removed breadcrumbs ... (line 15)"), or that
quotes the words removed. Anything else is a loss: :func:`check` raises a one-line
:class:`PipelineError` naming the file, the line and the words around the first loss,
and ``ingest`` writes nothing.

Written here rather than with a diff library because the comparison is not of two
sequences: the master moves notes to the end and the information block into the header.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.readers.encoding import decode

# Words and numbers apart ("updated21" is the word "updated" and the number 21).
WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
REMOVAL = re.compile(r"^(?:\d+ x )?(?:Removed|Dropped)\b")
LINE_REF = re.compile(r"\bline (\d+)")
QUOTED = re.compile(r"'([^']{2,})'|\"([^\"]{2,})\"|<([^<>]{2,})>")
INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strike strong sub sup time tt u var big".split()
)
INVISIBLE = frozenset(("script", "style", "title", "head", "noscript", "template"))
PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
TEI_NS = "http://www.tei-c.org/ns/1.0"
CONTEXT = 6


@dataclass(frozen=True)
class Loss:
    file: Path
    line: int | None
    words: list[str]  # the lost words, in the page's order
    context: str  # the words around them, as the page shows them

    def message(self) -> str:
        more = f" (and {len(self.words) - 8} more)" if len(self.words) > 8 else ""
        return (
            f"the master lost {len(self.words)} word(s) the page shows: {' '.join(self.words[:8])!r}{more} "
            f"in \u201c{self.context}\u201d; nothing was written (a reader bug: report it with this page)"
        )


def norm(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def page_tokens(path: Path) -> list[tuple[str, int | None, str]]:
    """The words a browser shows on the page: (word as shown, line, its element's classes)."""
    decoded = decode(path.read_bytes(), path)
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", decoded.text)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=PARSER)
    except (etree.ParserError, ValueError):
        return []
    body = root.find("body")
    if body is None:
        return []
    # The body's text as one string (inline elements do not break a word: the page may
    # write "quotat<span>ion</span>"), a space at every block or line break, and for
    # each character the line of the element it came from.
    pieces: list[tuple[str, int | None]] = []

    def walk(el: etree._Element, line: int | None) -> None:
        if not isinstance(el.tag, str) or el.tag in INVISIBLE:
            return
        here = el.sourceline or line
        breaks = el.tag not in INLINE
        if breaks:
            pieces.append((" ", here))
        pieces.append((el.text or "", here))
        for child in el:
            walk(child, here)
            pieces.append((child.tail or "", here))
        if breaks:
            pieces.append((" ", here))

    walk(body, body.sourceline)
    text = "".join(t for t, _ in pieces)
    starts: list[int] = []
    lines: list[int | None] = []
    at = 0
    for t, line in pieces:
        if t:
            starts.append(at)
            lines.append(line)
            at += len(t)
    import bisect

    out: list[tuple[str, int | None, str]] = []
    for m in WORD.finditer(text):
        first = bisect.bisect_right(starts, m.start()) - 1
        last = bisect.bisect_right(starts, m.end() - 1) - 1
        # the word split where elements meet ("NB<span>apart" as the master may hold it)
        cuts = [starts[k] - m.start() for k in range(first + 1, last + 1)]
        split = " ".join(m.group(0)[a:b] for a, b in zip([0, *cuts], [*cuts, len(m.group(0))]))
        out.append((m.group(0), lines[first], split if cuts else ""))
    return out


def lines_of_elements(path: Path) -> dict[int, set[int]]:
    """For each line where an element starts, the lines of its descendants: a removal
    recorded at that line (a breadcrumb paragraph, a navigation heading) excuses the
    words of everything inside the element. (An image's removal excuses its own line
    only: see :func:`excused`.)"""
    decoded = decode(path.read_bytes(), path)
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", decoded.text)
    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=PARSER)
    spans: dict[int, set[int]] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.sourceline and el.tag not in ("body", "html"):
            inside = {d.sourceline for d in el.iter() if isinstance(d.tag, str) and d.sourceline}
            # a classed element (the MIA classes its furniture: p.toplink, p.footer) whole;
            # an unclassed one only when small, so a record never excuses a whole section
            if el.get("class") or max(inside) - el.sourceline <= 3:
                spans.setdefault(el.sourceline, {el.sourceline}).update(inside)
    return spans


TEI_INLINE = frozenset("hi ref q supplied foreign emph name persName orgName placeName title date num abbr".split())


def joined_text(master: etree._Element) -> str:
    """The master's text with inline elements joined as the page joins them
    ("<hi>Morning Pos</hi>t" is one word) and a space at every other element."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        # a note marker is apart from its word: the page prints "Momins[B]", the master "Momins<ref>B</ref>"
        inline = local in TEI_INLINE and el.get("type") != "noteref"
        if not inline:
            parts.append(" ")
        parts.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")
        if not inline:
            parts.append(" ")

    walk(master)
    return "".join(parts)


def master_words(master: etree._Element) -> tuple[Counter[str], list[str]]:
    """The master's words (all of its text), and the sentences its header records."""
    words: Counter[str] = Counter(norm(w) for w in WORD.findall(joined_text(master)))
    for el in master.iter():
        for value in el.attrib.values():  # labels kept as @n, targets of links
            words.update(norm(w) for w in WORD.findall(value))
    records = [
        " ".join(p.itertext())
        for p in master.iter(f"{{{TEI_NS}}}p")
        if p.getparent() is not None and etree.QName(p.getparent()).localname == "normalization"
    ]
    return words, records


def excused(records: list[str], page: str, multi: bool) -> tuple[set[int], Counter[str], set[int]]:
    """Lines whose removal the header records, and words it quotes as removed."""
    lines: set[int] = set()
    exact: set[int] = set()
    quoted: Counter[str] = Counter()
    for sentence in records:
        if multi and page not in sentence and "line" in sentence:
            # a multi-part work's records name the file: only this page's lines count
            sentence = " ".join(part for part in re.split(r"(?=\b[\w.-]+\.html?\b)", sentence) if part.startswith(page))
        if REMOVAL.match(sentence):  # only a removal excuses the words at its lines
            found = {int(n) for n in LINE_REF.findall(sentence)}
            if re.search(r"\bimage\b", sentence):
                exact.update(found)  # an image: its own line only, not the paragraph around it
            else:
                lines.update(found)
        times = int(m.group(1)) if (m := re.match(r"(\d+) x ", sentence)) else 1
        for q in QUOTED.finditer(sentence):
            quoted.update({norm(w): times for w in WORD.findall(next(g for g in q.groups() if g))})
    return lines, quoted, exact


def losses(pages: list[Path], master: etree._Element) -> list[Loss]:
    words, records = master_words(master)
    found: list[Loss] = []
    multi = len(pages) > 1
    total = words
    for page in pages:
        # Each page against the whole master: the parts of a multi-part work repeat the
        # index's information block and "last updated" line, which the master keeps once.
        words = total.copy() if multi else total
        tokens = page_tokens(page)
        lines, quoted, exact = excused(records, page.name, multi)
        spans = lines_of_elements(page) if lines else {}
        allowed_lines = set().union(exact, *(spans.get(n, {n}) for n in lines))
        lost_at: list[int] = []
        # Words whose removal the header records first, so they take no occurrence a
        # word of the text needs; then every other word takes one from the master.
        for i, (w, line, split) in enumerate(tokens):
            if line in allowed_lines:
                continue
            key = norm(w)
            parts = [norm(p) for p in split.split()]
            if words[key] > 0:
                words[key] -= 1
            elif parts and all(words[p] > 0 for p in parts):
                words.subtract(parts)
            elif quoted[key] > 0:
                quoted[key] -= 1
            else:
                lost_at.append(i)
        if lost_at:
            first = lost_at[0]
            run = [i for i in lost_at if i - first < 40]
            ctx = " ".join(w for w, _, _ in tokens[max(0, first - CONTEXT) : run[-1] + CONTEXT + 1])
            found.append(Loss(page, tokens[first][1], [tokens[i][0] for i in lost_at], ctx))
    return found


def check(pages: list[Path], master_bytes: bytes) -> None:
    """Raise a one-line PipelineError at the first page that lost a word; else return."""
    try:
        master = etree.fromstring(
            master_bytes, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        )
    except etree.XMLSyntaxError as exc:  # an ingest bug: say so in one line, write nothing
        raise PipelineError(
            f"the master made from this source is not well-formed XML ({exc}); a reader bug", pages[0]
        ) from None
    found = losses(pages, master)
    if found:
        loss = found[0]
        raise PipelineError(loss.message(), loss.file, loss.line)
