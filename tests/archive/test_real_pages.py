"""Kinds of layout on real pages of the shared archive (../shared/mia-archive), a few folders of it.

Each folder is extracted from the tarball into a temporary site copy and imported as a whole:
the verdicts are those a whole-archive import gives these pages (`make archive-import`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import archive_pages
from tests.shared_archive import SHARED_ARCHIVE, pages_matching

TARBALL = SHARED_ARCHIVE
FOLDERS = [
    "archive/bax/index.htm",  # an author's index
    "archive/lenin/works/date",  # year listings named by year
    "archive/bukharin/works/1917/imperial",  # index.htm with an information block and its chapters
    "archive/cliff/works/1964/russia",  # chapters continued on further pages (ch01-s1.htm)
    "archive/harman/1988/07",  # a contents page by another name, whose parts link back to it
    "archive/hansen/1946/05",
    "archive/hansen/1946/06",  # instalments in two month folders
    "archive/kautsky/1908/christ",  # chapters whose index the copy lacks
    "admin/volunteers",
]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """The pages under FOLDERS (every page whose path starts so), and only those."""
    if not TARBALL.exists():
        pytest.skip(f"needs the shared archive {TARBALL} (absent here)")
    pages = pages_matching(lambda path: path.startswith(tuple(FOLDERS)))
    return archive_pages(pages, tmp_path_factory.mktemp("mia"), "the real pages' layouts")


def test_kinds_of_layout_on_real_pages(real_site, run_import, tmp_path):
    r = run_import(real_site, "--dry-run", "--sources", str(tmp_path / "s"))
    assert r.code == 0, r.err
    assert r.verdict("archive/bax/index.htm")["reason"] == "author or section index"
    assert r.verdict("archive/lenin/works/date/1917.htm")["reason"] == "year or date listing"
    assert r.verdict("admin/volunteers/welcome.htm")["reason"] == "admin page"
    imperial = r.work("archive/bukharin/works/1917/imperial/index.htm")
    assert [p.rsplit("/", 1)[1] for p in imperial["parts"]][:4] == ["intro.htm", "preface.htm", "01.htm", "02.htm"]
    russia = [p.rsplit("/", 1)[1] for p in r.work("archive/cliff/works/1964/russia/index.htm")["parts"]]
    assert russia[russia.index("intro.htm") + 1 : russia.index("intro.htm") + 5] == [
        "ch01-s1.htm",
        "ch01-s2.htm",
        "ch01-s3.htm",
        "ch01-s4.htm",
    ]
    assert [p.rsplit("/", 1)[1] for p in r.work("archive/harman/1988/07/tightrope.htm")["parts"]] == [
        "1-power.htm",
        "2-noback.htm",
        "3-natquest.htm",
        "4-yugo.htm",
        "5-market.htm",
    ]
    purges = r.work("archive/hansen/1946/05/purges.html")
    assert [p.split("/", 2)[-1] for p in purges["parts"]] == [
        "1946/05/purges1.html",
        "1946/06/purges2.html",
        "1946/06/purges3.html",
        "1946/06/purges4.html",
        "1946/06/purges5.html",
        "1946/06/purges6.html",
    ]
    orphan = r.work("archive/kautsky/1908/christ/ch13.htm")
    assert orphan["kind"] == "single" and "index page is absent" in orphan["notes"][0]
    pages = {p.relative_to(real_site).as_posix() for p in real_site.rglob("*.htm*")}
    assert {p["path"] for p in r.report["pages"]} == pages


def test_naming_one_instalment_imports_its_whole_serial(real_site, run_import, tmp_path):
    """The instalment named lives in another month's folder than its index and its first part
    (issue 20): the import follows its links within the author's folders and writes the
    serial whole, not a one-page work with the other parts missing."""
    r = run_import(real_site, "archive/hansen/1946/06/purges6.html", "--sources", str(tmp_path / "s"))
    assert r.code == 0, r.err
    (work,) = r.report["works"]
    assert work["main"] == "archive/hansen/1946/05/purges.html" and not work["missing"]
    assert [p.split("/", 2)[-1] for p in work["parts"]][:2] == ["1946/05/purges1.html", "1946/06/purges2.html"]
    assert len(work["parts"]) == 6
    (manifest,) = (tmp_path / "s").glob("*/manifest.json")
    assert "06/purges6.html" in manifest.read_text(encoding="utf-8")
