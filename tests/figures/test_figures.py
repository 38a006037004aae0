"""Issue 25 end to end: ``import`` of a copy of the site whose real pages show figures,
then ``pipeline build``: each figure in the master, the EPUB (EPUBCheck 0/0, Ace pass),
the PDF (each image once, inside the text block) and the text edition; the furniture
dropped and recorded; a missing image said so in every edition; verify fails an edition
that lost a figure."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from pipeline.images import for_edition
from pipeline.ingest import ingest
from pipeline.manifest import load_manifest
from pipeline.master.tei import NS
from pipeline.writers.epub import write_epub
from pipeline.writers.txt import write_txt
from tests.conftest import run_pipeline
from tests.figures.conftest import BUILT, SDE
from tests.figures.fixture import FURNITURE, images
from tests.writers.conftest import ace_cli, epubcheck_reports


def master_of(root: Path, slug: str) -> etree._Element:
    return etree.parse(str(root / "editions" / slug / f"{slug}.tei.xml")).getroot()


def test_import_brings_in_each_figure_byte_for_byte(figures_project: Path) -> None:
    sources = figures_project / "sources"
    drawn = images()
    fitz = load_manifest(sources / "fitzgerald-1922-ray-hope")
    (chart,) = fitz.figures
    assert (chart.name, chart.media_type, chart.role) == ("bonus_shares.png", "image/png", "figure")
    assert chart.url == "https://www.marxists.org/archive/fitzgerald/1922/bonus_shares.png"
    assert chart.sha256 == hashlib.sha256(drawn["archive/fitzgerald/1922/bonus_shares.png"]).hexdigest()
    grant = load_manifest(sources / "grant-1942-power")
    # the thumbnail links to the larger image: the larger one is the figure
    assert [(f.name, f.media_type) for f in grant.figures] == [("images/power_front.jpg", "image/jpeg")]
    assert (sources / "grant-1942-power" / "images" / "power_front.jpg").read_bytes() == drawn[
        "archive/grant/images/covers/power_front.jpg"
    ]
    assert [(m.url.rsplit("/", 1)[1], m.reason) for m in grant.missing_images] == [
        ("power_back.jpg", "not in the copy of the site")
    ]
    assert [m.url.rsplit("/", 1)[1] for m in load_manifest(sources / "radek-1922-letter").missing_images] == [
        "letter2.jpg"
    ]
    # the furniture icons exist in the copy and are never brought in
    assert all((figures_project / "site" / f).is_file() for f in FURNITURE)
    assert not load_manifest(sources / "pablo-1948-yugoslavia").figures


def test_masters_hold_figures_and_record_the_furniture(figures_project: Path, tmp_path: Path) -> None:
    fitz = master_of(figures_project, "fitzgerald-1922-ray-hope")
    (graphic,) = fitz.xpath("//tei:figure/tei:graphic", namespaces=NS)
    assert dict(graphic.attrib) == {
        "url": "figures/bonus_shares.png",
        "mimeType": "image/png",
        "width": "480px",
        "height": "300px",
    }
    assert fitz.xpath("string(//tei:figure/tei:figDesc)", namespaces=NS) == "Bonus shares issued in 1920"
    radek = master_of(figures_project, "radek-1922-letter")
    assert radek.xpath("//tei:figure/@type", namespaces=NS) == ["missing"]
    sources = figures_project / "sources"
    harman = etree.parse(str(ingest(sources / "harman-2003-iraq", tmp_path / "harman" / "h.tei.xml"))).getroot()
    # the caption is the next row of the table holding the photograph
    assert harman.xpath("string(//tei:figure/tei:head)", namespaces=NS).startswith("General Tommy Franks")
    grant = ingest(sources / "grant-1942-power", tmp_path / "grant" / "grant.tei.xml")
    tei = etree.parse(str(grant)).getroot()
    assert tei.xpath("//tei:figure/tei:graphic/@url", namespaces=NS) == [
        "figures/images/power_front.jpg",
        "https://www.marxists.org/archive/grant/images/covers/power_back.jpg",
    ]
    pablo = ingest(sources / "pablo-1948-yugoslavia", tmp_path / "pablo" / "pablo.tei.xml")
    tei = etree.parse(str(pablo)).getroot()
    assert not tei.xpath("//tei:figure", namespaces=NS)
    recorded = tei.xpath("//tei:normalization/tei:p/text()", namespaces=NS)
    assert "Removed an image (pabl-z.gif, alt 'Pablo icon') (line 243)." in recorded


def epub_images(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if "/images/figure-" in n}


def test_every_edition_has_every_figure(figures_project: Path) -> None:
    editions = figures_project / "editions"
    sources = figures_project / "sources"
    expected = {"fitzgerald-1922-ray-hope": 1, "radek-1922-letter": 1}
    for slug in BUILT:
        folder = editions / slug
        originals = [f.path.read_bytes() for f in load_manifest(sources / slug).figures]
        got = epub_images(folder / f"{slug}.epub")
        assert sorted(got.values()) == sorted(for_edition(o).data for o in originals)
        reader = PdfReader(folder / f"{slug}.pdf")
        # WeasyPrint shares one resource dictionary among the pages: each image object once
        found = {image.indirect_reference.idnum for page in reader.pages for image in page.images}
        assert len(found) == expected[slug], found  # (verify checks it is drawn on one page)
        txt = (folder / f"{slug}.txt").read_text(encoding="utf-8")
        assert txt.count("[Figure: ") == expected[slug]
    radek = (editions / "radek-1922-letter" / "radek-1922-letter.txt").read_text(encoding="utf-8")
    assert "[Figure: letter1.jpg]" in radek and "[Image not available: letter2.jpg]" in radek
    with zipfile.ZipFile(editions / "radek-1922-letter" / "radek-1922-letter.epub") as book:
        text = book.read("EPUB/text.xhtml").decode()
    assert "[Image not available: letter2.jpg]" in text and 'src="images/figure-1.jpg"' in text
    pdf = PdfReader(editions / "radek-1922-letter" / "radek-1922-letter.pdf")
    assert any("[Image not available: letter2.jpg]" in (page.extract_text() or "") for page in pdf.pages)


def test_figure_epubs_pass_epubcheck_and_ace(figures_project: Path, tmp_path: Path) -> None:
    gif = ingest(figures_project / "sources" / "higgins-1997-chap05", tmp_path / "higgins" / "higgins.tei.xml")
    write_epub(gif, tmp_path / "higgins.epub")  # a GIF cartoon
    assert len(epub_images(tmp_path / "higgins.epub")) == 1
    books = [figures_project / "editions" / "radek-1922-letter" / "radek-1922-letter.epub", tmp_path / "higgins.epub"]
    for report in epubcheck_reports(books, tmp_path):
        checker = report["checker"]
        problems = [f"{m['ID']}: {m['message']}" for m in report["messages"] if m["severity"] != "USAGE"]
        assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), problems
    ace = ace_cli()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if ace is None or not Path(chromium).is_file():
        pytest.skip("DAISY Ace (make test-setup) and a Chromium are needed for the Ace half")
    import json
    import os
    import subprocess

    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    subprocess.run([str(ace), "-f", "-o", str(tmp_path / "ace"), str(books[0])], env=env, timeout=300, check=False)
    report = json.loads((tmp_path / "ace" / "report.json").read_text(encoding="utf-8"))
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_editions_are_reproducible(figures_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SDE["SOURCE_DATE_EPOCH"])  # the build's: its colophon names that day
    master = figures_project / "editions" / "radek-1922-letter" / "radek-1922-letter.tei.xml"
    write_epub(master, tmp_path / "a.epub")
    assert (tmp_path / "a.epub").read_bytes() == (master.parent / "radek-1922-letter.epub").read_bytes()
    write_txt(master, tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_bytes() == (master.parent / "radek-1922-letter.txt").read_bytes()


def without_member(epub: Path, name: str) -> None:
    with zipfile.ZipFile(epub) as book:
        members = [(i, book.read(i)) for i in book.infolist() if i.filename != name]
    with zipfile.ZipFile(epub, "w") as book:
        for info, data in members:
            book.writestr(info, data)


def test_verify_fails_an_edition_with_a_figure_removed(figures_project: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(figures_project, root, ignore=shutil.ignore_patterns("site"))
    slug = "fitzgerald-1922-ray-hope"
    assert run_pipeline("verify", slug, cwd=root, env=SDE).returncode == 0
    folder = root / "editions" / slug
    without_member(folder / f"{slug}.epub", "EPUB/images/figure-1.png")
    txt = folder / f"{slug}.txt"
    txt.write_text(txt.read_text(encoding="utf-8").replace("[Figure: Bonus shares issued in 1920]\n", ""), "utf-8")
    proc = run_pipeline("verify", slug, cwd=root, env=SDE)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert f'{slug}.epub: figures: missing "figure 1"' in out, out
    assert f'{slug}.txt: figures: missing "figure 1"' in out, out
