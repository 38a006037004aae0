"""The page's flat run of blocks -> the nesting TEI requires.

HTML lets a heading, a signature or a paragraph stand anywhere; TEI wants headings to
open divisions (``head`` comes first in a ``div``) and a ``closer`` to come last. So a
heading in the middle of the text opens a ``div type="section"`` that runs to the next
heading of the same or a higher level; a heading right after another joins it at the
top of the same division; a signature followed by more text (a postscript) stays a
paragraph; headings inside quotations, lists and notes are kept as paragraphs. The
words and their order never change.

A heading follows the work's structure, not the page's tag (issue 20): a "heading" or
paragraph of ornaments only ("* * *", "* * * * * *") is a section break
(:class:`~pipeline.master.model.Milestone`), never a heading nor a contents entry; a
heading that is a bare number ("II", "Chapter 3", "ONE") and the heading after it are
one heading ("II. The State"). A break at the start or end of a division, or before a
heading, marks nothing and is left out (it has no words).
"""

from __future__ import annotations

import re

from pipeline.master.model import (
    Block,
    Closer,
    Div,
    Head,
    Hi,
    Inline,
    Link,
    ListBlock,
    Milestone,
    Para,
    Q,
    Quote,
    Supplied,
)
from pipeline.readers.mia_html.dom import Recorder

NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
)
ROMAN = r"(?-i:(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
BARE_NUMBER = re.compile(
    r"^[\s\xa0]*[(\[]?[\s\xa0]*(?:(?:chapter|part|book|section|lecture|letter|article|appendix|chapitre|cap[ií]tulo|kapitel|"
    r"teil|livre|libro|parte)[\s\xa0]+)?"
    r"(?:" + ROMAN + r"|\d{1,3}|(?:" + NUMBER_WORDS + r")(?:[\s-](?:" + NUMBER_WORDS + r"))?)"
    r"(?:[\s\xa0]*\([^()]{1,12}\))?[\s\xa0]*[.:)\]\-–—]?[\s\xa0]*$",
    re.I,
)
ORNAMENTS = re.compile(r"^[\s\xa0]*(?:[*⁎∗✱✲✳⁂※❋❖◊♦·•][\s\xa0]*)+$")
HAS_WORD = re.compile(r"[^\W_]")


LONGEST_HEADING = 200  # characters: longer, a "heading" is a paragraph set in a heading's tag


def structure(blocks: list[Block]) -> list[Block]:
    """Breaks, then sections from headings, then closers only where TEI allows them."""
    blocks = heading_nothing(numbered_heads(breaks(not_headings([nested(b) for b in blocks]))))
    return tidy_breaks(closers(sections(blocks)))


def key(text: str) -> str:
    """A line's words for comparison: letters and digits only, case folded."""
    return "".join(c for c in text.casefold() if c.isalnum())


def is_bare_number(text: str) -> bool:
    return bool(BARE_NUMBER.match(text))


def words_of(items: list[Inline]) -> str:
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, (Hi, Q, Supplied, Link)):
            out.append(words_of(item.children))
        else:
            out.append(" ")
    return " ".join("".join(out).split())


def not_headings(blocks: list[Block]) -> list[Block]:
    """Rule *a paragraph in a heading's tag*: a "heading" of more than 200 characters is a
    chapter's synopsis ("Why the Social-Democrats took part in the Elections – Electoral
    Programme of the Bolsheviks – ...", archive/badayev/*), a lead paragraph set as
    ``p.sub`` or ``h4`` (archive/cannon/*, archive/mandel/*), a contents list or a whole
    paragraph in an ``h1`` (archive/james-clr/works/1967/forces/): a paragraph, never a
    heading nor a contents entry. The words stay, in place."""
    return [
        Para(b.children, rend="heading") if isinstance(b, Head) and len(words_of(b.children)) > LONGEST_HEADING else b
        for b in blocks
    ]


def heads_before_text(
    blocks: list[Block], rec: Recorder, last_opens_text: bool = False
) -> tuple[list[Block], list[Block]]:
    """Rule *a head line after a paragraph*: the lines the text opens with (the page's
    head but its title, author and date) stand in the page's order, and some are
    paragraphs: the title, author or date line kept for its note marker, a synopsis set in
    a heading's tag ("Developments in the world situation ...", archive/shachtma/1940/12/
    russia.htm). TEI puts a division's headings before its text, so a heading of the head
    after such a paragraph ("A DISCUSSION ARTICLE"; "Transcribed for the World Wide Web
    ...", archive/trotsky/1938/morals/morals.htm) is a paragraph too, recorded with its
    words; but the head's very last line (``last_opens_text``: no date line, no information
    block after it, "Moral Effluvia" there) is the text's first heading, returned apart to
    open the text's first section. The words and their order never change."""
    out: list[Block] = []
    opening: list[Block] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Head) and any(not isinstance(x, Head) for x in out):
            text = words_of(b.children)
            if last_opens_text and i == len(blocks) - 1:
                rec.add(f"The head's last line {text[:80]!r}, after a line kept as a paragraph, heads the text")
                opening.append(b)
                continue
            rec.add(f"Kept the head's line {text[:80]!r} as a paragraph: it follows a line of the head kept as one")
            out.append(Para(b.children, rend="heading"))
        else:
            out.append(b)
    return out, opening


def heading_nothing(blocks: list[Block]) -> list[Block]:
    """Rule *a heading that heads nothing*: headings after the text's last words (a link
    to the next instalment, "(Part 2)", archive/novack/1959/xx/humanism.htm; "Return to
    ...") open no section: paragraphs, never contents entries. The words stay."""
    end = len(blocks)
    while end > 0 and isinstance(blocks[end - 1], (Head, Milestone)):
        end -= 1
    if not any(isinstance(b, Head) for b in blocks[end:]) or end == 0:
        return blocks
    return blocks[:end] + [Para(b.children, rend="heading") if isinstance(b, Head) else b for b in blocks[end:]]


def breaks(blocks: list[Block]) -> list[Block]:
    """A heading without a word, or a paragraph of ornaments, is a section break."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Head) and not HAS_WORD.search(words_of(b.children)):
            out.append(Milestone(rend=words_of(b.children) or None))
        elif isinstance(b, Para) and ORNAMENTS.match(words_of(b.children)):
            out.append(Milestone(rend=words_of(b.children)))
        else:
            out.append(b)
    return out


def join_number(lines: list[list[Inline]]) -> tuple[list[Inline], list[list[Inline]]]:
    """The title of lines that open with bare numbers ("2", "Reply to ...") as one line
    ("2. Reply to ..."), and the lines after it."""
    i = 0
    while i < len(lines) and is_bare_number(words_of(lines[i])):
        i += 1
    if i == 0 or i == len(lines) or re.match(r"\W*\d", words_of(lines[i])):
        return lines[0], lines[1:]
    number = _trimmed(lines[i - 1])
    sep = " " if words_of(number)[-1:] in ".:)-–—" else ". "
    # several numbers ("Section Two", "2"): the last one numbers the title, the others follow it
    return _merged([*number, sep, *_trimmed(lines[i])]), lines[: i - 1] + lines[i + 1 :]


def numbered_heads(blocks: list[Block]) -> list[Block]:
    """A heading of a bare number and the heading after it: one heading."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, Head) and isinstance(prev, Head) and is_bare_number(words_of(prev.children)):
            title, rest = join_number([prev.children, b.children])
            if not rest:
                out[-1] = Head(title, level=prev.level)
                continue
        out.append(b)
    return out


def tidy_breaks(blocks: list[Block]) -> list[Block]:
    """No break first or last in a division, before a heading or a division, or twice."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Div):
            b.blocks = tidy_breaks(b.blocks)
        if isinstance(b, Milestone):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if not out or all(isinstance(x, Head) for x in out) or nxt is None:
                continue
            if isinstance(nxt, (Head, Div, Milestone, Closer)):
                continue
        out.append(b)
    return out


def _trimmed(items: list[Inline]) -> list[Inline]:
    out = list(items)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip(" \xa0")
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" \xa0")
    return [i for i in out if i != ""]


def _merged(items: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for item in items:
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        else:
            out.append(item)
    return out


def flat(blocks: list[Block]) -> list[Block]:
    """For note bodies and other places without divisions: no headings, closers last."""
    out: list[Block] = []
    for b in blocks:
        b = nested(b)
        out.append(Para(b.children, rend="heading") if isinstance(b, Head) else b)
    return closers(breaks(out))


def nested(block: Block) -> Block:
    """Headings inside a quotation or a list become paragraphs; closers there too."""
    if isinstance(block, Quote):
        block.blocks = flat(block.blocks)
        block.blocks = [p for b in block.blocks for p in (demote(b) if isinstance(b, Closer) else [b])]
    elif isinstance(block, ListBlock):
        block.items = [
            [p for b in flat(item) for p in (demote(b) if isinstance(b, Closer) else [b])] for item in block.items
        ]
    return block


def sections(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i, n = 0, len(blocks)
    while i < n and not isinstance(blocks[i], Head):
        out.append(blocks[i])
        i += 1
    while i < n:
        head = blocks[i]
        assert isinstance(head, Head)
        j = i + 1
        while j < n and isinstance(blocks[j], Head):  # consecutive headings: one division's top
            j += 1
        k = j
        while k < n and not _heads_level(blocks[k], head.level):
            k += 1
        inner = blocks[i + 1 : j] + sections(blocks[j:k])
        out.append(Div(inner, head=head.children, type="section"))
        i = k
    return out


def _heads_level(block: Block, level: int) -> bool:
    """A heading of ``level`` or higher: it ends the division a heading of ``level`` opened."""
    return isinstance(block, Head) and block.level <= level


def closers(blocks: list[Block]) -> list[Block]:
    """A closer followed by anything but another closer becomes paragraphs."""
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if isinstance(b, Div):
            b.blocks = closers(b.blocks)
            out.append(b)
        elif isinstance(b, Closer) and any(not isinstance(x, Closer) for x in blocks[i + 1 :]):
            out.extend(demote(b))
        else:
            out.append(b)
    return out


def demote(closer: Closer) -> list[Block]:
    out: list[Block] = [Para(o, rend="closer") for o in closer.other]
    if closer.signed is not None:
        out.append(Para(closer.signed, rend="signed"))
    if closer.dateline is not None:
        out.append(Para(closer.dateline, rend="dateline"))
    return out
