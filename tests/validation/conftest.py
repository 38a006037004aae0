"""Fixtures for the validation tests: the seed's master, ingested once, as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT, SEED


@pytest.fixture(scope="session")
def seed_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The seed's TEI master as the pipeline writes it today (ingested in-process)."""
    from pipeline.ingest import ingest

    out = tmp_path_factory.mktemp("seed") / f"{SEED}.tei.xml"
    ingest(PROJECT / "sources" / SEED, out)
    return out.read_text(encoding="utf-8")


def mutate(text: str, old: str, new: str) -> str:
    """Replace the one occurrence of ``old`` (a test that no longer matches must fail loudly)."""
    assert text.count(old) == 1, f"expected exactly one {old!r} in the seed master"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
