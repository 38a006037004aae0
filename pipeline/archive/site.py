"""A local copy of the MIA site: check it is one, walk it safely, read its pages.

ROOT is the folder that holds ``archive/``, ``history/``, ``subject/``... as the server
(or ``wget --mirror``) lays them out. Walking it must survive what a copied tree holds:
symbolic links that leave ROOT or loop, files that cannot be read, "pages" that are not
HTML or are far too large. None of these stops the walk: each becomes a page entry with
the reason it is unreadable, so the triage accounts for every file it saw.

Symbolic links are never followed into folders (a loop could never end, and a link to
a folder elsewhere would import pages that are not the site's); a link to a file is read
when its target stays inside ROOT.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.archive.page import MAX_PAGE_BYTES, PAGE_EXT, PageFacts, read_facts, unreadable
from pipeline.errors import PipelineError
from pipeline.mia import SITE_FOLDERS  # a ROOT holding none of them is not a copy of the site


@dataclass(frozen=True)
class Entry:
    """One file found under ROOT: its site path, and why it cannot be read (if so)."""

    path: str
    problem: str | None = None


def check_root(root: Path) -> Path:
    """The resolved ROOT, or a one-line error if it is not a copy of the site."""
    if not root.exists():
        raise PipelineError("no such folder", root)
    if not root.is_dir():
        raise PipelineError(
            "not a folder: ROOT is the folder that holds the site's archive/, history/, ... folders", root
        )
    if not any((root / name).is_dir() for name in SITE_FOLDERS):
        raise PipelineError(
            "not a copy of the MIA site: it holds none of "
            + ", ".join(f"{n}/" for n in SITE_FOLDERS)
            + " (give the folder that holds archive/)",
            root,
        )
    return root.resolve()


def narrow(root: Path, paths: list[str]) -> list[str]:
    """The site paths (folders or pages) the user named, each checked to lie inside ROOT."""
    out = []
    for raw in paths or [""]:
        candidate = Path(raw)
        if candidate.is_absolute():
            try:
                rel = candidate.resolve().relative_to(root)
            except ValueError:
                raise PipelineError(f"not inside ROOT {root}", raw) from None
        else:
            rel_text = posixpath.normpath(raw.replace(os.sep, "/")) if raw else "."
            if rel_text.startswith("../") or rel_text == "..":
                raise PipelineError(f"not inside ROOT {root}", raw)
            rel = Path(rel_text)
            if not (root / rel).exists() and (Path.cwd() / raw).exists():  # a path given from here
                try:
                    rel = (Path.cwd() / raw).resolve().relative_to(root)
                except ValueError:
                    raise PipelineError(f"not inside ROOT {root}", raw) from None
        if not (root / rel).exists() and not (root / rel).is_symlink():
            raise PipelineError("no such page or folder under ROOT", root / rel)
        out.append(rel.as_posix())
    return out


def _link_problem(root: Path, full: Path) -> str | None:
    """Why a symbolic link may not be read (loops, leaves ROOT, points at a folder), or None."""
    try:
        target = full.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loops"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loops"
        return "symbolic link to nothing (broken)"
    if target != root and root not in target.parents:
        return f"symbolic link leaves ROOT (to {target})"
    if target.is_dir():
        return "symbolic link to a folder (not followed)"
    return None


def walk(root: Path, paths: list[str]) -> list[Entry]:
    """Every page (``.htm``/``.html``) under the named paths, sorted, none twice."""
    found: dict[str, Entry] = {}

    def add(full: Path) -> None:
        rel = full.relative_to(root).as_posix()
        if not PAGE_EXT.search(rel) or rel in found:
            return
        problem = _link_problem(root, full) if full.is_symlink() else None
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if shown != rel:  # a byte of another encoding in the name: no URL or manifest can hold it
            rel, problem = shown, "file name is not valid UTF-8; not read (rename it)"
        elif not plain_site_path(rel):
            problem = "file name holds a backslash or a control character; not read (rename it)"
        found[rel] = Entry(rel, problem)

    for rel in paths:
        start = root / rel if rel != "." else root
        if start.is_symlink() or start.is_file():
            add(start)
            continue
        for folder, dirs, files in os.walk(start, followlinks=False, onerror=None):
            dirs.sort()
            base = Path(folder)
            for name in dirs:
                if (base / name).is_symlink():  # os.walk does not descend: say so for links named like pages
                    add(base / name)
            for name in files:
                add(base / name)
    return [found[k] for k in sorted(found)]


def read_page(root: Path, entry: Entry) -> PageFacts:
    """Read one page's facts; every problem becomes the page's ``error``, never an exception."""
    if entry.problem:
        return unreadable(entry.path, 0, "", entry.problem)
    full = root / entry.path
    try:
        info = full.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device named like a page: reading could block forever
            return unreadable(entry.path, 0, "", "not a regular file (a pipe, socket or device)")
        size = info.st_size
        if size > MAX_PAGE_BYTES:
            return unreadable(entry.path, size, "", f"page over 20 MB ({size / 1048576:.1f} MB)")
        with open(full, "rb") as handle:
            data = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        return unreadable(entry.path, 0, "", f"cannot be read ({exc.strerror or exc})")
    if len(data) > MAX_PAGE_BYTES:
        return unreadable(entry.path, len(data), "", "page over 20 MB")
    facts = read_facts(entry.path, data)
    try:
        facts.mtime = full.stat().st_mtime
    except OSError:
        pass
    return facts


def read_pages(root: Path, entries: list[Entry]) -> list[PageFacts]:
    """A batch of pages (one task of a process pool or a Dask worker)."""
    return [read_page(root, e) for e in entries]


def plain_site_path(path: str) -> bool:
    """Whether ``path`` is a plain path below the site's root: no ``..`` or ``.`` segment, not
    absolute, no backslash or control character. A link resolving to anything else would make
    a work's file land outside its folder (``../china2.htm``)."""
    parts = path.split("/")
    return (
        bool(path) and all(p not in ("", ".", "..") for p in parts) and not any(c == "\\" or ord(c) < 32 for c in path)
    )


def read_bytes(root: Path, path: str) -> bytes:
    """A page of the site copy, at most MAX_PAGE_BYTES + 1 bytes; never a file outside ``root``."""
    if not plain_site_path(path):
        raise OSError(f"{path}: not a plain path below the site's root; not read")
    with open(root / path, "rb") as handle:
        return handle.read(MAX_PAGE_BYTES + 1)
