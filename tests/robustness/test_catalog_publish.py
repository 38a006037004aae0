"""The published library under attack (issue 23): a withheld work never stays searchable, a
catalog that fails publishes nothing new and leaves the last good library whole, and the
catalog never runs while a build rewrites the editions."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from pipeline.builder.build import build_lock
from tests.conftest import SEED, run_pipeline


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built / "sources", root / "sources")
    shutil.copytree(built / "editions", root / "editions", symlinks=True)
    return root


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def sums_hold(editions: Path) -> bool:
    """``sha256sum --check SHA256SUMS``, line by line."""
    for line in (editions / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        path = editions / name.lstrip("*")
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return False
    return True


def withhold(root: Path, slug: str) -> None:
    """Flip a bit of a verified edition, its size and mtime kept (bit rot): the catalog withholds the work."""
    txt = root / "editions" / slug / f"{slug}.txt"
    st = txt.stat()
    data = bytearray(txt.read_bytes())
    data[len(data) // 2] ^= 0x01
    txt.write_bytes(bytes(data))
    os.utime(txt, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_work_withheld_since_is_never_left_searchable(project: Path) -> None:
    editions = project / "editions" / "site"
    run_pipeline("catalog", cwd=project, check=True)
    assert (editions / "pagefind").is_dir()
    withhold(project, SEED)
    proc = run_pipeline("catalog", "--no-search", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert f"{SEED}: not published" in proc.stderr
    assert not (editions / "pagefind").exists() and not (editions / ".pagefind-inputs").exists()
    assert f"{SEED}/" not in (editions / "SHA256SUMS").read_text() and sums_hold(editions)
    assert not (project / "editions" / SEED / ".stamp").exists()  # so the next `make` rebuilds it, not "up to date"
    assert not (editions / SEED).exists()  # the site holds none of its files


def test_a_failed_catalog_publishes_nothing_new(project: Path) -> None:
    editions = project / "editions" / "site"
    run_pipeline("catalog", "--no-search", cwd=project, check=True)
    withhold(project, SEED)  # the next catalog would change pages, feeds and sums
    shutil.rmtree(editions / "authors")
    (editions / "authors").write_text("not a folder\n")  # every author page fails to be written
    with (editions / "SHA256SUMS").open("a", encoding="utf-8") as sums:  # as if the catalog had written it
        sums.write(f"{hashlib.sha256(b'not a folder').hexdigest()}  authors\n")
    before = tree(editions)
    proc = run_pipeline("catalog", "--no-search", cwd=project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 2, proc.stderr  # the withheld work, then the error
    assert tree(editions) == before  # nothing new, nothing half-written: the last library whole
    assert not list(editions.rglob("*.part"))


def test_the_catalog_takes_the_builds_lock(project: Path) -> None:
    with build_lock(project):
        proc = run_pipeline("catalog", "--no-search", cwd=project)
    assert proc.returncode == 1 and "another build is running" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_the_catalog_refuses_a_site_holding_what_it_did_not_write(project: Path) -> None:
    """The site is served as it is: a file someone put there is neither published nor deleted."""
    site = project / "editions" / "site"
    run_pipeline("catalog", "--no-search", cwd=project, check=True)
    stray = site / "private-notes.txt"
    stray.write_text("not for the public\n", encoding="utf-8")
    before = tree(site)
    proc = run_pipeline("catalog", "--no-search", cwd=project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(f"{stray}: error: not written by the catalog"), proc.stderr
    assert tree(site) == before and stray.is_file()


def test_a_failed_search_index_withdraws_the_old_one(project: Path) -> None:
    """Pagefind itself failing (its binary exits at once) after a work was withheld: the old
    index, which holds that work's text, is withdrawn; the rest of the site is published and
    the failure named in one line."""
    editions = project / "editions" / "site"
    run_pipeline("catalog", cwd=project, check=True)
    assert (editions / "pagefind" / "0" / "pagefind-entry.json").is_file()
    withhold(project, SEED)
    proc = run_pipeline("catalog", cwd=project, env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{SEED}: not published" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].endswith("the library is published without its search index")
    assert not (editions / "pagefind").exists() and not list(editions.glob(".pagefind*"))
    assert f"{SEED}/" not in (editions / "SHA256SUMS").read_text() and sums_hold(editions)
    assert "pagefind/" not in (editions / "SHA256SUMS").read_text()
