"""The book typeface for the PDF edition: EB Garamond, from the PyPI package ``fontpkg-eb-garamond``.

The face is a Python dependency (not a system font) so every machine that installs the
pipeline sets the same type, and the PDF embeds the same glyphs wherever it is built.
``fontpkg`` tells where the package put its files; the print stylesheet loads them with
``@font-face`` rules pointing at ``file:`` URLs. DejaVu Serif (Debian's
``fonts-dejavu-core``) follows in the font stack only for characters Garamond lacks.

The package's files are variable fonts (one file per style, weights 400-800). WeasyPrint
turns a variable font into a static one for every PDF it writes, over all of the font's
glyphs: two thirds of a short book's rendering time. So the stylesheet names static
instances of the weights the print stylesheet uses, made once per machine by fontTools'
instancer (the same code WeasyPrint runs) and kept beside the installed packages (the
virtual environment's ``share/``, made by ``make setup``; the user's cache folder outside
one); WeasyPrint then only subsets them. An instance is a pure function of the variable
font's bytes, the weight and the locked fontTools, all of which name its file, so a stale
one is never read.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

BOOK_FAMILY = "EB Garamond"
FALLBACK_FAMILIES = ("DejaVu Serif",)
# The weights print.css sets (400, and 600 for strong and th) and the browser default bold
# (700), which an element without a weight of its own in print.css may still ask for.
STATIC_WEIGHTS = (400, 600, 700)
# Names how an instance is made (bump it when write_instance changes what it writes): part of
# the instance's file name, so an instance made the old way is never read again.
INSTANCE_RECIPE = 2


@dataclass(frozen=True)
class FontFace:
    """One font file of the book family and the style it serves."""

    family: str
    path: Path
    style: str  # "normal" | "italic"
    weight: int | None = None  # a static instance's weight; None: the file's own range


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


def cache_folder() -> Path:
    """Where the static instances are kept: the virtual environment's ``share/`` (they
    derive from its packages, and every copy of the project using it finds them), else
    ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    if sys.prefix != sys.base_prefix:
        return Path(sys.prefix) / "share" / "mia-pipeline" / "fonts"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mia-pipeline" / "fonts"


def instance_path(variable: Path, weight: int, folder: Path) -> Path:
    """The instance's file name: the variable font's name, the weight, and a digest of
    the font's bytes, the weight and fontTools' version."""
    import fontTools

    recipe = f"|{weight}|{fontTools.version}|{INSTANCE_RECIPE}".encode()
    key = hashlib.sha256(variable.read_bytes() + recipe).hexdigest()[:20]
    return folder / f"{variable.stem.split('[')[0]}-{weight}-{key}.ttf"


def static_instance(variable: Path, weight: int, folder: Path) -> Path:
    """The static instance of ``variable`` at ``weight``, made on first use.

    Made under a lock (parallel workers wait for one to make it rather than each
    spending seconds on the same file), written to a temporary file and renamed into
    place, so no reader ever sees half a font.
    """
    path = instance_path(variable, weight, folder)
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            write_instance(variable, weight, path)
    return path


def write_instance(variable: Path, weight: int, path: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    # recalcTimestamp=False: fontTools would stamp the file with the time it was saved, and
    # the PDF embeds the font's head table: two machines would make different PDFs.
    font = instantiateVariableFont(TTFont(variable, recalcTimestamp=False), {"wght": weight}, static=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            font.save(out)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from the machine's other users
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_variable(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return "fvar" in font and any(axis.axisTag == "wght" for axis in font["fvar"].axes)


@functools.cache
def print_faces() -> tuple[FontFace, ...]:
    """The faces the print stylesheet loads: each variable file's static instances at
    ``STATIC_WEIGHTS`` (made in a private temporary folder when the cache folder cannot
    be written), a static file as it is."""
    faces: list[FontFace] = []
    for face in book_faces():
        if not is_variable(face.path):
            faces.append(face)
            continue
        for weight in STATIC_WEIGHTS:
            try:
                path = static_instance(face.path, weight, cache_folder())
            except OSError:
                path = static_instance(face.path, weight, Path(tempfile.mkdtemp(prefix="mia-fonts-")))
            faces.append(FontFace(face.family, path, face.style, weight))
    return tuple(faces)


@functools.cache
def font_face_css() -> str:
    """``@font-face`` rules for the book family: one per static instance, with its
    weight (a variable file left as it is gets no ``font-weight``: fontconfig reads its
    range and WeasyPrint instantiates the weight each box asks for)."""
    rules = []
    for face in print_faces():
        weight = f"  font-weight: {face.weight};\n" if face.weight is not None else ""
        rules.append(
            "@font-face {\n"
            f"  font-family: {css_string(face.family)};\n"
            f"  src: url({css_string(face.path.resolve().as_uri())});\n"
            f"  font-style: {face.style};\n"
            f"{weight}"
            "}"
        )
    return "\n".join(rules) + "\n"


def font_stack() -> str:
    """The ``font-family`` value: the book face first, DejaVu for what it lacks."""
    return ", ".join([css_string(BOOK_FAMILY), *map(css_string, FALLBACK_FAMILIES), "serif"])
