"""The catalog's memory (``editions/.catalog-memo``): a catalog run after a change writes
the same library, byte for byte, as a run from nothing; an edited file is never trusted
from memory; the memo of another version or folder is not used."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from pipeline import verified
from pipeline.distribution import memo
from tests.conftest import run_pipeline
from tests.distribution.synthetic import make_library

TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def project(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(built, tmp_path_factory.mktemp("memo"), 60)
    run_pipeline("catalog", "--no-search", cwd=root, check=True)
    return root


def retitle(folder: Path, title: str) -> None:
    """A new title in the master, recorded verified again, as a rebuild would."""
    master = folder / f"{folder.name}.tei.xml"
    tree = etree.parse(str(master))
    node = tree.find(f".//{TEI}titleStmt/{TEI}title")
    assert node is not None
    node.text = title
    tree.write(str(master), xml_declaration=True, encoding="UTF-8")
    verified.record(folder, [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")])


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "editions" / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def from_nothing(root: Path, dest: Path) -> dict[str, bytes]:
    """The library a catalog writes for the same editions without a site or a memo."""
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns("site", memo.NAME))
    run_pipeline("catalog", "--no-search", cwd=dest, check=True)
    return site_files(dest)


def test_a_changed_library_is_written_as_from_nothing(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(project, root, symlinks=True)
    run_pipeline("catalog", "--no-search", cwd=root, check=True)  # the memo now knows every page
    assert (root / "editions" / memo.NAME).is_file()
    works = sorted(p for p in (root / "editions").iterdir() if p.name.startswith("synthetic-"))
    retitle(works[3], "Aardvarks on the Question")  # moves to the top of the A-Z list
    retitle(works[10], works[10].name + " revised")
    shutil.rmtree(works[20])  # a work gone
    (works[30] / verified.RECORD_NAME).unlink()  # a work no longer verified: withheld
    manifest = root / "sources" / works[40].name / "manifest.json"  # a part found missing
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"missing": ["Chapter 9 (page not in the archive)"]}), encoding="utf-8")
    run_pipeline("catalog", "--no-search", cwd=root, check=True)
    assert site_files(root) == from_nothing(root, tmp_path / "fresh")
    sums = subprocess.run(["sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS"], cwd=root / "editions" / "site")
    assert sums.returncode == 0


def test_an_edited_edition_is_read_again_not_remembered(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(project, root, symlinks=True)
    run_pipeline("catalog", "--no-search", cwd=root, check=True)
    work = next(p for p in sorted((root / "editions").iterdir()) if p.name.startswith("synthetic-"))
    text = work / f"{work.name}.txt"
    size = text.stat().st_size
    text.write_bytes(text.read_bytes()[:-1] + b"X")  # same size, new bytes: only a re-read sees it
    assert text.stat().st_size == size
    proc = run_pipeline("catalog", "--no-search", "--verbose", cwd=root, check=True)
    assert f"{work.name}" in proc.stderr and "changed after verify" in proc.stderr
    assert not (root / "editions" / "site" / work.name).exists()


def test_a_memo_of_another_folder_or_version_is_not_used(tmp_path: Path) -> None:
    editions = tmp_path / "editions"
    editions.mkdir()
    sig = memo.signature([editions])
    kept = memo.Memo(editions)
    kept.put("work", sig, ("remembered",))
    kept.save()
    assert memo.Memo(editions).get("work", sig) == ("remembered",)
    moved = tmp_path / "moved"
    editions.rename(moved)
    assert memo.Memo(moved).get("work", sig) is None  # bound to the absolute folder
    (moved / memo.NAME).write_bytes(b"not a pickle")
    assert memo.Memo(moved).get("work", sig) is None  # unreadable: read everything again


def test_the_run_after_publishing_finds_every_work_in_memory(project: Path, tmp_path: Path) -> None:
    """Publishing hard-links a work's files into the site, which changes their change time;
    the memo takes their signatures again after, so the next run reads nothing again."""
    from pipeline.distribution.works import collect

    root = tmp_path / "project"
    shutil.copytree(project, root, symlinks=True, ignore=shutil.ignore_patterns("site", memo.NAME))
    run_pipeline("catalog", "--no-search", cwd=root, check=True)  # every work published: every file linked

    class Counting(memo.Memo):
        read_again: list[str] = []

        def put(self, key: str, sig: memo.Signature, value: object) -> None:
            self.read_again.append(key)
            super().put(key, sig, value)

    counting = Counting(root / "editions")
    works, _ = collect(root, counting)
    assert works and counting.read_again == []
