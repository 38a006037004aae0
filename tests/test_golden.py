"""Every source's master and editions, byte for byte as the golden files keep them.

A change that is meant to alter an output regenerates the goldens on purpose (``make
golden``) and commits the diff with it; a restructuring keeps them all (``tests/goldens.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import goldens
from tests.conftest import unpacked_copy, whole_archive


def differences(made: dict[str, bytes], kept: dict[str, bytes]) -> list[str]:
    changed = sorted(k for k in made.keys() & kept.keys() if made[k] != kept[k])
    return (
        [f"changed: {k}" for k in changed]
        + [f"new: {k}" for k in sorted(made.keys() - kept.keys())]
        + [f"gone: {k}" for k in sorted(kept.keys() - made.keys())]
    )


def test_every_source_matches_its_goldens(built: Path) -> None:
    """The run's build of every source (``built``: ``pipeline build`` of a copy of sources/, as
    ``goldens.works_outputs`` makes it) against the goldens."""
    made = goldens.outputs(built, with_manifests=False)
    assert not differences(made, goldens.stored(goldens.GOLDEN / "works")), "run `make golden` and review the diff"


@pytest.mark.skipif(not goldens.SHARED_SITE.exists(), reason="../shared/mia-archive is absent (CI has it)")
def test_real_pages_match_their_goldens(tmp_path: Path) -> None:
    made = goldens.pages_outputs(tmp_path, None if unpacked_copy(goldens.page_files()) else whole_archive())
    assert not differences(made, goldens.stored(goldens.GOLDEN / "pages")), "run `make golden` and review the diff"
