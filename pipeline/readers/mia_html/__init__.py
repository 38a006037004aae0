"""The MIA HTML reader: one work page, or an index page with its chapter pages, in; a
:class:`~pipeline.master.model.Work` out.

It reads in named phases, page -> blocks -> structure -> notes -> model, each a module:

1. ``dom``: the page, parsed as a browser shows it, its furniture removed (breadcrumbs,
   "Top of the page", footers), flattened into one list of :data:`dom.PageBlock` (an HTML
   block element, or a :class:`dom.Run` of loose inline content).
2. ``page``: the blocks -> the page's parts: its head, its information block, its text.
   ``head`` holds the named layout rules of the head (which line is the title, the
   author, the date); ``info`` reads the information block's ``Label: value`` lines.
3. ``notes``: each note and its one marker found and linked (``markers``: how a note's
   label and a marker look), markers replaced by placeholders in the parsed tree.
4. ``blocks``: the HTML blocks and inline text -> the document model's blocks and
   inlines (``closings``: a letter's closing, a signature or a byline set as a heading is
   none); ``structure``: the flat run of blocks -> the nesting TEI requires.
5. ``work``: one page, or an index and its parts -> the :class:`Work`: the information
   block interpreted, links within the work kept as words, the date, the encoding and
   the language decided.

The MIA's conventions that the archive shares (the site, its page files, the
information block's classes) live in :mod:`pipeline.mia`; :func:`read` is the reader
:mod:`pipeline.readers.read` binds to the ``mia-html`` format.
"""

from __future__ import annotations

from pipeline.readers.mia_html.work import read

__all__ = ["read"]
