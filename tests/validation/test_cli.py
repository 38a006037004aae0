"""``python -m pipeline validate``: what an archivist sees, and the exit status."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline import jsonschemas
from pipeline.validation import check_master
from tests.conftest import SEED, run_pipeline
from tests.validation.conftest import mutate, write

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): error: \[(?P<rule>[a-z0-9-]+)\] \S.*$")


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the session's built project (sources/ and editions/)."""
    root = tmp_path / "project"
    # the seed only: these tests count the files they validate (sources/ holds more works)
    shutil.copytree(built / "sources" / SEED, root / "sources" / SEED)
    shutil.copytree(built / "editions" / SEED, root / "editions" / SEED)
    return root


def broken_master(project: Path) -> Path:
    master = project / "editions" / SEED / f"{SEED}.tei.xml"
    text = master.read_text(encoding="utf-8")
    text = mutate(
        text, '<creation>\n        <date when="1923-12">(December 1923)</date>\n      </creation>', "<creation/>"
    )
    text = mutate(text, ' xml:lang="en">', ">")
    return write(project, "broken.tei.xml", text)


def test_sources_and_editions_trees_are_valid(project: Path) -> None:
    (project / "editions" / "catalog.xml").write_text("<feed/>", encoding="utf-8")  # not a master: not looked at
    result = run_pipeline("validate", "--no-tei-all", "sources", "editions", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "validated 2 files (1 manifest, 1 master): all valid\n"
    assert result.stderr == ""


def test_problems_one_per_line_then_summary_exit_1(project: Path) -> None:
    broken = broken_master(project)
    result = run_pipeline("validate", "--no-tei-all", "broken.tei.xml", "sources", cwd=project)
    assert result.returncode == 1
    *lines, summary = result.stdout.splitlines()
    assert [LINE.match(line)["rule"] for line in lines] == ["required-language", "required-creation-date"]
    assert all(LINE.match(line)["path"] == "broken.tei.xml" for line in lines)
    assert lines == [str(p).replace(str(broken), "broken.tei.xml", 1) for p in check_master(broken)]
    assert summary == "validated 2 files (1 manifest, 1 master): 2 problems in 1 file"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-file.tei.xml"], "no-such-file.tei.xml: error: no such file or folder"),
        (
            ["sources/trotsky-1923-faction/faction.txt"],
            "sources/trotsky-1923-faction/faction.txt: error: cannot validate this file",
        ),
        (["empty-folder"], "empty-folder: error: nothing to validate in this folder"),
    ],
)
def test_usage_errors_exit_2_before_validating(project: Path, args: list[str], message: str) -> None:
    (project / "empty-folder").mkdir()
    result = run_pipeline("validate", "--no-tei-all", "sources", *args, cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""  # nothing was validated
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_json_report_conforms_to_its_schema(project: Path) -> None:
    broken_master(project)
    result = run_pipeline(
        "validate", "--no-tei-all", "--format", "json", "broken.tei.xml", "sources", "editions", cwd=project
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert jsonschemas.errors("validation-report.schema.json", report) == []
    assert report["valid"] is False
    assert report["summary"] == {
        "files": 3,
        "invalid_files": 1,
        "problems": 2,
        "text": "validated 3 files (1 manifest, 2 masters): 2 problems in 1 file",
    }
    broken = next(f for f in report["files"] if f["path"] == "broken.tei.xml")
    assert [p["rule"] for p in broken["problems"]] == ["required-language", "required-creation-date"]
    assert report["checks"] == ["profile", "schematron", "json-schema", "fixity"]

    result = run_pipeline("validate", "--no-tei-all", "--format", "json", "sources", cwd=project)
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert jsonschemas.errors("validation-report.schema.json", report) == []
    assert report["valid"] is True and report["files"][0]["kind"] == "manifest"


def test_the_report_schema_rejects_what_it_should() -> None:
    """The schema is not a rubber stamp: a report claiming validity with problems fails."""
    problem = {"line": 1, "column": 1, "rule": "tei-profile", "message": "m", "layer": "profile", "severity": "error"}
    report = {
        "format": 1,
        "tool": {"name": "mia-pipeline", "version": "0.1.0"},
        "valid": True,
        "checks": [],
        "notes": [],
        "summary": {"files": 1, "invalid_files": 0, "problems": 1, "text": "x"},
        "files": [{"path": "a.tei.xml", "kind": "master", "valid": True, "problems": [problem]}],
    }
    assert jsonschemas.errors("validation-report.schema.json", report)
    report["files"][0]["valid"] = False
    assert jsonschemas.errors("validation-report.schema.json", report) == []
    problem["rule"] = "Not An Id"
    assert jsonschemas.errors("validation-report.schema.json", report)


def test_tei_all_is_consulted_when_at_hand(project: Path) -> None:
    """Without --no-tei-all the masters also go to jing and tei_all.rng (one run)."""
    master = project / "editions" / SEED / f"{SEED}.tei.xml"
    write(
        project,
        "closer-p.tei.xml",
        mutate(master.read_text(encoding="utf-8"), "<closer>", "<closer>\n          <p>Yours,</p>"),
    )
    result = run_pipeline(
        "validate", "--format", "json", "closer-p.tei.xml", str(master.relative_to(project)), cwd=project
    )
    report = json.loads(result.stdout)
    assert "tei-all" in report["checks"]
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path[str(master.relative_to(project))]["valid"] is True
    rules = [p["rule"] for p in by_path["closer-p.tei.xml"]["problems"]]
    assert rules == ["tei-profile", "tei-all"]  # the profile and the official schema agree


def test_build_uses_the_same_lines(project: Path) -> None:
    from pipeline.builder.stages import validate_master

    broken = broken_master(project)
    assert validate_master(broken) == [str(p) for p in check_master(broken)] != []
