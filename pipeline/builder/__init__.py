"""The build: every work of ``sources/`` into ``editions/``, incrementally, in parallel.

Modules, in the order a build runs them:

- ``command``: ``pipeline build``, its parser and run: find the works, take the build
  lock, plan, hand the stale works to an executor, report.
- ``state``: what a work was built from: the code digest, each source's sha256 (cached
  with its stat), the stamp, the plan (up to date or not). Light: a no-op build stops here.
- ``stages``: one work's stages (ingest, validate, each edition format, verify), the
  task every executor runs.
- ``results``: a work's result, and the lines and summary the command prints.
- ``pool``: the local executors: serial, or a pool of warm worker processes.
- ``cluster``: the Dask executor (``--scheduler``), same task, same bytes.

The package's ``__init__`` imports nothing, so ``import pipeline.builder.state`` stays light.
"""
