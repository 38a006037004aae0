"""A small copy of the site per test (tests/archive/site plus generated pages), and a runner."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import PROJECT

SITE = Path(__file__).resolve().parent / "site"
# The multi-part work of the copy: the project's own source of it (the same real pages, byte
# for byte), put at its site path; its index also links preface.htm, which the copy lacks.
KERENSKY_SOURCE = PROJECT / "sources" / "kerensky-1919-prelude"
KERENSKY_PATH = "reference/archive/kerensky/1919/prelude"
KERENSKY_PAGES = ("index.htm", "intro.htm", "ch04.htm")

# Generated pages of the kinds that are not works (no MIA text is copied into them).
AUTHOR_INDEX = """<html><head><title>Jane Doe Internet Archive</title></head><body>
<h1>Jane Doe</h1><p class="index">Works:</p>
<p class="index"><a href="1920/01/a.htm">A</a><br><a href="1920/02/b.htm">B</a><br><a href="works/1921/index.htm">1921</a></p>
</body></html>"""
DATE_LISTING = """<html><head><title>Jane Doe: Works of 1921</title></head><body>
<p><a href="x1.htm">First essay of 1921</a><br><a href="x2.htm">Second essay of 1921</a><br>
<a href="x3.htm">Third essay of the year 1921</a></p></body></html>"""
ERROR_PAGE = "<html><head><title>File not found</title></head><body><p>Sorry, no such page.</p></body></html>"


def tree_state(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its sha256: to assert that nothing changed."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "mia"
    shutil.copytree(SITE, root, ignore=shutil.ignore_patterns("README.md"))
    (root / KERENSKY_PATH).mkdir(parents=True)
    for name in KERENSKY_PAGES:
        shutil.copy2(KERENSKY_SOURCE / name, root / KERENSKY_PATH / name)
    (root / "archive" / "doe").mkdir(parents=True)
    (root / "archive" / "doe" / "index.htm").write_text(AUTHOR_INDEX)
    (root / "archive" / "doe" / "works" / "1921").mkdir(parents=True)
    (root / "archive" / "doe" / "works" / "1921" / "index.htm").write_text(DATE_LISTING)
    (root / "archive" / "doe" / "404.htm").write_text(ERROR_PAGE)
    return root


class Result:
    def __init__(self, code: int, out: str, err: str, report: dict | None) -> None:
        self.code, self.out, self.err, self.report = code, out, err, report

    def verdict(self, path: str) -> dict:
        return next(p for p in self.report["pages"] if p["path"] == path)

    def work(self, main: str) -> dict:
        return next(w for w in self.report["works"] if w["main"] == main)


@pytest.fixture
def run_import(tmp_path: Path, capsys):
    def run(root: Path, *args: str) -> Result:
        report = tmp_path / "report.json"
        report.unlink(missing_ok=True)
        jobs = [] if "--jobs" in args else ["--jobs", "1"]
        code = main(["import", str(root), *args, "--report", str(report), *jobs])
        captured = capsys.readouterr()
        data = json.loads(report.read_text()) if report.exists() else None
        return Result(code, captured.out, captured.err, data)

    return run
