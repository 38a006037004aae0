"""The validation stage: is a master (or a manifest) fit to build editions from?

Three layers, each with its own schema in ``schemas/``:

1. the project's TEI profile, a RelaxNG grammar (``mia-tei.rng``, written as
   ``mia-tei.rnc``), a strict subset of TEI P5 that requires what an edition needs to
   attribute the work;
2. ISO Schematron rules (``mia-tei.sch``) for what a grammar cannot say: references
   resolve, ids are unique, the licence is known, credits are present, dates are ISO 8601;
3. JSON Schemas (draft 2020-12) for the JSON the pipeline reads and writes: source
   manifests (plus their fixity), the validation report, the build stamp.

Every problem is a :class:`Problem` whose ``str()`` is one line,
``path:line:col: error: [rule-id] message``. Schemas are compiled once per process.

Modules: ``master`` (a master through the profile and the Schematron rules),
``manifests`` (a source manifest: JSON Schema and fixity), ``tei_all`` (the official
``schemas/tei/tei_all.rng`` with jing, a second opinion), ``batch`` (many paths into one
report), ``targets`` (which files a path names), ``report`` and ``problems`` (the
report and its lines), ``locate`` (a problem's line and column), ``schemas`` (where the
schemas are, compiled once). How long validation takes is measured by ``bench/validation.py``.
"""

from pipeline.validation.manifests import check_manifest
from pipeline.validation.master import check_master
from pipeline.validation.problems import Layer, Problem

__all__ = ["check_master", "check_manifest", "Layer", "Problem"]
