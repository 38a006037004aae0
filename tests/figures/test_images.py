"""pipeline.images: furniture or figure (on the archive's own kinds), and each image file
checked from its bytes: the bad ones refused in one line, conversions reproducible."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from lxml import html
from PIL import Image

from pipeline.images import (
    MAX_EDITION_SIDE,
    ImageRefused,
    figure_src,
    for_edition,
    furniture,
    inspect,
)
from tests.figures.fixture import chart_png, photo_jpeg


def img(markup: str):
    return next(html.fromstring(f"<div>{markup}</div>").iter("img"))


@pytest.mark.parametrize(
    "markup, kind",
    [  # the archive's furniture, as its pages have it (a census of the 8,914 pages' <img>)
        ('<img src="../works/return2.jpg" alt="return" usemap="#r" width="400" height="139">', "return"),
        ('<a href="../../index.htm"><img src="../../pabl-z.gif" alt="Pablo icon"></a>', "a link's icon"),
        ('<h3><img src="images/banner.jpg" width="680" height="200"></h3>', "a heading's image"),
        ('<img src="pics/spacer.gif" width="1" height="1">', "a spacer or glyph"),
        ('<img src="../images/next.gif" alt="Next">', "an arrow, button or banner"),
        ('<center><img src="index.gif" alt="Cuban History" width="600" height="100"></center>', "a banner"),
    ],
)
def test_furniture_kinds(markup: str, kind: str) -> None:
    assert furniture(img(markup)) == kind


@pytest.mark.parametrize(
    "markup",
    [  # figures: a chart, a photograph in a table cell, a thumbnail of a larger image
        '<p><img src="bonus_shares.png" alt="Bonus shares issued in 1920"></p>',
        '<table><tr><td><img src="gr000010.jpg" width="609" height="370"></td></tr></table>',
        '<a href="../../images/covers/power_front.jpg"><img src="power_front_thumb.jpg" width="100"></a>',
    ],
)
def test_figures_are_not_furniture(markup: str) -> None:
    assert furniture(img(markup)) is None


def test_a_thumbnail_stands_for_the_larger_image() -> None:
    assert figure_src(img('<a href="big.jpg"><img src="big-th.jpg"></a>')) == ("big.jpg", "big-th.jpg")
    assert figure_src(img('<img src="fig1.jpg">')) == ("fig1.jpg", None)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG that declares a huge size (its pixel data never decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


BAD = {
    "truncated JPEG": (photo_jpeg()[:2000], "damaged or truncated JPEG"),
    "PNG bomb": (png_bomb(), "decompression bomb"),
    "PNG declaring 8000 x 8000": (png_bomb(8000, 8000), "8000 x 8000 pixels"),
    "SVG with script": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "script"),
    "SVG with a handler": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><rect/></svg>', "event handler"),
    "HTML named .jpg": (b"<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>", "HTML"),
    "empty": (b"", "empty"),
}


@pytest.fixture(params=[False, True], ids=["alone", "after-weasyprint"])
def truncated_setting(request: pytest.FixtureRequest):
    """Pillow's global as it is alone, and as WeasyPrint sets it on import (True)."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = request.param
    yield
    ImageFile.LOAD_TRUNCATED_IMAGES = before


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_images_are_refused_in_one_line(case: str, truncated_setting: None) -> None:
    data, why = BAD[case]
    with pytest.raises(ImageRefused) as caught:
        inspect(data)
    message = str(caught.value)
    assert why in message and "\n" not in message and len(message) < 200


def test_good_images_are_read_by_their_bytes() -> None:
    assert inspect(chart_png()).media_type == "image/png"
    assert (inspect(photo_jpeg()).width, inspect(photo_jpeg()).height) == (609, 370)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="5" height="5"/></svg>'
    assert inspect(svg).media_type == "image/svg+xml"


def test_edition_copies_same_bytes_or_a_reproducible_conversion() -> None:
    png = chart_png()
    assert for_edition(png).data == png and for_edition(png).converted is None
    bmp = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(bmp, "BMP")
    converted = for_edition(bmp.getvalue())
    assert converted.media_type == "image/png" and "converted from image/bmp" in (converted.converted or "")
    big = photo_jpeg((3200, 1000))
    scaled = for_edition(big)
    assert max(scaled.width, scaled.height) == MAX_EDITION_SIDE and scaled.media_type == "image/jpeg"
    assert for_edition(big).data == scaled.data  # the same bytes in, the same bytes out
    assert for_edition(bmp.getvalue()).data == converted.data
