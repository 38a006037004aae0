"""A typographic cover, drawn here from the master's title, author and year.

Outside the writers because two parts draw it: the EPUB writer puts it in the book, and
the library site (:mod:`pipeline.distribution.covers`) shows the same cover for a work
whose EPUB has no raster cover; so publishing needs no writer's code.

PNG rather than SVG because reading systems and shop front-ends (Kobo, Apple Books'
library, e-ink thumbnails) show a raster cover reliably, while SVG covers are often
skipped. The letters are set in EB Garamond, the OFL face the project already installs
for the PDF (``fontpkg-eb-garamond``), so the cover looks the same on every machine;
DejaVu Serif stands in for scripts EB Garamond lacks, then whatever font fontconfig
finds for the letters (CJK, for instance, when such a font is installed). Pillow (already required by
WeasyPrint) writes PNG without timestamps, so the same master gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 1800  # 2:3, the usual e-book cover proportion
MARGIN = 110
BACKGROUND = (122, 24, 20)  # a deep red
INK = (247, 241, 228)  # warm off-white: contrast ratio above 10:1 on the red
RULE = (214, 170, 120)

DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


@dataclass(frozen=True)
class CoverText:
    title: str
    author: str
    year: str | None
    imprint: str  # the archive the text comes from, set small at the foot


def _garamond() -> Path | None:
    try:
        import fontpkg_eb_garamond
    except ImportError:
        return None
    path = Path(fontpkg_eb_garamond.__file__).parent / "files" / "EBGaramond[wght].ttf"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=8)
def _coverage(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable font covers nothing
        return frozenset()


@functools.lru_cache(maxsize=32)
def _fontconfig_match(codepoints: frozenset[int]) -> Path | None:
    """The font fontconfig picks for these characters, if fontconfig is installed."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    charset = " ".join(f"{c:x}" for c in sorted(codepoints))
    try:
        found = subprocess.run(
            [fc_match, "-f", "%{file}", f"serif:charset={charset}"], capture_output=True, text=True, timeout=20
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found and Path(found).suffix.lower() in (".ttf", ".otf", ".ttc") else None


def _font_for(text: str) -> Path | None:
    """EB Garamond if it has every letter of ``text``, else DejaVu Serif, else the font
    fontconfig finds for them; failing all, EB Garamond (missing letters show as boxes)."""
    needed = frozenset(ord(c) for c in text if not c.isspace())
    candidates = [c for c in (_garamond(), DEJAVU_SERIF) if c is not None and c.is_file()]
    for candidate in candidates:
        if needed <= _coverage(candidate):
            return candidate
    matched = _fontconfig_match(needed)
    if matched is not None and matched.is_file() and needed <= _coverage(matched):
        return matched
    return candidates[0] if candidates else None


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont  # a font file's, or Pillow's own when no file is found
Colour = tuple[int, int, int]  # RGB


def _load(path: Path | None, size: int, weight: int = 400) -> Font:
    if path is None:
        return ImageFont.load_default(size)
    font = ImageFont.truetype(str(path), size)
    try:
        font.set_variation_by_axes([weight])
    except (OSError, AttributeError):  # not a variable font (DejaVu)
        pass
    return font


def _wrap(text: str, font: Font, width: int) -> list[str]:
    """Greedy line breaking by measured width (a word wider than the line stands alone)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and font.getlength(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def _fit(
    text: str, path: Path | None, width: int, sizes: range, max_lines: int, weight: int
) -> tuple[Font, list[str], int]:
    """The largest size at which ``text`` fits in ``max_lines`` lines of ``width``: (font, lines, size)."""
    for size in sizes:
        font = _load(path, size, weight)
        lines = _wrap(text, font, width)
        if len(lines) <= max_lines and all(font.getlength(line) <= width for line in lines):
            return font, lines, size
    font = _load(path, sizes[-1], weight)
    return font, _wrap(text, font, width), sizes[-1]


def _centre(draw: ImageDraw.ImageDraw, y: float, line: str, font: Font, fill: Colour) -> None:
    draw.text((WIDTH / 2, y), line, font=font, fill=fill, anchor="ma")


def render_png(cover: CoverText) -> bytes:
    """The cover as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN

    # a thin frame, like a cloth binding's blind stamp
    draw.rectangle((MARGIN / 2, MARGIN / 2, WIDTH - MARGIN / 2, HEIGHT - MARGIN / 2), outline=RULE, width=3)

    author = cover.author.upper()
    author_font, author_lines, author_size = _fit(author, _font_for(author), inner, range(64, 30, -2), 2, 500)
    y = 300.0
    for line in author_lines:
        _centre(draw, y, line, author_font, INK)
        y += author_size * 1.25

    y += 60
    draw.line((WIDTH / 2 - 120, y, WIDTH / 2 + 120, y), fill=RULE, width=3)
    y += 90

    title_font, title_lines, title_size = _fit(cover.title, _font_for(cover.title), inner, range(120, 44, -4), 6, 500)
    for line in title_lines:
        _centre(draw, y, line, title_font, INK)
        y += title_size * 1.18

    if cover.year:
        y += 70
        year_font = _load(_font_for(cover.year), 72, 400)
        _centre(draw, y, cover.year, year_font, RULE)

    imprint_font = _load(_font_for(cover.imprint), 38, 400)
    _centre(draw, HEIGHT - MARGIN - 90, cover.imprint, imprint_font, INK)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)  # level 9 cost 90 ms a book for 5% smaller files
    return out.getvalue()


def alt_text(cover: CoverText) -> str:
    """The cover's text alternative: everything the image says."""
    year = f", {cover.year}" if cover.year else ""
    return f"Cover: {cover.title}, by {cover.author}{year}. {cover.imprint}."
