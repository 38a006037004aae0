"""TEI master -> the plain-text edition (``<slug>.txt``).

Plain text outlasts every other format, so the layout is the one people and old tools
expect: UTF-8, LF line ends, paragraphs wrapped at 72 columns and separated by a blank
line, and nothing but characters. The file has four parts, each after a rule of 72
hyphens (which is how :mod:`pipeline.verify` finds them again):

1. the title block (title, author, date);
2. the text: headings, paragraphs, block quotations indented by four spaces, lists,
   tables (cells joined by `` | ``), the closer; note markers kept as ``[1]``;
   emphasis as ``_italic_`` and ``*bold*`` (the Project Gutenberg convention),
   editorial insertions in ``[square brackets]``, quoted phrases in quotation marks;
3. ``Notes``: each note as ``[1] ...`` with a hanging indent;
4. ``About this edition``: the attribution the MIA's terms ask for, from the master's
   header only: every credit, the licence statement verbatim and its URI, the MIA and
   the work's URL, the editorial changes, and how this file was made.

Lines are broken only at spaces (``textwrap`` with ``break_long_words=False`` and
``break_on_hyphens=False``), so no word and no URL is ever split; a single word or URL
longer than a line stands alone on a longer line.

``ascii_only`` writes a 7-bit transliteration (:func:`to_ascii`) for tools that cannot
read UTF-8. Typographic characters are otherwise kept as the source has them.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from pipeline import atomic
from pipeline.master.attribution import attribution, made
from pipeline.master.read import EditionMeta, load
from pipeline.master.tei import BLOCKS, NS, XML_NS, T
from pipeline.reproducible import edition_date
from pipeline.writers import figures

WIDTH = 72
RULE = "-" * WIDTH
NOTES_HEADING = "Notes"
ABOUT_HEADING = "About this edition"
INDENT = "    "
LINE_BREAK = "\u2028"  # stands for <lb/> until the paragraph is wrapped

EMPHASIS = {"italic": "_", "i": "_", "underline": "_", "bold": "*", "b": "*"}
BLOCK_TAGS = BLOCKS  # a quotation, list item or note holding these holds blocks, not a line of text

# ---- ASCII transliteration -------------------------------------------------------------
# An explicit table for punctuation and the letters NFKD cannot take apart (written by
# hand because the common transliteration libraries either are not installed here or
# guess at whole scripts); everything else is decomposed (NFKD) and its accents dropped.
# A character that still has no ASCII form is never dropped: it is written <U+XXXX>.
ASCII_TABLE: dict[str, str] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": "<<",
    "\u00bb": ">>",
    "\u2039": "<",
    "\u203a": ">",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\u2014": "--",
    "\u2015": "--",
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": ".",
    "\u2044": "/",
    "\u00a0": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u202f": " ",
    "\u00ad": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00d7": "x",
    "\u00f7": "/",
    "\u00b0": " deg",
    "\u00a7": "S.",
    "\u00b6": "P.",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u2122": "(TM)",
    "\u00a3": "L",
    "\u20ac": "EUR",
    "\u00df": "ss",
    "\u00e6": "ae",
    "\u00c6": "AE",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0111": "d",
    "\u0110": "D",
    "\u0142": "l",
    "\u0141": "L",
    "\u00fe": "th",
    "\u00de": "Th",
    "\u00f0": "d",
    "\u00d0": "D",
    "\u0131": "i",
    LINE_BREAK: LINE_BREAK,  # layout, not text
}


def ascii_char(ch: str) -> str:
    if ch < "\x80" or ch in ASCII_TABLE:
        return ASCII_TABLE.get(ch, ch)
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    decomposed = "".join(ASCII_TABLE.get(c, c) for c in decomposed)
    if decomposed and decomposed.isascii():
        return decomposed
    return f"<U+{ord(ch):04X}>"


def to_ascii(text: str) -> str:
    """7-bit transliteration: the table above, then NFKD without accents, else ``<U+XXXX>``."""
    if text.isascii():
        return text
    return "".join(ascii_char(ch) for ch in text)


# ---- wrapping --------------------------------------------------------------------------


def wrap(text: str, indent: str = "", hanging: str | None = None) -> str:
    """Wrap one paragraph at 72 columns; ``LINE_BREAK`` forces a line break."""
    hanging = indent if hanging is None else hanging
    out: list[str] = []
    for n, segment in enumerate(text.split(LINE_BREAK)):
        segment = segment.strip()
        first = indent if n == 0 else hanging
        if not segment:
            continue
        wrapper = textwrap.TextWrapper(
            width=WIDTH,
            initial_indent=first,
            subsequent_indent=hanging,
            break_long_words=False,
            break_on_hyphens=False,
        )
        out.extend(wrapper.wrap(segment))
    return "\n".join(out)


def collapse(text: str) -> str:
    """XML whitespace to single spaces (no-break spaces are text and stay)."""
    return re.sub(r"[ \t\r\n]+", " ", text)


# ---- rendering ---------------------------------------------------------------------------


class TextRenderer:
    """Renders the TEI text as plain-text paragraphs (each a wrapped string)."""

    def __init__(self, tei: etree._Element, ascii_only: bool = False) -> None:
        self.tei = tei
        self.chars = to_ascii if ascii_only else str
        self.labels: dict[str, str] = {}
        for note in tei.iterfind(f".//{T('text')}//{T('note')}"):
            note_id = note.get(f"{{{XML_NS}}}id")
            if note_id:
                self.labels[note_id] = note.get("n") or str(len(self.labels) + 1)

    # inline
    def inline(self, el: etree._Element) -> str:
        parts = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str):
                parts.append(self.inline_element(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def inline_element(self, el: etree._Element) -> str:
        tag = etree.QName(el).localname
        if tag == "ref" and el.get("type") == "noteref":
            note_id = (el.get("target") or "#")[1:]
            return f"[{collapse(''.join(el.itertext())).strip() or self.labels.get(note_id, '?')}]"
        if tag == "note":  # a note written where its marker stands
            return f"[{self.labels.get(el.get(f'{{{XML_NS}}}id') or '', el.get('n') or '?')}]"
        if tag == "lb":
            return LINE_BREAK
        content = self.inline(el)
        if tag == "hi":
            mark = EMPHASIS.get(el.get("rend", "italic"), "")
            return f"{mark}{content}{mark}"
        if tag == "q":
            return f"\u201c{content}\u201d"
        # supplied: the master keeps the source's brackets around it as words, so the
        # element adds none (issue 20: "word[[s]]")
        return content  # ref (a link: its words), supplied, persName, date, foreign, ...

    def text_of(self, el: etree._Element) -> str:
        return self.chars(collapse(self.inline(el)).strip())

    # blocks
    def blocks(self, el: etree._Element, indent: str = "") -> list[str]:
        out: list[str] = []
        for child in el:
            if isinstance(child.tag, str):
                out += self.block(child, indent)
        return out

    def block(self, el: etree._Element, indent: str) -> list[str]:
        tag = etree.QName(el).localname
        if tag in ("div", "body", "back", "front"):
            return self.blocks(el, indent)
        if tag == "note":
            return []  # in the Notes part
        if tag == "milestone":  # a section break: an ornament line, centred on the 72 columns
            return [indent + "*       *       *".center(72 - len(indent)).rstrip()]
        if tag == "quote":
            if self.has_blocks(el):
                return self.blocks(el, indent + INDENT)
            return [wrap(self.text_of(el), indent + INDENT)]
        if tag == "list":
            return self.list_block(el, indent)
        if tag == "table":
            return self.table_block(el, indent)
        if tag == "closer":
            return self.closer_block(el, indent)
        if tag == "figure":
            return [wrap(self.chars(figures.txt_line(el)), indent)]
        if tag == "lg":
            lines = [wrap(self.text_of(l), indent + INDENT) for l in el.iterfind(T("l"))]
            return ["\n".join(lines)] if lines else []
        text = self.text_of(el)
        return [wrap(text, indent)] if text else []

    def list_block(self, el: etree._Element, indent: str) -> list[str]:
        out = []
        numbered = el.get("rend") in ("numbered", "ordered")
        for n, item in enumerate(el.iterfind(T("item")), start=1):
            bullet = f"{n}. " if numbered else "* "
            hang = indent + " " * len(bullet)
            if self.has_blocks(item):
                sub = self.blocks(item, hang)
                if sub:
                    sub[0] = indent + bullet + sub[0][len(hang) :]
                out += sub
            else:
                out.append(wrap(self.text_of(item), indent + bullet, hang))
        return out

    def table_block(self, el: etree._Element, indent: str) -> list[str]:
        """One paragraph of the table: a row a line (wrapped with a hanging indent), cells between bars."""
        rows = []
        for row in el.iterfind(T("row")):
            cells = [self.text_of(c) for c in row.iterfind(T("cell"))]
            rows.append(wrap(" | ".join(cells), indent, indent + INDENT))
        return ["\n".join(rows)] if rows else []

    def closer_block(self, el: etree._Element, indent: str) -> list[str]:
        """One paragraph: a line per part (salutation, signature, dateline), or the closer's own words."""
        lines = [wrap(self.text_of(c), indent) for c in el if isinstance(c.tag, str)]
        text = self.text_of(el) if not len(el) else ""
        lines = [l for l in lines if l] or ([wrap(text, indent)] if text else [])
        return ["\n".join(lines)] if lines else []

    @staticmethod
    def has_blocks(el: etree._Element) -> bool:
        return any(isinstance(c.tag, str) and etree.QName(c).localname in BLOCK_TAGS for c in el)

    # parts
    def body(self) -> list[str]:
        body = self.tei.find(f"{T('text')}/{T('body')}")
        return self.blocks(body) if body is not None else []

    def notes(self) -> list[str]:
        out = []
        for note in self.tei.xpath("tei:text//tei:note[@xml:id]", namespaces=NS):
            label = self.labels[note.get(f"{{{XML_NS}}}id")]
            prefix = self.chars(f"[{label}] ")
            hang = " " * len(prefix)
            if self.has_blocks(note):
                paras = self.blocks(note, hang)
            else:
                paras = [wrap(self.text_of(note), hang)]
            paras = [p for p in paras if p] or [hang.rstrip()]
            paras[0] = prefix + paras[0][len(hang) :]
            out.append("\n\n".join(paras))
        return out


def title_block(meta: EditionMeta, chars: Callable[[str], str] = str) -> list[str]:
    lines = [wrap(chars(meta.title))]
    byline = [wrap(chars(meta.author))] + ([wrap(chars(meta.date_text))] if meta.date_text else [])
    return lines + ["\n".join(byline)]


def about_block(meta: EditionMeta, ascii_only: bool) -> list[str]:
    """The full attribution (:mod:`pipeline.master.attribution`, its text form): one
    ``label: value`` line per value, a link written out after its prefix."""
    encoding = (
        "7-bit ASCII transliteration of the UTF-8 edition (quotation marks and dashes as their ASCII "
        "look-alikes, accents dropped, any character without an ASCII form written <U+XXXX>)"
        if ascii_only
        else "UTF-8"
    )
    items = attribution(meta, "text", made(meta, "text", edition_date(), f"plain text, {encoding}"))
    return [ABOUT_HEADING] + [f"{item.term}: {value.plain}" for item in items for value in item.values]


def render(tei: etree._Element, meta: EditionMeta, ascii_only: bool = False) -> str:
    """The whole text edition as one string."""
    chars = to_ascii if ascii_only else str
    renderer = TextRenderer(tei, ascii_only)
    parts: list[list[str]] = [title_block(meta, chars), renderer.body()]
    notes = renderer.notes()
    if notes:
        parts.append([NOTES_HEADING] + notes)
    about = about_block(meta, ascii_only)  # items wrapped with a hanging indent, like the notes
    parts.append([about[0]] + [wrap(chars(item), "", INDENT) for item in about[1:]])
    text = f"\n\n{RULE}\n\n".join("\n\n".join(p for p in part if p) for part in parts) + "\n"
    assert not ascii_only or text.isascii()
    return text


def write_txt(master: Path, out: Path, ascii_only: bool = False) -> None:
    """Render the plain-text edition of ``master`` to ``out`` (atomically)."""
    tei, meta = load(master)
    atomic.write_text(out, render(tei, meta, ascii_only))
