"""The tiny project of the ``pipeline build`` tests (tests/test_build.py, tests/test_build_failures.py):
the seed work and two short synthetic works from the benchmark's generator, and how the tests
read a build's output. ``tests/conftest.py``'s ``built_tiny`` builds it once per run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from bench.corpus import generate
from tests.conftest import SEED, copy_sources

SDE = {"SOURCE_DATE_EPOCH": "1700000000"}


def tiny_project(root: Path) -> list[str]:
    copy_sources(root, [SEED])
    works = generate(root, [1000, 1400], seed=7, headings=False)
    return sorted([SEED] + [w.slug for w in works])


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under editions/ (stamps included): its bytes and its mtime."""
    out = {}
    for path in sorted((root / "editions").rglob("*")):
        if path.is_file():
            out[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


def built_slugs(proc: subprocess.CompletedProcess) -> set[str]:
    return set(re.findall(r"^([a-z0-9-]+): built", proc.stderr, re.M))


def counts(proc: subprocess.CompletedProcess) -> str:
    m = re.search(r"work\(s\) in [\d.]+s: (.*? failed)", proc.stderr)
    assert m, proc.stderr
    return m.group(1)


def copy_project(template: Path, dest: Path) -> Path:
    """A copy of a built project (mtimes kept, as the build's records hold them), so no test sees another's changes."""
    shutil.copytree(template, dest, symlinks=True, dirs_exist_ok=True)
    return dest
