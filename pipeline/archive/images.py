"""The figures a work's pages show, brought in with the pages by ``import`` and ``fetch``.

Which ``<img>`` is a figure and which is the site's furniture is :func:`pipeline.images.furniture`
(the reader applies the same rule); a thumbnail linking to a larger image brings in the
larger one (the thumbnail when the larger is absent). Only images of the same site are
read: one on another host is never requested, and the manifest names it in
``missing_images`` as external, as it names an image the copy or the server lacks, or
one refused (damaged, not an image, a script in an SVG, over the size limits): the
editions then say "[Image not available: ...]" in its place. Each image is kept byte
for byte with its sha256, role ``figure``, its URL and its media type (by its bytes).

The bytes come from a ``read`` function the caller gives: a file of the site copy for
``import``, :meth:`pipeline.archive.fetch.Fetcher.get` for ``fetch``; either returns
None for an image that is not there.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from lxml import etree, html

from pipeline.images import MAX_IMAGE_BYTES, MAX_WORK_IMAGE_BYTES, ImageRefused, figure_src, furniture, inspect
from pipeline.mia import HOSTS

ReadImage = Callable[[str], bytes | None]  # site path -> bytes, None when absent


@dataclass(frozen=True)
class Wanted:
    """One figure a page shows: its image's URL and, on this site, its path below ROOT."""

    url: str
    path: str | None  # None: on another host
    thumbnail: str | None = None  # the thumbnail's site path when the figure is the larger image it links to


@dataclass
class Figures:
    """What a work's figures came to: manifest entries with their bytes, and the missing ones."""

    files: list[dict[str, Any]] = field(default_factory=list)  # manifest "files" entries (role figure)
    blobs: dict[str, bytes] = field(default_factory=dict)  # file name in the work's folder -> bytes
    missing: list[dict[str, str]] = field(default_factory=list)  # manifest "missing_images" entries
    refusals: list[str] = field(default_factory=list)  # one line each: an image refused


def site_url_of(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + quote(path, safe="/~-._")


def resolve(page_path: str, src: str, site_url: str) -> tuple[str, str | None] | None:
    """The image's absolute URL and its site path (None when on another host); None for
    a source that is no image address (empty, ``data:``, ``javascript:``)."""
    try:
        parts = urlsplit(src.strip())
    except ValueError:
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.scheme or parts.netloc:
        site = urlsplit(site_url)
        hosts = HOSTS if site.netloc in HOSTS else (site.netloc,)
        if parts.netloc.lower() not in hosts:
            return src.strip(), None
        path = unquote(parts.path).lstrip("/")
    else:
        if not parts.path:
            return None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
    if path.startswith("../") or path == "..":
        return None
    return site_url_of(site_url, path), path


def wanted(page_path: str, data: bytes, site_url: str) -> list[Wanted]:
    """The figures a page shows, in order, each once (furniture left out)."""
    try:
        root = html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return []
    out: list[Wanted] = []
    seen: set[str] = set()
    for img in root.iter("img"):
        if furniture(img):
            continue
        src, thumb = figure_src(img)
        target = resolve(page_path, src, site_url)
        if target is None or target[0] in seen:
            continue
        seen.add(target[0])
        thumb_target = resolve(page_path, thumb, site_url) if thumb else None
        out.append(Wanted(target[0], target[1], thumb_target[1] if thumb_target else None))
    return out


def folder_name(main: str, path: str, taken: set[str]) -> str:
    """The image's name in the work's folder: its path from the main page's folder, or
    ``images/<name>`` for one outside it (made unique)."""
    rel = posixpath.relpath(path, posixpath.dirname(main) or ".")
    name = rel if not rel.startswith("..") else f"images/{posixpath.basename(path)}"
    stem, ext = posixpath.splitext(name)
    n = 1
    while name in taken or name == "manifest.json":
        n += 1
        name = f"{stem}-{n}{ext}"
    taken.add(name)
    return name


def collect(
    wants: list[Wanted], read: ReadImage, main: str, taken: set[str], site_url: str, limit: int = MAX_WORK_IMAGE_BYTES
) -> Figures:
    """Read every wanted image (same site only), check it, and say what is missing; the
    images past ``limit`` bytes in all are refused (the per-work limit)."""
    figures = Figures()
    total = 0
    done: set[str] = set()
    for want in wants:
        if want.url in done:
            continue
        done.add(want.url)
        if want.path is None:
            figures.missing.append({"url": want.url, "reason": "an image on another host; not fetched"})
            continue
        path, data, reason = _first_present(want, read)
        if data is None or path is None:
            figures.missing.append({"url": want.url, "reason": reason})
            continue
        try:
            info = inspect(data)
            if total + len(data) > limit:
                raise ImageRefused(f"over the work's limit of {limit:,} bytes of images")
        except ImageRefused as exc:
            figures.missing.append({"url": want.url, "reason": f"refused: {exc}"})
            figures.refusals.append(f"{path}: image refused: {exc}")
            continue
        assert info is not None
        total += len(data)
        name = folder_name(main, path, taken)
        url = want.url if path == want.path else site_url_of(site_url, path)
        figures.files.append(
            {
                "path": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "role": "figure",
                "url": url,
                "media_type": info.media_type,
            }
        )
        figures.blobs[name] = data
    return figures


def _first_present(want: Wanted, read: ReadImage) -> tuple[str | None, bytes | None, str]:
    """The larger image, else its thumbnail: (site path, bytes, why absent)."""
    reason = "not in the copy of the site"
    for path in (want.path, want.thumbnail):
        if path is None:
            continue
        try:
            data = read(path)
        except ImageRefused as exc:
            reason = f"refused: {exc}"
            continue
        if data is not None:
            return path, data, reason
    return None, None, reason


def read_from_copy(root: Any) -> ReadImage:
    """A ``read`` for a copy of the site at ``root`` (a Path): the file's bytes, None when
    absent, a refusal (before reading it) when it is over the size limit."""

    def read(path: str) -> bytes | None:
        file = root / path
        try:
            if not file.is_file():
                return None
            if file.stat().st_size > MAX_IMAGE_BYTES:
                raise ImageRefused(f"over {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
            data: bytes = file.read_bytes()
            return data
        except OSError:
            return None

    return read


def add_to_manifest(manifest: dict[str, Any], figures: Figures) -> None:
    """Put the figures' files and the missing images into a work's manifest (in place)."""
    manifest["files"].extend(figures.files)
    if figures.missing:
        manifest["missing_images"] = figures.missing


def for_work(pages: Mapping[str, bytes], main: str, site_url: str, read: ReadImage, page_names: set[str]) -> Figures:
    """The figures of a work's pages (``pages``: site path -> bytes, in the work's order)."""
    wants: list[Wanted] = []
    for path, data in pages.items():
        wants += wanted(path, data, site_url)
    return collect(wants, read, main, set(page_names), site_url)


def fetch_figures(
    get: Callable[[str], Any],
    fetch_error: type[Exception],
    pages: Mapping[str, bytes],
    main: str,
    site_url: str,
    server: str | None,
    manifest: dict[str, Any],
) -> Figures:
    """The figures of a fetched work, requested through ``get`` (the fetcher's polite,
    cached, robots-obeying ``get``; ``server`` a mirror), added to its ``manifest``; a
    404 is an absent image, any other failure a missing one with the reason."""

    def read(path: str) -> bytes | None:
        url = f"{server.rstrip('/')}/{path}" if server else site_url_of(site_url, path)
        try:
            data: bytes = get(url).data
            return data
        except fetch_error as exc:
            if "HTTP 404" in str(exc):
                return None
            raise ImageRefused(f"not fetched ({exc})") from None

    figures = for_work(pages, main, site_url, read, {f["path"] for f in manifest["files"]})
    add_to_manifest(manifest, figures)
    return figures
