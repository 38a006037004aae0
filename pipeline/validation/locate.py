"""Columns for problems: libxml2 gives a line for an element, never a column.

The validators report the line of the element at fault (RelaxNG errors carry the line
and the element's name; Schematron's SVRL carries an XPath to the element). The column
is found here by looking at the source text of that line: the ``<name`` of the n-th
element of that name starting on it, or the attribute's ``name=`` inside its start tag.
No library offers this (lxml keeps no columns for nodes), hence this small module.
"""

from __future__ import annotations

import re
from functools import cached_property

from lxml import etree


class SourceText:
    """The text of one XML file, by line, with the elements that start on each line."""

    def __init__(self, data: bytes, root: etree._Element | None = None) -> None:
        self._data = data
        self._root = root

    @cached_property
    def lines(self) -> list[str]:
        return self._data.decode("utf-8", errors="replace").splitlines()

    @cached_property
    def elements_by_line(self) -> dict[int, list[etree._Element]]:
        index: dict[int, list[etree._Element]] = {}
        if self._root is not None:
            for el in self._root.iter(etree.Element):
                if el.sourceline:
                    index.setdefault(el.sourceline, []).append(el)
        return index

    def element_at(self, line: int, local_name: str | None = None) -> etree._Element | None:
        """The first element named ``local_name`` (any, if None) starting on ``line``."""
        for el in self.elements_by_line.get(line, []):
            if local_name is None or etree.QName(el).localname == local_name:
                return el
        return None

    def column_of(self, el: etree._Element | None, attribute: str | None = None, line: int | None = None) -> int:
        """1-based column of ``el``'s start tag (or of ``attribute`` in it) on its line."""
        if el is None or not el.sourceline:
            return 1
        line = el.sourceline
        if not 1 <= line <= len(self.lines):
            return 1
        text = self.lines[line - 1]
        name = etree.QName(el).localname
        same = [e for e in self.elements_by_line.get(line, []) if etree.QName(e).localname == name]
        nth = same.index(el) if el in same else 0
        starts = [m.start() for m in re.finditer(rf"<(?:[\w.-]+:)?{re.escape(name)}(?=[\s/>])", text)]
        if not starts:
            return 1
        start = starts[min(nth, len(starts) - 1)]
        if attribute:
            local = attribute.split(":")[-1]
            found = re.compile(rf"\s((?:[\w.-]+:)?{re.escape(local)})\s*=").search(text, start)
            if found:
                return found.start(1) + 1
        return start + 1
