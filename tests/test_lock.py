"""The lock files are current, the venv is exactly them, and a changed pin rebuilds every work.

CI resolves nothing (it may be offline): these checks read pyproject.toml, the two locks
and the installed distributions' metadata. ``make lock`` writes the locks; see the Makefile.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from pipeline.builder import state
from pipeline.installed import all_installed, installed_versions, locked_pins, normal_name
from tests.conftest import PROJECT
from tests.tiny import SDE as TINY_SDE
from tests.tiny import copy_project

LOCK = PROJECT / "requirements.lock"
DEV_LOCK = PROJECT / "requirements-dev.lock"
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
SDE = TINY_SDE["SOURCE_DATE_EPOCH"]  # the epoch the run's build of the tiny project was built with


def unmet(requirements: list[str], pins: dict[str, str]) -> list[str]:
    """The requirements, and theirs in turn (read from the installed metadata, extras
    followed), that no pin satisfies: an empty list means the lock is closed over them."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    todo = [(text, "") for text in requirements]
    while todo:
        text, extra = todo.pop()
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = normal_name(requirement.name)
        pin = pins.get(name)
        if pin is None or not requirement.specifier.contains(pin, prereleases=True):
            problems.append(f"{requirement}: locked {pin or 'nowhere'}")
            continue
        for wanted in {"", *requirement.extras}:
            if (name, wanted) not in seen:
                seen.add((name, wanted))
                todo += [(dependency, wanted) for dependency in metadata.requires(name) or []]
    return problems


def test_the_runtime_lock_satisfies_the_dependencies_and_the_build_system() -> None:
    pins = locked_pins(LOCK)
    assert unmet(PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"], pins) == []
    assert {"pillow", "weasyprint", "lxml", "ebooklib", "setuptools"} <= set(pins)


def test_the_dev_lock_satisfies_every_extra_and_agrees_with_the_runtime_lock() -> None:
    pins = locked_pins(DEV_LOCK)
    extras = [text for group in PYPROJECT["project"]["optional-dependencies"].values() for text in group]
    assert unmet(PYPROJECT["project"]["dependencies"] + extras, pins) == []
    runtime = locked_pins(LOCK)
    assert {name: pin for name, pin in runtime.items() if pins.get(name) != pin} == {}


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_every_pin_is_exact_and_hashed(lock: Path) -> None:
    """pip's --require-hashes refuses a lock otherwise; this says which pin, before pip does."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text(encoding="utf-8"))
    pins = [block for block in blocks if re.match(r"[A-Za-z0-9]", block)]
    assert len(pins) == len(locked_pins(lock))
    assert [block.split()[0] for block in pins if "--hash=sha256:" not in block] == []


def test_the_venv_has_exactly_the_locked_versions() -> None:
    """What `make test` installed is the dev lock, no more and no less (pip aside, pinned by the Makefile)."""
    pins = locked_pins(DEV_LOCK)
    installed = all_installed()
    wrong = {name: (pin, installed.get(name)) for name, pin in pins.items() if not same(installed.get(name), pin)}
    unlocked = sorted(set(installed) - set(pins) - {"pip", "mia-pipeline"})
    hint = "the venv is not the lock's: `make distclean test` makes it anew"
    assert wrong == {}, hint
    assert unlocked == [], hint
    pip = re.search(r"^PIP_VERSION\s*:=\s*(\S+)", (PROJECT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert pip and same(installed.get("pip"), pip.group(1))


def same(installed: str | None, pin: str) -> bool:
    return installed is not None and Version(installed) == Version(pin)


@pytest.fixture
def fresh_code_digest() -> Iterator[None]:
    """code_digest() is computed once per process: recompute it in the test, and after."""
    state.code_digest.cache_clear()
    yield
    state.code_digest.cache_clear()


def test_a_changed_pin_or_installed_version_rebuilds_every_work(
    built_tiny: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_code_digest: None
) -> None:
    """On a copy of the run's build of the tiny project (tests/tiny.py: the seed and two
    synthetic works, ``pipeline build --jobs 2``), rather than a build of its own."""
    template, slugs = built_tiny
    copy_project(template, tmp_path)
    code = state.code_digest()
    assert all(state.plan_work(slug, tmp_path, code, SDE).up_to_date for slug in slugs)
    # Another Pillow in the lock (it draws the EPUB cover): every work again.
    lock = tmp_path / "requirements.lock"
    text = LOCK.read_text(encoding="utf-8")
    lock.write_text(re.sub(r"(?m)^pillow==\S+", "pillow==1.0", text), encoding="utf-8")
    assert lock.read_text(encoding="utf-8") != text
    monkeypatch.setattr(state, "LOCK_FILE", lock)
    state.code_digest.cache_clear()
    relocked = state.code_digest()
    assert relocked != code
    assert not any(state.plan_work(slug, tmp_path, relocked, SDE).up_to_date for slug in slugs)
    # The lock as it was, but another pypdf installed (a hand-made pip install): again every work.
    lock.write_text(text, encoding="utf-8")
    state.code_digest.cache_clear()
    assert state.code_digest() == code
    real = installed_versions
    monkeypatch.setattr(state, "installed_versions", lambda names: {**real(names), "pypdf": "1.0"})
    state.code_digest.cache_clear()
    assert state.code_digest() not in (code, relocked)
    # Only the pins count, not the hashes or comments around them.
    monkeypatch.setattr(state, "installed_versions", real)
    lock.write_text("# a comment\n" + re.sub(r"--hash=sha256:[0-9a-f]+", "--hash=sha256:00", text), encoding="utf-8")
    state.code_digest.cache_clear()
    assert state.code_digest() == code


def test_without_a_lock_every_installed_distribution_counts(tmp_path: Path) -> None:
    lines = state.library_lines(tmp_path / "no-such.lock")
    assert f"pillow=={metadata.version('pillow')}" in lines and len(lines) == len(all_installed())
