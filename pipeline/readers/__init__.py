"""Readers: MIA sources in, the document model of ``pipeline.master.model`` out.

``mia_text`` reads the MIA's plain-text extractions; ``infoblock`` and ``dates`` hold
what every reader shares (the information block's labels, credits, licences, the Source
line's bibliography, dates).
"""
