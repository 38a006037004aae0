"""The figures of the work being read: which image file (or which absence) an ``<img>`` stands for.

The manifest lists each figure's image file (role ``figure``, with its URL and media
type) and each image the source lacks (``missing_images``, with the reason). The HTML
reader meets an ``<img>`` deep in its furniture phase (:mod:`pipeline.readers.mia_html.dom`),
which sees one parsed page and nothing of the manifest; :func:`reading` makes the
manifest's figures the current table for the duration of one ``read(manifest)`` (a
context variable: each thread and each worker process reads its own work), and
:func:`lookup` answers for an image of a page. An image the manifest does not mention
at all (a source imported before figures were brought in) is removed and recorded as
it always was, so such sources read exactly as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from pipeline.images import ImageRefused, inspect
from pipeline.manifest import Manifest, SourceFile


@dataclass(frozen=True)
class Present:
    """A figure whose image file the source holds."""

    url: str
    file: SourceFile
    name: str  # the file's path in the source folder ("pics/fig1.jpg")
    media_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Absent:
    """A figure whose image the source lacks, and why."""

    url: str
    reason: str


@dataclass(frozen=True)
class FigureTable:
    files: dict[str, SourceFile]  # the image's URL (unquoted) -> its file
    missing: dict[str, str]  # the image's URL (unquoted) -> why the source lacks it
    pages: dict[str, str]  # a page file's path -> its URL
    folder: Path  # the source folder


CURRENT: ContextVar[FigureTable | None] = ContextVar("figures", default=None)


def key(url: str) -> str:
    """A URL as the table compares it: unquoted, without a fragment or query."""
    parts = urlsplit(url)
    return unquote(f"{parts.scheme}://{parts.netloc.lower()}{parts.path}")


def table_for(manifest: Manifest) -> FigureTable:
    pages: dict[str, str] = {}
    for f in manifest.pages:
        is_main = f.role in ("main", "index")
        pages[str(f.path)] = f.url or (manifest.url if is_main else urljoin(manifest.url, f.path.name))
    return FigureTable(
        {key(f.url): f for f in manifest.figures if f.url},
        {key(m.url): m.reason for m in manifest.missing_images},
        pages,
        manifest.folder,
    )


@contextlib.contextmanager
def reading(manifest: Manifest) -> Iterator[None]:
    """Make ``manifest``'s figures the table :func:`lookup` answers from, while reading it."""
    token = CURRENT.set(table_for(manifest))
    try:
        yield
    finally:
        CURRENT.reset(token)


def lookup(page: Path | str, src: str, thumbnail: str | None = None) -> Present | Absent | None:
    """What the image ``src`` of ``page`` is in the source: its file, its absence, or None
    when the manifest does not mention it (nor the thumbnail ``thumbnail`` stands for)."""
    table = CURRENT.get()
    if table is None:
        return None
    base = table.pages.get(str(page))
    if base is None:
        return None
    for candidate in (src, thumbnail):
        if not candidate:
            continue
        try:
            url = urljoin(base, candidate.strip())
        except ValueError:
            continue
        file = table.files.get(key(url))
        if file is not None:
            return present(url, file, file.name)
    try:
        url = urljoin(base, src.strip())
    except ValueError:
        return None
    reason = table.missing.get(key(url)) or table.missing.get(src.strip())
    return Absent(url, reason) if reason else None


def present(url: str, file: SourceFile, name: str) -> Present | Absent:
    """The figure with its pixel size (read from the file: the manifest's sha256 was
    checked before reading); a file that is no usable image after all is an absence."""
    try:
        info = inspect(file.path.read_bytes())
    except (OSError, ImageRefused) as exc:
        return Absent(url, f"refused: {exc}")
    assert info is not None
    return Present(file.url or url, file, name, info.media_type, info.width, info.height)
