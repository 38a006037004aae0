"""Connecting to a Dask distributed scheduler, for every command that offers ``--scheduler``.

``build`` and ``import`` both run their tasks on the same cluster; this module is the one
place that knows how to reach it and how to say, in one line, why it could not.
"""

from __future__ import annotations

from pipeline.errors import PipelineError

CONNECT_TIMEOUT = "20s"


def connect(address: str):  # -> distributed.Client (Dask is an optional extra, so no annotation import)
    try:
        from distributed import Client
    except ImportError:
        raise PipelineError("--scheduler needs Dask distributed: pip install 'mia-pipeline[cluster]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise PipelineError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
