"""The information block of an MIA page: its ``Label: value`` lines, read verbatim.

The MIA's convention: ``p.information`` (or ``p.info``) between ``hr.infotop`` and
``hr.infobot``, each line a ``span.info`` label and its value, lines ending at ``<br>``;
older pages write the labels in ``<b>`` or in prose. Each line keeps its words as
printed (note markers included); :mod:`pipeline.readers.infoblock` then reads the
credits, the licence and the source from them, as for every reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.master.model import InfoLine
from pipeline.readers.mia_html.dom import (
    MARKER_TAG,
    PageBlock,
    Run,
    RunItem,
    TextSlot,
    block_tag,
    classes,
    collapse,
    is_element,
    sequence,
    text_of,
)
from pipeline.readers.mia_html.head import LABEL_LINE, NUMERIC

EDGE = " \xa0"
KNOWN_LABEL = re.compile(
    r"^(written|sources?|first\s+publi|published|delivered|translat|transcri|html|x?html|mark|proof|public\s+domain|"
    r"pubic\s+domain|copyleft|copyright|copright|online\s+version|publisher|spoken|date)",
    re.I,
)
PROSE_LABEL = "Information"  # the label kept for an information line the page does not label
# A piece of an information block, in order: ("label", its words, line), ("text", words,
# line), ("link", href, line) or ("br", "", line) where a line of the block ends.
InfoToken = tuple[str, str, int | None]


TEXT_IN_INFO_CLASS = 6  # unlabelled p.information paragraphs: more, and nothing else, is the text


def _labelled(block: PageBlock) -> bool:
    return not isinstance(block, Run) and any("info" in classes(s) for s in block.iter("span"))


def text_in_info_class(info: list[PageBlock], body: list[PageBlock]) -> tuple[list[PageBlock], list[PageBlock]]:
    """Rule *the text set in the information block's class*: a page whose every line after
    its head is a ``p.information`` and most carry no ``span.info`` label (a bibliography,
    archive/bukharin/works/1927/leisure-economics/bibliography.htm: 96 entries "Bernstein,
    Eduard: ...") has its text there, not its information block: the unlabelled ones,
    at least six, are the text; the labelled ones stay information. Else unchanged."""
    if any(block_tag(b) != "hr" for b in body):
        return info, body
    unlabelled = [b for b in info if not _labelled(b)]
    if len(unlabelled) < TEXT_IN_INFO_CLASS or len(unlabelled) * 2 < len(info):
        return info, body
    return [b for b in info if _labelled(b)], unlabelled


def what_the_info_says(lines: list[InfoLine]) -> str:
    """For a page refused for having no text: what its information block says in prose (a
    notice that the text was withdrawn, archive/novack/works/logic/index.htm: "Lawyers
    representing Pathfinder Press have instructed us not to publish this work")."""
    prose = [line.value for line in lines if line.label == PROSE_LABEL and len(line.value.split()) >= 6]
    if not prose:
        return ""
    words = prose[0].split()
    return f" (the work's text is not on the page; its information block says: '{' '.join(words[:24])}{' ...' if len(words) > 24 else ''}')"


def info_lines(blocks: list[PageBlock]) -> list[InfoLine]:
    """``Label: value`` lines of the information block, verbatim (markers as printed)."""
    out: list[InfoLine] = []
    for block in blocks:
        tokens: list[InfoToken] = []
        _info_tokens(block.items() if isinstance(block, Run) else [block], tokens, top=True)
        out.extend(_labelled_lines(_raw_info_lines(tokens)))
    return out


@dataclass
class RawInfoLine:
    """One line of an information block as its tokens give it, before its label is read."""

    label: str | None  # the words of its span.info label, if it has one
    parts: list[str]  # its text, in pieces
    line: int | None
    hrefs: list[str] = field(default_factory=list)  # the links in it


def _raw_info_lines(tokens: list[InfoToken]) -> list[RawInfoLine]:
    """The block's lines: a label starts one, a line break ends one, loose text outside a
    line starts one of its own (whitespace alone does not)."""
    lines: list[RawInfoLine] = []
    current: RawInfoLine | None = None
    for kind, value, line in tokens:
        if kind == "label":
            current = RawInfoLine(value, [], line)
            lines.append(current)
        elif kind == "br":
            current = None
        elif kind == "link":
            if current is not None:
                current.hrefs.append(value)
        elif value:
            if current is None:
                if not value.strip(" \xa0\t\r\n"):
                    continue
                current = RawInfoLine(None, [], line)
                lines.append(current)
            current.parts.append(value)
    return lines


def _label_and_value(raw: RawInfoLine) -> tuple[str | None, str]:
    """The line's label (its span's words, else a ``Label:`` at its start, else None) and value."""
    label = raw.label
    value = collapse("".join(raw.parts)).strip(EDGE + ":" if label else EDGE)
    if label is not None:
        label = collapse(label).strip(EDGE)
        head, sep, tail = label.partition(":")
        if sep and tail.strip(EDGE + ":"):  # "Proofread: Emil 1998" all inside the label span
            label, value = head, f"{tail.strip(EDGE)} {value}".strip()
        label = re.sub(r"[\s\xa0:]+$", "", label)
    else:
        m = _label_line(value)
        if m:
            label, value = m.group("label").strip(), m.group("value").strip()
    return label, value


def _labelled_lines(raw_lines: list[RawInfoLine]) -> list[InfoLine]:
    """One block's lines as information lines: an unlabelled line continues the labelled
    line before it, else it is kept under :data:`PROSE_LABEL`."""
    block_lines: list[InfoLine] = []
    for raw in raw_lines:
        label, value = _label_and_value(raw)
        if label is None:
            prev = block_lines[-1] if block_lines else None
            if prev is not None and prev.label != PROSE_LABEL:
                prev.value = f"{prev.value} {value}".strip()
                prev.links.extend(raw.hrefs)
                continue
            label = PROSE_LABEL
        if not value and label == PROSE_LABEL:
            continue
        block_lines.append(InfoLine(label, value, raw.line, list(raw.hrefs)))
    return block_lines


def _info_tokens(items: list[RunItem], out: list[InfoToken], top: bool = False) -> None:
    for item in items:
        if isinstance(item, TextSlot):
            out.append(("text", item.get(), item.owner.sourceline))
            continue
        if not is_element(item):
            continue
        tag = item.tag
        if tag == "br":
            out.append(("br", "", item.sourceline))
        elif tag == "span" and "info" in classes(item) and not NUMERIC.match(text_of(item) or "0"):
            out.append(("label", item.text_content(), item.sourceline))
        elif tag == "a" and item.get("href"):
            out.append(("link", item.get("href").strip(), item.sourceline))
            _info_tokens(sequence(item), out)
        elif tag == MARKER_TAG:
            out.append(("text", item.text or "", item.sourceline))
        elif (
            tag in ("p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr")
            and not top
        ):
            out.append(("br", "", item.sourceline))
            _info_tokens(sequence(item), out)
            out.append(("br", "", item.sourceline))
        else:
            _info_tokens(sequence(item), out)


def _label_line(text: str) -> re.Match[str] | None:
    """``Label: value``, where the label is a few words, not the end of a sentence.

    Rule *a colon between numbers is no label*: "From International Socialism 2 : 108,
    Autumn 2005." (the second series' issue; some 90 pages, archive/harman/* and
    archive/cliff/*, archive/hallas/* ...) is a line of prose, not a label "International Socialism 2",
    which would swallow the block's next lines (the Copyright line, the credits).
    """
    m = LABEL_LINE.match(text)
    if m and not re.search(r"\.\s", m.group("label")) and len(m.group("label").split()) <= 6:
        if m.group("label")[-1:].isdigit() and m.group("value")[:1].isdigit():
            return None
        return m
    return None


def _lines(block: PageBlock) -> list[str]:
    """A block's lines (split at <br> and inner blocks), collapsed."""
    tokens: list[InfoToken] = []
    _info_tokens(block.items() if isinstance(block, Run) else [block], tokens, top=True)
    lines: list[str] = []
    current: list[str] = []
    for kind, value, _ in tokens:
        if kind == "br":
            lines.append("".join(current))
            current = []
        else:
            current.append(value)
    lines.append("".join(current))
    return [t for t in (collapse(x).strip(EDGE) for x in lines) if t]


def looks_like_info(block: PageBlock) -> bool:
    """An information block without the MIA's classes: lines of known labels
    ("<b>Source:</b> ...", "Written: ...") right after the head."""
    if not isinstance(block, Run) and block.tag not in ("p", "div", "blockquote", "center"):
        return False
    lines = _lines(block)
    known = 0
    for line in lines:
        m = _label_line(line)
        if m and KNOWN_LABEL.match(m.group("label")):
            known += 1
    return known >= 2 or (known == 1 and len(lines) == 1)
