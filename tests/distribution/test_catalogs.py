"""The OPDS catalogs and SHA256SUMS: valid against the schemas in ../shared/opds, every
link typed right and resolving, the same works as the page, nothing withheld listed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SEED, SHARED, jing
from tests.distribution.conftest import FREE_SLUG, WITHHELD_SLUG
from tests.distribution.helpers import expected_type, master_uris, opds_1_2_schema, resolve_local

OPDS_DIR = SHARED / "opds"
NS = {"a": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}
ACQ = "http://opds-spec.org/acquisition/open-access"
IMAGE = "http://opds-spec.org/image"
THUMB = "http://opds-spec.org/image/thumbnail"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def feed(editions: Path) -> etree._Element:
    """The "all works" acquisition feed (one page here); catalog.xml is the navigation root."""
    return etree.parse(str(editions / "opds" / "all.xml")).getroot()


def test_root_is_a_navigation_feed(editions: Path) -> None:
    root = etree.parse(str(editions / "catalog.xml")).getroot()
    assert root.xpath("a:entry/a:title/text()", namespaces=NS) == ["By author", "By year", "By language", "New", "All"]
    kinds = root.xpath("a:entry/a:link/@type", namespaces=NS)
    assert kinds[:3] == ["application/atom+xml;profile=opds-catalog;kind=navigation"] * 3
    assert kinds[3:] == ["application/atom+xml;profile=opds-catalog;kind=acquisition"] * 2
    assert root.xpath("a:link[@rel='search']/@href", namespaces=NS) == ["opensearch.xml"]


def test_catalog_xml_is_valid_opds_1_2(editions: Path, tmp_path: Path) -> None:
    """One jing run checks the real feed and a broken copy (entry id removed), so the
    test proves the schema is really being applied."""
    broken = tmp_path / "broken.xml"
    tree = etree.parse(str(editions / "opds" / "all.xml"))
    ident = tree.find(".//a:entry/a:id", NS)
    ident.getparent().remove(ident)
    tree.write(str(broken))
    result = jing(opds_1_2_schema(), editions / "catalog.xml", editions / "opds" / "all.xml", broken)
    output = result.stdout + result.stderr
    assert "catalog.xml" not in output and "all.xml" not in output, output
    assert "broken.xml" in output and 'missing required element "id"' in output, output


def test_entries_are_the_published_works(feed: etree._Element) -> None:
    titles = feed.xpath("a:entry/a:title/text()", namespaces=NS)
    # sorted by the author's family name as the master spells it: "Trotsky" before "Люксембург"
    assert titles == [
        "Bureaucratism and Factional Groups",
        "The Russian Revolution: A Critical Assessment of the Bolsheviks' First Year in Power, Written in Prison",
    ]
    assert "A Work Still In Copyright" not in etree.tostring(feed, encoding="unicode")
    ids = feed.xpath("a:entry/a:id/text()", namespaces=NS)
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)


def test_entry_metadata_matches_master(feed: etree._Element, editions: Path) -> None:
    from pipeline.master.read import load

    _, meta = load(editions / SEED / f"{SEED}.tei.xml")
    (entry,) = feed.xpath("a:entry[a:title=$t]", namespaces=NS, t=meta.title)
    assert entry.findtext("a:author/a:name", namespaces=NS) == meta.author
    assert entry.xpath("a:contributor/a:name/text()", namespaces=NS) == [c.name for c in meta.credits]
    assert entry.findtext("dc:language", namespaces=NS) == meta.language
    assert entry.findtext("dc:issued", namespaces=NS) == meta.date_iso
    assert entry.findtext("dc:source", namespaces=NS) == meta.url
    rights = entry.findtext("a:rights", namespaces=NS)
    assert meta.licences[0].text in rights and meta.licences[0].uri in rights
    content = etree.tostring(entry.find("a:content", NS), encoding="unicode", method="text")
    for needed in (
        meta.source_statement,
        meta.first_published,
        "Transcription, Markup: David Walters",
        meta.licences[0].text,
    ):
        assert needed in " ".join(content.split()), needed


def test_every_link_typed_and_resolving(feed: etree._Element, editions: Path) -> None:
    external = master_uris(editions)
    for link in feed.iter("{http://www.w3.org/2005/Atom}link"):
        href, rel, media_type = link.get("href"), link.get("rel"), link.get("type")
        target = resolve_local(href, editions / "opds")
        if target is None:
            assert href in external, f"external link not stated by a master: {href}"
            continue
        assert target.is_file(), f"broken link {href}"
        if rel in (ACQ, IMAGE, THUMB):
            assert media_type == expected_type(target), href
            assert int(link.get("length")) == target.stat().st_size, href
        if rel in (IMAGE, THUMB) and media_type == "image/png":
            assert target.read_bytes()[:8] == PNG_MAGIC


def test_acquisition_links_list_exactly_the_existing_files(feed: etree._Element, editions: Path) -> None:
    for slug in (SEED, FREE_SLUG):
        folder = editions / slug
        (entry,) = [
            e
            for e in feed.iterfind("a:entry", NS)
            if e.xpath(f"a:link[@rel='{ACQ}'][contains(@href, '{slug}/')]", namespaces=NS)
        ]
        acquired = {
            resolve_local(h, editions / "opds") for h in entry.xpath(f"a:link[@rel='{ACQ}']/@href", namespaces=NS)
        }
        on_disk = {
            p.resolve() for p in folder.iterdir() if p.name.split(".", 1)[1] in ("epub", "pdf", "txt", "tei.xml")
        }
        assert acquired == on_disk
        types = entry.xpath(f"a:link[@rel='{ACQ}']/@type", namespaces=NS)
        assert set(types) <= {"application/epub+zip", "application/pdf", "text/plain", "application/tei+xml"}
        # A raster cover and thumbnail always; OPDS 1.2 5.2.2 requires GIF, JPEG or PNG.
        assert entry.xpath(f"a:link[@rel='{IMAGE}']/@type", namespaces=NS)[0] == "image/png"
        assert entry.xpath(f"a:link[@rel='{THUMB}']/@type", namespaces=NS) == ["image/png"]
    seed_types = feed.xpath(
        f"a:entry[a:title='Bureaucratism and Factional Groups']/a:link[@rel='{ACQ}']/@type", namespaces=NS
    )
    assert seed_types == ["application/epub+zip", "application/pdf", "text/plain", "application/tei+xml"]


def test_covers(editions: Path, feed: etree._Element) -> None:
    from PIL import Image

    from tests.distribution.conftest import writer_exists

    seed_cover = editions / SEED / f"{SEED}.cover.png"
    with Image.open(seed_cover) as img:
        if not writer_exists("epub"):  # the stand-in EPUB's cover, taken from the EPUB as is
            assert img.size == (300, 450) and img.getpixel((10, 10)) == (120, 20, 20)
    with Image.open(editions / SEED / f"{SEED}.cover-thumbnail.png") as thumb:
        assert max(thumb.size) <= 300
    # The second work's EPUB has an SVG cover: published as an extra vector image, with
    # a drawn PNG cover as the required raster.
    free = editions / FREE_SLUG
    assert (free / f"{FREE_SLUG}.cover.svg").read_bytes().startswith(b"<svg")
    from pipeline.cover import HEIGHT, WIDTH

    with Image.open(free / f"{FREE_SLUG}.cover.png") as img:
        assert img.size == (WIDTH, HEIGHT)  # the EPUB writer's own typographic cover
    assert feed.xpath(f"a:entry/a:link[@rel='{IMAGE}'][@type='image/svg+xml']/@href", namespaces=NS) == [
        f"../{FREE_SLUG}/{FREE_SLUG}.cover.svg"
    ]
    # The withheld work's stale cover is gone.
    assert not list((editions / WITHHELD_SLUG).glob("*.cover*"))


def load_opds2_validator():
    script = OPDS_DIR / "validate_opds2_example.py"
    if not script.exists():
        pytest.skip(f"{script} is absent (../shared is not beside the project)")
    spec = importlib.util.spec_from_file_location("validate_opds2_example", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalog_json_is_valid_opds_2(editions: Path) -> None:
    validator = load_opds2_validator()
    assert validator.validate_file(editions / "catalog.json", schema="feed", check_formats=True) == []
    assert validator.validate_file(editions / "opds" / "all.json", schema="feed", check_formats=True) == []
    # and the validator does catch a broken feed
    data = json.loads((editions / "opds" / "all.json").read_text(encoding="utf-8"))
    del data["publications"][0]["links"]
    assert validator.make_validator("feed").is_valid(data) is False


def test_catalog_json_links_resolve(editions: Path) -> None:
    data = json.loads((editions / "opds" / "all.json").read_text(encoding="utf-8"))
    assert [p["metadata"]["title"] for p in data["publications"]][0] == "Bureaucratism and Factional Groups"
    external = master_uris(editions)
    links = data["links"] + [l for p in data["publications"] for l in p["links"] + p.get("images", [])]
    for link in links:
        if link.get("templated"):
            continue
        target = resolve_local(link["href"], editions / "opds")
        if target is None:
            assert link["href"] in external
            continue
        assert target.is_file(), link["href"]
        if "size" in link:
            assert link["size"] == target.stat().st_size
            assert link["type"] == expected_type(target)


def test_sha256sums_cover_every_published_file(editions: Path, feed: etree._Element) -> None:
    result = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=editions, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    listed = {line.split("  ", 1)[1] for line in (editions / "SHA256SUMS").read_text(encoding="utf-8").splitlines()}
    linked = {
        resolve_local(h, editions / "opds").relative_to(editions.resolve()).as_posix()
        for h in feed.xpath("//a:link/@href", namespaces=NS)
        if resolve_local(h, editions / "opds") is not None
    }
    assert linked <= listed
    on_disk = {
        p.relative_to(editions).as_posix() for p in editions.rglob("*") if p.is_file() and not p.name.startswith(".")
    }
    assert listed == on_disk - {"SHA256SUMS", "library.json"} - {
        p for p in on_disk if p.startswith(f"{WITHHELD_SLUG}/")
    }
    assert not any(WITHHELD_SLUG in path for path in listed), "a withheld work's master must not be published"
    assert sorted(listed) == [
        line.split("  ", 1)[1] for line in (editions / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    ]
