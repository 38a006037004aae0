"""Each edition format bound to its writer: ``write_edition("pdf", master, out)``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.formats import EPUB, PDF, TXT, EditionFormat
from pipeline.writers.epub import write_epub
from pipeline.writers.pdf import write_pdf
from pipeline.writers.txt import write_txt

Writer = Callable[..., None]  # writer(master, out, **options)
WRITERS: dict[EditionFormat, Writer] = {EPUB: write_epub, PDF: write_pdf, TXT: write_txt}


def write_edition(fmt: EditionFormat, master: Path, out: Path, **options: object) -> None:
    WRITERS[fmt](master, out, **options)
