"""The MIA HTML reader: one work page, or an index page with its chapter pages, in; a
:class:`~pipeline.master.model.Work` out.

It reads in named phases, each a module, in the order a page goes through them:

1. ``dom``: the page -> parsed as a browser shows it, the furniture removed (breadcrumbs,
   "Top of the page", footers), flattened into one list of blocks (:data:`dom.PageBlock`).
2. ``page`` (with ``head``, the named layout rules of a page's head): the blocks -> the
   page's roles: head (title, author, date), information block, text.
3. ``notes``: the notes and their one marker each, found and linked.
4. ``blocks``: HTML blocks and inline text -> the document model's blocks and inlines.
5. ``structure``: the flat run of blocks -> the nesting TEI requires (sections, closers).
6. ``work``: single and multi-part works: the pages -> the model, with the information
   block interpreted, links within the work kept as words, the date, encoding, language.

The MIA's conventions that the archive shares (the site, the page files, the information
block's classes) live in :mod:`pipeline.mia`.
"""

from __future__ import annotations

from pipeline.readers.mia_html.work import read

__all__ = ["read"]
