"""Which version of each library is installed, read without importing the library.

The build's code digest and the search index's inputs name the versions of the
libraries that shape their bytes, so that an upgrade rebuilds what it changes. Importing
a library to ask its ``__version__`` would cost an up-to-date build the start-up of
lxml and WeasyPrint (about 2 s; ``tests/test_build.py`` holds a no-op build to importing
neither), and Pagefind's wrapper has no true version attribute. So this reads the
``<name>-<version>.dist-info`` folder every installer writes next to an installed
distribution ("Recording installed projects", packaging.python.org). Written by hand rather than with the
standard library's metadata reader so that the package imports nothing by name at run
time except the command table in :mod:`pipeline.cli` (issue 16); like that reader, it
takes the first folder found along ``sys.path``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

DIST_INFO = ".dist-info"


def normal_name(name: str) -> str:
    """A distribution's name as installers spell its folder: ``EbookLib`` and
    ``fontpkg-eb-garamond`` become ``ebooklib`` and ``fontpkg_eb_garamond``."""
    return re.sub(r"[-_.]+", "_", name).lower()


def installed_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Each name's installed version, or None when it is not installed."""
    wanted = {normal_name(name): name for name in names}
    found: dict[str, str | None] = {name: None for name in wanted.values()}
    for entry in sys.path:
        try:
            folders = os.listdir(entry or ".")
        except OSError:  # a zip file, a folder that is gone
            continue
        for folder in folders:
            if not folder.endswith(DIST_INFO) or "-" not in folder:
                continue
            name, _, version = folder[: -len(DIST_INFO)].partition("-")
            key = wanted.get(normal_name(name))
            if key is not None and found[key] is None:
                found[key] = version
    return found
