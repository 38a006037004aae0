"""The commands of ``python -m pipeline``: one module per command, in one shape.

Each module owns its parser (``add_parser(subparsers, name)``) and its ``run(args) ->
int``, which turns the parsed options into plain arguments (paths, numbers, or a small
frozen dataclass of options the domain module defines: :class:`~pipeline.builder.build.BuildOptions`,
:class:`~pipeline.archive.import_site.ImportOptions`, :class:`~pipeline.archive.fetch.FetchOptions`)
and calls the domain's functions; no ``argparse.Namespace`` goes below this package.
:mod:`pipeline.cli` lists them in a table and imports a module's implementation only
when its command runs, so every module here imports nothing heavy at module level.

- ``import_site`` (``import``), ``fetch``: works into sources/ (:mod:`pipeline.archive`).
- ``ingest``: one source folder to its TEI master.
- ``validate``: masters, manifests and ``sources/`` trees against the schemas.
- ``edition``: ``epub``, ``pdf``, ``txt``: one edition from a master (one parser per
  format of :mod:`pipeline.formats`).
- ``build``: every work, incrementally, in parallel (:mod:`pipeline.builder`).
- ``verify``: every edition against its master (:mod:`pipeline.verify`).
- ``catalog``: the library page, the OPDS catalogs and SHA256SUMS.
- ``manifest``: a manifest.json for source files.

Every command finds the project root with :func:`pipeline.paths.project_root`.
"""
