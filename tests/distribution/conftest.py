"""A small library to publish: the seed as built, plus two works made from its master.

- the seed, with its real EPUB/PDF/TXT when those writers have landed, else stand-ins
  (a minimal EPUB whose OPF declares a PNG cover, a one-page PDF, a text file);
- a second free work (long title, non-Latin author) with only a stand-in EPUB whose
  cover is an SVG, and a text file: the catalog must list just what exists;
- a third work whose licence is "In Copyright": it must appear nowhere.

``python -m pipeline catalog`` runs once over it, as a user would; the tests read the result.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from pipeline import verified
from tests.conftest import SEED, run_pipeline
from tests.distribution.serve import BROWSER_ARGS, CHROMIUM

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
FREE_SLUG = "luxemburg-1918-russian-revolution"
WITHHELD_SLUG = "someone-1950-in-copyright"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module that browses."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        yield launched
        launched.close()


def writer_exists(name: str) -> bool:
    return importlib.util.find_spec(f"pipeline.writers.{name}") is not None


def png(colour: tuple[int, int, int], size: tuple[int, int] = (300, 450)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def stand_in_epub(
    path: Path, cover: bytes, media_type: str, cover_name: str, epub2: bool = False, href: str | None = None
) -> None:
    """The smallest EPUB whose package declares a cover image (not a readable book)."""
    props = "" if epub2 else ' properties="cover-image"'
    meta = '<meta name="cover" content="cover"/>' if epub2 else ""
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>{meta}</metadata>
 <manifest>
  <item id="cover" href="images/{href or cover_name}" media-type="{media_type}"{props}/>
  <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
 </manifest>
 <spine><itemref idref="nav"/></spine>
</package>"""
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
 <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/container.xml", container)
        zf.writestr("OEBPS/content.opf", opf)
        zf.writestr(f"OEBPS/images/{cover_name}", cover)
        zf.writestr("OEBPS/nav.xhtml", "<html xmlns='http://www.w3.org/1999/xhtml'><body><nav/></body></html>")


def stand_in_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    with open(path, "wb") as handle:
        writer.write(handle)


def derive_master(
    seed: Path,
    dest_root: Path,
    slug: str,
    *,
    title: str,
    author: str,
    when: str,
    date_text: str,
    url: str,
    licence: str | None = None,
) -> Path:
    """A copy of the seed's master with another identity (and optionally another licence)."""
    tree = etree.parse(str(seed))
    hdr = tree.getroot()
    hdr.xpath("//tei:titleStmt/tei:title", namespaces=TEI)[0].text = title
    hdr.xpath("//tei:titleStmt/tei:author/tei:persName", namespaces=TEI)[0].text = author
    for el in hdr.xpath("//tei:titleStmt/tei:author[@key]", namespaces=TEI):
        del el.attrib["key"]  # another person: no longer the seed's person of the author authority
    hdr.xpath("//tei:publicationStmt/tei:idno[@type='URI']", namespaces=TEI)[0].text = url
    date = hdr.xpath("//tei:profileDesc/tei:creation/tei:date", namespaces=TEI)[0]
    date.set("when", when)
    date.text = date_text
    if licence:
        lic = hdr.xpath("//tei:availability/tei:licence", namespaces=TEI)[0]
        lic.set("target", licence)
        lic.text = "Copyright: held by the publisher; reproduced by the MIA with permission."
        lic.getparent().set("status", "restricted")
    out = dest_root / "editions" / slug / f"{slug}.tei.xml"
    out.parent.mkdir(parents=True)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out


@pytest.fixture(scope="session")
def library(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root whose editions/ has been catalogued by ``python -m pipeline catalog``."""
    root = tmp_path_factory.mktemp("library")
    # the seed only: the catalog tests count their works (sources/ holds more works than these)
    shutil.copytree(built / "editions" / SEED, root / "editions" / SEED)
    seed_dir = root / "editions" / SEED
    seed_master = seed_dir / f"{SEED}.tei.xml"
    if not writer_exists("epub"):
        stand_in_epub(seed_dir / f"{SEED}.epub", png((120, 20, 20)), "image/png", "cover.png")
    if not writer_exists("pdf"):
        stand_in_pdf(seed_dir / f"{SEED}.pdf")
    if not writer_exists("txt"):
        (seed_dir / f"{SEED}.txt").write_text(
            "Bureaucratism and Factional Groups\n(stand-in for the text edition)\n", encoding="utf-8"
        )

    free = derive_master(
        seed_master,
        root,
        FREE_SLUG,
        title="The Russian Revolution: A Critical Assessment of the Bolsheviks' First Year in Power, Written in Prison",
        author="Роза Люксембург",
        when="1918-09",
        date_text="(September 1918)",
        url="https://www.marxists.org/archive/luxemburg/1918/russian-revolution/index.htm",
    )
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900"><rect width="600" height="900" fill="#234"/></svg>'
    stand_in_epub(free.parent / f"{FREE_SLUG}.epub", svg, "image/svg+xml", "cover.svg", epub2=True)
    (free.parent / f"{FREE_SLUG}.txt").write_text("stand-in\n", encoding="utf-8")

    withheld = derive_master(
        seed_master,
        root,
        WITHHELD_SLUG,
        title="A Work Still In Copyright",
        author="Some One",
        when="1950",
        date_text="(1950)",
        url="https://www.marxists.org/archive/someone/1950/work.htm",
        licence=IN_COPYRIGHT,
    )
    (withheld.parent / f"{WITHHELD_SLUG}.cover.png").write_bytes(png((0, 0, 0)))  # a stale cover to be removed
    # The stand-ins are not built by the pipeline: record them as the build records verified outputs.
    for folder in (seed_dir, free.parent):
        verified.record(folder, sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")))

    proc = run_pipeline("catalog", cwd=root, check=True)
    assert "1 withheld (licence)" in proc.stderr and WITHHELD_SLUG not in proc.stderr  # counted, not named
    return root


@pytest.fixture(scope="session")
def editions(library: Path) -> Path:
    return library / "editions" / "site"
