"""The typographic cover tells works apart at thumbnail size (issue 24): each author a
colour and a pattern of their own, the author and the title set large enough to read on
a 48 px thumbnail, the ink legible on every colour, the same bytes every time."""

from __future__ import annotations

import io

from PIL import Image

from pipeline.cover import INK, PALETTE, WIDTH, CoverText, layout, look_of, render_png
from tests.distribution.synthetic import AUTHORS

THUMBNAIL = 48  # px wide, as the library's lists show covers
LEGIBLE = 6  # px: the smallest letter size read on a thumbnail of that width


def luminance(colour: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = colour
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_background_keeps_the_ink_legible() -> None:
    for colour in PALETTE:
        ratio = (luminance(INK) + 0.05) / (luminance(colour) + 0.05)
        assert ratio >= 7, (colour, ratio)


def test_authors_get_looks_of_their_own_and_keep_them() -> None:
    looks = {author: look_of(author) for author in AUTHORS}
    assert len({look.background for look in looks.values()}) >= len(PALETTE) - 2
    assert len(set(looks.values())) >= len(AUTHORS) * 3 // 4
    assert look_of("Leon Trotsky") == look_of("Leon Trotsky ") == looks["Leon Trotsky"]


def test_author_and_title_are_legible_at_48_px() -> None:
    scale = THUMBNAIL / WIDTH
    for author, title in (
        ("Leon Trotsky", "Bureaucratism and Factional Groups"),
        ("Rosa Luxemburg", "The Russian Revolution"),
        ("José Carlos Mariátegui", "Seven Interpretive Essays on Peruvian Reality"),
        ("Владимир Ленин", "Письмо к съезду"),
    ):
        words = layout(CoverText(title, author, "1923", "Marxists Internet Archive"))
        assert words.author_size * scale >= LEGIBLE, (author, words)
        assert words.title_size * scale >= LEGIBLE * 0.75, (title, words)  # a book face, larger on the page


def test_two_authors_covers_differ_at_thumbnail_size_and_render_reproducibly() -> None:
    def thumbnail(author: str) -> Image.Image:
        png = render_png(CoverText("Strikes", author, "1930", "Marxists Internet Archive"))
        assert png == render_png(CoverText("Strikes", author, "1930", "Marxists Internet Archive"))
        return Image.open(io.BytesIO(png)).convert("RGB").resize((THUMBNAIL, THUMBNAIL * 3 // 2), Image.LANCZOS)

    a, b = thumbnail("Leon Trotsky"), thumbnail("Rosa Luxemburg")
    assert look_of("Leon Trotsky").background != look_of("Rosa Luxemburg").background
    pixel_a, pixel_b = a.getpixel((2, 40)), b.getpixel((2, 40))  # the margin beside the words: the background
    assert sum(abs(x - y) for x, y in zip(pixel_a, pixel_b)) > 60, (pixel_a, pixel_b)


def test_a_long_title_stops_above_the_year() -> None:
    """The title's size is the largest at which the author's lines, the rule, the title and
    the year stack without overlap (a four-line title once ran over the year)."""
    from pipeline.cover import YEAR_FLOOR, YEAR_GAP

    for author, title in (
        ("Vladimir Lenin", "Tenth Congress of the R.C.P.(B.)"),
        ("Alexander Kerensky", "The Catastrophe: Kerensky's Own Story of the Russian Revolution"),
        ("José Carlos Mariátegui", "Seven Interpretive Essays on Peruvian Reality and Other Writings"),
    ):
        words = layout(CoverText(title, author, "1921", "Marxists Internet Archive"))
        assert words.title_bottom + YEAR_GAP <= YEAR_FLOOR, (title, words)
