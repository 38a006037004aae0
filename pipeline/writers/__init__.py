"""Writers: editions rendered from the TEI master alone.

- ``write``: each format of the registry (:mod:`pipeline.formats`, outside the writers
  so that verify shares no writer module) bound to its writer.
- ``xhtml``: the shared TEI-to-XHTML transform (title page, text, notes, colophon) that
  the EPUB and PDF editions both use.
- ``epub`` (with ``epub_package``: the OPF package document), ``pdf`` (WeasyPrint, with
  ``fonts``), ``txt`` (plain text and its ``--ascii`` variant).
- the cover image drawn from the title, author and year is :mod:`pipeline.cover`,
  shared with the library site.
"""
