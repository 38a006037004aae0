"""The source formats: the one registry of what a manifest's ``format`` may name.

Light on purpose (no reader is imported here), as :mod:`pipeline.formats` is for
the editions: a command or a check can name the formats without loading a reader;
:mod:`pipeline.readers.read` binds each format to its reader. The manifest schema
(schemas/manifest.schema.json) lists the same names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFormat:
    name: str  # the manifest's "format", and the master's record of what the work was read from
    what: str  # for help texts and messages
    # The master is checked against the source's own words after ingest (issue 14): the
    # check reads HTML pages as a browser shows them; a plain-text extraction has no such check.
    source_check: bool = False


MIA_TEXT = SourceFormat("mia-text", "the MIA's plain-text extraction of a work")
MIA_HTML = SourceFormat("mia-html", "MIA HTML pages: one page, or an index with its chapter pages", source_check=True)
FORMATS: tuple[SourceFormat, ...] = (MIA_TEXT, MIA_HTML)
NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)


def by_name(name: str) -> SourceFormat | None:
    """The format a manifest names, or None for a name no reader reads."""
    return next((f for f in FORMATS if f.name == name), None)
