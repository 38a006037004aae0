"""Shared fixtures: the project's sources built once per test session.

The slow judges (jing, EPUBCheck, Ace) run once per book in the tests that need them;
everything else reads the session's build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
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


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's sources/, built once with ``pipeline build``."""
    root = copy_sources(tmp_path_factory.mktemp("project"))
    run_pipeline("build", "--jobs", "2", cwd=root, check=True)
    return root


@pytest.fixture(scope="session")
def seed_master(built: Path) -> Path:
    return built / "editions" / SEED / f"{SEED}.tei.xml"


def jing(schema: Path, *docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "pyjing"), str(schema), *map(str, docs)], capture_output=True, text=True
    )
