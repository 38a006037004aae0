"""A cover image and a thumbnail for every published work.

The cover is the EPUB's own when the work has an EPUB that declares one (the OPF's
``cover-image`` item, or an EPUB 2 ``<meta name="cover">``), so the page, the catalog
and the book show the same picture. Otherwise, or when the EPUB's cover is an SVG, the
raster cover is drawn here: OPDS 1.2 (section 5.2.2) requires artwork in GIF, JPEG or
PNG, and offers vector images only as additional links. The drawing is typographic
(author, title, year, the archive's name), made with Pillow from the OFL EB Garamond the
PDF edition already depends on, so it needs no external image and is byte-for-byte
reproducible.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import zipfile
from collections.abc import Set
from pathlib import Path
from urllib.parse import unquote

from PIL import Image

from pipeline import atomic
from pipeline.distribution.works import Cover, PublishedFile, Work, href_of
from pipeline.errors import PipelineError
from pipeline.fixity import sha256_file
from pipeline.master.read import EditionMeta
from pipeline.master.tei import parse_bytes

COVER_SIZE = (600, 900)
THUMBNAIL_SIZE = (200, 300)
MAX_COVER_BYTES = 20_000_000  # refuse a zip entry that claims more: a zip bomb, not a cover
RASTER_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}


# --- the EPUB's cover ------------------------------------------------------------------


def epub_cover(epub: Path) -> tuple[bytes, str] | None:
    """The EPUB's declared cover image as (bytes, media type), or None if it declares none."""
    try:
        with zipfile.ZipFile(epub) as zf:
            container = parse_bytes(zf.read("META-INF/container.xml"), f"{epub}!META-INF/container.xml").getroot()
            rootfile = container.xpath("string(c:rootfiles/c:rootfile/@full-path)", namespaces=OPF_NS)
            if not rootfile:
                raise PipelineError("EPUB has no rootfile in META-INF/container.xml", epub)
            opf = parse_bytes(zf.read(rootfile), f"{epub}!{rootfile}").getroot()
            items = opf.xpath(
                "opf:manifest/opf:item[contains(concat(' ', normalize-space(@properties), ' '), ' cover-image ')]",
                namespaces=OPF_NS,
            )
            if not items:  # EPUB 2 convention, which EPUB 3 reading systems still honour
                cover_id = opf.xpath("string(opf:metadata/opf:meta[@name='cover']/@content)", namespaces=OPF_NS)
                items = opf.xpath("opf:manifest/opf:item[@id=$id]", namespaces=OPF_NS, id=cover_id) if cover_id else []
            if not items:
                return None
            item = items[0]
            name = posixpath.normpath(posixpath.join(posixpath.dirname(rootfile), unquote(item.get("href", ""))))
            info = zf.getinfo(name)
            if info.file_size > MAX_COVER_BYTES:
                raise PipelineError(
                    f"EPUB cover {name} is {info.file_size} bytes; refusing more than {MAX_COVER_BYTES}", epub
                )
            return zf.read(info), (item.get("media-type") or "").strip().lower()
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise PipelineError(f"cannot read the EPUB's cover: {exc}", epub) from None


# --- the typographic cover ------------------------------------------------------------


def typographic_cover(meta: EditionMeta) -> bytes:
    """The EPUB writer's own typographic cover, for a work whose EPUB has no raster cover,
    so the page shows the same cover the book carries."""
    from pipeline.cover import CoverText, render_png

    return render_png(CoverText(meta.title or meta.slug, meta.author, meta.year, meta.source_name))


def png_bytes(img: Image.Image) -> bytes:
    """PNG without ancillary chunks (no time stamp), so the same input gives the same bytes."""
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def thumbnail_of(data: bytes) -> tuple[bytes, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as source:
        img = source.convert("RGB")
        img.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        return png_bytes(img), img.size


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as img:
        return img.size


# --- publishing ------------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> None:
    """Atomic write, skipped when the bytes are already there (keeps mtimes for make)."""
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    atomic.write_bytes(path, data)


def cover_files(slug: str, folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob(f"{slug}.cover*") if p.is_file())


def remove_covers(slug: str, folder: Path, keep: Set[Path] = frozenset()) -> None:
    """Delete cover files this module wrote before and no longer publishes."""
    for path in cover_files(slug, folder):
        if path not in keep:
            path.unlink()


RASTERS = (".png", ".jpg", ".gif")  # the cover image's kinds, as written beside the editions


def thumbnail_path(slug: str, folder: Path) -> Path:
    return folder / f"{slug}.cover-thumbnail.png"


def vector_path_of(slug: str, folder: Path) -> Path:
    return folder / f"{slug}.cover.svg"


def cover_inputs(work: Work) -> list[Path]:
    """The files a work's cover is drawn from and written to (the catalog's memo watches them)."""
    slug, folder = work.slug, work.master.parent
    images = [folder / f"{slug}.cover{ext}" for ext in RASTERS]
    return [work.master, folder / f"{slug}.epub", thumbnail_path(slug, folder), vector_path_of(slug, folder), *images]


def cached_cover(work: Work, editions: Path) -> Cover | None:
    """The cover files an earlier run wrote, if none of their inputs (EPUB, master) is newer.

    Reading an EPUB and drawing a thumbnail costs tens of milliseconds a work: on a
    library of thousands, most of a catalog run. Pillow reads only the image headers here.
    """
    slug, folder = work.slug, work.master.parent
    images = [p for p in cover_files(slug, folder) if p.suffix in RASTERS and ".cover." in p.name]
    thumb = thumbnail_path(slug, folder)
    if len(images) != 1 or not thumb.is_file():
        return None
    inputs = [work.master] + [folder / f"{slug}.epub"] * (folder / f"{slug}.epub").is_file()
    newest_input = max(p.stat().st_mtime_ns for p in inputs)
    if min(images[0].stat().st_mtime_ns, thumb.stat().st_mtime_ns) < newest_input:
        return None
    kind = {".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif"}[images[0].suffix]
    with Image.open(images[0]) as img:
        width, height = img.size
    with Image.open(thumb) as img:
        tw, th = img.size
    vector_path = vector_path_of(slug, folder)
    title = f"Cover of {work.meta.title}"
    return Cover(
        image=PublishedFile(images[0], href_of(images[0], editions), kind, title, width=width, height=height),
        thumbnail=PublishedFile(
            thumb,
            href_of(thumb, editions),
            "image/png",
            f"Thumbnail of the cover of {work.meta.title}",
            width=tw,
            height=th,
        ),
        vector=PublishedFile(vector_path, href_of(vector_path, editions), "image/svg+xml", title)
        if vector_path.is_file()
        else None,
    )


def with_digests(cover: Cover) -> Cover:
    """The cover with the sha256 of each of its files."""

    def hashed(file: PublishedFile) -> PublishedFile:
        return dataclasses.replace(file, sha256=file.sha256 or sha256_file(file.path))

    return Cover(hashed(cover.image), hashed(cover.thumbnail), hashed(cover.vector) if cover.vector else None)


def publish_cover(work: Work, editions: Path) -> Cover:
    """Write the work's cover, thumbnail (and vector cover) beside its editions."""
    cached = cached_cover(work, editions)
    if cached:
        return cached
    slug, folder = work.slug, work.master.parent
    found = None
    epub = folder / f"{slug}.epub"
    if epub.is_file():
        found = epub_cover(epub)
    vector = None
    title = f"Cover of {work.meta.title}"
    if found and found[1] in RASTER_TYPES:
        data, media_type = found
        ext = RASTER_TYPES[media_type]
    else:
        if found and found[1] == "image/svg+xml":
            svg_path = vector_path_of(slug, folder)
            write_if_changed(svg_path, found[0])
            vector = PublishedFile(svg_path, href_of(svg_path, editions), "image/svg+xml", title)
        data, media_type, ext = typographic_cover(work.meta), "image/png", "png"
    image_path = folder / f"{slug}.cover.{ext}"
    write_if_changed(image_path, data)
    width, height = image_size(data)
    thumb_data, (tw, th) = thumbnail_of(data)
    thumb_path = thumbnail_path(slug, folder)
    write_if_changed(thumb_path, thumb_data)
    cover = Cover(
        image=PublishedFile(image_path, href_of(image_path, editions), media_type, title, width=width, height=height),
        thumbnail=PublishedFile(
            thumb_path,
            href_of(thumb_path, editions),
            "image/png",
            f"Thumbnail of the cover of {work.meta.title}",
            width=tw,
            height=th,
        ),
        vector=vector,
    )
    remove_covers(slug, folder, {f.path for f in (cover.image, cover.thumbnail, cover.vector) if f})
    return cover
