"""The import contracts (pyproject.toml, [tool.importlinter]) hold, and they would catch a break.

A contract that holds today proves little by itself: these tests plant an upward import
in a copy of the package (the model importing validation, the word splitter importing
verify, verify or publishing importing a writer) and check that lint-imports, with the
project's own configuration, then fails, naming the contract that caught it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return found


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports run in ``root``: its pyproject.toml, its ``pipeline`` package first on the path."""
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "1000"}  # one line per contract
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def test_nine_contracts_one_of_them_layers() -> None:
    kinds = [c["type"] for c in contracts()]
    assert len(kinds) >= 9 and "layers" in kinds


def test_every_module_of_the_package_has_a_layer() -> None:
    """A module in no layer is checked by no layer: a new top-level module or package must be placed."""
    (layers,) = [c["layers"] for c in contracts() if c["type"] == "layers"]
    placed = {name.strip() for layer in layers for name in str(layer).replace(":", "|").split("|")}  # type: ignore[attr-defined]
    package = PROJECT / "pipeline"
    modules = {f"pipeline.{p.stem}" for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    modules |= {f"pipeline.{p.parent.name}" for p in package.glob("*/__init__.py")}
    assert not modules - placed, f"not in any layer: {sorted(modules - placed)}"


def test_the_real_tree_keeps_every_contract() -> None:
    proc = lint_imports(PROJECT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in proc.stdout


@pytest.fixture(scope="module")
def copy_of_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's Python files and pyproject.toml, in a scratch folder (planted imports go there)."""
    root = tmp_path_factory.mktemp("architecture")
    shutil.copytree(PROJECT / "pipeline", root / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(PROJECT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("master/model.py", "import pipeline.validation", "Layers"),
        ("words.py", "import pipeline.verify", "Layers"),
        ("errors.py", "import pipeline.cli", "Layers"),
        ("verify/txt.py", "import pipeline.writers.txt", "Verify imports no writer"),
        ("distribution/site.py", "import pipeline.writers.xhtml", "Publishing reads masters and records"),
    ],
)
def test_a_planted_import_breaks_its_contract(copy_of_project: Path, module: str, planted: str, contract: str) -> None:
    path = copy_of_project / "pipeline" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(f"{original}\n{planted}  # planted by tests/test_architecture.py\n", encoding="utf-8")
    try:
        proc = lint_imports(copy_of_project)
    finally:
        path.write_text(original, encoding="utf-8")
    assert proc.returncode != 0, f"{planted} in {module} broke no contract:\n{proc.stdout}"
    broken = [line for line in proc.stdout.splitlines() if line.endswith("BROKEN")]
    assert any(line.startswith(contract) for line in broken), proc.stdout
