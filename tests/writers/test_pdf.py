"""The PDF edition of the seed, read back with pypdf and poppler (never a golden file of bytes).

The seed's PDF is the one ``pipeline build`` wrote in the session's ``built`` project;
the words are read with ``pdftotext -bbox-layout`` through
:func:`pipeline.writers.pdf.read_words`, which sorts them into running head, text and
page-foot notes by position and size.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from pipeline.master.read import EditionMeta, load
from pipeline.master.tei import T, safe_parser
from pipeline.reproducible import build_datetime
from pipeline.writers import pdf as pdfw
from tests.conftest import SEED, run_pipeline

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) is not installed")


def tokens(text: str) -> list[str]:
    """Words as letters and digits only, so punctuation, hyphens and brackets never count."""
    return re.findall(r"\w+", text)


def squeezed(text: str) -> str:
    return "".join(text.split())


# -- fixtures: the seed's master and PDF, read once -------------------------------------------
@pytest.fixture(scope="session")
def seed_pdf(built: Path) -> Path:
    path = built / "editions" / SEED / f"{SEED}.pdf"
    assert path.is_file(), "pipeline build wrote no PDF edition"
    return path


@pytest.fixture(scope="session")
def master(seed_master: Path) -> tuple[etree._Element, EditionMeta]:
    return load(seed_master)


@pytest.fixture(scope="session")
def reader(seed_pdf: Path) -> PdfReader:
    return PdfReader(seed_pdf)


@pytest.fixture(scope="session")
def words(seed_pdf: Path) -> list[pdfw.PdfWord]:
    return pdfw.read_words(seed_pdf)


@pytest.fixture(scope="session")
def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """(title, 1-based page) of the outline's top-level entries."""
    return [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline if not isinstance(item, list)]


@pytest.fixture(scope="session")
def text_pages(outline: list[tuple[str, int]], master) -> range:
    """The pages of the work itself: from the text's bookmark to the colophon's."""
    _, meta = master
    pages = dict(outline)
    return range(pages[meta.title], pages["Colophon"])


def xmp(reader: PdfReader) -> etree._Element:
    return etree.fromstring(reader.xmp_metadata.stream.get_data(), safe_parser())


def xmp_attr(root: etree._Element, ns: str, name: str) -> list[str]:
    return [d.get(f"{{{ns}}}{name}") for d in root.iter(f"{{{RDF}}}Description") if d.get(f"{{{ns}}}{name}")]


# -- fonts, structure, metadata -------------------------------------------------------------
def test_every_font_is_embedded_and_the_book_face_is_eb_garamond(seed_pdf: Path, reader: PdfReader) -> None:
    out = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        name, emb = row[0], row[-5]
        assert emb == "yes", f"font {name} is not embedded:\n{out}"
    assert any("EB-Garamond" in row[0] for row in rows), out
    # pypdf agrees: every font's descriptor carries its font program.
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() if "/DescendantFonts" in font else font["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_pdf_a_3a_tagged_with_language(reader: PdfReader, master) -> None:
    _, meta = master
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"].get_object()
    assert tree["/K"], "empty structure tree"
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert root["/Lang"] == meta.language
    assert root["/OutputIntents"][0]["/S"] == "/GTS_PDFA1"
    meta_xml = xmp(reader)
    assert xmp_attr(meta_xml, PDFAID, "part") == ["3"]
    assert xmp_attr(meta_xml, PDFAID, "conformance") == ["A"]


def test_document_metadata_and_xmp_name_the_work(reader: PdfReader, master) -> None:
    _, meta = master
    info = reader.metadata
    assert info["/Title"] == meta.title
    assert info["/Author"] == meta.author
    assert meta.url in info["/Subject"] and meta.title in info["/Subject"]
    assert meta.author in info["/Keywords"]
    # The build ran without SOURCE_DATE_EPOCH: the date is the master's ingest date.
    when = build_datetime(meta.ingest_date) if "SOURCE_DATE_EPOCH" not in os.environ else None
    if when is not None:
        assert info["/CreationDate"].startswith(when.strftime("D:%Y%m%d%H%M%S"))
        assert info["/ModDate"] == info["/CreationDate"]
    text = etree.tostring(xmp(reader), encoding="unicode")
    for value in (meta.title, meta.author, "xmp:CreateDate", "pdf:Keywords", "dc:description"):
        assert value in text


def test_outline_has_the_text_and_the_colophon(outline: list[tuple[str, int]], reader: PdfReader, master) -> None:
    _, meta = master
    titles = [title for title, _ in outline]
    assert titles[0] == meta.title and titles[-1] == "Colophon"
    pages = dict(outline)
    assert pages[meta.title] == 3, "the text opens on the first recto after the title page"
    assert pages["Colophon"] == len(reader.pages), "the colophon closes the book (one page for the seed)"


# -- the words -------------------------------------------------------------------------------
def test_text_holds_every_word_of_the_master_in_order(words, text_pages: range, master) -> None:
    tei, _ = master
    body = tei.find(f"{T('text')}/{T('body')}")
    expected = tokens(" ".join(body.itertext()))
    got = tokens(" ".join(pdfw.dehyphenate([w for w in words if w.region == pdfw.MAIN and w.page in text_pages])))
    if got != expected:
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
        pytest.fail(f"text differs at word {at}: PDF {got[at - 5:at + 5]} vs master {expected[at - 5:at + 5]}")
    # Hyphenation is on (in the master's language): some words were broken at a line's end.
    assert any(w.line_end and w.text.endswith(pdfw.AUTO_HYPHENS) for w in words if w.page in text_pages)


def test_each_note_is_at_the_foot_of_the_page_that_calls_it(words, text_pages: range, master) -> None:
    tei, _ = master
    text = tei.find(T("text"))
    notes = {n.get("n"): tokens(" ".join(n.itertext())) for n in text.iter(T("note"))}
    refs = ["".join(r.itertext()) for r in text.iter(T("ref")) if r.get("type") == "noteref"]
    calls = [(w.text, w.page) for w in words if w.region == pdfw.MAIN and w.small and w.page in text_pages]
    assert [label for label, _ in calls] == refs, "note calls are numbered as in the source"
    assert sorted(refs) == sorted(notes)
    for page in text_pages:
        expected = [word for label, p in calls if p == page for word in [label, *notes[label]]]
        foot = tokens(" ".join(pdfw.dehyphenate([w for w in words if w.region == pdfw.FOOT and w.page == page])))
        assert foot == expected, f"page {page}: notes at the foot differ from the notes called there"


def test_running_heads_and_folios(words, reader: PdfReader, text_pages: range, master) -> None:
    _, meta = master
    heads = {n: Counter(tokens(" ".join(w.text for w in words if w.page == n and w.region == pdfw.HEAD))) for n in range(1, len(reader.pages) + 1)}
    assert not heads[1], "no head on the title page"
    assert not heads[text_pages.start], "no head on the text's opening page"
    assert not [w for w in words if w.page == 2], "the title page's verso is blank"
    for n in range(text_pages.start + 1, len(reader.pages) + 1):
        side = meta.author if n % 2 == 0 else meta.title  # author on versos, title on rectos
        assert heads[n] == Counter([str(n), *tokens(side)]), f"page {n}: head {dict(heads[n])}"


def test_title_page_and_colophon_carry_the_full_attribution(words, text_pages: range, reader: PdfReader, master) -> None:
    _, meta = master
    title_page = tokens(" ".join(w.text for w in words if w.page == 1))
    assert title_page == tokens(f"{meta.title} {meta.author} {meta.date_text}")
    colophon = squeezed(" ".join(pdfw.dehyphenate([w for w in words if w.page >= text_pages.stop and w.region != pdfw.HEAD])))
    items = [meta.author, meta.title, meta.source_statement, meta.url, meta.first_published, meta.distributor]
    items += [c.statement for c in meta.credits] + [c.name for c in meta.credits]
    items += [lic.text for lic in meta.licences] + [lic.uri for lic in meta.licences] + meta.normalizations
    items += [build_datetime(meta.ingest_date).date().isoformat() if "SOURCE_DATE_EPOCH" not in os.environ else "", meta.pipeline_version]
    for item in filter(None, items):
        assert squeezed(item) in colophon, f"colophon lacks {item!r}"


# -- the command: reproducible, options, errors ------------------------------------------------
def test_rebuild_in_a_new_process_gives_identical_bytes(seed_pdf: Path, seed_master: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    run_pipeline("pdf", str(seed_master), "-o", str(again), cwd=tmp_path, check=True)
    assert again.read_bytes() == seed_pdf.read_bytes()


def test_letter_pdf_ua_1_with_source_date_epoch(seed_master: Path, tmp_path: Path) -> None:
    out = tmp_path / "ua.pdf"
    run_pipeline(
        "pdf", str(seed_master), "-o", str(out), "--page-size", "Letter", "--pdf-variant", "pdf/ua-1",
        cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "946684800"}, check=True,
    )
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert xmp_attr(xmp(reader), PDFUAID, "part") == ["1"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata["/CreationDate"].startswith("D:20000101000000")
    assert not list(tmp_path.glob(".*.part"))


def test_unknown_variant_is_one_line_and_writes_nothing(seed_master: Path, tmp_path: Path) -> None:
    out = tmp_path / "bad.pdf"
    proc = run_pipeline("pdf", str(seed_master), "-o", str(out), "--pdf-variant", "pdf/z-9", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "pdf/z-9" in lines[0] and "pdf/a-3a" in lines[0], proc.stderr
    assert not out.exists() and not list(tmp_path.glob(".*"))


def test_source_date_epoch_is_set_only_while_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with pdfw.source_date_epoch(1234):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1234"
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99")
    with pdfw.source_date_epoch(1234):
        assert os.environ["SOURCE_DATE_EPOCH"] == "99"
    assert os.environ["SOURCE_DATE_EPOCH"] == "99"
