"""The README's commands work as written after ``make`` (issue 24).

The README marks each shell block a user runs by hand after ``make`` with a comment line
``<!-- readme-commands: ... -->`` right above its ```` ```sh ```` fence; this test runs every
block so marked, verbatim and line by line (``sh -e``), in a copy of the project as a fresh
clone has it after ``make``: the tracked files, and ``.venv`` (a link to the environment
running the tests, which ``make test`` made from the same lock). PATH holds only the
system's folders, so the commands find the pipeline the way the README says (the block's
``. .venv/bin/activate``), not through the test's environment. ``make`` itself is not run
here: CI runs ``make test`` on a clean clone already.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT / "Makefile").read_text(encoding="utf-8")
MARKED_BLOCK = re.compile(r"^<!-- readme-commands:[^\n]*-->\n```sh\n(?P<commands>.*?)^```$", re.M | re.S)
# What a fresh clone holds that the README's commands read (the tests' small copy of the site included).
CLONE = ["pipeline", "schemas", "sources", "tests/archive/site", "README.md", "Makefile", "pyproject.toml"]
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
SERVE = "python3 -m http.server --directory editions/site 8000"


def marked_blocks() -> list[str]:
    return [m["commands"] for m in MARKED_BLOCK.finditer(README)]


def test_readme_marks_its_commands_and_enters_the_environment_first() -> None:
    blocks = marked_blocks()
    assert blocks, "README.md marks no shell block with <!-- readme-commands: ... -->"
    assert blocks[0].splitlines()[0].split("#")[0].strip() == ". .venv/bin/activate"


def test_make_and_readme_name_the_library_and_serve_it_alike() -> None:
    """`make`'s last line and the README say the same: where the library is, one way to serve it."""
    build_recipe = MAKEFILE[MAKEFILE.index("\nbuild:") :].split("\n\n")[0]
    last_line = build_recipe.splitlines()[-1]
    assert "editions/site/index.html" in last_line and SERVE in last_line
    assert SERVE in README


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    """The project as a clone has it after ``make``, its environment the one running the tests."""
    venv = Path(sys.prefix)
    if sys.prefix == sys.base_prefix or not (venv / "bin" / "activate").is_file():
        pytest.skip("the tests do not run in a virtual environment (make test makes .venv)")
    clone = tmp_path / "clone"
    for name in CLONE:
        src, dest = PROJECT / name, clone / name
        if src.is_dir():
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    (clone / "editions").mkdir()
    (clone / ".venv").symlink_to(venv)
    return clone


def test_readme_commands_work_verbatim(fresh_clone: Path) -> None:
    sources_before = sorted(p.name for p in (fresh_clone / "sources").iterdir())
    script = fresh_clone / "readme-commands.sh"
    script.write_text("\n".join(marked_blocks()), encoding="utf-8")
    env = {"PATH": SYSTEM_PATH, "HOME": str(fresh_clone), "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
    env.update({k: v for k, v in os.environ.items() if k == "SOURCE_DATE_EPOCH"})
    result = subprocess.run(
        ["sh", "-e", "-x", str(script)], cwd=fresh_clone, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"a README command failed:\n{result.stderr[-3000:]}"
    assert "murphy-jt-1935-unemployed: single" in result.stdout + result.stderr  # the import's triage (a dry run)
    assert sorted(p.name for p in (fresh_clone / "sources").iterdir()) == sources_before
    work = fresh_clone / "editions" / "trotsky-1923-faction"
    assert {p.suffix for p in work.iterdir()} >= {".xml", ".epub", ".pdf", ".txt"}
    assert (fresh_clone / "editions" / "site" / "index.html").is_file()
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
