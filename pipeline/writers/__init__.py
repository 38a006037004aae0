"""Writers: editions rendered from the TEI master alone.

- ``formats``: the registry of edition formats (names, extensions), light, shared by the
  build, the commands and verify; ``write``: each format bound to its writer.
- ``xhtml``: the shared TEI-to-XHTML transform (title page, text, notes, colophon) that
  the EPUB and PDF editions both use.
- ``epub`` (with ``epub_package``: the OPF package document), ``pdf`` (WeasyPrint, with
  ``fonts``), ``txt`` (plain text and its ``--ascii`` variant).
- ``cover``: the cover image drawn from the title, author and year.
"""
