"""The EPUB 3 edition: valid (EPUBCheck), accessible (DAISY Ace), attributed, navigable,
reproducible. The seed's EPUB is the one ``pipeline build`` made in the session build;
EPUBCheck and Ace judge it once each."""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.master.read import load
from pipeline.master.tei import T
from pipeline.writers.epub import opening_words, write_epub
from tests.conftest import run_pipeline
from tests.writers.conftest import read_epub

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def words(el: etree._Element) -> str:
    return " ".join("".join(el.itertext()).split())


class Book:
    """An unpacked EPUB: its package document, spine and content documents."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        container = xml(files["META-INF/container.xml"])
        self.opf_path = container.xpath("string(//c:rootfile/@full-path)", namespaces=NS)
        self.base = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = xml(files[self.opf_path])
        self.manifest = {i.get("id"): i for i in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
        self.spine = [
            self.manifest[r.get("idref")].get("href") for r in self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)
        ]

    def doc(self, href: str) -> etree._Element:
        return xml(self.files[self.base + href.split("#")[0]])

    def item_with(self, prop: str) -> etree._Element:
        (item,) = [i for i in self.manifest.values() if prop in (i.get("properties") or "").split()]
        return item

    def section(self, kind: str) -> tuple[str, etree._Element]:
        """The spine document and element whose epub:type includes ``kind``."""
        for href in self.spine:
            found = self.doc(href).xpath(
                f"//x:section[contains(concat(' ', @epub:type, ' '), ' {kind} ')]", namespaces=NS
            )
            if found:
                return href, found[0]
        raise AssertionError(f"no {kind} section in the spine")

    def metadata(self, xpath: str) -> list[str]:
        return [" ".join(v.split()) for v in self.opf.xpath(xpath, namespaces=NS)]

    def refines(self, ident: str, prop: str) -> list[str]:
        return self.metadata(f"//opf:meta[@refines='#{ident}'][@property='{prop}']/text()")


@pytest.fixture(scope="session")
def book(seed_files: dict[str, bytes]) -> Book:
    return Book(seed_files)


@pytest.fixture(scope="session")
def seed_meta(seed_master: Path):
    return load(seed_master)


# -- the judges -----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seed", "multipart"])
def test_epubcheck_reports_nothing(epubcheck_judgements: dict[str, dict], which: str) -> None:
    report = epubcheck_judgements[which]
    checker = report["checker"]
    problems = [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"] if m["severity"] != "USAGE"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), problems
    assert checker["checkerVersion"].startswith("5.3")


def test_ace_outcome_is_pass(seed_ace: dict) -> None:
    failures = [
        f"{a['earl:testSubject']['url']}: {s['earl:test']['dct:title']}: {s['earl:result'].get('html', '')}"
        for a in seed_ace.get("assertions", [])
        for s in a.get("assertions", [])
        if s["earl:result"]["earl:outcome"] != "pass"
    ]
    assert seed_ace["earl:result"]["earl:outcome"] == "pass", failures


# -- notes ----------------------------------------------------------------------------------


def test_every_note_reachable_from_its_marker_and_back(book: Book, seed_meta) -> None:
    tei, meta = seed_meta
    text_href, _ = book.section("bodymatter")
    notes_href, notes_section = book.section("endnotes")
    assert notes_section.get("role") == "doc-endnotes"
    markers = book.doc(text_href).xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    master_notes = tei.findall(f"{T('text')}/{T('back')}/{T('div')}/{T('note')}")
    assert len(markers) == len(master_notes) == meta.notes == 9
    notes_doc = book.doc(notes_href)
    for marker in markers:
        assert marker.get("role") == "doc-noteref"
        target_file, target_id = marker.get("href").split("#")
        assert target_file == notes_href
        (note,) = notes_doc.xpath(f"//*[@id='{target_id}']", namespaces=NS)
        assert note.xpath("ancestor::x:section[@role='doc-endnotes']", namespaces=NS), (
            f"note {target_id} outside the endnotes"
        )
        assert note.get("role") != "doc-endnote"  # deprecated in DPUB-ARIA 1.1
        (back,) = note.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)
        back_file, back_id = back.get("href").split("#")
        assert back_file == text_href and back_id == marker.get("id")
        assert words(back).rstrip(".") == words(marker)
        assert words(note).endswith(words(tei.xpath(f"//*[@xml:id='{target_id}']")[0]))
    assert not [el for href in book.spine for el in book.doc(href).xpath("//*[@role='doc-endnote']")]


# -- attribution ----------------------------------------------------------------------------


def test_every_attribution_item_in_colophon_and_metadata(book: Book, seed_meta) -> None:
    _, meta = seed_meta
    _, colophon = book.section("colophon")
    text = words(colophon)
    links = colophon.xpath(".//x:a/@href", namespaces=NS)
    build_date = book.metadata("//opf:meta[@property='dcterms:modified']/text()")[0][:10]

    # in the colophon
    expected = [
        meta.author,
        meta.title,
        meta.source_statement,
        meta.first_published,
        meta.distributor,
        meta.url,
        f"source retrieved {meta.retrieved}",
        __version__,
    ]
    for credit in meta.credits:
        expected += [credit.name, credit.role_text, credit.statement]
    for lic in meta.licences:
        expected += [lic.text, lic.uri]
    for item in expected:
        assert item and item in text, f"{item!r} missing from the colophon"
    assert meta.url in links and all(lic.uri in links for lic in meta.licences)

    # in the package metadata
    assert book.metadata("//dc:title/text()") == [meta.title]
    (creator,) = book.opf.xpath("//dc:creator", namespaces=NS)
    assert creator.text == meta.author == "Leon Trotsky"
    assert book.refines(creator.get("id"), "role") == ["aut"]
    assert book.refines(creator.get("id"), "file-as") == ["Trotsky, Leon"]
    contributors = book.opf.xpath("//dc:contributor", namespaces=NS)
    assert [c.text for c in contributors] == [c.name for c in meta.credits]
    for el, credit in zip(contributors, meta.credits):
        assert book.refines(el.get("id"), "role") == credit.roles
        assert book.opf.xpath(f"//opf:meta[@refines='#{el.get('id')}'][@property='role']/@scheme", namespaces=NS) == [
            "marc:relators"
        ] * len(credit.roles)
    assert sorted(r for c in meta.credits for r in c.roles) == ["mrk", "trc"]
    sources = book.metadata("//dc:source/text()")
    assert meta.url in sources and meta.source_statement in sources
    description = book.metadata("//dc:description/text()")[0]
    # a blurb (issue 20): the original publication, the text's first words, where it comes from
    assert meta.distributor in description and meta.url in description and meta.first_published in description
    assert opening_words(seed_meta[0]) in description and meta.source_statement in description
    assert not any(c.statement in description for c in meta.credits)  # credits are dc:contributor
    assert book.metadata("//dc:rights/text()") == [lic.text for lic in meta.licences]
    assert book.metadata("//opf:meta[@property='dcterms:license']/text()") == [lic.uri for lic in meta.licences]
    assert book.metadata("//dc:date/text()") == [meta.date_iso] == ["1923-12"]
    assert book.metadata("//dc:language/text()") == [meta.language]
    assert __version__ in book.metadata("//opf:meta[@name='generator']/@content")[0]
    assert build_date == meta.ingest_date  # no SOURCE_DATE_EPOCH in the session build


def test_identifier_is_stable_uuid_from_url(book: Book, seed_meta) -> None:
    _, meta = seed_meta
    uid_id = book.opf.get("unique-identifier")
    (identifier,) = book.metadata(f"//dc:identifier[@id='{uid_id}']/text()")
    assert identifier == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, meta.url)}"
    ncx = xml(book.files[book.base + book.manifest["ncx"].get("href")])
    assert ncx.xpath("string(//ncx:meta[@name='dtb:uid']/@content)", namespaces=NS) == identifier


def test_accessibility_metadata(book: Book) -> None:
    def values(prop: str) -> list[str]:
        return book.metadata(f"//opf:meta[@property='{prop}']/text()")

    assert values("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert values("schema:accessMode") == ["textual"]
    assert values("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        values("schema:accessibilityFeature")
    )
    assert values("schema:accessibilityHazard") == ["none"]
    assert len(values("schema:accessibilitySummary")[0]) > 80
    assert book.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    # the only image is the cover, and it says in words what it shows
    images = [i for i in book.manifest.values() if i.get("media-type").startswith("image/")]
    assert [i.get("properties") for i in images] == ["cover-image"]
    cover_href, cover = book.section("cover")
    (img,) = cover.xpath(".//x:img", namespaces=NS)
    assert img.get("role") == "doc-cover" and img.get("src") == images[0].get("href")
    assert "Bureaucratism and Factional Groups" in img.get("alt") and "Leon Trotsky" in img.get("alt")
    assert book.files[book.base + images[0].get("href")][:8] == b"\x89PNG\r\n\x1a\n"
    assert book.spine[0] == cover_href


# -- structure ------------------------------------------------------------------------------


def test_semantics_and_navigation(book: Book) -> None:
    for kind in ("cover", "titlepage", "bodymatter", "endnotes", "colophon"):
        book.section(kind)
    for href in book.spine:
        root = book.doc(href)
        assert root.get("lang") == "en" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert root.xpath("string(//x:title)", namespaces=NS).strip()
    _, colophon = book.section("colophon")
    assert colophon.get("role") == "doc-colophon"
    _, body = book.section("bodymatter")
    (closer,) = body.xpath(".//x:footer[@class='closer']", namespaces=NS)
    assert [p.get("class") for p in closer] == ["signed", "dateline"]
    assert words(closer) == "Leon TROTSKY Moscow, December 1923."

    nav_href = book.item_with("nav").get("href")
    nav = book.doc(nav_href)
    (toc,) = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    assert toc.get("role") == "doc-toc"
    (landmarks,) = nav.xpath("//x:nav[@epub:type='landmarks']", namespaces=NS)
    marks = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.xpath(".//x:a", namespaces=NS)}
    assert {"cover", "titlepage", "toc", "bodymatter", "endnotes", "colophon"} <= set(marks)
    for href in [a.get("href") for a in toc.xpath(".//x:a", namespaces=NS)] + list(marks.values()):
        assert_resolves(book, href)


def assert_resolves(book: Book, href: str) -> None:
    file, _, frag = href.partition("#")
    assert file in book.spine, f"{href} is not in the spine"
    if frag:
        assert book.doc(file).xpath(f"//*[@id='{frag}']"), f"{href}: no such id"


def test_stylesheet_leaves_type_and_colour_to_the_reader(book: Book) -> None:
    (css_item,) = [i for i in book.manifest.values() if i.get("media-type") == "text/css"]
    css = book.files[book.base + css_item.get("href")].decode()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "font-family" not in css and not re.search(r"(?<![-\w])(color|background)\s*:", css)
    assert not re.search(r"font-size\s*:\s*[\d.]+(px|pt)", css)
    assert "line-height: 1.2" in css  # headings only; the body's line spacing is the reader's
    body_rule = re.search(r"(?m)^body\s*\{([^}]*)\}", css).group(1)
    assert "margin" in body_rule and "font" not in body_rule and "line-height" not in body_rule


# -- reproducibility ------------------------------------------------------------------------


def test_two_builds_give_identical_bytes(seed_master: Path, seed_epub: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    again = tmp_path / "again.epub"
    write_epub(seed_master, again)  # this process; the session's book came from `pipeline build`
    assert again.read_bytes() == seed_epub.read_bytes()
    with zipfile.ZipFile(again) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED and not infos[0].extra
    assert {i.date_time for i in infos} == {(2026, 11, 25, 0, 0, 0)}  # the master's ingest date


def test_source_date_epoch_sets_every_date(seed_master: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    first, second = tmp_path / "1.epub", tmp_path / "2.epub"
    write_epub(seed_master, first)
    write_epub(seed_master, second)
    assert first.read_bytes() == second.read_bytes()
    book = Book(read_epub(first))
    assert book.metadata("//opf:meta[@property='dcterms:modified']/text()") == ["2023-11-14T22:13:20Z"]
    assert "Built 2023-11-14" in words(book.section("colophon")[1])
    with zipfile.ZipFile(first) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


# -- multi-part works -----------------------------------------------------------------------


def test_multipart_work_has_a_toc_entry_per_part(multipart_epub: Path, seed_master: Path) -> None:
    book = Book(read_epub(multipart_epub))
    parts = ["I. Factions", "II. Groupings", "III. The Apparatus"]
    nav = book.doc(book.item_with("nav").get("href"))
    entries = {words(a): a.get("href") for a in nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)}
    ncx = xml(book.files[book.base + book.manifest["ncx"].get("href")])
    ncx_entries = {
        words(p.find("ncx:navLabel", NS)): p.find("ncx:content", NS).get("src")
        for p in ncx.xpath("//ncx:navPoint", namespaces=NS)
    }
    text_href, _ = book.section("bodymatter")
    for label in parts:
        assert label in entries and ncx_entries[label] == entries[label]
        assert_resolves(book, entries[label])
        document, _, ident = entries[label].partition("#")
        (target,) = book.doc(document).xpath(f"//*[@id='{ident}']", namespaces=NS)
        assert target.get("role") == "doc-chapter" and words(target.xpath("x:h2", namespaces=NS)[0]) == label
    hrefs = [entries[label] for label in parts]
    assert len(set(hrefs)) == 3 and hrefs[0].endswith("#part-1") and hrefs[2].endswith("#part-3")
    # one content document per part, in the spine in order, the first the text's landmark
    assert [h.split("#")[0] for h in hrefs] == ["text.xhtml", "text-2.xhtml", "text-3.xhtml"]
    assert text_href.split("#")[0] == "text.xhtml"
    assert [h for h in book.spine if h.startswith("text")] == ["text.xhtml", "text-2.xhtml", "text-3.xhtml"]
    # every note's back-link reaches its marker, wherever the split put it
    notes = book.doc(book.section("endnotes")[0])
    for back in notes.xpath("//x:a[@role='doc-backlink']", namespaces=NS):
        assert_resolves(book, back.get("href"))


# -- bad input ------------------------------------------------------------------------------


def test_dangling_note_marker_is_one_clear_error_and_nothing_written(seed_master: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tei.xml"
    broken.write_bytes(seed_master.read_bytes().replace(b'target="#note-4"', b'target="#note-44"'))
    out = tmp_path / "broken.epub"
    with pytest.raises(PipelineError) as info:
        write_epub(broken, out)
    assert "#note-44" in str(info.value) and str(broken) in str(info.value) and "\n" not in str(info.value)
    assert info.value.line is not None
    assert list(tmp_path.iterdir()) == [broken]


def test_epub_command(seed_master: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.epub"
    proc = run_pipeline("epub", str(seed_master), "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == (seed_master.parent / f"{seed_master.name[:-8]}.epub").read_bytes()
