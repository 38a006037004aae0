"""Helpers for the reader tests: a source folder made from fixture pages, read in-process."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from lxml import etree

from pipeline.manifest import load_manifest
from pipeline.master.model import Work
from pipeline.master.write import serialize
from pipeline.readers.mia_html import read
from tests.conftest import PROJECT, SHARED

FIXTURES = PROJECT / "tests" / "fixtures" / "html"
MIA = SHARED / "mia"
URL = "https://www.marxists.org/archive/example/1921/05/work.htm"
TEI_NS = {"tei": "http://www.tei-c.org/ns/1.0"}


def make_source(
    root: Path,
    files: dict[str, bytes],
    url: str = URL,
    roles: dict[str, str] | None = None,
    slug: str = "example-1921-work",
) -> Path:
    """A source folder under ``root`` holding ``files`` and a manifest for them."""
    folder = root / "sources" / slug
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        role = (roles or {}).get(name, "main")
        entries.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(), "role": role})
    manifest = {"slug": slug, "url": url, "retrieved": "2026-11-25", "format": "mia-html", "files": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return folder


def read_folder(folder: Path) -> Work:
    return read(load_manifest(folder))


def checked_master(folder: Path, names: list[str]) -> etree._Element:
    """The source folder read as a work; asserts the master valid and every word of the
    pages ``names`` in it (the source check)."""
    from pipeline.fidelity.source import losses
    from pipeline.validation.master import check_bytes

    out = serialize(read_folder(folder), 0)
    assert check_bytes(out, folder.name) == []
    tei = etree.fromstring(out)
    assert losses([folder / name for name in names], tei) == []
    return tei


def body_heads(tei: etree._Element) -> list[str]:
    """The body's headings, as text with their spaces folded."""
    return [" ".join("".join(h.itertext()).split()) for h in tei.iterfind(".//tei:body//tei:head", TEI_NS)]


def normalizations(tei: etree._Element) -> str:
    """What the header records of the reading, as one text."""
    return " ".join(" ".join(p.itertext()) for p in tei.iterfind(".//tei:normalization/tei:p", TEI_NS))


def tei_of(work: Work) -> etree._Element:
    return etree.fromstring(serialize(work, 0))


@pytest.fixture
def fixture_work(tmp_path: Path):
    """Read one page of tests/fixtures/html as a single-page work: returns (Work, TEI root)."""

    def read(name: str, data: bytes | None = None) -> tuple[Work, etree._Element]:
        page = data if data is not None else (FIXTURES / name).read_bytes()
        folder = make_source(tmp_path, {name: page})
        work = read_folder(folder)
        return work, tei_of(read_folder(folder))

    return read
