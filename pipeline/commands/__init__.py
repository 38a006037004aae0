"""The commands of ``python -m pipeline``: one module per command, in one shape.

Each module owns its parser (``add_parser(subparsers, name)``) and its ``run(args) ->
int``, which turns the parsed options into plain arguments (paths, numbers, or a small
frozen dataclass of options the domain module defines: :class:`~pipeline.builder.build.BuildOptions`,
:class:`~pipeline.archive.import_site.ImportOptions`, :class:`~pipeline.archive.fetch.FetchOptions`)
and calls the domain's functions; no ``argparse.Namespace`` goes below this package.
:mod:`pipeline.cli` lists them in a table and imports a module's implementation only
when its command runs, so every module here imports nothing heavy at module level.

- ``import_site`` (``import``), ``fetch``: works into sources/ (:mod:`pipeline.archive`).
- ``ingest``: one source folder to its TEI master.
- ``validate``: masters, manifests and ``sources/`` trees against the schemas.
- ``edition``: ``epub``, ``pdf``, ``txt``: one edition from a master (one parser per
  format of :mod:`pipeline.formats`).
- ``build``: every work, incrementally, in parallel (:mod:`pipeline.builder`).
- ``verify``: every edition against its master (:mod:`pipeline.verify`).
- ``catalog``: the library page, the OPDS catalogs and SHA256SUMS.
- ``manifest``: a manifest.json for source files.

Every command finds the project root with :func:`pipeline.paths.project_root`.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def bounded(kind: type[int] | type[float], low: float, high: float, low_open: bool = False) -> Callable[[str], float]:
    """An argparse ``type`` accepting a finite ``kind`` number from ``low`` (excluded when
    ``low_open``) to ``high``: ``--delay nan``, ``-5`` or ``1e999`` is a usage error naming the
    bounds, never a delay of no pause at all or a wait of a lifetime."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {'an integer' if kind is int else 'a number'}: {text!r}") from None
        if not math.isfinite(value) or value < low or value > high or (low_open and value == low):
            raise argparse.ArgumentTypeError(
                f"{text!r} is out of bounds: {'more than' if low_open else 'from'} {low:g} to {high:g}"
            )
        return value

    return parse
