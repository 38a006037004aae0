"""Bad inputs to `import`: each a one-line skip or error, sources/ never left half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.manifest import load_manifest
from tests.archive.conftest import tree_state

SINGLE = "archive/murphy-jt/1935/08/unemployed.htm"


def _skip_line(r, path: str) -> str:
    v = r.verdict(path)
    assert v["verdict"] == "unreadable"
    assert "\n" not in v["reason"]
    return v["reason"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.htm", b"", "empty file"),
        ("blank.htm", b"  \n\n ", "empty file"),
        ("picture.htm", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not HTML"),
        ("notes.htm", b"Just some words in a text file, no markup at all.\n" * 20, "not HTML"),
    ],
)
def test_unreadable_pages_are_skipped_with_a_reason(site, run_import, tmp_path, name, content, expected):
    bad = site / "archive" / "doe" / name
    bad.write_bytes(content)
    sources = tmp_path / "sources"
    r = run_import(site, "--sources", str(sources))
    assert r.code == 0, r.err
    assert _skip_line(r, f"archive/doe/{name}").startswith(expected)
    assert len(list(sources.iterdir())) == 4  # the rest of the run went on
    assert "unreadable: 1" in r.err


def test_page_over_20_mb(site, run_import, tmp_path):
    big = site / "archive" / "doe" / "huge.htm"
    with open(big, "wb") as handle:  # sparse: 21 MB of nothing, no time or disk spent
        handle.write(b"<html><body><p>")
        handle.truncate(21 * 1024 * 1024)
    r = run_import(site, "--dry-run", "--sources", str(tmp_path / "s"))
    assert _skip_line(r, "archive/doe/huge.htm") == "page over 20 MB (21.0 MB)"


def test_symlinks_that_leave_root_loop_or_dangle(site, run_import, tmp_path):
    outside = tmp_path / "elsewhere.htm"
    outside.write_text("<html><body><p>not the site's</p></body></html>")
    doe = site / "archive" / "doe"
    (doe / "out.htm").symlink_to(outside)
    (doe / "loop-a.htm").symlink_to(doe / "loop-b.htm")
    (doe / "loop-b.htm").symlink_to(doe / "loop-a.htm")
    (doe / "gone.htm").symlink_to(doe / "nothing-here.htm")
    (doe / "folder-link").symlink_to(tmp_path)  # a link to a folder outside: never walked
    (site / "archive" / "copy.htm").symlink_to(site / SINGLE)  # inside ROOT: read
    sources = tmp_path / "sources"
    r = run_import(site, "--sources", str(sources))
    assert r.code == 0, r.err
    assert _skip_line(r, "archive/doe/out.htm").startswith("symbolic link leaves ROOT")
    assert _skip_line(r, "archive/doe/loop-a.htm") == "symbolic link loops"
    assert _skip_line(r, "archive/doe/gone.htm") == "symbolic link to nothing (broken)"
    assert not any(p["path"].startswith("archive/doe/folder-link") for p in r.report["pages"])
    assert r.verdict("archive/copy.htm")["verdict"] == "work"
    assert not any("elsewhere" in str(p) for p in sources.rglob("*"))


def test_root_that_is_not_a_site_copy(tmp_path, run_import):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "page.htm").write_text("<html><body><p>hello</p></body></html>")
    sources = tmp_path / "sources"
    r = run_import(plain, "--sources", str(sources))
    assert r.code == 1
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and "not a copy of the MIA site" in lines[0] and str(plain) in lines[0]
    assert not sources.exists()
    r = run_import(tmp_path / "absent", "--sources", str(sources))
    assert r.code == 1 and r.err.strip().endswith("error: no such folder")


def test_root_error_from_the_command_line_has_no_traceback(tmp_path):
    project = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "import", str(tmp_path), "--sources", str(tmp_path / "s")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_two_pages_that_would_get_one_slug(site, run_import, tmp_path):
    """archive/murphy-jt/1935/08/unemployed.htm and .../1935/unemployed.htm both derive murphy-jt-1935-unemployed."""
    other = site / "archive" / "murphy-jt" / "1935" / "unemployed.htm"
    shutil.copy(site / SINGLE, other)
    sources = tmp_path / "sources"
    r = run_import(site, "archive/murphy-jt", "--sources", str(sources))
    assert r.code == 0, r.err
    slugs = {w["main"]: w["slug"] for w in r.report["works"]}
    # rule 2 for the earlier URL; the later one's long slug is taken too, so rule 4
    assert slugs == {
        "archive/murphy-jt/1935/08/unemployed.htm": "murphy-jt-1935-unemployed",
        "archive/murphy-jt/1935/unemployed.htm": "murphy-jt-1935-unemployed-2",
    }
    for slug in slugs.values():
        assert load_manifest(sources / slug).slug == slug
    # a folder already in sources/ (any content) is never taken over
    before = tree_state(sources)
    again = run_import(site, "archive/murphy-jt", "--sources", str(sources))
    assert {w["slug"] for w in again.report["works"]} == set(slugs.values())
    assert tree_state(sources) == before


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return proc.returncode == 0


def test_disk_full_mid_import_leaves_whole_works_and_the_next_run_goes_on(site, run_import, tmp_path):
    """A real full disk: a 160 KB tmpfs, too small for the fixture site's works (~200 KB)."""
    mount = tmp_path / "disk"
    if not _mount_tmpfs(mount, "160k"):
        pytest.skip("needs to mount a small tmpfs (root, or CAP_SYS_ADMIN) to fill a real disk")
    try:
        sources = mount / "sources"
        r = run_import(site, "--sources", str(sources), "--retrieved", "2026-12-01")
        assert r.code == 1
        assert r.err.strip().splitlines()[-1].count("disk full") == 1
        written = [p for p in sources.iterdir() if not p.name.startswith(".")]
        assert 0 < len(written) < 4
        for folder in written:  # whole, valid, fixity intact
            load_manifest(folder)
        assert not (sources / ".import-staging").exists() or not any((sources / ".import-staging").iterdir())
        subprocess.run(["mount", "-o", "remount,size=4m", str(mount)], check=True)
        again = run_import(site, "--sources", str(sources), "--retrieved", "2026-12-01")
        assert again.code == 0, again.err
        statuses = sorted(w["status"] for w in again.report["works"])
        assert statuses.count("unchanged") == len(written) and statuses.count("new") == 4 - len(written)
        for folder in sources.iterdir():
            if not folder.name.startswith("."):
                load_manifest(folder)
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_second_import_into_the_same_sources_at_the_same_time_is_refused(site, run_import, tmp_path):
    from pipeline.archive.store import writer_lock

    sources = tmp_path / "sources"
    with writer_lock(sources):
        r = run_import(site, "--sources", str(sources))
    assert r.code == 1 and r.err.strip().endswith(
        "another import or fetch is writing to this folder; wait for it to finish"
    )
    assert not any(sources.iterdir())


def test_unreadable_files(site, run_import, tmp_path):
    """A pipe named like a page (reading it would block for ever), and, for a user other than root,
    a page without read permission: skipped with the reason, the rest imported."""
    doe = site / "archive" / "doe"
    os.mkfifo(doe / "pipe.htm")
    locked = doe / "locked.htm"
    locked.write_bytes((site / SINGLE).read_bytes())
    locked.chmod(0)
    sources = tmp_path / "sources"
    r = run_import(site, "--sources", str(sources))
    assert r.code == 0, r.err
    assert _skip_line(r, "archive/doe/pipe.htm") == "not a regular file (a pipe, socket or device)"
    if os.geteuid() != 0:  # root reads any file
        assert _skip_line(r, "archive/doe/locked.htm").startswith("cannot be read (Permission denied")
    assert len([p for p in sources.iterdir()]) >= 4


@pytest.mark.parametrize(
    ("name", "reason"),
    [(b"caf\xe9.htm", "not valid UTF-8"), (b"back\\slash.htm", "backslash")],
    ids=["latin-1-byte", "backslash"],
)
def test_a_file_name_no_manifest_can_hold_is_skipped_in_one_line(site, run_import, tmp_path, name, reason):
    folder = site / "archive" / "murphy-jt" / "1935" / "08"
    os.rename(folder / "unemployed.htm", os.path.join(bytes(folder), name))
    r = run_import(site, "--sources", str(tmp_path / "sources"))
    assert r.code == 0, r.err
    (skipped,) = [p for p in r.report["pages"] if p["path"].startswith("archive/murphy-jt/")]
    assert skipped["verdict"] == "unreadable" and reason in skipped["reason"]
    assert not any(p.name.startswith("murphy") for p in (tmp_path / "sources").iterdir())
