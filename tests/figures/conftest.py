"""The figure fixture imported and built once per session: ``import`` of the fixture site
(tests/figures/site with the images tests/figures/fixture.py draws), the permissions
recorded, then ``pipeline build`` of the works whose PDFs are quick to make (:data:`BUILT`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_pipeline
from tests.figures.fixture import make_site, permit

SDE = {"SOURCE_DATE_EPOCH": "1767225600"}
# Built whole (PDF too): a chart PNG; a facsimile JPEG with a missing image. The others are
# checked through their masters and EPUB/text editions, which cost a fraction of a PDF.
BUILT = ("fitzgerald-1922-ray-hope", "radek-1922-letter")


def import_site(root: Path) -> Path:
    """The fixture site under ``root/site`` imported into ``root/sources``; returns sources/."""
    site = make_site(root / "site")
    run_pipeline(
        "import", str(site), "--sources", str(root / "sources"), "--retrieved", "2026-01-01", "-q", cwd=root, check=True
    )
    permit(root / "sources")
    return root / "sources"


@pytest.fixture(scope="session")
def figures_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose sources/ is the imported fixture and whose editions/ holds the
    built works of :data:`BUILT` (verified by the build)."""
    root = tmp_path_factory.mktemp("figures")
    import_site(root)
    run_pipeline("build", "--jobs", "2", *BUILT, cwd=root, env=SDE, check=True)
    return root
