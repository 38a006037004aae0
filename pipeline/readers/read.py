"""Each source format bound to its reader, all with one signature: ``read(manifest) -> Work``.

The manifest says which format its files are in (:mod:`pipeline.readers.formats`);
:func:`read` picks the reader from :data:`READERS`, so a new reader is one entry here,
not another branch in ``pipeline ingest``.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.errors import PipelineError
from pipeline.manifest import Manifest
from pipeline.master.model import Work
from pipeline.readers import figures, mia_html, mia_text
from pipeline.readers.formats import MIA_HTML, MIA_TEXT, SourceFormat, by_name

Reader = Callable[[Manifest], Work]


def read_mia_text(manifest: Manifest) -> Work:
    """The plain-text reader reads one file: the manifest's main file, with what only the
    manifest knows (slug, URL, language)."""
    main = manifest.main_file
    return mia_text.read(main.path, main.path.read_bytes(), manifest.slug, manifest.url, manifest.language)


READERS: dict[SourceFormat, Reader] = {MIA_TEXT: read_mia_text, MIA_HTML: mia_html.read}


def source_format(manifest: Manifest) -> SourceFormat:
    """The format the manifest names (the manifest schema allows no other value)."""
    fmt = by_name(manifest.format)
    if fmt is None:
        raise PipelineError(f"unknown source format {manifest.format!r}", manifest.folder / "manifest.json")
    return fmt


def read(manifest: Manifest) -> Work:
    """The work the manifest's source files hold, read by the reader of their format
    (with the manifest's figures at hand: :mod:`pipeline.readers.figures`)."""
    with figures.reading(manifest):
        return READERS[source_format(manifest)](manifest)
