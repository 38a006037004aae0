"""Library versions read from their .dist-info folders match what the libraries say."""

from __future__ import annotations

import lxml
import pydyf

from pipeline.installed import installed_versions, normal_name


def test_versions_of_installed_and_missing_libraries() -> None:
    found = installed_versions(("lxml", "pydyf", "fontpkg-eb-garamond", "no-such-distribution"))
    assert found["lxml"] == lxml.__version__ and found["pydyf"] == pydyf.__version__
    assert found["fontpkg-eb-garamond"]  # a name with hyphens, a folder with underscores
    assert found["no-such-distribution"] is None


def test_names_as_installers_spell_them() -> None:
    assert normal_name("EbookLib") == "ebooklib" and normal_name("fontpkg-eb-garamond") == "fontpkg_eb_garamond"
