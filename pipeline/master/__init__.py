"""The TEI master: the document model readers fill (``model``), its TEI serialization
(``write``) and the read side that writers use (``read``)."""
