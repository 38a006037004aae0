"""Pages of the shared archive (``../shared/mia-archive``) for the tests and ``make golden``.

The tarball is one 47 MB xz stream: taking even one page out of it decompresses all of it
(5-15 s of CPU). So a page is read from the unpacked copy ($MIA_SITE, else /tmp/mia, as
bench/archive_readers.py reads it) whenever that copy holds it byte for byte as INDEX.tsv
lists it, and the tarball is opened, once, only for what the copy lacks. No pytest here:
``make golden`` imports this without the test tools.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SHARED_ARCHIVE = SHARED / "mia-archive" / "mia-site.tar.xz"
SHARED_INDEX = SHARED / "mia-archive" / "INDEX.tsv"  # path, bytes, sha256 of every page of the tarball


@functools.cache
def index() -> dict[str, str]:
    """Every page of the tarball and its sha256 (INDEX.tsv; else the tarball's own listing, without sums)."""
    if SHARED_INDEX.is_file():
        rows = SHARED_INDEX.read_text(encoding="utf-8").splitlines()[1:]
        return {path: digest for path, _, digest in (row.split("\t") for row in rows)}
    listing = subprocess.run(["tar", "-tJf", str(SHARED_ARCHIVE)], capture_output=True, text=True, check=True)
    names = (name.removeprefix("./") for name in listing.stdout.splitlines())
    return {name: "" for name in names if name and not name.endswith("/")}


def unpacked_site() -> Path:
    return Path(os.environ.get("MIA_SITE", "/tmp/mia"))


def unpacked_copy(paths: list[str]) -> Path | None:
    """The unpacked site when it holds every page of ``paths`` byte for byte as INDEX.tsv lists it."""
    site = unpacked_site()
    if not site.is_dir() or not SHARED_INDEX.is_file():
        return None
    sha = index()
    for path in paths:
        page = site / path
        if path not in sha or not page.is_file() or hashlib.sha256(page.read_bytes()).hexdigest() != sha[path]:
            return None
    return site


def pages_matching(wanted: Callable[[str], bool]) -> list[str]:
    """The tarball's pages whose path ``wanted`` accepts, sorted."""
    return sorted(path for path in index() if wanted(path))


def unpack(into: Path, paths: list[str] | None = None) -> Path:
    """``paths`` (else every page) of the tarball unpacked into ``into``: one pass of tar."""
    into.mkdir(parents=True, exist_ok=True)
    names = "".join(f"./{p}\n" for p in paths) if paths is not None else ""  # the tarball names its members ./path
    command = ["tar", "-xJf", str(SHARED_ARCHIVE), "-C", str(into)]
    subprocess.run(
        command + (["--verbatim-files-from", "-T", "-"] if paths is not None else []),
        input=names,
        text=True,
        check=True,
    )
    return into


def gather(paths: list[str], into: Path, site: Path | None = None) -> Path:
    """A site folder ``into`` holding exactly ``paths`` (pages of the tarball), as the tarball has them:
    copied from the unpacked copy when it holds them, else from ``site`` (a whole unpacked
    tarball), else unpacked from the tarball in one pass of tar."""
    into.mkdir(parents=True, exist_ok=True)
    site = unpacked_copy(paths) or site
    if site is None:
        return unpack(into, paths)
    for path in paths:
        (into / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(site / path, into / path)
    return into
