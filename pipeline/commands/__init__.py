"""The commands of ``python -m pipeline``: one module per command, each owning its parser
(``add_parser(subparsers, name)``) and its ``run(args)``, in the shape of Standard Ebooks'
``se/commands/``. :mod:`pipeline.cli` lists them in a table and imports each module's
implementation only when its command runs, so every module here imports nothing heavy
at module level.

- ``ingest``: one source folder to its TEI master.
- ``validate``: masters, manifests and ``sources/`` trees against the schemas.
- ``edition``: ``epub``, ``pdf``, ``txt``: one edition from a master (one parser per
  format of :mod:`pipeline.formats`).
- ``catalog``: the library page, the OPDS catalogs and SHA256SUMS.
- ``manifest``: a manifest.json for source files.

Commands with a package of their own keep their command module there and are listed in
the same table: ``build`` (:mod:`pipeline.builder.command`), ``verify``
(:mod:`pipeline.verify.command`). Every command finds the project root with
:func:`pipeline.paths.project_root`.
"""
