"""The listings' renderings of the attribution: the library page, OPDS 1.2 and OPDS 2.0.

The facts, their words and their order are :mod:`pipeline.master.attribution`'s (its
``listing`` form), the same model the books' colophon and the text edition render, so a
reader sees the same author, original publication, source, credits and licence wherever
they meet the work. Here only the layouts the listings share: the definition list of the
page and of the OPDS entry's content, and the one-line rights and summary the feeds carry.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from pipeline.master.attribution import Item, attribution, licence_value
from pipeline.master.read import EditionMeta

# Makes an element: (tag, text, parent, **attributes); the page's and the feed's differ
# only in their namespace.
Maker = Callable[..., etree._Element]


def listing(meta: EditionMeta) -> list[Item]:
    return attribution(meta, "listing")


def render_items(items: list[Item], dl: etree._Element, make: Maker) -> None:
    """The items into ``dl``: a term, then one ``dd`` per value (its prefix, then the link)."""
    for item in items:
        make("dt", item.term, parent=dl)
        for value in item.values:
            dd = make("dd", value.prefix or None, parent=dl)
            if value.href:
                make("a", value.text, parent=dd, href=value.href, rel=value.rel)
            else:
                dd.text = (dd.text or "") + value.text


def rights_text(meta: EditionMeta) -> str:
    """The licence statements verbatim, each with its canonical URI (for atom:rights),
    worded as the colophon words them."""
    parts = [licence_value(lic, "colophon").plain for lic in meta.licences]
    parts += [f"{item.term}: {item.values[0].text}" for item in listing(meta) if item.key == "permission"]
    return " ".join(parts)


def summary_text(meta: EditionMeta) -> str:
    """One plain sentence or two a reading app can show under the title: the author and
    date, the original publication and the credits, as the listing words them."""
    items = {item.key: item for item in listing(meta)}
    first = items["author"].values[0].text
    if "date" in items:
        first += f", {items['date'].values[0].text}"
    parts = [first]
    if "publication" in items:
        parts += [value.text for value in items["publication"].values]
    if "credits" in items:
        parts.append("; ".join(value.text for value in items["credits"].values))
    return ". ".join(p.rstrip(".") for p in parts) + "."
