"""The figure fixture: a copy of ``tests/figures/site`` with the image files its pages name.

The shared archive holds the pages but not their images, so each image is drawn here
with Pillow, deterministically (fixed sizes, colours, no metadata): the same bytes on
every run, so editions built from them are reproducible too.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

SITE = Path(__file__).resolve().parent / "site"
CHART = "archive/fitzgerald/1922/bonus_shares.png"
PHOTO = "archive/harman/2003/05/gr000010.jpg"
THUMB = "archive/grant/images/covers/power_front_thumb.jpg"
LARGE = "archive/grant/images/covers/power_front.jpg"
MISSING = "archive/grant/images/covers/power_back.jpg"
GIF = "archive/higgins/1997/locust/5cnd.gif"
FACSIMILE = "archive/radek/1922/08/letter1.jpg"
FACSIMILE_MISSING = "archive/radek/1922/08/letter2.jpg"
FURNITURE = ("archive/pablo/pabl-z.gif", "glossary/people/m/pics/marx.jpg")
WORKS = {
    "fitzgerald-1922-ray-hope": "archive/fitzgerald/1922/ray_hope.htm",
    "harman-2003-iraq": "archive/harman/2003/05/iraq.htm",
    "grant-1942-power": "archive/grant/1942/06/power.htm",
    "higgins-1997-chap05": "archive/higgins/1997/locust/chap05.htm",
    "pablo-1948-yugoslavia": "archive/pablo/1948/08/yugoslavia.htm",
    "radek-1922-letter": "archive/radek/1922/08/letter.htm",
}
# The works whose pages state no free licence: the tests record a permission for them, as
# an editor would (README, "For distributors"), so their editions are built.
PERMITTED = ("harman-2003-iraq", "grant-1942-power", "higgins-1997-chap05", "pablo-1948-yugoslavia")
PERMISSION = {"granted_by": "the figure tests", "date": "2026-01-01", "reference": "tests/figures/fixture.py"}


def chart_png() -> bytes:
    """A bar chart: white ground, axes, five bars."""
    img = Image.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(img)
    draw.line([(40, 20), (40, 270), (460, 270)], fill="black", width=2)
    for i, h in enumerate((60, 120, 200, 150, 90)):
        x = 70 + i * 78
        draw.rectangle([x, 270 - h, x + 50, 269], fill=(40 + 40 * i, 80, 160))
    return _save(img, "PNG")


def photo_jpeg(size: tuple[int, int] = (609, 370)) -> bytes:
    """A 'photograph': a smooth gradient with shapes, as JPEG."""
    w, h = size
    img = Image.linear_gradient("L").resize((w, h)).convert("RGB")
    draw = ImageDraw.Draw(img)
    draw.ellipse([w // 4, h // 4, w // 2, h // 2 + h // 4], fill=(150, 110, 70))
    draw.rectangle([w // 2, h // 3, w - w // 6, h - h // 8], fill=(60, 90, 60))
    return _save(img, "JPEG")


def cartoon_gif() -> bytes:
    img = Image.new("P", (300, 271), 255)
    img.putpalette([0, 0, 0] * 1 + [255, 255, 255] * 255)
    draw = ImageDraw.Draw(img)
    draw.ellipse([60, 40, 240, 220], outline=0, width=4)
    draw.line([(150, 40), (150, 220)], fill=0, width=4)
    draw.line([(150, 130), (85, 195)], fill=0, width=4)
    draw.line([(150, 130), (215, 195)], fill=0, width=4)
    return _save(img, "GIF")


def icon_gif() -> bytes:
    return _save(Image.new("P", (50, 50), 3), "GIF")


def _save(img: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def images() -> dict[str, bytes]:
    """Every image file the fixture has, by site path (the missing one is absent)."""
    return {
        CHART: chart_png(),
        PHOTO: photo_jpeg(),
        LARGE: photo_jpeg((800, 1194)),
        THUMB: photo_jpeg((100, 149)),
        GIF: cartoon_gif(),
        FACSIMILE: photo_jpeg((500, 652)),
        FURNITURE[0]: icon_gif(),
        FURNITURE[1]: photo_jpeg((50, 50)),
    }


def permit(sources: Path) -> None:
    """Record the fixture's permission in the manifests of :data:`PERMITTED` works."""
    for slug in PERMITTED:
        path = sources / slug / "manifest.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["permission"] = PERMISSION
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make_site(root: Path) -> Path:
    """The fixture site under ``root`` (pages copied, images drawn); returns ``root``."""
    shutil.copytree(SITE, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README.md"))
    for path, data in images().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root
