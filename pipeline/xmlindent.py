"""Indenting XML for people to read, without touching the text it holds.

lxml's own ``etree.indent()`` and ``pretty_print`` also add whitespace inside mixed
content (``<p>text <ref/></p>``) or between two inline elements, which would change the
words of the work. Here an element is indented only when its content is elements alone
and the caller says its children are blocks; the master (TEI) and the EPUB's package
files share this one rule.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree


def indent(
    root: etree._Element, holds_blocks: Callable[[etree._Element], bool], level: int = 0, space: str = "  "
) -> None:
    """Indent ``root`` and its descendants wherever ``holds_blocks(element)`` is true and the
    element's content is elements only (no text, no comments)."""
    children = list(root)
    if not children or not all(isinstance(c.tag, str) for c in children):
        return
    if (root.text or "").strip() or any((c.tail or "").strip() for c in children):
        return  # mixed content: leave every character as it is
    if not holds_blocks(root):
        return
    pad = "\n" + space * (level + 1)
    root.text = pad
    for child in children:
        child.tail = pad
        indent(child, holds_blocks, level + 1, space)
    children[-1].tail = "\n" + space * level


def localname(el: etree._Element) -> str:
    name: str = etree.QName(el).localname
    return name
