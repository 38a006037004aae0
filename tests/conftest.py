"""Shared fixtures: the project's sources built once per test run.

The slow judges (jing, Ace) run once per book in the tests that need them, EPUBCheck once per
run over every EPUB of the build (``built_epubcheck``); everything else reads the run's build. What a run makes once (the build, the unpacked
tarball) is shared by the pytest-xdist workers through a folder of the run and a lock
(:func:`made_once`), as pytest-xdist's documentation suggests: each worker would
otherwise make its own.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shared_archive import SHARED as SHARED  # re-exported: tests import these from here
from tests.shared_archive import SHARED_ARCHIVE, gather, unpack
from tests.shared_archive import SHARED_INDEX as SHARED_INDEX
from tests.shared_archive import unpacked_copy as unpacked_copy

PROJECT = Path(__file__).resolve().parent.parent
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


_CONFIG: list[pytest.Config] = []  # this process's pytest configuration, for made_once


def pytest_configure(config: pytest.Config) -> None:
    _CONFIG[:] = [config]


def run_folder() -> Path:
    """The temporary folder of this test run, shared by its xdist workers (each worker's basetemp
    is a folder of it, named after the worker); without xdist, the run's basetemp itself."""
    base = _CONFIG[0]._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(name: str, make: Callable[[Path], object]) -> Path:
    """The folder ``name`` of this run, made by ``make`` by whichever worker first needs it,
    while the others wait on its lock; a half-made folder (``make`` raised) is made again."""
    folder = run_folder() / name
    done = run_folder() / f"{name}.done"
    with open(run_folder() / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def build_sources(root: Path) -> None:
    copy_sources(root)
    run_pipeline("build", "--jobs", "2", cwd=root, check=True)


@pytest.fixture(scope="session")
def built() -> Path:
    """A copy of the project's sources/, built once per run with ``pipeline build`` (shared by
    the xdist workers: no test may change it; copy it to change it)."""
    return made_once("project", build_sources)


@pytest.fixture(scope="session")
def seed_master(built: Path) -> Path:
    return built / "editions" / SEED / f"{SEED}.tei.xml"


@pytest.fixture(scope="session")
def built_multipart_epub(seed_master: Path) -> Path:
    """The seed recast as a work in parts (tests/writers/conftest.py's ``make_multipart``), as an
    EPUB written by the EPUB writer; once per run (shared by the xdist workers)."""
    from pipeline.writers.epub import write_epub
    from tests.writers.conftest import make_multipart

    def make(folder: Path) -> None:
        write_epub(make_multipart(seed_master, folder / "multipart.tei.xml"), folder / "multipart.epub")

    return made_once("multipart", make) / "multipart.epub"


@pytest.fixture(scope="session")
def built_epubcheck(built: Path, built_multipart_epub: Path) -> dict[Path, dict]:
    """EPUBCheck's report on every EPUB of the run's build and on the multipart book, by book:
    one JVM for all (tests/writers/conftest.py's ``epubcheck_reports``), once per run, its
    reports shared by the xdist workers (the tests of the writers and of the readers read them)."""
    from tests.writers.conftest import epubcheck_reports

    books = sorted((built / "editions").glob("*/*.epub")) + [built_multipart_epub]
    folder = made_once("epubcheck", lambda out: epubcheck_reports(books, out))
    reports = [folder / f"{n}-{book.stem}.epubcheck.json" for n, book in enumerate(books)]
    return {book: json.loads(report.read_text(encoding="utf-8")) for book, report in zip(books, reports)}


def jing(schema: Path, *docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "pyjing"), str(schema), *map(str, docs)], capture_output=True, text=True
    )


def whole_archive() -> Path:
    """The whole tarball unpacked, once per run, for the pages the unpacked copy lacks."""
    return made_once("mia-site", unpack)


def shared_pages(paths: list[str], into: Path, needed_by: str) -> Path:
    """A site folder holding ``paths`` of the shared archive: the unpacked copy when it holds
    them as the tarball has them, else the run's one unpacking of the tarball (``into`` is
    not needed any more); the test is skipped, saying so, when the shared archive is absent."""
    if not SHARED_ARCHIVE.is_file():
        pytest.skip(f"{SHARED_ARCHIVE} is absent: {needed_by} need the shared archive's pages")
    return unpacked_copy(paths) or whole_archive()


def archive_pages(paths: list[str], into: Path, needed_by: str) -> Path:
    """A site folder ``into`` holding exactly ``paths`` of the shared archive (a test that imports
    a site folder as a whole); skipped, saying so, when the shared archive is absent."""
    if not SHARED_ARCHIVE.is_file():
        pytest.skip(f"{SHARED_ARCHIVE} is absent: {needed_by} need the shared archive's pages")
    return gather(paths, into, unpacked_copy(paths) or whole_archive())


@pytest.fixture(scope="session")
def built_tiny() -> tuple[Path, list[str]]:
    """The tiny project of the build tests (tests/tiny.py), built once per run with ``--report``
    (its report.json in the project's root); the tests build copies of it, never it."""
    from tests.tiny import SDE, tiny_project

    def make(root: Path) -> None:
        tiny_project(root)
        run_pipeline("build", "--verbose", "--jobs", "2", "--report", "report.json", cwd=root, env=SDE, check=True)

    root = made_once("tiny", make)
    return root, sorted(p.name for p in (root / "sources").iterdir())


# The longest test files, longest first (with pytest-xdist's --dist loadfile and
# --no-loadscope-reorder, as `make test` runs them, a worker takes the next file when it is
# free): a long file started last would leave the other core idle at the end. Every other
# file follows, in collection order. Minutes on this project's 2-core machine, roughly.
LONGEST_FIRST = [
    "tests/distribution/test_library_site.py",
    "tests/test_verify.py",
    "tests/distribution/test_integrity.py",
    "tests/test_build_failures.py",
    "tests/test_build.py",
    "tests/robustness/test_properties.py",
    "tests/robustness/test_bad_inputs.py",
    "tests/writers/test_pdf.py",
    "tests/test_cluster.py",
    "tests/figures/test_figures.py",
    "tests/test_golden.py",
    "tests/readers/test_contents_sample.py",
    "tests/readers/test_mia_html.py",
    "tests/corruption/test_real_pages.py",
    "tests/robustness/test_work_limits.py",
    "tests/distribution/test_catalog_command.py",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order
