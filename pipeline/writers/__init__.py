"""Writers: editions rendered from the TEI master alone.

``xhtml`` is the shared TEI-to-XHTML transform (title page, text, notes, colophon) that
the EPUB and PDF editions both use; ``txt`` renders plain text.
"""
