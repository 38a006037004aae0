"""Shared fixtures: the project's sources built once per test session.

The slow judges (jing, EPUBCheck, Ace) run once per book in the tests that need them;
everything else reads the session's build.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SHARED_ARCHIVE = SHARED / "mia-archive" / "mia-site.tar.xz"
SHARED_INDEX = SHARED / "mia-archive" / "INDEX.tsv"  # path, bytes, sha256 of every page of the tarball
TEI_ALL = PROJECT / "schemas" / "tei" / "tei_all.rng"  # shipped: never skipped
SEED = "trotsky-1923-faction"


def run_pipeline(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    """Run ``python -m pipeline`` as a user would, from ``cwd``."""
    full_env = {**os.environ, "PYTHONPATH": str(PROJECT), **(env or {})}
    full_env.pop("SOURCE_DATE_EPOCH", None) if env is None or "SOURCE_DATE_EPOCH" not in env else None
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, env=full_env, capture_output=True, text=True
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"pipeline {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def copy_sources(dest: Path, slugs: list[str] | None = None) -> Path:
    (dest / "sources").mkdir(parents=True, exist_ok=True)
    for src in sorted((PROJECT / "sources").iterdir()):
        if src.is_dir() and (slugs is None or src.name in slugs):
            shutil.copytree(src, dest / "sources" / src.name)
    (dest / "editions").mkdir(exist_ok=True)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's sources/, built once with ``pipeline build``."""
    root = copy_sources(tmp_path_factory.mktemp("project"))
    run_pipeline("build", "--jobs", "2", cwd=root, check=True)
    return root


@pytest.fixture(scope="session")
def seed_master(built: Path) -> Path:
    return built / "editions" / SEED / f"{SEED}.tei.xml"


def jing(schema: Path, *docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "pyjing"), str(schema), *map(str, docs)], capture_output=True, text=True
    )


def unpacked_copy(paths: list[str]) -> Path | None:
    """The unpacked site ($MIA_SITE, else /tmp/mia, as bench/archive_readers.py reads it)
    when it holds every page byte for byte as INDEX.tsv lists it: reading it spares the
    tarball's unpacking, most of a sample test's time."""
    site = Path(os.environ.get("MIA_SITE", "/tmp/mia"))
    if not site.is_dir() or not SHARED_INDEX.is_file():
        return None
    wanted = set(paths)
    sha = {}
    for row in SHARED_INDEX.read_text(encoding="utf-8").splitlines()[1:]:
        path, _, digest = row.split("\t")
        if path in wanted:
            sha[path] = digest
    for path in paths:
        page = site / path
        if path not in sha or not page.is_file() or hashlib.sha256(page.read_bytes()).hexdigest() != sha[path]:
            return None
    return site


def shared_pages(paths: list[str], into: Path, needed_by: str) -> Path:
    """A site folder holding ``paths`` of the shared archive: the unpacked copy when it holds
    them as the tarball has them, else those pages unpacked into ``into``; the test is
    skipped, saying so, when the shared archive is absent."""
    if not SHARED_ARCHIVE.is_file():
        pytest.skip(f"{SHARED_ARCHIVE} is absent: {needed_by} need the shared archive's pages")
    site = unpacked_copy(paths)
    if site is not None:
        return site
    # the tarball names its members ./path
    subprocess.run(["tar", "-xJf", str(SHARED_ARCHIVE), "-C", str(into), *(f"./{p}" for p in paths)], check=True)
    return into
