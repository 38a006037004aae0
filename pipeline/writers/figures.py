"""The master's figures for the editions: their image files, as each edition carries them.

A present figure's ``graphic/@url`` names its image file relative to the master
(``figures/...``, put there by ``ingest``); the editions carry it as
:func:`pipeline.images.for_edition` makes it (the same bytes when they suit a reading
system, else a reproducible conversion), numbered in document order: ``figure-1.png``...
A missing figure (``figure[@type]``) has no file: every edition says
"[Image not available: ...]" in its place. The words are :func:`label` and
:func:`missing_text`, which verify restates, not imports.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipeline.errors import PipelineError
from pipeline.images import EXTENSIONS, EditionImage, ImageRefused, for_edition
from pipeline.master.tei import T


@dataclass(frozen=True)
class FigureFile:
    number: int  # 1, 2, ... in document order among the present figures
    image: EditionImage

    @property
    def name(self) -> str:
        return f"figure-{self.number}{EXTENSIONS[self.image.media_type]}"


def figures(tei: etree._Element) -> list[etree._Element]:
    """The body's figures in document order."""
    body = tei.find(f"{T('text')}/{T('body')}")
    return [] if body is None else list(body.iter(T("figure")))


def is_missing(fig: etree._Element) -> bool:
    return fig.get("type") in ("missing", "external")


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def caption(fig: etree._Element) -> str:
    return _text(fig.find(T("head")))


def alt_text(fig: etree._Element) -> str:
    return _text(fig.find(T("figDesc")))


def file_name(fig: etree._Element) -> str:
    graphic = fig.find(T("graphic"))
    url = graphic.get("url", "") if graphic is not None else ""
    return posixpath.basename(unquote(urlsplit(url).path)) or "image"


def label(fig: etree._Element) -> str:
    """What a figure is, in words: its caption, else its alt text, else its file's name."""
    return caption(fig) or alt_text(fig) or file_name(fig)


def missing_text(fig: etree._Element) -> str:
    """The line a missing figure gets in every edition."""
    return f"[Image not available: {alt_text(fig) or file_name(fig)}]"


def txt_line(fig: etree._Element) -> str:
    """The text edition's line for a figure: "[Figure: ...]", or "[Image not available: ...]"."""
    return f"[{'Image not available' if is_missing(fig) else 'Figure'}: {label(fig)}]"


def load(tei: etree._Element, master: Path) -> dict[etree._Element, FigureFile]:
    """Every present figure's image, read beside ``master`` and prepared for an edition;
    a one-line error when a file is absent or is no usable image."""
    out: dict[etree._Element, FigureFile] = {}
    for fig in figures(tei):
        if is_missing(fig):
            continue
        graphic = fig.find(T("graphic"))
        url = graphic.get("url", "") if graphic is not None else ""
        path = master.parent / unquote(url)
        try:
            data = path.read_bytes()
        except OSError:
            raise PipelineError(
                f"the figure's image {url!r} is not beside the master (run `pipeline ingest` again)",
                master,
                fig.sourceline,
            ) from None
        try:
            image = for_edition(data)
        except ImageRefused as exc:
            raise PipelineError(f"the figure's image {url!r}: {exc}", master, fig.sourceline) from None
        out[fig] = FigureFile(len(out) + 1, image)
    return out
