"""`import --jobs N` and `--scheduler` give the very triage one process gives; progress; --help."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.archive.import_site import ImportProgress
from tests.archive.conftest import tree_state


def _triage(report: dict) -> tuple:
    return (
        [(p["path"], p["verdict"], p["reason"]) for p in report["pages"]],
        [(w["slug"], w["parts"], w["missing"]) for w in report["works"]],
    )


def test_process_pool_gives_the_same_sources(site, run_import, tmp_path):
    one = run_import(site, "--sources", str(tmp_path / "one"), "--retrieved", "2026-12-01")
    from pipeline.cli import main

    report = tmp_path / "pool.json"
    assert (
        main(
            [
                "import",
                str(site),
                "--sources",
                str(tmp_path / "pool"),
                "--retrieved",
                "2026-12-01",
                "--jobs",
                "2",
                "--report",
                str(report),
                "-q",
            ]
        )
        == 0
    )
    import json

    assert _triage(json.loads(report.read_text())) == _triage(one.report)
    assert tree_state(tmp_path / "pool") == tree_state(tmp_path / "one")


def test_dask_scheduler_gives_the_same_sources(site, run_import, tmp_path):
    distributed = pytest.importorskip("distributed", reason="--scheduler needs dask[distributed]")
    one = run_import(site, "--sources", str(tmp_path / "one"), "--retrieved", "2026-12-01")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        r = run_import(
            site,
            "--sources",
            str(tmp_path / "dask"),
            "--retrieved",
            "2026-12-01",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert r.code == 0, r.err
    assert _triage(r.report) == _triage(one.report)
    assert tree_state(tmp_path / "dask") == tree_state(tmp_path / "one")


def test_progress_on_a_terminal_shows_the_time_left():
    out = io.StringIO()
    p = ImportProgress("reading pages", 100, stream=out, tty=True, redraw_every=0)
    p.start -= 10  # ten seconds in
    for _ in range(25):
        p.finished(None, 1.0)
    assert "reading pages: 25/100 done (25%), 75 left, ~30s left" in out.getvalue()


def test_help_is_fast_and_names_import():
    project = Path(__file__).resolve().parents[2]
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0 and "import" in proc.stdout
    assert time.monotonic() - start < 5
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "import", "--help"], cwd=project, capture_output=True, text=True
    )
    for option in (
        "--dry-run",
        "--update",
        "--report",
        "--sources",
        "--retrieved",
        "--site-url",
        "--jobs",
        "--scheduler",
    ):
        assert option in proc.stdout
