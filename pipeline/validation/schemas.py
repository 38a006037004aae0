"""The compiled validators: the TEI profile (RelaxNG) and its Schematron rules.

Each is compiled once per process, and per thread (a compiled lxml validator keeps its
error log and report on itself, so two threads must not share one), so that validating
many masters, or one large master in a running build worker, pays the compilation once.
The files are the project's ``schemas/`` (or the copy shipped in ``pipeline/data``).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from lxml import etree, isoschematron

from pipeline import licences
from pipeline.jsonschemas import PROJECT_SCHEMAS, schema_path
from pipeline.master.tei import safe_parser

PROFILE_RNG = "mia-tei.rng"
PROFILE_RNC = "mia-tei.rnc"
RULES_SCH = "mia-tei.sch"
REPORT_SCHEMA = "validation-report.schema.json"
STAMP_SCHEMA = "build-stamp.schema.json"
MANIFEST_SCHEMA = "manifest.schema.json"


def _parse_schema(name: str) -> etree._ElementTree:
    return etree.parse(str(schema_path(name)), safe_parser())


_compiled = threading.local()


def profile() -> etree.RelaxNG:
    """The project's TEI profile (schemas/mia-tei.rng, generated from mia-tei.rnc)."""
    if not hasattr(_compiled, "profile"):
        _compiled.profile = etree.RelaxNG(_parse_schema(PROFILE_RNG))
    return _compiled.profile


def rules() -> isoschematron.Schematron:
    """The Schematron rules (schemas/mia-tei.sch), reporting SVRL for locating problems."""
    if not hasattr(_compiled, "rules"):
        _compiled.rules = isoschematron.Schematron(_parse_schema(RULES_SCH), store_report=True)
    return _compiled.rules


def known_licences_value() -> str:
    """The value ``$known-licences`` in mia-tei.sch must have: pipeline/licences.py KNOWN."""
    return "'|" + "|".join(sorted(licences.KNOWN)) + "|'"


def sch_known_licences() -> str | None:
    """The value ``$known-licences`` has in mia-tei.sch as it stands."""
    text = schema_path(RULES_SCH).read_text(encoding="utf-8")
    found = re.search(r'<sch:let name="known-licences" value="([^"]*)"', text)
    return found.group(1) if found else None


def tei_all_path() -> Path | None:
    """The official tei_all.rng: $MIA_TEI_ALL, else the copy shipped in schemas/tei/."""
    env = os.environ.get("MIA_TEI_ALL")
    candidates = [Path(env)] if env else [PROJECT_SCHEMAS / "tei" / "tei_all.rng"]
    return next((c for c in candidates if c.is_file()), None)
