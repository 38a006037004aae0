"""The figures check: every figure of the master is in every edition (issue 25).

The text comparison leaves figures out on both sides (the master's ``<figure>``, the
EPUB's ``<figure>``, the words the PDF and the text edition print for a figure, which
:func:`without_figures` takes out of their streams), and this check judges them:

- EPUB: a ``<figure>`` per master figure, in order; a present one's ``<img>`` has a text
  alternative and its file holds the bytes of the master's image file, or the
  conversion :func:`pipeline.images.for_edition` records (the same function, with fixed
  settings, gives the same bytes); its caption is the master's head; a missing one says
  "[Image not available: ...]".
- PDF: each present figure's image once, at its pixel size, inside the text block (the
  extent of the text on the text pages), on a page that also prints its caption.
- Text: a "[Figure: ...]" or "[Image not available: ...]" line per figure, in order.

The words are restated here, not imported from the writers: the judge shares no code
with what it judges (``pipeline.images`` is the shared image model, like the TEI).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipeline.images import ImageRefused, for_edition
from pipeline.master.tei import T
from pipeline.verify.ascii import fold, unescape
from pipeline.verify.differences import Difference
from pipeline.words import Token, tokens

XHTML = "{http://www.w3.org/1999/xhtml}"
FIGURE_LINE = re.compile(r"^\s*\[(Figure|Image not available): ")
EDGE_PT = 3.0  # points an image may stand beyond the text's extent (rounding, a border)


@dataclass(frozen=True)
class MasterFigure:
    number: int  # 1, 2, ... in document order
    missing: bool
    url: str  # graphic/@url: the file beside the master, or the missing image's address
    caption: str
    alt: str
    line: int

    @property
    def name(self) -> str:
        return posixpath.basename(unquote(urlsplit(self.url).path)) or "image"

    @property
    def label(self) -> str:
        return self.caption or self.alt or self.name

    @property
    def txt_line(self) -> str:
        return f"[{'Image not available' if self.missing else 'Figure'}: {self.label}]"

    @property
    def missing_text(self) -> str:
        return f"[Image not available: {self.alt or self.name}]"


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def master_figures(tei: etree._Element) -> list[MasterFigure]:
    body = tei.find(f"{T('text')}/{T('body')}")
    out: list[MasterFigure] = []
    for n, fig in enumerate([] if body is None else body.iter(T("figure")), 1):
        graphic = fig.find(T("graphic"))
        out.append(
            MasterFigure(
                n,
                fig.get("type") in ("missing", "external"),
                graphic.get("url", "") if graphic is not None else "",
                _text(fig.find(T("head"))),
                _text(fig.find(T("figDesc"))),
                fig.sourceline or 0,
            )
        )
    return out


def printed_texts(figures: list[MasterFigure], fmt: str) -> list[str]:
    """The words an edition prints for each figure, in order (``fmt``: "pdf" or "txt")."""
    if fmt == "txt":
        return [f.txt_line for f in figures]
    return [" ".join(filter(None, [f.missing_text if f.missing else "", f.caption])) for f in figures]


def without_figures(got: list[Token], texts: list[str], labels: frozenset[str] = frozenset()) -> list[Token]:
    """``got`` without the words printed for the figures: each text's words where they
    first follow the previous figure's (left in place when not found: a difference)."""
    out = list(got)
    start = 0
    for text in texts:
        keys = [t.key for t in tokens(text, "", labels)]
        if not keys:
            continue
        for i in range(start, len(out) - len(keys) + 1):
            if [t.key for t in out[i : i + len(keys)]] == keys:
                del out[i : i + len(keys)]
                start = i
                break
    return out


def check_figures(slug: str, tei: etree._Element, master: Path, editions: list[Path]) -> list[Difference]:
    """Every figure of the master in every edition present; the differences found."""
    figures = master_figures(tei)
    if not figures:
        return []
    out: list[Difference] = []
    for path in editions:
        try:
            if path.suffix == ".epub":
                out += epub_figures(slug, path, master, figures)
            elif path.suffix == ".pdf":
                out += pdf_figures(slug, path, master, figures)
            elif path.suffix == ".txt":
                out += txt_figures(slug, path, figures)
        except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError) as exc:
            out.append(Difference(slug, path.name, "unreadable", "file", detail=f"figures unreadable: {exc}"))
    return out


def _missing(slug: str, edition: str, fig: MasterFigure, detail: str) -> Difference:
    return Difference(slug, edition, "missing", "figures", f"line {fig.line}", [f"figure {fig.number}"], detail=detail)


def expected_image(master: Path, fig: MasterFigure) -> tuple[bytes, int, int] | None:
    """The image an edition carries for a present figure (bytes, width, height); None if unusable."""
    try:
        image = for_edition((master.parent / unquote(fig.url)).read_bytes())
    except (OSError, ImageRefused):
        return None
    return image.data, image.width, image.height


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
OCF = "{urn:oasis:names:tc:opendocument:xmlns:container}"
OPF = "{http://www.idpf.org/2007/opf}"


def spine_documents(book: zipfile.ZipFile) -> list[str]:
    """The EPUB's content documents in reading order (its package's spine), as names in the
    zip: a book split one document per chapter has "text-10.xhtml" after "text-9.xhtml",
    which an order by name would not give (nor the figures' order)."""
    container = etree.fromstring(book.read("META-INF/container.xml"), _PARSER)
    rootfile = container.find(f"{OCF}rootfiles/{OCF}rootfile")
    opf_name = rootfile.get("full-path", "") if rootfile is not None else ""
    opf = etree.fromstring(book.read(opf_name), _PARSER)
    hrefs = {item.get("id"): item.get("href", "") for item in opf.iter(f"{OPF}item")}
    base = posixpath.dirname(opf_name)
    return [
        posixpath.normpath(posixpath.join(base, unquote(hrefs[ref.get("idref")])))
        for ref in opf.iter(f"{OPF}itemref")
        if ref.get("idref") in hrefs
    ]


def epub_figures(slug: str, path: Path, master: Path, figures: list[MasterFigure]) -> list[Difference]:
    out: list[Difference] = []
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        found: list[tuple[str, etree._Element]] = []
        for name in spine_documents(book):
            root = etree.fromstring(book.read(name), _PARSER)
            found += [(name, f) for f in root.iter(f"{XHTML}figure") if "figure" in (f.get("class") or "").split()]
        for k, fig in enumerate(figures):
            if k >= len(found):
                out.append(_missing(slug, path.name, fig, "no <figure> for it in the EPUB"))
                continue
            name, el = found[k]
            caption = _text(el.find(f"{XHTML}figcaption"))
            if caption != fig.caption:
                out.append(_missing(slug, path.name, fig, f"caption {caption!r}, the master's {fig.caption!r}"))
            if fig.missing:
                if _text(el.find(f"{XHTML}p")) != fig.missing_text:
                    out.append(_missing(slug, path.name, fig, f"no {fig.missing_text!r} in the EPUB"))
                continue
            img = el.find(f"{XHTML}img")
            if img is None or not (img.get("alt") or "").strip():
                out.append(_missing(slug, path.name, fig, "no image with a text alternative"))
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(img.get("src") or "")))
            want = expected_image(master, fig)
            if target not in names or want is None or book.read(target) != want[0]:
                out.append(_missing(slug, path.name, fig, f"{target}: not the master's image (nor its conversion)"))
    if len(found) > len(figures):
        out.append(Difference(slug, path.name, "added", "figures", detail=f"{len(found) - len(figures)} figure(s)"))
    return out


def pdf_figures(slug: str, path: Path, master: Path, figures: list[MasterFigure]) -> list[Difference]:
    """Each present figure's image once, at its size, in the text block, on its caption's page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    out: list[Difference] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        placed: list[tuple[int, tuple[int, int], tuple[float, float, float, float]]] = []
        texts: list[str] = []
        left, bottom, right, top = 1e9, 1e9, -1e9, -1e9
        for p in range(len(pdf)):
            page = pdf[p]
            textpage = page.get_textpage()
            texts.append(" ".join(textpage.get_text_range().split()))
            if p > 0:  # the text block: the extent of the text of every page but the title page
                for r in range(textpage.count_rects()):
                    x0, y0, x1, y1 = textpage.get_rect(r)
                    left, bottom, right, top = min(left, x0), min(bottom, y0), max(right, x1), max(top, y1)
            for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=5):
                w, h = obj.get_px_size()
                placed.append((p, (int(w), int(h)), obj.get_bounds()))
    finally:
        pdf.close()
    for fig in figures:
        if fig.missing:
            continue
        want = expected_image(master, fig)
        size = (want[1], want[2]) if want else None
        hits = [(p, box) for p, px, box in placed if px == size]
        if len(hits) != 1:
            out.append(_missing(slug, path.name, fig, f"{len(hits)} image(s) of {size} pixels in the PDF, not one"))
            continue
        p, (x0, y0, x1, y1) = hits[0]
        if x0 < left - EDGE_PT or x1 > right + EDGE_PT or y0 < bottom - EDGE_PT or y1 > top + EDGE_PT:
            out.append(_missing(slug, path.name, fig, f"page {p + 1}: the image is outside the text block"))
        if fig.caption and " ".join(fig.caption.split()[:4]) not in texts[p]:
            out.append(_missing(slug, path.name, fig, f"page {p + 1}: the image's caption is not on its page"))
    return out


def txt_figures(slug: str, path: Path, figures: list[MasterFigure]) -> list[Difference]:
    """A figure's line per figure, in order (the writer may wrap it: lines are joined)."""
    data = path.read_bytes()
    ascii_only = data.isascii()  # the --ascii edition: compared folded, as that edition promises
    lines = (unescape(data.decode("utf-8")) if ascii_only else data.decode("utf-8")).split("\n")
    printed: list[str] = []
    current: list[str] | None = None
    for line in lines:
        if current is None and FIGURE_LINE.match(line):
            current = []
        if current is not None:
            current.append(line.strip())
            if line.rstrip().endswith("]"):
                printed.append(" ".join(current))
                current = None
    out: list[Difference] = []
    for k, fig in enumerate(figures):
        want = fold(fig.txt_line) if ascii_only else fig.txt_line
        if k >= len(printed) or " ".join(printed[k].split()) != " ".join(want.split()):
            out.append(_missing(slug, path.name, fig, f"no line {fig.txt_line!r}"))
    return out
