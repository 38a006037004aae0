"""A typographic cover, drawn here from the master's title, author and year.

Made to be told apart at thumbnail size (the library's lists show it 48 px wide): the
author's name and the title are set as large as they fit (bold, the author in a
condensed sans, the title in EB Garamond), and each author gets a colour and a pattern
of their own, picked from the author's display string by its sha256, so one author's
works look alike and two authors' differ, on every machine and in every build. The
palette's colours all keep the off-white ink above 7:1 contrast.

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
import hashlib
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 1800  # 2:3, the usual e-book cover proportion
MARGIN = 110
INK = (247, 241, 228)  # warm off-white: contrast ratio above 7:1 on every background
RULE = (214, 170, 120)
# Deep colours, distinct in hue at a glance; an author's is PALETTE[sha256(name) % len].
PALETTE: tuple[tuple[int, int, int], ...] = (
    (122, 24, 20),  # the red of the first covers
    (24, 58, 104),  # navy
    (22, 84, 62),  # green
    (92, 36, 102),  # plum
    (110, 62, 12),  # umber
    (20, 84, 96),  # teal
    (60, 60, 66),  # graphite
    (128, 30, 74),  # wine
    (46, 70, 20),  # olive
    (70, 40, 120),  # indigo
    (30, 40, 64),  # ink blue
)
PATTERNS = ("stripes", "dots", "chevrons", "bars", "checks", "rings")
BAND = 150  # the patterned bands at the top and the foot
AUTHOR_LEADING, TITLE_LEADING = 1.15, 1.1  # line heights, in times the type size
# The stack of words, top down (px): the author's lines from AUTHOR_TOP, a rule RULE_GAP
# below them, the title TITLE_GAP below the rule, the year YEAR_GAP below the title but
# never below YEAR_FLOOR (the imprint's place).
AUTHOR_TOP, RULE_GAP, TITLE_GAP, YEAR_GAP = BAND + 90, 50, 80, 80
YEAR_FLOOR = HEIGHT - BAND - 220

DEJAVU_SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
DEJAVU_SANS_CONDENSED_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf")


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


def _font_for(text: str, sans: bool = False) -> Path | None:
    """EB Garamond (DejaVu Sans Condensed Bold if ``sans``) if it has every letter of
    ``text``, else DejaVu Serif, else the font fontconfig finds for them; failing all, the
    first (missing letters show as boxes)."""
    needed = frozenset(ord(c) for c in text if not c.isspace())
    first = DEJAVU_SANS_CONDENSED_BOLD if sans else _garamond()
    candidates = [c for c in (first, DEJAVU_SERIF) if c is not None and c.is_file()]
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
    text: str, path: Path | None, width: int, sizes: range, max_lines: int, weight: int, height: float = 1e9
) -> tuple[Font, list[str], int]:
    """The largest size at which ``text`` fits in ``max_lines`` lines of ``width`` and in
    ``height`` (lines at LEADING times their size): (font, lines, size)."""
    for size in sizes:
        font = _load(path, size, weight)
        lines = _wrap(text, font, width)
        fits = len(lines) <= max_lines and len(lines) * size * TITLE_LEADING <= height
        if fits and all(font.getlength(line) <= width for line in lines):
            return font, lines, size
    font = _load(path, sizes[-1], weight)
    return font, _wrap(text, font, width), sizes[-1]


def _centre(draw: ImageDraw.ImageDraw, y: float, line: str, font: Font, fill: Colour) -> None:
    draw.text((WIDTH / 2, y), line, font=font, fill=fill, anchor="ma")


@dataclass(frozen=True)
class Look:
    """What sets an author's covers apart: a background colour and a pattern."""

    background: Colour
    pattern: str


def look_of(author: str) -> Look:
    """The author's colour and pattern, from the sha256 of the display string as given
    (so the same name always draws the same cover)."""
    digest = hashlib.sha256(author.strip().casefold().encode("utf-8")).digest()
    return Look(PALETTE[digest[0] % len(PALETTE)], PATTERNS[digest[1] % len(PATTERNS)])


def _tint(colour: Colour, amount: float) -> Colour:
    r, g, b = (round(c + (255 - c) * amount) for c in colour)
    return (r, g, b)


def _pattern(draw: ImageDraw.ImageDraw, look: Look, top: int, bottom: int) -> None:
    """The author's pattern across a band from ``top`` to ``bottom``, in a lighter tone."""
    tone = _tint(look.background, 0.22)
    step = 50
    for i, x in enumerate(range(-bottom, WIDTH + bottom, step)):
        if look.pattern == "stripes":
            draw.line((x, bottom, x + (bottom - top), top), fill=tone, width=14)
        elif look.pattern == "bars" and 0 <= x <= WIDTH:
            draw.rectangle((x, top, x + 18, bottom), fill=tone)
        elif look.pattern == "chevrons" and 0 <= x <= WIDTH:
            mid = (top + bottom) / 2
            draw.line((x, top + 30, x + step / 2, mid, x, bottom - 30), fill=tone, width=10)
        elif look.pattern in ("dots", "rings", "checks") and 0 <= x <= WIDTH:
            for j, y in enumerate(range(top + step // 2, bottom, step)):
                box = (x + 8, y - 17, x + 42, y + 17)
                if look.pattern == "dots":
                    draw.ellipse(box, fill=tone)
                elif look.pattern == "rings":
                    draw.ellipse(box, outline=tone, width=7)
                elif (i + j) % 2 == 0:
                    draw.rectangle((x, y - step // 2, x + step, y + step // 2), fill=tone)


@dataclass(frozen=True)
class Layout:
    """The sizes the cover's words got (px on the 1200 px cover): what a thumbnail keeps."""

    author_size: int
    author_lines: list[str]
    title_size: int
    title_lines: list[str]
    title_top: float  # where the title's first line stands

    @property
    def title_bottom(self) -> float:
        return self.title_top + len(self.title_lines) * self.title_size * TITLE_LEADING


def layout(cover: CoverText) -> Layout:
    inner = WIDTH - 2 * MARGIN
    _, author_lines, author_size = _fit(
        cover.author, _font_for(cover.author, sans=True), inner, range(170, 58, -4), 2, 700
    )
    # the title fills what the author's lines, the rule and the year leave: a long title at
    # the largest width-fitting size once ran over the year
    title_top = AUTHOR_TOP + len(author_lines) * author_size * AUTHOR_LEADING + RULE_GAP + TITLE_GAP
    room = YEAR_FLOOR - (YEAR_GAP if cover.year else 0) - title_top
    _, title_lines, title_size = _fit(cover.title, _font_for(cover.title), inner, range(210, 52, -4), 5, 700, room)
    return Layout(author_size, author_lines, title_size, title_lines, title_top)


def render_png(cover: CoverText) -> bytes:
    """The cover as PNG bytes."""
    look = look_of(cover.author)
    image = Image.new("RGB", (WIDTH, HEIGHT), look.background)
    draw = ImageDraw.Draw(image)
    _pattern(draw, look, 0, BAND)
    _pattern(draw, look, HEIGHT - BAND, HEIGHT)
    words = layout(cover)

    author_font = _load(_font_for(cover.author, sans=True), words.author_size, 700)
    y = float(AUTHOR_TOP)
    for line in words.author_lines:
        _centre(draw, y, line, author_font, INK)
        y += words.author_size * AUTHOR_LEADING

    y += RULE_GAP
    draw.line((WIDTH / 2 - 160, y, WIDTH / 2 + 160, y), fill=RULE, width=8)

    title_font = _load(_font_for(cover.title), words.title_size, 700)
    y = words.title_top
    for line in words.title_lines:
        _centre(draw, y, line, title_font, INK)
        y += words.title_size * TITLE_LEADING

    if cover.year:
        year_font = _load(_font_for(cover.year), 80, 600)
        _centre(draw, min(words.title_bottom + YEAR_GAP, YEAR_FLOOR), cover.year, year_font, RULE)

    imprint_font = _load(_font_for(cover.imprint), 40, 500)
    _centre(draw, HEIGHT - BAND - 90, cover.imprint, imprint_font, INK)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)  # level 9 cost 90 ms a book for 5% smaller files
    return out.getvalue()


def alt_text(cover: CoverText) -> str:
    """The cover's text alternative: everything the image says."""
    year = f", {cover.year}" if cover.year else ""
    return f"Cover: {cover.title}, by {cover.author}{year}. {cover.imprint}."
