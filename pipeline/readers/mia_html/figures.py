"""The work's figures as the block phase meets them (issue 25): the figure a placeholder of
the furniture phase stands for (``dom.place_figure``), and the paragraph after it that is
its caption. Apart from ``blocks`` because a figure is a kind of layout of its own, read
by rules of its own.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.master.model import Block, Figure, Hi, Inline, Para
from pipeline.readers.mia_html.dom import collapse

# A caption: the paragraph right after a figure that names it ("Fig. 2", "Graph 8: ...",
# "Table 1", "Map of ..."), a paragraph of class "caption", or one saying the alt text.
CAPTION = re.compile(
    r"^(fig\.?|figure|graph|chart|diagram|map|plate|table|illustration|photo(graph)?|cartoon|poster|facsimile)\b",
    re.I,
)
CAPTION_MAX = 300


def figure(ph: etree._Element) -> Figure:
    """The figure a placeholder of the furniture phase stands for (see ``dom.place_figure``)."""
    return Figure(
        url=ph.get("url") or "",
        alt=collapse(ph.get("alt") or "").strip(),
        file=ph.get("file"),
        media_type=ph.get("media-type"),
        width=int(ph.get("width") or 0),
        height=int(ph.get("height") or 0),
        missing=ph.get("missing"),
    )


def with_captions(blocks: list[Block], classed: set[int]) -> list[Block]:
    """Rule *figure caption*: the paragraph right after a figure is its caption (TEI
    ``figure/head``) when it is short, plain text (no note marker, no link) and names the
    figure: of class "caption", in the table that holds the image (the MIA sets a picture
    and its caption in a two-row table), starting "Fig.", "Graph", "Table", "Map"..., or
    saying the figure's alt text. Layout: archive/harman/2001/xx/beyond.htm (the image in
    one table row, "Graph 8: Overseas Net Assets of US" in the next)."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(block, Para)
            and isinstance(prev, Figure)
            and not prev.caption
            and is_caption(block, prev, classed)
        ):
            prev.caption = block.children
            continue
        out.append(block)
    return out


def is_caption(para: Para, fig: Figure, classed: set[int]) -> bool:
    plain = all(isinstance(i, (str, Hi)) for i in para.children)
    text = "".join(_plain_text(i) for i in para.children).strip()
    if not plain or not text or "\x00" in text or len(text) > CAPTION_MAX:
        return False
    alt = fig.alt.lower().strip(" .")
    return id(para) in classed or bool(CAPTION.match(text)) or (bool(alt) and text.lower().strip(" .") == alt)


def _plain_text(item: Inline) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Hi):
        return "".join(_plain_text(i) for i in item.children)
    return "\x00"  # anything else: not a plain caption
