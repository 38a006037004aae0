"""The TEI master: the single source of truth of every edition.

- ``model``: the document model readers fill.
- ``write``: its TEI P5 serialization (header with credits, licences, normalizations).
- ``read``: the read side writers, verify and distribution use: the tree and its header
  as :class:`~pipeline.master.read.EditionMeta` (credits with their printed line,
  ``file_as``, ``source_name``, licences).
- ``attribution``: the one attribution model (labelled items, in the words and order of
  each form) the colophon, the text edition and the library's pages and feeds render.
- ``tei``: TEI names and vocabulary (namespaces, MARC relator labels, the MIA's name), a
  safe parser.
"""
