"""The page's flat run of blocks -> the nesting TEI requires.

HTML lets a heading, a signature or a paragraph stand anywhere; TEI wants headings to
open divisions (``head`` comes first in a ``div``) and a ``closer`` to come last. So a
heading in the middle of the text opens a ``div type="section"`` that runs to the next
heading of the same or a higher level; a heading right after another joins it at the
top of the same division; a signature followed by more text (a postscript) stays a
paragraph; headings inside quotations, lists and notes are kept as paragraphs. The
words and their order never change.
"""

from __future__ import annotations

from pipeline.master.model import Block, Closer, Div, Head, ListBlock, Para, Quote


def structure(blocks: list[Block]) -> list[Block]:
    """Sections from headings, then closers only where TEI allows them."""
    return closers(sections([nested(b) for b in blocks]))


def flat(blocks: list[Block]) -> list[Block]:
    """For note bodies and other places without divisions: no headings, closers last."""
    out: list[Block] = []
    for b in blocks:
        b = nested(b)
        out.append(Para(b.children, rend="heading") if isinstance(b, Head) else b)
    return closers(out)


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
