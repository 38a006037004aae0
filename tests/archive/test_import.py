"""`python -m pipeline import`: triage, multi-part works, idempotence, --update, report."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import jsonschemas
from pipeline.manifest import load_manifest
from tests.archive.conftest import tree_state

KERENSKY = "reference/archive/kerensky/1919/prelude/index.htm"
BULLETIN = "archive/hansen/1939/09/bulletin.html"


def test_triage_accounts_for_every_page(site, run_import, tmp_path):
    r = run_import(site, "--dry-run", "--sources", str(tmp_path / "sources"))
    assert r.code == 0, r.err
    assert not jsonschemas.errors("import-report.schema.json", r.report)
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.htm*")}
    assert {p["path"] for p in r.report["pages"]} == pages
    # a multi-part work: parts in the index's order, the absent chapter named
    k = r.work(KERENSKY)
    assert k["kind"] == "multi-part" and k["slug"] == "kerensky-1919-prelude"
    assert k["parts"] == [
        "reference/archive/kerensky/1919/prelude/intro.htm",
        "reference/archive/kerensky/1919/prelude/ch04.htm",
    ]
    assert k["missing"] == ["reference/archive/kerensky/1919/prelude/preface.htm"]
    # instalments published in two months: one work
    b = r.work(BULLETIN)
    assert b["kind"] == "multi-part"
    assert [p.rsplit("/", 2)[-2] + "/" + p.rsplit("/", 1)[-1] for p in b["parts"]] == [
        "09/bulletin1.htm",
        "09/bulletin2.htm",
        "10/bulletin3.htm",
        "10/bulletin4.htm",
    ]
    assert r.verdict("archive/hansen/1939/10/bulletin3.htm")["verdict"] == "part"
    assert r.work("archive/murphy-jt/1935/08/unemployed.htm")["kind"] == "single"
    # not works, each with the kind of page it is
    assert r.verdict("archive/doe/index.htm") == {
        "path": "archive/doe/index.htm",
        "verdict": "not-work",
        "reason": "author or section index",
    }
    assert r.verdict("archive/doe/works/1921/index.htm")["verdict"] == "not-work"
    assert r.verdict("archive/doe/404.htm")["reason"] == "error page"
    assert len(r.report["works"]) == 4
    assert "not works: 3" in r.err and "2 multi-part" in r.err
    assert "will be published: " in r.err and "of the 4 works found state a free licence" in r.err  # issue 21
    assert not (tmp_path / "sources").exists()  # a dry run writes nothing


def test_import_writes_valid_sources_then_changes_nothing(site, run_import, tmp_path):
    sources = tmp_path / "sources"
    r = run_import(site, "--sources", str(sources), "--retrieved", "2026-12-01")
    assert r.code == 0, r.err
    assert sorted(p.name for p in sources.iterdir()) == [
        "fitzgerald-1925-economics-marx",
        "hansen-1939-bulletin",
        "kerensky-1919-prelude",
        "murphy-jt-1935-unemployed",
    ]
    k = load_manifest(sources / "kerensky-1919-prelude")  # schema and fixity
    assert [(f.path.name, f.role) for f in k.files] == [
        ("index.htm", "index"),
        ("intro.htm", "part"),
        ("ch04.htm", "part"),
    ]
    assert k.retrieved == "2026-12-01" and k.url == "https://www.marxists.org/" + KERENSKY
    assert [(m.path, m.url) for m in k.missing] == [
        ("preface.htm", "https://www.marxists.org/reference/archive/kerensky/1919/prelude/preface.htm")
    ]
    for f in k.files:  # byte for byte
        assert f.path.read_bytes() == (site / "reference/archive/kerensky/1919/prelude" / f.path.name).read_bytes()
    b = load_manifest(sources / "hansen-1939-bulletin")
    assert [f.path.relative_to(b.folder).as_posix() for f in b.files] == [
        "bulletin.html",
        "bulletin1.htm",
        "bulletin2.htm",
        "10/bulletin3.htm",
        "10/bulletin4.htm",
    ]
    before = tree_state(sources)
    again = run_import(site, "--sources", str(sources), "--retrieved", "2026-12-02")
    assert again.code == 0
    assert "nothing changed" in again.err
    assert tree_state(sources) == before
    assert {w["status"] for w in again.report["works"]} == {"unchanged"}


def test_changed_page_needs_update_and_keeps_the_earlier_version(site, run_import, tmp_path):
    sources = tmp_path / "sources"
    assert run_import(site, "--sources", str(sources), "--retrieved", "2026-01-01").code == 0
    page = site / "archive/murphy-jt/1935/08/unemployed.htm"
    old = page.read_bytes()
    page.write_bytes(old.replace(b"</body>", b"<p>A correction, added later.</p></body>"))
    before = tree_state(sources)
    r = run_import(site, "--sources", str(sources), "--retrieved", "2026-02-01")
    assert tree_state(sources) == before  # never overwritten silently
    assert "not overwritten (use --update)" in r.err and "--update" in r.err
    u = run_import(site, "--sources", str(sources), "--retrieved", "2026-02-01", "--update")
    assert u.code == 0 and u.work("archive/murphy-jt/1935/08/unemployed.htm")["status"] == "updated"
    folder = sources / "murphy-jt-1935-unemployed"
    m = load_manifest(folder)  # fixity of the current and the earlier version
    assert (folder / "unemployed.htm").read_bytes() == page.read_bytes()
    assert (folder / "versions/v1/unemployed.htm").read_bytes() == old
    (v1,) = m.raw["versions"]
    assert v1["version"] == 1 and v1["retrieved"] == "2026-01-01" and v1["replaced"] == "2026-02-01"
    assert v1["files"][0]["path"] == "versions/v1/unemployed.htm"
    assert json.loads((folder / "versions/v1/manifest.json").read_text())["retrieved"] == "2026-01-01"
    # the other works are untouched
    assert {k: v for k, v in tree_state(sources).items() if not k.startswith("murphy")} == {
        k: v for k, v in before.items() if not k.startswith("murphy")
    }


def test_path_narrows_and_a_chapter_brings_its_work(site, run_import, tmp_path):
    sources = tmp_path / "sources"
    r = run_import(site, "reference/archive/kerensky/1919/prelude/ch04.htm", "--sources", str(sources))
    assert r.code == 0, r.err
    assert [p.name for p in sources.iterdir()] == ["kerensky-1919-prelude"]


def test_orphan_chapter_is_a_work_of_its_own_noted(site, run_import, tmp_path):
    (site / KERENSKY).unlink()
    r = run_import(site, "reference", "--dry-run", "--sources", str(tmp_path / "s"))
    works = {w["main"].rsplit("/", 1)[-1]: w for w in r.report["works"]}
    assert set(works) == {"intro.htm", "ch04.htm"}
    assert all(w["kind"] == "single" for w in works.values())
    assert works["ch04.htm"]["notes"] == ["named as a chapter, with no index page in its folder: a work of its own"]


def test_existing_sources_keep_their_slugs_and_are_left_alone(site, run_import, tmp_path):
    project = Path(__file__).resolve().parents[2]
    sources = tmp_path / "sources"
    import shutil

    shutil.copytree(project / "sources" / "kerensky-1919-prelude", sources / "kerensky-1919-prelude")
    before = tree_state(sources)
    r = run_import(site, "reference", "--sources", str(sources))
    # the hand-made source differs (it has the preface): reported, never overwritten
    assert r.work(KERENSKY)["status"] == "changed"
    assert tree_state(sources) == before


def test_site_url_and_retrieved_from_the_files_time(site, run_import, tmp_path):
    import os

    page = site / "archive/murphy-jt/1935/08/unemployed.htm"
    os.utime(page, (1_600_000_000, 1_600_000_000))  # 2020-09-13
    sources = tmp_path / "sources"
    r = run_import(
        site, "archive/murphy-jt", "--sources", str(sources), "--site-url", "https://mirror.example.org/mia/"
    )
    assert r.code == 0, r.err
    m = load_manifest(sources / "murphy-jt-1935-unemployed")
    assert m.url == "https://mirror.example.org/mia/archive/murphy-jt/1935/08/unemployed.htm"
    assert m.retrieved == "2020-09-13"


def test_bad_options_are_one_line(site, run_import, tmp_path):
    for args, words in (
        (("--retrieved", "1 May 2026"), "--retrieved must be a date"),
        (("--site-url", "ftp://x"), "--site-url must be an http(s) URL"),
        (("--jobs", "0"), "--jobs must be at least 1"),
    ):
        r = run_import(site, "--sources", str(tmp_path / "s"), *args)
        assert r.code == 1 and len(r.err.strip().splitlines()) == 1 and words in r.err
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").iterdir())
