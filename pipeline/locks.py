"""One writer at a time per folder: an advisory ``flock`` on the folder itself.

The build locks ``editions/`` and import/fetch lock ``sources/``: two runs writing one
folder would sweep each other's temporary files. Locking the folder (not a lock file)
leaves nothing behind, and a killed process releases its lock with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import PipelineError


@contextlib.contextmanager
def folder_lock(folder: Path, busy: str) -> Iterator[None]:
    """Hold the folder's lock (creating the folder); if another process holds it, raise
    a one-line error saying ``busy``."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError(busy, folder) from None
        yield
    finally:
        os.close(fd)
