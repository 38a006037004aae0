"""Distribution: the library site, the OPDS catalogs and the checksums of ``editions/``.

``write_catalog(root)`` reads every TEI master under ``root/editions``, publishes the
works whose licence allows it and whose last build was verified (their editions,
master, cover and thumbnail) and writes the library site (``index.html`` and its
pages), the OPDS 1.2 and 2.0 catalogs, the search index, ``SHA256SUMS`` and
``library.json``. Withheld and unverified works appear nowhere.

``write_catalog`` is imported lazily: the build imports :mod:`.verified` from here in
its parent process, which must not pay for lxml and Pillow.
"""

from typing import Any

__all__ = ["write_catalog"]


def __getattr__(name: str) -> Any:
    if name == "write_catalog":
        from pipeline.distribution.publish import write_catalog

        return write_catalog
    raise AttributeError(name)
