"""Readers: MIA sources in, the document model of ``pipeline.master.model`` out.

- ``mia_text``: the MIA's plain-text extractions.
- ``mia_html``: MIA HTML pages, one page or an index with its chapter pages; built on
  ``html_page`` (one page: head, information block, text), ``head_rules`` (the named
  layout rules of a page's head: title, author, date), ``html_dom`` (parsing as a browser
  shows the page, page furniture), ``html_structure`` and ``html_convert`` (blocks and
  inline text into the model), ``html_notes`` (notes and their markers).
- ``infoblock`` and ``dates``: what every reader shares (the information block's labels,
  credits, licences, the Source line's bibliography, dates); ``encoding`` (the bytes'
  charset, decided and recorded), ``language`` (the work's language).
"""
