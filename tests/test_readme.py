"""The README's "Where things are" table matches the tree: every module and package of
``pipeline/`` is named in it, and everything it names exists."""

from __future__ import annotations

import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def table() -> str:
    start = README.index("## Where things are")
    return README[start : README.index("\n## ", start + 1)]


def named_in_table() -> set[str]:
    """Top-level names of the package the table's rows name: `pipeline/x/`, and `x.py` in a row of them."""
    names: set[str] = set()
    for row in table().splitlines():
        first = row.split("|")[1] if row.startswith("|") else ""
        names |= set(re.findall(r"`pipeline/(\w+)/`", first))
        if "pipeline/" in first:
            names |= set(re.findall(r"`(?:pipeline/)?(\w+)\.py`", first))
    return names


def test_every_module_and_package_is_in_the_table() -> None:
    package = PROJECT / "pipeline"
    tree = {p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    tree |= {p.parent.name for p in package.glob("*/__init__.py")}
    assert not tree - named_in_table(), f"not in README's table: {sorted(tree - named_in_table())}"


def test_everything_the_table_names_exists() -> None:
    package = PROJECT / "pipeline"
    missing = [n for n in named_in_table() if not (package / f"{n}.py").exists() and not (package / n).is_dir()]
    assert not missing, f"named in README's table, absent from pipeline/: {missing}"
