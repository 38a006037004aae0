"""Time and memory per work in the build (issue 23): a work past its limit is stopped, fails
with the limit named (and remembered), and the build finishes the other works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.corpus import generate
from tests.conftest import PROJECT, run_pipeline


def test_a_work_past_the_time_limit_fails_and_the_build_goes_on(tmp_path: Path) -> None:
    small, huge = generate(
        tmp_path, [800, 2_000_000], seed=7, headings=False
    )  # the huge one takes ~6 s on an idle machine
    proc = run_pipeline("build", "--verbose", "--jobs", "2", "--masters-only", "--work-time", "1.5", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{huge.slug}: stopped after 1.5 s, the time limit of one work (--work-time)" in proc.stderr
    assert f"{small.slug}: built" in proc.stderr and "1 built" in proc.stderr and "1 failed" in proc.stderr
    # remembered like any failure of the work: the next build does not try it again
    again = run_pipeline("build", "--jobs", "2", "--masters-only", "--work-time", "1.5", cwd=tmp_path)
    assert again.returncode == 1 and "unchanged since" in again.stderr and "time limit" in again.stderr


def test_the_memory_limit_stops_an_allocation_and_is_lifted_after() -> None:
    """The mechanism, in a process of its own: past the cap an allocation fails (MemoryError,
    which the build reports as the work's), and the process's own limit is restored after."""
    code = """
import resource
from pipeline.builder.pool import WorkLimits, _limited
before = resource.getrlimit(resource.RLIMIT_AS)
try:
    with _limited(WorkLimits(None, 300), in_worker=True):
        bytearray(600 * 1024 * 1024)
except MemoryError:
    print("refused")
assert resource.getrlimit(resource.RLIMIT_AS) == before
bytearray(600 * 1024 * 1024)
print("restored")
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["refused", "restored"], proc.stderr


def test_work_limits_are_bounded_options(tmp_path: Path) -> None:
    for option, value in [("--work-time", "nan"), ("--work-time", "0"), ("--work-memory", "12"), ("--jobs", "0")]:
        proc = run_pipeline("build", option, value, cwd=tmp_path)
        assert proc.returncode == 2 and "out of bounds" in proc.stderr, proc.stderr
