"""Readers: MIA sources in, the document model of ``pipeline.master.model`` out.

- ``formats`` names the source formats a manifest may give; ``read`` binds each to its
  reader, every one with the signature ``read(manifest) -> Work``.
- ``mia_text``: the MIA's plain-text extractions.
- ``mia_html``: MIA HTML pages, one page or an index with its chapter pages; a package
  of named phases (page -> blocks -> structure -> notes -> model, see its docstring).
- ``infoblock`` and ``dates``: what every reader shares (the information block's labels,
  credits, licences, the Source line's bibliography, dates); ``encoding`` (the bytes'
  charset, decided and recorded), ``language`` (the work's language).
"""
