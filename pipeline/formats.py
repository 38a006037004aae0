"""The edition formats: the one registry that the build, the commands and verify share.

Light on purpose (no writer is imported here), so that a no-op build, ``--help`` and
verify can name the formats without loading a writer; :mod:`pipeline.writers.write`
binds each format to its writer. Outside :mod:`pipeline.writers` because it is data
that verify needs too: verify may then import no module of the writers at all (an
import contract in pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditionFormat:
    name: str  # the command, and the edition's file extension: <slug>.<name>
    what: str  # for help texts: "render {what} edition"


EPUB = EditionFormat("epub", "an EPUB 3")
PDF = EditionFormat("pdf", "a PDF")
TXT = EditionFormat("txt", "a plain-text")
FORMATS: tuple[EditionFormat, ...] = (EPUB, PDF, TXT)
NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)
ASCII_TXT = "ascii.txt"  # the text edition's --ascii variant: <slug>.ascii.txt, written on request only
