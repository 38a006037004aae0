"""``fetch`` brings in the figures as ``import`` does (issue 25): from a real HTTP server on
127.0.0.1 serving the figure fixture, politely (robots.txt, the delay), the same manifests
and bytes as the import of the same copy; an image the server lacks (404) is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.archive.test_fetch import Server
from tests.figures.conftest import import_site
from tests.figures.fixture import WORKS, make_site

FETCHED = ("radek-1922-letter", "grant-1942-power", "pablo-1948-yugoslavia")


@pytest.fixture
def server(tmp_path: Path):
    s = Server(make_site(tmp_path / "served"))
    s.robots = "User-agent: *\nDisallow: /private/\n"
    yield s
    s.httpd.shutdown()


def comparable(manifest: Path) -> dict:
    """A manifest without what says how it was brought in (origin, the charsets served)."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data.pop("origin", None)
    data.pop("permission", None)
    for f in data["files"]:
        f.pop("served_charset", None)
        f.pop("declared_charset", None)
    return data


def test_fetch_brings_in_the_figures_as_import_does(tmp_path: Path, server: Server, capsys) -> None:
    urls = [f"https://www.marxists.org/{WORKS[slug]}" for slug in FETCHED]
    code = main(
        ["fetch", *urls, "--server", server.url, "--sources", str(tmp_path / "fetched"), "--cache"]
        + [str(tmp_path / "cache"), "--delay", "0.05", "--retrieved", "2026-01-01"]
    )
    assert code == 0, capsys.readouterr().err
    imported = import_site(tmp_path / "imported")
    for slug in FETCHED:
        assert comparable(tmp_path / "fetched" / slug / "manifest.json") == comparable(
            imported / slug / "manifest.json"
        )
        fetched_files = sorted(
            p.relative_to(tmp_path / "fetched" / slug) for p in (tmp_path / "fetched" / slug).rglob("*")
        )
        imported_files = sorted(p.relative_to(imported / slug) for p in (imported / slug).rglob("*"))
        assert fetched_files == imported_files
        for rel in fetched_files:
            if (imported / slug / rel).is_file() and rel.name != "manifest.json":
                assert (tmp_path / "fetched" / slug / rel).read_bytes() == (imported / slug / rel).read_bytes()
    requested = [path for _, path, _ in server.page_requests()]
    assert "/archive/grant/images/covers/power_front.jpg" in requested  # the larger image, not the thumbnail
    assert not any(p.endswith(("marx.jpg", "pabl-z.gif")) for p in requested)  # furniture never requested
    assert "/robots.txt" in [path for _, path, _ in server.requests]
