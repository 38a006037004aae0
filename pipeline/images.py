"""Images: which of a page's ``<img>`` are the work's figures, and what an image file is.

Shared by the archive (``import``/``fetch`` bring in the figures' files), the HTML reader
(the master's ``<figure>``), the writers (the EPUB's and PDF's copies) and verify (which
recomputes the writers' conversion to check it), so the four agree by construction.

The MIA's pages show two kinds of image. Furniture, dropped and recorded as before: the
"return" image map of a footer, an author's icon linking back to the archive's index
(``marx.jpg``, ``shach-z.gif``), a banner or title image in a heading or as wide as a
page and short, spacers, arrows and buttons. Figures, kept: charts, maps, photographs,
facsimiles, cartoons. A thumbnail that links to a larger image stands for the larger one.

An image file is checked from its bytes, never its name: Pillow identifies the raster
formats (and a declared size over :data:`MAX_PIXELS` is refused before any pixel is
decoded, so a "PNG bomb" costs nothing), a truncated file is refused, an SVG with a
script or event handler is refused, and bytes that are a web page are not an image.
Each refusal is one line saying why. Conversions (a format an EPUB reader need not
support, or an image too large for a reading device) are made by Pillow with fixed
settings and no metadata, so the same bytes in give the same bytes out.
"""

from __future__ import annotations

import io
import posixpath
import re
import threading
import warnings
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

MAX_IMAGE_BYTES = 10 * 1024 * 1024  # one image file
MAX_WORK_IMAGE_BYTES = 60 * 1024 * 1024  # every image of one work together
MAX_PIXELS = 40_000_000  # width x height: a larger declared size is a decompression bomb
MAX_EDITION_SIDE = 1600  # the longest side of an image in an edition (reading devices)
# The EPUB 3 core media types: every reading system shows them; anything else is converted.
CORE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/svg+xml", "image/webp"})
PIL_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
}
IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|svg|bmp|tiff?)$", re.I)
PAGE_LINK = re.compile(r"(\.html?|/)$|^$", re.I)
FURNITURE_NAME = re.compile(
    r"(arrow|spacer|blank|bullet|button|icon|logo|banner|^next|^prev|^back|^top|^home|^up\b|^dot|^line|^rule|"
    r"^bar\b|^pixel|^clear|^trans|^space)",
    re.I,
)
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


class ImageRefused(Exception):
    """An image file that is not used: the message is one line saying why."""


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    width: int  # pixels (an SVG's declared width, 0 when it declares none)
    height: int


def _dimension(value: str | None) -> int | None:
    m = re.match(r"\s*(\d+)\s*(px)?\s*$", value or "")
    return int(m.group(1)) if m else None


def furniture(img: etree._Element) -> str | None:
    """Why ``img`` is the site's furniture, or None when it is a figure of the work.

    The kinds, from a census of the ``<img>`` of the shared archive's 8,914 pages:
    the "return" image map (``usemap``, alt or file "return"), an icon or button that
    links to a page (an author's portrait linking to the archive's index), an image in a
    heading (a banner or a title set as a picture), a spacer, arrow, bullet or rule
    (a side of 16 px or less, or a file so named), a banner (at least 400 px wide and
    five times as wide as high).
    """
    alt = (img.get("alt") or "").strip().lower()
    src = (img.get("src") or "").strip()
    name = unquote(src.rsplit("/", 1)[-1]).lower()
    if img.get("usemap") or alt == "return" or "return" in name:
        return "return"
    if not src:
        return "no source"
    link = enclosing_link(img)
    if link is not None and not IMAGE_FILE.search(urlsplit(link).path):
        return "a link's icon"
    if any(isinstance(a.tag, str) and a.tag in ("h1", "h2", "h3", "h4", "h5", "h6") for a in img.iterancestors()):
        return "a heading's image"
    width, height = _dimension(img.get("width")), _dimension(img.get("height"))
    if (width is not None and width <= 16) or (height is not None and height <= 16):
        return "a spacer or glyph"
    if FURNITURE_NAME.search(posixpath.splitext(name)[0]):
        return "an arrow, button or banner"
    if width and height and width >= 400 and width >= 5 * height:
        return "a banner"
    return None


def enclosing_link(img: etree._Element) -> str | None:
    """The ``href`` of the link around ``img`` (None when it is in none)."""
    for anc in img.iterancestors():
        if anc.tag == "a" and anc.get("href"):
            return str(anc.get("href")).strip()
    return None


def figure_src(img: etree._Element) -> tuple[str, str | None]:
    """The figure's image (the larger one a thumbnail links to) and the thumbnail's own src
    when there is a larger one (None otherwise)."""
    src = (img.get("src") or "").strip()
    link = enclosing_link(img)
    if link and IMAGE_FILE.search(urlsplit(link).path) and link != src:
        return link, src
    return src, None


def media_type_of(data: bytes) -> str | None:
    """The media type the bytes are (by their content), or None when they are no image."""
    info = inspect(data, check=False)
    return info.media_type if info else None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()


def _looks_like_html(data: bytes) -> bool:
    return re.search(rb"<\s*(!doctype\s+html|html|head|body|title|p|div|table)\b", data[:4096], re.I) is not None


def inspect(data: bytes, check: bool = True) -> ImageInfo | None:
    """The image's media type and size; :class:`ImageRefused` when it is unusable
    (with ``check=False``, None instead of refusing)."""
    try:
        return _inspect(data)
    except ImageRefused:
        if check:
            raise
        return None


def _inspect(data: bytes) -> ImageInfo:
    if not data:
        raise ImageRefused("empty file")
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(f"over {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    if _looks_like_svg(data):
        return _inspect_svg(data)
    from PIL import Image, UnidentifiedImageError

    fmt = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(PIL_TYPES)) as img:
                width, height = img.size
                fmt = img.format or ""
                if width * height > MAX_PIXELS:
                    raise ImageRefused(
                        f"declares {width} x {height} pixels, over the limit of {MAX_PIXELS:,} (a decompression bomb)"
                    )
                _load_strictly(img)  # decodes every pixel: a truncated or corrupt file fails here
    except ImageRefused:
        raise
    except UnidentifiedImageError:
        if _looks_like_html(data):
            raise ImageRefused("a web page (HTML), not an image") from None
        raise ImageRefused("not an image Pillow knows (JPEG, PNG, GIF, WebP, BMP, TIFF) nor SVG") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(f"declares a size over the limit of {MAX_PIXELS:,} pixels (a decompression bomb)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRefused(f"damaged or truncated {fmt or 'image'} ({str(exc).splitlines()[0][:80]})") from None
    return ImageInfo(PIL_TYPES[fmt], width, height)


_STRICT = threading.Lock()


def _load_strictly(img: Any) -> None:
    """Decode every pixel, failing on a truncated file. WeasyPrint sets Pillow's global
    ``LOAD_TRUNCATED_IMAGES`` on import (so a PDF renders what it can of a damaged
    image); a worker that has written a PDF would then pass a truncated file as whole.
    The check sets it off for its own load, under a lock, and puts it back."""
    from PIL import ImageFile

    with _STRICT:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            img.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _inspect_svg(data: bytes) -> ImageInfo:
    """An SVG without script: no ``script`` element, no ``on...`` handler, no
    ``javascript:`` link, no ``foreignObject``, no link to another file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImageRefused(f"not well-formed SVG ({exc.msg})") from None
    if etree.QName(root).localname != "svg":
        raise ImageRefused("an XML file that is not SVG")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname.lower()
        if local in ("script", "foreignobject", "iframe", "handler"):
            raise ImageRefused(f"an SVG with a {local} element (scripts are not allowed in an edition)")
        for key, value in el.attrib.items():
            attr = etree.QName(key).localname.lower()
            if attr.startswith("on"):
                raise ImageRefused(f"an SVG with an event handler ({attr}); scripts are not allowed in an edition")
            if attr == "href" and not str(value).strip().startswith("#"):
                raise ImageRefused("an SVG that links to another file or a script")
    width = _dimension(root.get("width")) or 0
    height = _dimension(root.get("height")) or 0
    return ImageInfo("image/svg+xml", width, height)


@dataclass(frozen=True)
class EditionImage:
    data: bytes
    media_type: str
    width: int
    height: int
    converted: str | None  # what was done ("scaled to 1600 x 1200", "converted from image/bmp to PNG"), None: as is


def for_edition(data: bytes) -> EditionImage:
    """The image as the editions carry it: the same bytes when they are a core media type
    of at most :data:`MAX_EDITION_SIDE` pixels a side, else converted by Pillow (PNG, or
    JPEG for a photograph that was JPEG), reproducibly (no metadata, fixed settings)."""
    info = _inspect(data)
    side = max(info.width, info.height)
    if info.media_type in CORE_TYPES and (info.media_type == "image/svg+xml" or side <= MAX_EDITION_SIDE):
        return EditionImage(data, info.media_type, info.width, info.height, None)
    from PIL import Image

    with Image.open(io.BytesIO(data)) as src:
        img = src.convert("RGBA" if src.mode in ("RGBA", "LA", "P", "PA") else "RGB")
    what = []
    if side > MAX_EDITION_SIDE:
        img.thumbnail((MAX_EDITION_SIDE, MAX_EDITION_SIDE), Image.Resampling.LANCZOS)
        what.append(f"scaled from {info.width} x {info.height} to {img.width} x {img.height}")
    out = io.BytesIO()
    if info.media_type == "image/jpeg" and img.mode == "RGB":
        img.save(out, "JPEG", quality=85, optimize=True)
        media = "image/jpeg"
    else:
        img.save(out, "PNG", optimize=True)
        media = "image/png"
    if media != info.media_type:
        what.append(f"converted from {info.media_type} to {media}")
    return EditionImage(out.getvalue(), media, img.width, img.height, "; ".join(what))
