"""The command line itself (``pipeline/cli.py``): what a user sees before any command runs.

A mistyped command gets the closest one suggested (exit 2, as argparse's usage errors);
every command's own ``--help`` opens with the line the command list gives it; a missing
third-party module is the user's set-up, said in one line with what to run (exit 1), while
a missing module of the pipeline itself stays a bug (exit 3).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import COMMANDS, parser
from tests.conftest import PROJECT, run_pipeline


def test_a_mistyped_command_gets_the_closest_suggested(tmp_path: Path) -> None:
    result = run_pipeline("buidl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith(
        "invalid choice: 'buidl' (choose from " + ", ".join(repr(c) for c in COMMANDS) + "); did you mean 'build'?"
    )


def test_a_word_like_no_command_gets_the_choices_only(tmp_path: Path) -> None:
    result = run_pipeline("xyzzy", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'xyzzy'" in result.stderr and "did you mean" not in result.stderr


def commands() -> tuple[dict[str, str], dict[str, argparse.ArgumentParser]]:
    """Each command's line in the top-level ``--help``, and each command's own parser."""
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {a.dest: a.help or "" for a in sub._choices_actions}, dict(sub.choices)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_help_opens_with_its_one_line_description(command: str) -> None:
    """The command's own description when it gives one (a paragraph), else its line of the list."""
    listed, own = commands()
    assert listed[command] and own[command].description
    assert own[command].description.split()[0] in own[command].format_help().split("\n\n")[1]


def test_build_help_says_what_jobs_make_uses() -> None:
    assert "make: 2 or -jN" in " ".join(commands()[1]["build"].format_help().split())


def run_without(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``python -m pipeline ARGS`` with ``module`` not importable, as on an interpreter lacking it."""
    code = f"import sys; sys.modules[{module!r}] = None; from pipeline.cli import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
    )


def test_a_missing_dependency_says_what_to_run_in_one_line(tmp_path: Path) -> None:
    result = run_without("lxml", "validate", str(PROJECT / "sources"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: the pipeline's environment is not set up (no module 'lxml'): run `make`")
    assert ". .venv/bin/activate" in result.stderr and ".venv/bin/mia-pipeline" in result.stderr


def test_a_missing_dependency_with_debug_shows_the_traceback_too(tmp_path: Path) -> None:
    result = run_without("lxml", "--debug", "validate", str(PROJECT / "sources"), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" in result.stderr and result.stderr.splitlines()[-1].startswith("error: the pipeline's")


def test_a_missing_module_of_the_pipeline_is_a_bug(tmp_path: Path) -> None:
    result = run_without("pipeline.validation", "validate", str(PROJECT / "sources"), cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr.startswith("internal error (a bug in mia-pipeline")


def test_the_environment_has_the_mia_pipeline_command(tmp_path: Path) -> None:
    """`make` installs the project into .venv, so the README's `.venv/bin/mia-pipeline` is there."""
    script = Path(sys.prefix) / "bin" / "mia-pipeline"
    if sys.prefix == sys.base_prefix or not script.exists():
        pytest.skip("the tests do not run in the environment `make` made")
    result = subprocess.run([str(script), "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("mia-pipeline ")
