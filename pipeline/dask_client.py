"""Connecting to a Dask distributed scheduler, for every command that offers ``--scheduler``.

``build`` and ``import`` both run their tasks on the same cluster; this module is the one
place that knows how to reach it and how to say, in one line, why it could not.
"""

from __future__ import annotations

from typing import Any

from pipeline.errors import PipelineError

CONNECT_TIMEOUT = "20s"


def connect(address: str) -> Any:
    """A ``distributed.Client``, typed Any: Dask is an optional extra, its annotations are partial
    (``Client.close`` is untyped) and the callers use it as they use a ``concurrent.futures`` executor."""
    try:
        from distributed import Client
    except ImportError:
        raise PipelineError("--scheduler needs Dask distributed: pip install 'mia-pipeline[cluster]'") from None
    try:
        # distributed ships types, but Client.__init__ is not annotated
        return Client(address, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise PipelineError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
