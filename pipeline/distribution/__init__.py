"""Distribution: the library page, the OPDS catalogs and the checksums of ``editions/``.

``write_catalog(root)`` reads every TEI master under ``root/editions``, publishes the
works whose licence allows it (their editions, master, cover and thumbnail) and writes
``index.html``, ``catalog.xml`` (OPDS 1.2), ``catalog.json`` (OPDS 2.0) and
``SHA256SUMS``. Works whose licence does not allow distribution appear nowhere.

Modules: ``publish`` (what is published, and writing it all), ``works`` (each work's
facts for listing), ``attribution`` (the attribution list the page and both feeds
render), ``page`` (index.html), ``opds`` (OPDS 1.2), ``opds2`` (OPDS 2.0), ``covers``
(cover and thumbnail images), ``checksums`` (SHA256SUMS).
"""

from pipeline.distribution.publish import write_catalog

__all__ = ["write_catalog"]
