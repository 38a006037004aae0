"""``pipeline build --scheduler``: the same tasks on a Dask cluster, the same bytes.

A real ``dask.distributed.LocalCluster`` with two worker processes (no mocks): the
build runs as a user would run it, from another process, against the scheduler's
address, and its editions are compared byte for byte with a local build's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus import generate
from tests.conftest import SEED, copy_sources, run_pipeline
from tests.tiny import SDE, tiny_project

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def project(root: Path) -> list[str]:
    copy_sources(root, [SEED])
    return sorted([SEED] + [w.slug for w in generate(root, [900, 1300, 2000], seed=11, headings=False)])


def editions(root: Path) -> dict[str, bytes]:
    """Every built file but the build's own records (the source state holds each tree's file stats)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / "editions").rglob("*"))
        if p.is_file() and p.name not in (".source-state", ".verified")  # stat cache, verified record: mtimes
    }


def test_cluster_build_is_byte_identical_to_a_local_build(
    built_tiny: tuple[Path, list[str]], tmp_path: Path, scheduler: str
) -> None:
    """The local build: the run's build of the tiny project (tests/tiny.py; ``build --jobs 2``,
    SOURCE_DATE_EPOCH as here); the same sources built on the cluster give the same bytes."""
    local, slugs = built_tiny
    remote = tmp_path / "remote"
    assert tiny_project(remote) == slugs
    proc = run_pipeline("build", "--verbose", "--scheduler", scheduler, cwd=remote, env=SDE, check=True)
    assert set(re.findall(r"^([a-z0-9-]+): built", proc.stderr, re.M)) == set(slugs)
    assert re.search(r"\(2 workers\)", proc.stderr), proc.stderr  # both workers took part
    built = editions(remote)
    assert {f"editions/{s}/{s}.tei.xml" for s in slugs} <= set(built)
    assert built == editions(local)
    for slug in slugs:
        assert (remote / "editions" / slug / ".stamp").is_file()
        # the verified record, for the catalog, describes the files as installed here
        from pipeline import verified

        assert verified.read(remote / "editions" / slug).status == "verified" and verified.outputs_unchanged(
            remote / "editions" / slug
        )
        assert not list((remote / "editions" / slug).glob(".*.part"))
    # Incremental on the cluster too: nothing to send the second time, one work after a change.
    again = run_pipeline("build", "--scheduler", scheduler, cwd=remote, env=SDE, check=True)
    assert "0 built, 3 up to date" in again.stderr
    # A cluster build is a build like another: the local command sees it as up to date.
    assert "0 built, 3 up to date" in run_pipeline("build", cwd=remote, env=SDE, check=True).stderr


def test_cluster_failure_of_one_work_is_reported_with_project_paths(tmp_path: Path, scheduler: str) -> None:
    slugs = project(tmp_path)
    bad = next(s for s in slugs if s != SEED)
    text_file = next((tmp_path / "sources" / bad).glob("*.txt"))
    text_file.write_bytes(text_file.read_bytes() + b"\nAn unregistered change.\n")
    proc = run_pipeline("build", "--scheduler", scheduler, cwd=tmp_path, env=SDE)
    assert proc.returncode == 1
    # The worker built in a scratch folder; the message names the file in this project.
    assert f"sources/{bad}/{text_file.name}: error: sha256 mismatch" in proc.stderr, proc.stderr
    assert "3 built, 0 up to date, 0 without editions (licence), 1 failed" in proc.stderr
    # Remembered as a local build's failure is (the same digest): not sent to the cluster again.
    again = run_pipeline("build", "--scheduler", scheduler, cwd=tmp_path, env=SDE)
    assert again.returncode == 1 and f"{bad}: failed (unchanged since " in again.stderr, again.stderr
    assert not (tmp_path / "editions" / bad / ".stamp").exists()
