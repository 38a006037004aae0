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

import functools
import io
import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, ImageDraw, ImageFont

from pipeline import atomic
from pipeline.distribution.works import Cover, PublishedFile, Work, href_of
from pipeline.errors import PipelineError
from pipeline.master.read import EditionMeta
from pipeline.master.tei import parse_bytes

COVER_SIZE = (600, 900)
THUMBNAIL_SIZE = (200, 300)
MAX_COVER_BYTES = 20_000_000  # refuse a zip entry that claims more: a zip bomb, not a cover
RASTER_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}

PAPER = (246, 241, 231)
INK = (28, 26, 24)
RED = (140, 21, 21)  # on PAPER: contrast 8.9:1
CREAM = (250, 244, 232)
GREY = (74, 70, 66)
DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


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
            items = opf.xpath("opf:manifest/opf:item[contains(concat(' ', normalize-space(@properties), ' '), ' cover-image ')]", namespaces=OPF_NS)
            if not items:  # EPUB 2 convention, which EPUB 3 reading systems still honour
                cover_id = opf.xpath("string(opf:metadata/opf:meta[@name='cover']/@content)", namespaces=OPF_NS)
                items = opf.xpath("opf:manifest/opf:item[@id=$id]", namespaces=OPF_NS, id=cover_id) if cover_id else []
            if not items:
                return None
            item = items[0]
            name = posixpath.normpath(posixpath.join(posixpath.dirname(rootfile), unquote(item.get("href", ""))))
            info = zf.getinfo(name)
            if info.file_size > MAX_COVER_BYTES:
                raise PipelineError(f"EPUB cover {name} is {info.file_size} bytes; refusing more than {MAX_COVER_BYTES}", epub)
            return zf.read(info), (item.get("media-type") or "").strip().lower()
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise PipelineError(f"cannot read the EPUB's cover: {exc}", epub) from None


# --- the typographic cover ------------------------------------------------------------


def garamond_path() -> Path | None:
    try:
        import fontpkg_eb_garamond
    except ImportError:
        return None
    path = fontpkg_eb_garamond.ROOT / "files" / "EBGaramond[wght].ttf"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=4)
def code_points(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # imported here: only drawn covers need it

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_for(text: str, size: int, weight: int) -> ImageFont.FreeTypeFont | None:
    """EB Garamond if it has every character of ``text``, else DejaVu Serif if it has,
    else None: the text is then left off the cover rather than drawn as empty boxes (it
    is in the metadata and the image's alt text anyway)."""
    needed = {ord(ch) for ch in text if not ch.isspace()}
    for path in (garamond_path(), DEJAVU_SERIF):
        if path is None or not path.is_file() or not needed <= code_points(path):
            continue
        font = ImageFont.truetype(str(path), size)
        if path.name.startswith("EBGaramond"):
            try:
                font.set_variation_by_axes([weight])
            except (OSError, ValueError):  # FreeType built without variable-font support
                pass
        return font
    return None


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap by measured width (no hyphenation on a cover)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def fit(text: str, sizes: range, width: int, max_height: float, weight: int, leading: float = 1.12) -> tuple[ImageFont.FreeTypeFont | None, list[str]]:
    """The largest size at which ``text`` wraps into lines no wider than ``width``, no taller than ``max_height``."""
    font, lines = font_for(text, sizes[0], weight), [text]
    if font is None:
        return None, []
    for size in sizes:
        font = font_for(text, size, weight)
        lines = wrap(text, font, width)
        if len(lines) * size * leading <= max_height and all(font.getlength(line) <= width for line in lines):
            break
    return font, lines


def clamp(lines: list[str], max_lines: int) -> list[str]:
    """At most ``max_lines``, the last one ending in an ellipsis if text was cut (a cover
    is a picture; the full title is in the metadata beside it)."""
    if len(lines) <= max_lines:
        return lines
    kept = lines[: max(max_lines, 1)]
    kept[-1] = kept[-1].rstrip(" ,;:") + " …"
    return kept


def draw_centered(draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont | None, top: float, fill, leading: float) -> float:
    """Draw ``lines`` centred from ``top``; return the y below the last line."""
    y = top
    if font is None:
        return y
    for line in lines:
        draw.text((COVER_SIZE[0] / 2, y), line, font=font, fill=fill, anchor="ma")
        y += leading
    return y


def typographic_cover(meta: EditionMeta) -> bytes:
    """A 600x900 PNG: the author in a red band, the title, the year, the archive's name."""
    width, height = COVER_SIZE
    img = Image.new("RGB", COVER_SIZE, PAPER)
    draw = ImageDraw.Draw(img)
    band, footer_top = 300, height - 70
    author_font, author_lines = fit(meta.author or "", range(46, 19, -2), 480, 2 * 46 * 1.15, 500, 1.15)
    author_size = getattr(author_font, "size", 40)
    author_lines = clamp(author_lines, 2)
    draw.rectangle((0, 0, width, band), fill=RED)
    y = band - 48 - len(author_lines) * author_size * 1.15
    draw_centered(draw, author_lines, author_font, y, CREAM, author_size * 1.15)
    # Below the band: the title, a rule, the year, and room for the footer line.
    year_block = 24 + 28 + 40 + 30
    title_room = footer_top - band - 50 - year_block
    title_font, title_lines = fit(meta.title or meta.slug, range(72, 19, -2), 500, title_room, 600)
    title_size = getattr(title_font, "size", 48)
    title_lines = clamp(title_lines, int(title_room // (title_size * 1.12)))
    y = draw_centered(draw, title_lines, title_font, band + 50, INK, title_size * 1.12)
    y += 24
    draw.line((width / 2 - 60, y, width / 2 + 60, y), fill=RED, width=3)
    if meta.year:
        draw_centered(draw, [meta.year], font_for(meta.year, 40, 500), y + 28, RED, 40)
    footer = meta.distributor or "Marxists Internet Archive"
    draw_centered(draw, [footer], font_for(footer, 26, 500), footer_top, GREY, 26)
    return png_bytes(img)


def png_bytes(img: Image.Image) -> bytes:
    """PNG without ancillary chunks (no time stamp), so the same input gives the same bytes."""
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def thumbnail_of(data: bytes) -> tuple[bytes, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as img:
        img = img.convert("RGB")
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


def remove_covers(slug: str, folder: Path, keep: set[Path] = frozenset()) -> None:
    """Delete cover files this module wrote before and no longer publishes."""
    for path in cover_files(slug, folder):
        if path not in keep:
            path.unlink()


def publish_cover(work: Work, editions: Path) -> Cover:
    """Write the work's cover, thumbnail (and vector cover) beside its editions."""
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
            svg_path = folder / f"{slug}.cover.svg"
            write_if_changed(svg_path, found[0])
            vector = PublishedFile(svg_path, href_of(svg_path, editions), "image/svg+xml", title)
        data, media_type, ext = typographic_cover(work.meta), "image/png", "png"
    image_path = folder / f"{slug}.cover.{ext}"
    write_if_changed(image_path, data)
    width, height = image_size(data)
    thumb_data, (tw, th) = thumbnail_of(data)
    thumb_path = folder / f"{slug}.cover-thumbnail.png"
    write_if_changed(thumb_path, thumb_data)
    cover = Cover(
        image=PublishedFile(image_path, href_of(image_path, editions), media_type, title, width=width, height=height),
        thumbnail=PublishedFile(thumb_path, href_of(thumb_path, editions), "image/png", f"Thumbnail of the cover of {work.meta.title}", width=tw, height=th),
        vector=vector,
    )
    remove_covers(slug, folder, {f.path for f in (cover.image, cover.thumbnail, cover.vector) if f})
    return cover
