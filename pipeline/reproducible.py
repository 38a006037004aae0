"""Build dates for reproducible output.

Every timestamp the pipeline writes (the ingest change in the master, dcterms:modified
in the EPUB, the PDF's dates, zip entry times) comes from ``SOURCE_DATE_EPOCH`` when it
is set (https://reproducible-builds.org/specs/source-date-epoch/), else from a date
fixed by the inputs, so the same sources always give the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

from pipeline.errors import PipelineError

DEFAULT_EPOCH = 0
VARIABLE = "SOURCE_DATE_EPOCH"


def source_date_epoch_value() -> str:
    """The variable as set ("" when unset): what a build stamp's digest records."""
    return os.environ.get(VARIABLE, "")


def source_date_epoch() -> int | None:
    """The variable as a number of seconds, checked; None when unset."""
    value = os.environ.get(VARIABLE)
    if value is None or value == "":
        return None
    try:
        epoch = int(value)
    except ValueError:
        raise PipelineError(f"SOURCE_DATE_EPOCH must be an integer number of seconds, not {value!r}") from None
    if epoch < 0:
        raise PipelineError("SOURCE_DATE_EPOCH must not be negative")
    return epoch


def build_datetime(fallback_iso_date: str | None = None) -> datetime:
    """SOURCE_DATE_EPOCH, else midnight UTC of ``fallback_iso_date`` (e.g. the master's ingest date)."""
    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC)
    if fallback_iso_date:
        try:
            return datetime.fromisoformat(fallback_iso_date[:10]).replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(DEFAULT_EPOCH, UTC)


def edition_date() -> str | None:
    """The day SOURCE_DATE_EPOCH names, the edition's own date; None when it is unset and
    the edition is dated by its source (see :func:`pipeline.master.attribution.made`)."""
    epoch = source_date_epoch()
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")


@contextlib.contextmanager
def epoch_set_for(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for the block (kept if already set), then restored.

    For libraries that read the variable themselves (fontTools' font subsetter, under
    WeasyPrint). The environment is process-wide: callers that run in threads hold their
    own lock (see :mod:`pipeline.builder.cluster`)."""
    previous = os.environ.get(VARIABLE)
    if previous:
        yield
        return
    os.environ[VARIABLE] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = previous


_env_gate = threading.Condition()
_env_value: str | None = None
_env_users = 0


@contextlib.contextmanager
def epoch_pinned(value: str) -> Iterator[None]:
    """Hold ``SOURCE_DATE_EPOCH`` at the client's value while a task builds.

    The environment is process-wide and a Dask worker may run several tasks in threads:
    tasks that need the same value run together, a task needing another value waits.
    """
    global _env_value, _env_users
    with _env_gate:
        while _env_users and _env_value != value:
            _env_gate.wait()
        if _env_users == 0:
            if value:
                os.environ[VARIABLE] = value
            else:
                os.environ.pop(VARIABLE, None)
            _env_value = value
        _env_users += 1
    try:
        yield
    finally:
        with _env_gate:
            _env_users -= 1
            _env_gate.notify_all()
