"""Library versions read from the installed metadata match what the libraries say; pins read from a lock."""

from __future__ import annotations

from pathlib import Path

import lxml
import PIL
import pydyf

from pipeline.installed import all_installed, installed_versions, locked_pins, normal_name


def test_versions_of_installed_and_missing_libraries() -> None:
    found = installed_versions(("lxml", "pydyf", "fontpkg-eb-garamond", "EbookLib", "no-such-distribution"))
    assert found["lxml"] == lxml.__version__ and found["pydyf"] == pydyf.__version__
    assert found["fontpkg-eb-garamond"] and found["EbookLib"]  # hyphens, capitals: as the folder is not
    assert found["no-such-distribution"] is None


def test_every_installed_distribution_by_normal_name() -> None:
    everything = all_installed()
    assert everything["pillow"] == PIL.__version__ and everything["lxml"] == lxml.__version__
    assert everything["fontpkg-eb-garamond"] == installed_versions(["fontpkg_eb_garamond"])["fontpkg_eb_garamond"]


def test_names_as_pep_503_compares_them() -> None:
    assert normal_name("EbookLib") == "ebooklib" and normal_name("fontpkg_eb.garamond") == "fontpkg-eb-garamond"


def test_pins_of_a_lock_file(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text(
        "#    make lock\n#\nEbookLib==0.20 \\\n    --hash=sha256:00\n    # via mia-pipeline (pyproject.toml)\n"
        "pagefind[bin]==1.5.2 ; python_version >= '3.11' \\\n    --hash=sha256:11\n"
        "certifi==2026.10.19.post1\n--hash=sha256:22\n-c other.lock\n",
        encoding="utf-8",
    )
    assert locked_pins(lock) == {"ebooklib": "0.20", "pagefind": "1.5.2", "certifi": "2026.10.19.post1"}
