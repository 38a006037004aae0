"""``pipeline build``: incremental, cheap no-ops, --masters-only, the progress line and the report.

Each test builds a tiny project (tests/tiny.py: the seed work and two short synthetic works from
the benchmark's generator) with the real command, as a user would; most start from a copy of
the run's build of it (``built_tiny``). Failures and refusals: tests/test_build_failures.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import reregister
from pipeline.builder import state as build
from pipeline.progress import Progress
from tests.conftest import PROJECT, SEED, run_pipeline
from tests.tiny import SDE, built_slugs, copy_project, counts, snapshot, tiny_project


@pytest.fixture
def project(built_tiny: tuple[Path, list[str]], tmp_path: Path) -> tuple[Path, list[str]]:
    """A built tiny project of the test's own: a copy of the run's build (tests/conftest.py's ``built_tiny``)."""
    template, slugs = built_tiny
    return copy_project(template, tmp_path), slugs


def test_second_build_rebuilds_nothing_and_force_is_byte_identical(project: tuple[Path, list[str]]) -> None:
    root, slugs = project
    first = snapshot(root)
    assert {f"editions/{s}/.stamp" for s in slugs} <= set(first)
    again = run_pipeline("build", "--verbose", "--jobs", "2", cwd=root, env=SDE, check=True)
    assert counts(again) == "0 built, 3 up to date, 0 without editions (licence), 0 failed"
    assert snapshot(root) == first  # nothing rewritten, not even touched
    forced = run_pipeline("build", "--verbose", "--jobs", "2", "--force", cwd=root, env=SDE, check=True)
    assert built_slugs(forced) == set(slugs)
    after = snapshot(root)
    # stamp, stat cache and verified record (it holds the outputs' mtimes) are bookkeeping
    editions = [k for k in first if not k.endswith((".stamp", ".source-state", ".verified"))]
    assert editions and [k for k in editions if after[k][0] != first[k][0]] == []


def test_changing_one_source_or_manifest_rebuilds_only_that_work(project: tuple[Path, list[str]]) -> None:
    root, slugs = project
    synthetic = [s for s in slugs if s != SEED]
    # A corrected source, registered again (new sha256 in its manifest).
    folder = root / "sources" / synthetic[0]
    text_file = next(folder.glob("*.txt"))
    text_file.write_text(
        text_file.read_text(encoding="utf-8").replace("\n\nNotes", "\n\nA corrected closing paragraph.\n\nNotes", 1),
        encoding="utf-8",
    )
    reregister(folder)
    before = snapshot(root)
    proc = run_pipeline("build", "--verbose", "--jobs", "2", cwd=root, env=SDE, check=True)
    assert built_slugs(proc) == {synthetic[0]}, proc.stderr
    assert counts(proc).startswith("1 built, 2 up to date")
    master = f"editions/{synthetic[0]}/{synthetic[0]}.tei.xml"
    assert b"A corrected closing paragraph." in (root / master).read_bytes()
    after = snapshot(root)
    for key, (data, mtime) in before.items():
        if synthetic[0] not in key:
            assert after[key] == (data, mtime), f"{key} was rewritten"
    # The manifest alone changed (a corrected URL): only that work again.
    manifest = root / "sources" / synthetic[1] / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["retrieved"] = "2026-02-01"
    manifest.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    proc = run_pipeline("build", "--verbose", "--jobs", "2", cwd=root, env=SDE, check=True)
    assert built_slugs(proc) == {synthetic[1]}, proc.stderr
    # Touching without changing content costs a hash, not a rebuild; nor does a new SDE value go unnoticed.
    os.utime(manifest)
    os.utime(text_file)
    proc = run_pipeline("build", "--verbose", "--jobs", "2", cwd=root, env=SDE, check=True)
    assert built_slugs(proc) == set(), proc.stderr
    proc = run_pipeline(
        "build", "--verbose", "--jobs", "2", cwd=root, env={"SOURCE_DATE_EPOCH": "1700000001"}, check=True
    )
    assert built_slugs(proc) == set(slugs)


def test_stamp_conforms_to_its_schema(project: tuple[Path, list[str]]) -> None:
    from pipeline import jsonschemas

    root, slugs = project
    for slug in slugs:
        stamp = json.loads((root / "editions" / slug / ".stamp").read_text(encoding="utf-8"))
        assert jsonschemas.errors("build-stamp.schema.json", stamp) == []
        assert stamp["outputs"][0] == f"editions/{slug}/{slug}.tei.xml"


def test_changed_code_or_missing_output_or_stamp_rebuilds(project: tuple[Path, list[str]]) -> None:
    root, slugs = project
    code = build.code_digest()
    assert build.plan_work(slugs[0], root, code, SDE["SOURCE_DATE_EPOCH"]).up_to_date
    assert not build.plan_work(slugs[0], root, "another pipeline version", SDE["SOURCE_DATE_EPOCH"]).up_to_date
    # A build killed before its stamp (the stamp is written last) is redone; so is a lost output.
    (root / "editions" / slugs[0] / ".stamp").unlink()
    (root / "editions" / slugs[1] / f"{slugs[1]}.tei.xml").unlink()
    proc = run_pipeline("build", "--verbose", cwd=root, env=SDE, check=True)
    assert built_slugs(proc) == {slugs[0], slugs[1]}


def test_leftovers_of_a_killed_build_are_swept(project: tuple[Path, list[str]]) -> None:
    """SIGKILL leaves pipeline.atomic's temporary file behind; the next build removes it."""
    root, slugs = project
    leftover = root / "editions" / slugs[0] / f".{slugs[0]}.pdf.k1ll3d.part"
    leftover.write_bytes(b"%PDF-1.7 half a file")
    proc = run_pipeline("build", "--verbose", cwd=root, env=SDE, check=True)
    assert not leftover.exists()
    assert counts(proc).startswith("0 built, 3 up to date")


def imported_modules(*args: str, cwd: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), **SDE}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}


HEAVY = {"lxml", "weasyprint", "distributed", "dask", "ebooklib", "multiprocessing", "jsonschema"}


def test_help_and_noop_build_import_nothing_heavy(project: tuple[Path, list[str]]) -> None:
    """``--help`` must answer in well under 0.3 s and a no-op rebuild in well under 1 s:
    neither may import the XML, PDF or cluster libraries, nor start worker processes."""
    root, _ = project
    assert not HEAVY & imported_modules("--help", cwd=root)
    assert not HEAVY & imported_modules("build", "--jobs", "2", cwd=root)


def test_progress_line_on_a_terminal_plain_lines_otherwise() -> None:
    tty = io.StringIO()
    progress = Progress(4, 400.0, stream=tty, tty=True)
    progress.start -= (
        100.0  # 100 s into the build: an estimate in seconds, not "almost done" (the test runs in microseconds)
    )
    progress.finished("a: built (0.1s)", 100)
    progress.finished(None, 100)
    progress.finished("c: skipped: no editions: licence not free", 100, problem=True)
    progress.close("4 work(s) in 1.0s: ...")
    out = tty.getvalue()
    assert "\r\x1b[2K" in out and "building: 2/4 done (50%), 2 left, ~" in out and "s left" in out
    assert out.endswith("\r\x1b[2K4 work(s) in 1.0s: ...\n")
    plain = io.StringIO()
    progress = Progress(2, 200.0, stream=plain, tty=False, quiet=True)
    progress.finished("a: built (0.1s)", 100)
    progress.finished("b: failed", 100, problem=True)
    progress.close("summary")
    assert plain.getvalue() == "b: failed\nsummary\n"  # no escapes; --quiet keeps only problems


def test_report_records_stages_workers_and_memory(project: tuple[Path, list[str]]) -> None:
    """The report of the run's build of the tiny project (``built_tiny``: ``build --report``)."""
    root, slugs = project
    data = json.loads((root / "report.json").read_text(encoding="utf-8"))
    assert [w["slug"] for w in data["works"]] == slugs
    for work in data["works"]:
        assert work["status"] == "built" and "ingest" in work["stages"]
        assert 10 < work["peak_rss_mb"] < 2000 and re.fullmatch(r".+:\d+", work["worker"])
    assert len({w["worker"] for w in data["works"]}) <= 2


def test_masters_only_writes_valid_masters_no_editions_and_no_stamp(tmp_path: Path) -> None:
    """``--masters-only`` (``make archive``'s masters): ingest + validate, and the work stays
    incomplete, so the next plain build builds its editions; a complete work is left alone."""
    slugs = tiny_project(tmp_path)
    masters = run_pipeline("build", "--verbose", "--masters-only", "--jobs", "2", cwd=tmp_path, env=SDE, check=True)
    assert built_slugs(masters) == set(slugs)
    for slug in slugs:
        assert sorted(p.name for p in (tmp_path / "editions" / slug).iterdir()) == [f"{slug}.tei.xml"]
    run_pipeline("validate", *(f"editions/{s}/{s}.tei.xml" for s in slugs), cwd=tmp_path, check=True)
    full = run_pipeline("build", "--verbose", "--jobs", "2", cwd=tmp_path, env=SDE, check=True)
    assert built_slugs(full) == set(slugs)
    assert all((tmp_path / "editions" / s / f"{s}.epub").is_file() for s in slugs)
    again = run_pipeline("build", "--verbose", "--masters-only", "--jobs", "2", cwd=tmp_path, env=SDE, check=True)
    assert counts(again) == "0 built, 3 up to date, 0 without editions (licence), 0 failed"
    forced = run_pipeline("build", "--verbose", "--masters-only", "--force", SEED, cwd=tmp_path, env=SDE, check=True)
    assert built_slugs(forced) == {SEED} and not (tmp_path / "editions" / SEED / ".stamp").exists()
    assert counts(run_pipeline("build", "--verbose", cwd=tmp_path, env=SDE, check=True)).startswith(
        "1 built, 2 up to date"
    )
