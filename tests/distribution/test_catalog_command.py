"""``python -m pipeline catalog`` as a user runs it: reproducible, --base-url, bad input."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.distribution import write_catalog
from pipeline.distribution.covers import epub_cover
from pipeline.errors import PipelineError
from tests.conftest import SEED, run_pipeline
from tests.distribution.conftest import FREE_SLUG, png, stand_in_epub

OUTPUTS = (
    "index.html",
    "catalog.xml",
    "catalog.json",
    "opensearch.xml",
    "search.html",
    "search.js",
    "library.css",
    "new.html",
    "withheld.html",
    "SHA256SUMS",
    "library.json",
)


def fresh_copy(library: Path, dest: Path) -> Path:
    """The library's editions/ without anything the catalog wrote (its site, the covers)."""
    shutil.copytree(library / "editions", dest / "editions")
    shutil.rmtree(dest / "editions" / "site")
    for cover in (dest / "editions").glob("*/*.cover*"):
        cover.unlink()
    return dest


def published_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the published site (editions/site/), by its path there."""
    site = root / "editions" / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_same_masters_same_bytes(library: Path, tmp_path: Path) -> None:
    again = fresh_copy(library, tmp_path)
    run_pipeline("catalog", cwd=again, check=True)
    assert published_bytes(again) == published_bytes(library)


def test_dates_come_from_source_date_epoch(library: Path, tmp_path: Path) -> None:
    root = fresh_copy(library, tmp_path)
    run_pipeline("catalog", cwd=root, env={"SOURCE_DATE_EPOCH": "1700000000"}, check=True)
    feed = etree.parse(str(root / "editions" / "site" / "catalog.xml")).getroot()
    dates = feed.xpath("//a:updated/text()", namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert set(dates) == {"2023-11-14T22:13:20Z"}
    assert "Built 2023-11-14" in (root / "editions" / "site" / "index.html").read_text(encoding="utf-8")


def test_base_url_makes_catalog_links_absolute(library: Path, tmp_path: Path) -> None:
    root = fresh_copy(library, tmp_path)
    run_pipeline("catalog", "--base-url", "https://example.org/mia", cwd=root, check=True)
    feed = etree.parse(str(root / "editions" / "site" / "opds" / "all.xml")).getroot()
    hrefs = feed.xpath("//a:link/@href", namespaces={"a": "http://www.w3.org/2005/Atom"})
    ours = [h for h in hrefs if h.startswith("https://example.org/mia/")]
    assert f"https://example.org/mia/{SEED}/{SEED}.epub" in ours
    assert "https://example.org/mia/catalog.xml" in ours
    assert all(
        h.startswith(("https://example.org/mia/", "https://www.marxists.org/", "https://creativecommons.org/"))
        for h in hrefs
    )
    data = json.loads((root / "editions" / "site" / "catalog.json").read_text(encoding="utf-8"))
    assert data["links"][0]["href"] == "https://example.org/mia/catalog.json"
    # The page keeps relative links, so it works from any mirror and from file://.
    assert 'href="catalog.xml"' in (root / "editions" / "site" / "index.html").read_text(encoding="utf-8")


def one_error_line(proc) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_bad_base_url(tmp_path: Path) -> None:
    (tmp_path / "editions").mkdir()
    line = one_error_line(run_pipeline("catalog", "--base-url", "ftp://example.org/", cwd=tmp_path))
    assert "--base-url" in line


def test_no_editions_folder(tmp_path: Path) -> None:
    line = one_error_line(run_pipeline("catalog", cwd=tmp_path))
    assert "editions" in line and "error:" in line


def test_broken_master_stops_before_writing(library: Path, tmp_path: Path) -> None:
    shutil.copytree(library / "editions", tmp_path / "editions")
    before = published_bytes(tmp_path)
    master = tmp_path / "editions" / FREE_SLUG / f"{FREE_SLUG}.tei.xml"
    master.write_bytes(master.read_bytes()[:500])  # truncated
    line = one_error_line(run_pipeline("catalog", cwd=tmp_path))
    assert line.startswith(f"{master}:") and "not well-formed" in line
    after = published_bytes(tmp_path)
    del before[f"{FREE_SLUG}/{FREE_SLUG}.tei.xml"], after[f"{FREE_SLUG}/{FREE_SLUG}.tei.xml"]
    assert after == before, "the previous catalog must stay as it was"
    assert not list((tmp_path / "editions").rglob("*.part"))


def test_no_published_work_gives_an_empty_but_valid_catalog(tmp_path: Path) -> None:
    (tmp_path / "editions").mkdir()
    written = write_catalog(tmp_path)
    assert {p.name for p in written} >= set(OUTPUTS)
    assert "No works are published yet." in (tmp_path / "editions" / "site" / "index.html").read_text(encoding="utf-8")
    from tests.distribution.test_catalogs import load_opds2_validator

    assert (
        load_opds2_validator().validate_file(tmp_path / "editions" / "site" / "catalog.json", check_formats=True) == []
    )


def test_write_catalog_returns_every_published_file(library: Path, tmp_path: Path) -> None:
    root = fresh_copy(library, tmp_path)
    written = write_catalog(root)
    assert all(p.is_file() for p in written)
    listed = (root / "editions" / "site" / "SHA256SUMS").read_text(encoding="utf-8")
    for path in written:
        if path.name not in ("SHA256SUMS", "library.json"):
            assert f"  {path.relative_to(root / 'editions' / 'site').as_posix()}\n" in listed


# --- the EPUB's cover ------------------------------------------------------------------


def test_epub_cover_epub3_and_epub2(tmp_path: Path) -> None:
    data = png((1, 2, 3))
    stand_in_epub(tmp_path / "a.epub", data, "image/png", "the cover.png", href="the%20cover.png")  # hrefs are URLs
    assert epub_cover(tmp_path / "a.epub") == (data, "image/png")
    stand_in_epub(tmp_path / "b.epub", data, "image/jpeg", "cover.jpg", epub2=True)
    assert epub_cover(tmp_path / "b.epub") == (data, "image/jpeg")


def test_epub_without_cover_or_broken(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "none.epub", "w") as zf:
        zf.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="p.opf"/></rootfiles></container>',
        )
        zf.writestr("p.opf", '<package xmlns="http://www.idpf.org/2007/opf"><metadata/><manifest/></package>')
    assert epub_cover(tmp_path / "none.epub") is None
    (tmp_path / "bad.epub").write_bytes(b"not a zip")
    with pytest.raises(PipelineError, match="cannot read the EPUB's cover"):
        epub_cover(tmp_path / "bad.epub")


def test_the_library_an_earlier_version_wrote_into_editions_is_retired(library: Path, tmp_path: Path) -> None:
    """Before the site had a folder of its own, the catalog wrote it into editions/ itself,
    where serving it served every withheld master too: the next catalog removes it."""
    root = fresh_copy(library, tmp_path)
    eds = root / "editions"
    old = [
        eds / "index.html",
        eds / "SHA256SUMS",
        eds / "opds" / "all.xml",
        eds / "pagefind" / "x.pf",
        eds / SEED / "index.html",
    ]
    for path in old:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("the old library\n", encoding="utf-8")
    run_pipeline("catalog", cwd=root, check=True)
    assert not [p for p in old if p.exists()]
    assert (eds / "site" / "index.html").is_file() and (eds / SEED / f"{SEED}.tei.xml").is_file()
