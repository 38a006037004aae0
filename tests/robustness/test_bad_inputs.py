"""Bad input never gets a traceback, never leaves output, never touches sources/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from tests.conftest import run_pipeline
from tests.robustness.cases import CASES, Case


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "editions").mkdir()
    args = case.make(tmp_path)
    sources_before = snapshot(tmp_path / "sources")
    editions_before = snapshot(tmp_path / "editions")
    proc = run_pipeline(*args, cwd=tmp_path)
    assert proc.returncode not in (0, 3), proc.stderr  # 3 is the code for a pipeline bug
    assert "Traceback" not in proc.stderr + proc.stdout
    if case.report:  # validate: one line per problem on stdout, then the summary
        lines = proc.stdout.strip().splitlines()
        assert len(lines) == 2 and lines[1].startswith("validated 1 file"), proc.stdout
    else:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
    assert re.search(case.expect, lines[0]), lines[0]
    assert snapshot(tmp_path / "sources") == sources_before
    assert snapshot(tmp_path / "editions") == editions_before
    leftovers = [p for p in tmp_path.rglob("*.part")]
    assert not leftovers
