"""`--update` stores each version once (issue 23): ``versions/v<N>/`` holds version N only,
``validate`` understands the versions, what an archivist recorded carries over, and a file
name that would leave the work's folder (or land in versions/) is refused, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.archive import store
from pipeline.cli import main
from pipeline.manifest import load_manifest
from tests.archive.conftest import tree_state

PAGE = "archive/murphy-jt/1935/08/unemployed.htm"
SLUG = "murphy-jt-1935-unemployed"
PERMISSION = {"granted_by": "The rights holder", "date": "2026-01-15", "reference": "letter of 15 January 2026"}


def update(site: Path, run_import, sources: Path, n: int) -> None:
    page = site / PAGE
    page.write_bytes(page.read_bytes().replace(b"</body>", f"<p>Correction number {n}.</p></body>".encode()))
    r = run_import(site, PAGE, "--sources", str(sources), "--retrieved", f"2026-02-{n:02d}", "--update")
    assert r.code == 0, r.err


def test_each_update_stores_one_version_and_validate_accepts_them(site, run_import, tmp_path, capsys):
    sources = tmp_path / "sources"
    assert run_import(site, PAGE, "--sources", str(sources), "--retrieved", "2026-01-01").code == 0
    for n in range(1, 6):
        update(site, run_import, sources, n)
    folder = sources / SLUG
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    # the current version and five earlier ones, a page and a manifest each: linear, never doubling
    assert files == ["manifest.json", "unemployed.htm"] + [
        f"versions/v{n}/{name}" for n in range(1, 6) for name in ("manifest.json", "unemployed.htm")
    ]
    manifest = load_manifest(folder)  # fixity of every version
    assert [v["version"] for v in manifest.raw["versions"]] == [1, 2, 3, 4, 5]
    assert load_manifest(folder / "versions" / "v5").slug == SLUG  # an earlier version's manifest reads too
    capsys.readouterr()
    assert main(["validate", "--no-tei-all", str(sources)]) == 0, capsys.readouterr()


def test_an_archivists_permission_carries_over_to_the_new_version(site, run_import, tmp_path):
    sources = tmp_path / "sources"
    assert run_import(site, PAGE, "--sources", str(sources), "--retrieved", "2026-01-01").code == 0
    path = sources / SLUG / "manifest.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "permission": PERMISSION}, indent=2))
    update(site, run_import, sources, 1)
    assert load_manifest(sources / SLUG).raw["permission"] == PERMISSION


def test_an_update_that_would_drop_a_record_stops_and_says_why(site, run_import, tmp_path):
    sources = tmp_path / "sources"
    assert run_import(site, PAGE, "--sources", str(sources), "--retrieved", "2026-01-01").code == 0
    path = sources / SLUG / "manifest.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), "curator": "J. Doe, 2026"}, indent=2))
    before = tree_state(sources)
    page = site / PAGE
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Changed.</p></body>"))
    r = run_import(site, PAGE, "--sources", str(sources), "--update")
    assert r.code == 1 and "'curator'" in r.err and "cannot carry over" in r.err, r.err
    assert tree_state(sources) == before


@pytest.mark.parametrize("name", ["../china2.htm", "a/../../x.htm", "/etc/x.htm", "versions/v1/x.htm", "a\\b.htm"])
def test_a_file_name_leaving_the_work_is_refused_nothing_written(tmp_path, name):
    sources = tmp_path / "sources"
    files = [store.StoredFile(name, b"<html></html>", "0" * 64, "main", "https://www.marxists.org/x.htm")]
    with pytest.raises(store.UnsafeName, match="would leave the work's folder"):
        store.write_work(sources, "doe-work", {"retrieved": "2026-01-01"}, files, None)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_file_name_not_in_utf8_is_refused(tmp_path):
    name = b"caf\xe9.htm".decode("utf-8", "surrogateescape")  # a Latin-1 byte in a file name
    files = [store.StoredFile(name, b"<html></html>", "0" * 64, "main", "https://www.marxists.org/x.htm")]
    with pytest.raises(store.UnsafeName, match="not valid UTF-8"):
        store.write_work(tmp_path / "sources", "doe-work", {"retrieved": "2026-01-01"}, files, None)
