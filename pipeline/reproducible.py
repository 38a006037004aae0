"""Build dates for reproducible output.

Every timestamp the pipeline writes (the ingest change in the master, dcterms:modified
in the EPUB, the PDF's dates, zip entry times) comes from ``SOURCE_DATE_EPOCH`` when it
is set (https://reproducible-builds.org/specs/source-date-epoch/), else from a date
fixed by the inputs, so the same sources always give the same bytes.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from pipeline.errors import PipelineError

DEFAULT_EPOCH = 0


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
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
        return datetime.fromtimestamp(epoch, timezone.utc)
    if fallback_iso_date:
        try:
            return datetime.fromisoformat(fallback_iso_date[:10]).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return datetime.fromtimestamp(DEFAULT_EPOCH, timezone.utc)
