"""MIA edition pipeline: MIA source -> TEI P5 master -> EPUB 3, PDF and plain-text editions.

The package is laid out like pandoc: ``pipeline.readers`` turn a source into the
document model of ``pipeline.master.model``, ``pipeline.master.write`` serializes it as
the TEI master, and ``pipeline.writers`` render editions from the TEI master alone.
Readers never import writers, nor writers readers.
"""

__version__ = "0.1.0"
APP_NAME = "mia-pipeline"
