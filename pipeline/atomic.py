"""Atomic file output: write beside the target, then rename into place.

An interrupted build (Ctrl-C, SIGKILL, a full disk) must never leave a partial file
that ``make`` or the incremental build would take as done. POSIX ``rename`` within one
directory is atomic, so a target either has its old content or its complete new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    For libraries that want a file name to write to (WeasyPrint, zipfile).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_open(target: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``target`` for writing; rename on success."""
    if "r" in mode or "a" in mode:
        raise ValueError("atomic_open is for writing new content only")
    with atomic_path(target) as tmp:
        encoding, newline = (None, None) if "b" in mode else ("utf-8", "\n")
        with open(tmp, mode, encoding=encoding, newline=newline) as handle:
            yield handle


def write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically.

    On Linux the content goes into an unnamed file (``O_TMPFILE``) in the target's
    folder, which is given a name only once complete: a process killed while writing
    (SIGKILL, power loss before the fsync) leaves nothing at all behind, not even a
    temporary file. Elsewhere it falls back to a named temporary beside the target.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, 0o644)
    except (AttributeError, OSError):
        with atomic_open(target, "wb") as handle:
            handle.write(data)
        return
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.fchmod(fd, 0o644)
        tmp = target.parent / f".{target.name}.{os.getpid()}.part"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        # linkat(AT_SYMLINK_FOLLOW) gives the unnamed file a name; CPython calls linkat
        # (not link, which would not follow /proc's link) only when a dir fd is passed.
        dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{fd}", tmp.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=True)
        finally:
            os.close(dir_fd)
        try:
            os.replace(tmp, target)
        except OSError as exc:  # the target is a folder, or read-only: no named temporary is left behind
            tmp.unlink(missing_ok=True)
            raise OSError(exc.errno, exc.strerror, str(target)) from None
    finally:
        os.close(fd)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))
