"""The book typeface for the PDF edition: EB Garamond, from the PyPI package ``fontpkg-eb-garamond``.

The face is a Python dependency (not a system font) so every machine that installs the
pipeline sets the same type, and the PDF embeds the same glyphs wherever it is built.
``fontpkg`` tells where the package put its files; the print stylesheet loads them with
``@font-face`` rules pointing at ``file:`` URLs. DejaVu Serif (Debian's
``fonts-dejavu-core``) follows in the font stack only for characters Garamond lacks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

BOOK_FAMILY = "EB Garamond"
FALLBACK_FAMILIES = ("DejaVu Serif",)


@dataclass(frozen=True)
class FontFace:
    """One font file of the book family and the style it serves."""

    family: str
    path: Path
    style: str  # "normal" | "italic"


@functools.cache
def book_faces() -> tuple[FontFace, ...]:
    """The installed files of the book family (cached: the package does not move during a run)."""
    try:
        import fontpkg

        family = fontpkg.family(BOOK_FAMILY)
    except Exception as exc:  # ImportError or fontpkg.FamilyNotInstalled
        raise PipelineError(
            f"the PDF's typeface {BOOK_FAMILY} is not installed ({exc}); run `make setup` "
            "or `pip install fontpkg-eb-garamond`"
        ) from None
    faces = tuple(FontFace(BOOK_FAMILY, f.path, f.style) for f in family.files if f.path.is_file())
    if not any(face.style == "normal" for face in faces):
        raise PipelineError(
            f"the {BOOK_FAMILY} package has no upright font file",
            Path(str(family.files[0].path)) if family.files else None,
        )
    return faces


def css_string(value: str) -> str:
    """A CSS string literal (font names and URLs may hold quotes or backslashes)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


@functools.cache
def font_face_css() -> str:
    """``@font-face`` rules for the book family.

    No ``font-weight`` descriptor: the files are variable fonts (wght 400-800), and
    WeasyPrint can only assign one weight per rule; left alone, fontconfig reads the
    weight range from the file and WeasyPrint instantiates the weight each box asks for.
    """
    rules = []
    for face in book_faces():
        rules.append(
            "@font-face {\n"
            f"  font-family: {css_string(face.family)};\n"
            f"  src: url({css_string(face.path.resolve().as_uri())});\n"
            f"  font-style: {face.style};\n"
            "}"
        )
    return "\n".join(rules) + "\n"


def font_stack() -> str:
    """The ``font-family`` value: the book face first, DejaVu for what it lacks."""
    return ", ".join([css_string(BOOK_FAMILY), *map(css_string, FALLBACK_FAMILIES), "serif"])
