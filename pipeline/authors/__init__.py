"""The author authority (issue 21): every author the archive names resolves to one person.

``authority`` holds the interface the rest of the pipeline uses (a :class:`Person`, an
:class:`Authority` loaded from the reviewed data in ``pipeline/data/authors.json`` and the
editor's file ``editorial/authors.json``); how that data is written from a copy of the site
and how a page's author line is split into people live beside it.
"""
