"""The TEI block lists agree with the master's schema (issue 19: one home, and no list
holding an element the schema forbids)."""

from __future__ import annotations

from lxml import etree

from pipeline.master.tei import BLOCKS, TEXT_BLOCKS
from pipeline.paths import project_root
from pipeline.verify.master import TEI_BLOCKS
from pipeline.writers.txt import BLOCK_TAGS

RNG = "{http://relaxng.org/ns/structure/1.0}"


def schema() -> etree._Element:
    return etree.parse(str(project_root() / "schemas" / "mia-tei.rng")).getroot()


def element_names(rng: etree._Element) -> set[str]:
    return {el.get("name") for el in rng.iter(f"{RNG}element")}


def defined_element(rng: etree._Element, define: str) -> str:
    found = rng.find(f"{RNG}define[@name='{define}']/{RNG}element")
    assert found is not None, define
    return found.get("name")


def test_blocks_are_the_schemas_block() -> None:
    rng = schema()
    choice = rng.find(f"{RNG}define[@name='block']/{RNG}choice")
    assert choice is not None
    assert {defined_element(rng, ref.get("name")) for ref in choice.iter(f"{RNG}ref")} == set(BLOCKS)


def test_every_block_list_names_only_elements_the_schema_allows() -> None:
    allowed = element_names(schema())
    for tags in (TEXT_BLOCKS, TEI_BLOCKS, BLOCK_TAGS):
        assert set(tags) <= allowed, set(tags) - allowed


def test_the_judges_list_is_the_masters_own() -> None:
    """verify states the list again (it shares no code with what it judges): the same list,
    less the notes it reads apart."""
    assert TEI_BLOCKS | {"note"} == TEXT_BLOCKS
