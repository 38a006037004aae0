"""Writing ``sources/<slug>/``: whole or not at all, versioned, never deleting a byte.

A work is assembled in a staging folder (``sources/.import-staging/<slug>``), every file
flushed to disk, and only then renamed into place: ``rename`` of a folder is atomic, so
``sources/<slug>`` either does not exist or is complete, even when the disk fills up or
the process is killed mid-import. The staging folder sits one level deeper than works do,
so nothing that looks for ``sources/*/manifest.json`` ever mistakes it for a work.

An update (``--update``) keeps the previous version the way OCFL versions an object:
the earlier files (and the earlier manifest) move to ``versions/v<N>/`` of the new folder,
hard-linked so they cost no space, and the manifest's ``versions`` lists each earlier
version with its files' sha256 and its dates. ``versions/v<N>/`` holds version N only (the
versions before it stay in their own ``versions/v<M>/``, never copied inside it), so a work
updated fourteen times holds fifteen copies of its pages, not 2^14. What an archivist
recorded by hand in the manifest (a permission, notes: :data:`CARRIED_OVER`) carries over to
the new version; a file name that would leave the work's folder or land in ``versions/`` is
refused before anything is written. The old folder is swapped out in two
renames; :func:`recover` (run first by every import) finishes or undoes a swap an
interrupted run left halfway, so the next run goes on from where the last one stopped.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.locks import folder_lock
from pipeline.manifest import MANIFEST_NAME

STAGING = ".import-staging"
OLD_SUFFIX = ".replaced"


class DiskFull(Exception):
    """The file system ran out of space (ENOSPC/EDQUOT) while a work was being written."""


class StoreRefused(OSError):
    """The store refuses to write a work (nothing written); one line. An OSError, so every
    writer's "cannot be written" handling (import's, fetch's) reports it as such."""


class UnsafeName(StoreRefused):
    """A file name that would leave the work's folder (or shadow its versions/)."""


class UpdateRefused(StoreRefused):
    """An update would drop what an archivist recorded in the current manifest."""


# What an archivist adds to a manifest by hand and an update must not drop: the permission a
# rights holder gave (pipeline/licences.py reads it). The import writes every other key itself.
CARRIED_OVER = ("$schema", "permission")
WRITTEN_BY_IMPORT = frozenset(
    {"slug", "url", "retrieved", "format", "language", "files", "origin", "missing", "notes", "versions"}
)


@dataclass
class StoredFile:
    name: str  # file name inside the work's folder
    data: bytes
    sha256: str
    role: str
    url: str
    source: Path | None = None  # a file holding the bytes (a fetch's spool), read in place of ``data``


def check_name(name: str) -> None:
    """UnsafeName unless ``name`` is a plain relative path inside a work's folder: UTF-8, no
    ``..``, no absolute path, no backslash or control character, nothing under ``versions/``
    (the earlier versions live there), never the manifest itself."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsafeName(f"file name {name!r} is not valid UTF-8 (a manifest cannot record it)") from None
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or any(p in ("", ".", "..") for p in parts)
        or any(c == "\\" or ord(c) < 32 for c in name)
        or parts[0] == "versions"
        or name == MANIFEST_NAME
    ):
        raise UnsafeName(f"file name {name!r} would leave the work's folder or overwrite its versions/ or manifest")


def writer_lock(sources: Path) -> contextlib.AbstractContextManager[None]:
    """One import or fetch writes into a sources/ folder at a time (the folder's own lock)."""
    return folder_lock(sources, "another import or fetch is writing to this folder; wait for it to finish")


def recover(sources: Path) -> list[str]:
    """Finish or undo what an interrupted import left in the staging folder; say what."""
    staging = sources / STAGING
    done: list[str] = []
    if not staging.is_dir():
        return done
    for entry in sorted(staging.iterdir()):
        if entry.name.endswith(OLD_SUFFIX):
            slug = entry.name[: -len(OLD_SUFFIX)]
            if not (sources / slug).exists():  # swapped out but the new one never came: put it back
                os.rename(entry, sources / slug)
                done.append(f"restored sources/{slug} from an interrupted update")
                continue
        shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
        done.append(f"removed an incomplete write ({entry.name}) left by an interrupted import")
    try:
        staging.rmdir()
    except OSError:
        pass
    return done


def read_existing(folder: Path) -> dict[str, Any] | None:
    """The manifest of a work ``sources/`` already holds, or None when it has none readable."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest


def existing_urls(sources: Path) -> dict[str, str]:
    """URL -> slug for every work ``sources/`` holds (rule 1 of the slug rule)."""
    out: dict[str, str] = {}
    if not sources.is_dir():
        return out
    for manifest in sorted(sources.glob(f"*/{MANIFEST_NAME}")):
        data = read_existing(manifest.parent)
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            out.setdefault(data["url"], manifest.parent.name)
    return out


def fingerprint(manifest: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two imports of a work the same: its files' names, sha256, roles; its gaps."""
    files = tuple((f.get("path"), f.get("sha256"), f.get("role", "main")) for f in manifest.get("files", []))
    missing = tuple(m.get("path") for m in manifest.get("missing", []))
    return manifest.get("url"), files, missing


def _write(path: Path, data: bytes, source: Path | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        if source is not None:
            with open(source, "rb") as spooled:
                shutil.copyfileobj(spooled, handle)
        else:
            handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_tree(src: Path, dst: Path, skip_top: set[str]) -> None:
    """Hard-link (copy where links fail) every file of ``src`` into ``dst``, but for the
    files and folders of ``src`` named in ``skip_top``."""
    for folder, dirs, files in os.walk(src):
        rel = Path(folder).relative_to(src)
        if rel == Path("."):
            dirs[:] = [d for d in dirs if d not in skip_top]  # never walk into an earlier versions/
        for name in files:
            if rel == Path(".") and name in skip_top:
                continue
            target = dst / rel / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(Path(folder) / name, target)
            except OSError:
                shutil.copy2(Path(folder) / name, target)


def write_work(
    sources: Path, slug: str, manifest: dict[str, Any], files: list[StoredFile], previous: dict[str, Any] | None
) -> None:
    """Write one work atomically; with ``previous`` (its current manifest) keep that version.
    UnsafeName (nothing written) when a file name would leave the folder."""
    for f in files:
        check_name(f.name)
    if previous is not None:
        carry_over(previous, manifest)
    staging = sources / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / slug
    if tmp.exists():
        shutil.rmtree(tmp)
    target = sources / slug
    try:
        tmp.mkdir()
        if previous is not None:
            versions = list(previous.get("versions", []))
            number = 1 + max((int(v.get("version", 0)) for v in versions), default=0)
            vdir = Path("versions") / f"v{number}"
            _link_tree(target / "versions", tmp / "versions", set()) if (target / "versions").is_dir() else None
            _link_tree(target, tmp / vdir, {"versions"})
            versions.append(
                {
                    "version": number,
                    "retrieved": previous.get("retrieved"),
                    "replaced": manifest["retrieved"],
                    "files": [{**f, "path": (vdir / f["path"]).as_posix()} for f in previous.get("files", [])],
                    "manifest": (vdir / MANIFEST_NAME).as_posix(),
                }
            )
            manifest["versions"] = versions
        for f in files:
            _write(tmp / f.name, f.data, f.source)
        _write(tmp / MANIFEST_NAME, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        _fsync_dir(tmp)
        if previous is not None:
            old = staging / f"{slug}{OLD_SUFFIX}"
            os.rename(target, old)
            os.rename(tmp, target)
            shutil.rmtree(old)  # its bytes live on, hard-linked, in the new versions/
        else:
            os.rename(tmp, target)
        _fsync_dir(sources)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise DiskFull(f"{sources}: disk full while writing {slug} ({exc.strerror})") from None
        raise


def carry_over(previous: dict[str, Any], manifest: dict[str, Any]) -> None:
    """Keep in the new manifest what an archivist recorded in the previous one (CARRIED_OVER):
    a permission is for the work, not for one retrieval of its pages."""
    unknown = sorted(set(previous) - WRITTEN_BY_IMPORT - set(CARRIED_OVER))
    if unknown:
        raise UpdateRefused(
            f"manifest.json records {', '.join(map(repr, unknown))}, which an update cannot carry over; "
            "not updated (move it into the new version by hand)"
        )
    for key in CARRIED_OVER:
        if key in previous and key not in manifest:
            manifest[key] = previous[key]
