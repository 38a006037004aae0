"""Manifests: every fault listed, each at the line of the JSON value at fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.validation import check_manifest
from tests.conftest import SEED, copy_sources
from tests.validation.conftest import line_of


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A writable copy of the seed's source folder."""
    return copy_sources(tmp_path, [SEED]) / "sources" / SEED


def edit(source: Path, change) -> tuple[Path, str]:
    path = source / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_seed_manifest_is_valid(source: Path) -> None:
    assert check_manifest(source / "manifest.json") == []
    assert check_manifest(source) == []  # the folder holding it


def test_schema_problems_are_all_listed_at_their_lines(source: Path) -> None:
    def change(d: dict) -> None:
        d["files"][0]["sha256"] = "not-a-digest"
        d["retrieved"] = "25 November 2026"
        d["colour"] = "red"

    path, text = edit(source, change)
    problems = check_manifest(path)
    assert {p.rule for p in problems} == {"manifest-schema"}
    where = {(p.line, p.column) for p in problems}
    for needle in ('"not-a-digest"', '"25 November 2026"', '"colour"'):
        line = line_of(text, needle)
        column = text.index(needle) - text.rfind("\n", 0, text.index(needle))
        assert (line, column) in where, (needle, [str(p) for p in problems])
    assert all(str(p).startswith(f"{path}:") and "manifest.schema.json" in p.message for p in problems)


def test_missing_required_field_points_at_the_object(source: Path) -> None:
    path, _ = edit(source, lambda d: d.pop("url"))
    (problem,) = check_manifest(path)
    assert (problem.rule, problem.line, problem.column) == ("manifest-schema", 1, 1)
    assert "'url' is a required property" in problem.message


def test_fixity_mismatch_points_at_the_digest(source: Path) -> None:
    path = source / "manifest.json"
    text = path.read_text(encoding="utf-8")
    (source / "faction.txt").write_text("changed\n", encoding="utf-8")
    (problem,) = check_manifest(path)
    assert problem.rule == "manifest-fixity"
    assert problem.line == line_of(text, '"sha256"')
    assert "faction.txt: sha256 mismatch" in problem.message


def test_missing_source_file(source: Path) -> None:
    (source / "faction.txt").unlink()
    path = source / "manifest.json"
    (problem,) = check_manifest(path)
    assert problem.rule == "manifest-fixity"
    assert problem.line == line_of(path.read_text(encoding="utf-8"), '"path"')
    assert "missing" in problem.message


def test_slug_must_match_folder(source: Path) -> None:
    path, text = edit(source, lambda d: d.update(slug="trotsky-1923-other"))
    (problem,) = check_manifest(path)
    assert (problem.rule, problem.line) == ("manifest-invalid", line_of(text, '"slug"'))
    assert "does not match the folder name" in problem.message


def test_paths_escaping_the_folder(source: Path, tmp_path: Path) -> None:
    path, _ = edit(source, lambda d: d["files"][0].update(path="sub/../../x.txt"))
    assert [p.rule for p in check_manifest(path)] == ["manifest-schema"]  # the schema forbids ".."
    (source / "outside").symlink_to(tmp_path)
    path, text = edit(source, lambda d: d["files"][0].update(path="outside/faction.txt"))
    (problem,) = check_manifest(path)
    assert (problem.rule, problem.line) == ("manifest-invalid", line_of(text, '"outside/faction.txt"'))
    assert "escapes" in problem.message


def test_invalid_json_is_located(source: Path) -> None:
    path = source / "manifest.json"
    path.write_text('{\n  "slug": "x",\n  "url": \n}\n', encoding="utf-8")
    (problem,) = check_manifest(path)
    assert (problem.rule, problem.line) == ("manifest-json", 4)
