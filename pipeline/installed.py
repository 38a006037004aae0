"""Which version of each library is installed, and which the lock file pins.

The build's code digest and the search index's inputs name the versions of the
libraries that shape their bytes, so that an upgrade rebuilds what it changes. Importing
a library to ask its ``__version__`` would cost an up-to-date build the start-up of
lxml and WeasyPrint (about 2 s; ``tests/test_build.py`` holds a no-op build to importing
neither), and Pagefind's wrapper has no true version attribute. So the versions are read
from the metadata every installer writes beside a distribution, through the standard
library's :mod:`importlib.metadata`, which imports nothing of the library itself.

The lock file (``requirements.lock``, written by ``make lock``) is read here too, without
``packaging`` (not a runtime dependency): only its ``name==version`` lines matter, the
hashes and comments below them do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

# A pin as pip-compile writes it: `name==version`, then ` \` and hashes, or `;` and a marker.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normal_name(name: str) -> str:
    """A distribution's name compared as PEP 503 does: ``EbookLib``, ``fontpkg_eb_garamond``
    and ``fontpkg-eb-garamond`` are ``ebooklib`` and ``fontpkg-eb-garamond``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Each name's installed version, or None when it is not installed (the first
    distribution of that name along ``sys.path``, as ``import`` would find it)."""
    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def all_installed() -> dict[str, str]:
    """Every installed distribution, by normal name: its version. Where a name is
    installed twice along ``sys.path``, the first wins, as for :func:`installed_versions`."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found.setdefault(normal_name(name), dist.version)
    return found


def locked_pins(lock: Path) -> dict[str, str]:
    """The lock file's pins, by normal name: the version each must be installed at."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[normal_name(match.group(1))] = match.group(2)
    return pins
