"""Distribution: the library site, the OPDS catalogs and the checksums of ``editions/``.

``write_catalog(root)`` reads every TEI master under ``root/editions``, publishes the
works whose licence allows it and whose last build was verified (their editions,
master, cover and thumbnail; :mod:`pipeline.verified` holds the build's record) and
writes the library site (``index.html`` and its pages), the OPDS 1.2 and 2.0 catalogs,
the search index, ``SHA256SUMS`` and ``library.json``. Withheld and unverified works
appear nowhere.

Modules: ``publish`` (what is published, and writing it all), ``works`` (each work's
facts for listing), ``library`` (the works grouped and paged), ``attribution`` (how
the pages and feeds lay out :mod:`pipeline.master.attribution`'s listing form), ``page`` and ``site`` (the HTML pages),
``catalogs``, ``opds`` (OPDS 1.2), ``opds2`` (OPDS 2.0), ``search`` (Pagefind),
``covers`` (cover and thumbnail images), ``checksums`` (SHA256SUMS).
"""

from pipeline.distribution.publish import write_catalog

__all__ = ["write_catalog"]
