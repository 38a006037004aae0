"""The catalog's memory of what it read last time: ``editions/.catalog-memo``.

A catalog run reads every master's header and text, hashes every edition to compare it
with its verified record, and reads every cover's image size. On the whole MIA (tens of
thousands of works) that is most of a run in which one work changed. What a work gave
last time is kept here, keyed by the ``stat`` of every file it was read from: size,
modification time, change time and inode. Any write to a file (and any ``touch``)
changes its times; the change time cannot be set back by a user, so an edited file is
always read and hashed again. Nothing else is trusted: the memo is bound to the
absolute folder it describes and to the digest of the pipeline's own code and data, so
a new version, a moved project or an unreadable memo starts from nothing (only slower).

It is a pickle of plain objects the catalog itself wrote, in the project's own folder:
the same trust as the code that reads it (git keeps its index this way).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic

NAME = ".catalog-memo"
FORMAT = 2  # bump when what is kept changes shape

Signature = tuple[tuple[str, int, int, int, int] | tuple[str], ...]


@dataclass(frozen=True)
class Deferred:
    """A page or feed not rendered yet: ``key`` names everything it is made from, so a page
    whose key and file are as the last run left them is not rendered again."""

    key: str
    render: Callable[[], bytes]


def key_of(*parts: object) -> str:
    """A key for :class:`Deferred` from plain values (their ``repr``: no object addresses)."""
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


@functools.cache
def code_digest() -> str:
    """The digest of the pipeline's own modules and data: what it reads a work with."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".css", ".js"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def signature(paths: list[Path]) -> Signature:
    """What the files look like on disk now (an absent file counts too)."""
    out: list[tuple[str, int, int, int, int] | tuple[str]] = []
    for path in paths:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            out.append((path.name,))
            continue
        out.append((path.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(out)


class Memo:
    """What each work gave last time, by key; only the keys used in this run are kept."""

    def __init__(self, editions: Path) -> None:
        self.path = editions / NAME
        self.header = (FORMAT, str(editions.resolve()), code_digest())
        self.old: dict[str, tuple[Signature, bytes]] = {}
        self.new: dict[str, tuple[Signature, bytes]] = {}
        self.watched: dict[str, list[Path]] = {}  # key -> the files its signature is of
        self.touched: set[str] = set()  # works whose files this run linked into the site
        self.old_pages: dict[str, tuple[Signature, str, str]] = {}  # page -> (its file, key, sha256)
        self.new_pages: dict[str, tuple[Signature, str, str]] = {}
        try:
            header, entries, pages = pickle.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError, ImportError):
            return  # none yet, or not ours: read everything
        if header == self.header and isinstance(entries, dict) and isinstance(pages, dict):
            self.old, self.old_pages = entries, pages

    def get(self, key: str, sig: Signature) -> Any | None:
        """What ``key`` gave when its files looked like ``sig``, or None."""
        found = self.old.get(key)
        if found is None or found[0] != sig:
            return None
        try:
            value = pickle.loads(found[1])
        except Exception:  # noqa: BLE001 - a damaged entry is read again, never trusted
            return None
        self.new[key] = found
        return value

    def put(self, key: str, sig: Signature, value: Any) -> None:
        """Remember ``value`` as it is now (later changes to it are not kept)."""
        self.new[key] = (sig, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def page(self, rel: str, sig: Signature, key: str) -> str | None:
        """The sha256 of page ``rel`` if it was made from ``key`` and its file is as written then."""
        found = self.old_pages.get(rel)
        if found is None or found[0] != sig or found[1] != key:
            return None
        self.new_pages[rel] = found
        return found[2]

    def put_page(self, rel: str, sig: Signature, key: str, sha256: str) -> None:
        self.new_pages[rel] = (sig, key, sha256)

    def digest(self, key: str) -> str | None:
        """A digest of what ``key`` gave this run (None when it gave nothing)."""
        found = self.new.get(key)
        return hashlib.sha1(found[1]).hexdigest() if found else None

    def watch(self, key: str, paths: list[Path]) -> None:
        """The files ``key``'s signature is of (see :meth:`save`)."""
        self.watched[key] = paths

    def touch(self, work: str) -> None:
        """This run linked a file of ``work`` into the site (which changes the file's change time)."""
        self.touched.add(work)

    def refresh(self) -> None:
        """The signatures of the works this run linked, taken again: a hard link changes a
        file's change time (its link count), and the next run would read every newly
        published work again. Only a change of the change time alone is taken; any other
        change (a write during the run) forgets the entry."""
        for key, paths in self.watched.items():
            if key.split("#")[0] not in self.touched or key not in self.new:
                continue
            before, value = self.new[key]
            now = signature(paths)
            if [f[:3] + f[4:] for f in before] == [f[:3] + f[4:] for f in now]:
                self.new[key] = (now, value)
            else:
                del self.new[key]

    def save(self) -> None:
        """Write the memo of this run (atomically): the works no longer there are forgotten."""
        self.refresh()
        if self.new == self.old and self.new_pages == self.old_pages and self.path.is_file():
            return
        kept = (self.header, self.new, self.new_pages)
        atomic.write_bytes(self.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
