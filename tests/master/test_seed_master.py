"""The seed's master: TEI-valid, attributed, faithful, golden."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.master.tei import NS
from tests.conftest import PROJECT, SEED, TEI_ALL, jing

GOLDEN = PROJECT / "tests" / "golden" / f"{SEED}.tei.xml"


def xp(root, path):
    return root.xpath(path, namespaces=NS)


def test_master_is_valid_tei_all(seed_master: Path) -> None:
    result = jing(TEI_ALL, seed_master)
    assert result.returncode == 0, result.stdout + result.stderr


def test_master_matches_golden(seed_master: Path) -> None:
    """Review changes to the master by regenerating the golden copy:
    ``python -m pipeline ingest sources/trotsky-1923-faction -o tests/golden/trotsky-1923-faction.tei.xml``."""
    assert seed_master.read_bytes() == GOLDEN.read_bytes()


def test_credits_licence_url_bibliography(seed_master: Path) -> None:
    root = etree.parse(str(seed_master)).getroot()
    (rs,) = xp(root, "//tei:titleStmt/tei:respStmt")
    assert xp(rs, "string(tei:persName)") == "David Walters"
    assert sorted(xp(rs, "tei:resp/@key")) == ["mrk", "trc"]
    assert set(xp(rs, "tei:resp/@when")) == {"2005-02"}
    (lic,) = xp(root, "//tei:availability/tei:licence")
    assert lic.get("target") == "https://creativecommons.org/publicdomain/mark/1.0/"
    assert lic.text.startswith("Public Domain: Leon Trotsky Internet Archive 2005.")
    assert (
        "Please credit the Marxists Internet Archive as your source, include the url to this work, "
        "and note the transcribers & proofreaders above." in lic.text
    )
    assert xp(root, "string(//tei:publicationStmt/tei:idno[@type='URI'])") == (
        "https://www.marxists.org/archive/trotsky/1923/12/faction.htm"
    )
    (bibl,) = xp(root, "//tei:sourceDesc/tei:bibl[@type='original']")
    assert xp(bibl, "string(tei:title)") == "New International"
    assert xp(bibl, "string(tei:pubPlace)") == "New York"
    assert xp(bibl, "string(tei:biblScope[@unit='volume'])") == "2"
    assert xp(bibl, "string(tei:biblScope[@unit='issue'])") == "1"
    assert xp(bibl, "string(tei:date/@when)") == "1935-01"
    page = xp(bibl, "tei:biblScope[@unit='page']")[0]
    assert (page.get("from"), page.get("to")) == ("16", "19")
    assert "First Published: 1935 [in English]" in xp(root, "string(//tei:notesStmt)")
    assert xp(root, "string(//tei:sourceDesc/tei:bibl[@type='first-published']/tei:date/@when)") == "1935"
    assert xp(root, "string(//tei:profileDesc/tei:creation/tei:date/@when)") == "1923-12"
    assert xp(root, "string(//tei:revisionDesc/tei:change[@type='mia-last-updated'])") == "Last updated on: 7.1.2007"


def test_nine_notes_each_referenced_once(seed_master: Path) -> None:
    root = etree.parse(str(seed_master)).getroot()
    notes = xp(root, "//tei:back//tei:note/@xml:id")
    refs = xp(root, "//tei:body//tei:ref[@type='noteref']/@target")
    assert len(notes) == 9
    assert sorted(refs) == sorted(f"#{n}" for n in notes)


def test_closer_and_normalizations(seed_master: Path) -> None:
    root = etree.parse(str(seed_master)).getroot()
    assert xp(root, "string(//tei:closer/tei:signed)") == "Leon TROTSKY"
    assert xp(root, "string(//tei:closer/tei:dateline)") == "Moscow, December 1923."
    norms = xp(root, "//tei:editorialDecl/tei:normalization/tei:p[@n='artifact']")
    text = " ".join("".join(n.itertext()) for n in norms)
    assert "<./p>" in text and "return return" in text


def words(text: str) -> list[str]:
    return text.split()


def source_words(source: str) -> list[str]:
    """The words of the seed's body, closer and notes, read independently of the reader."""
    start = source.index("THE QUESTION of groupings")
    end = source.index("\nreturn return")
    text = source[start:end]
    text = text.replace("\nNotes\n", "\n").replace("<./p>", "")
    text = re.sub(r"(?m)^\d+\. ", "", text)  # note numbers at the start of a note
    text = re.sub(r"\[\d+\]", " ", text)  # markers
    return words(text)


def master_words(root) -> list[str]:
    """The words of the master's body and notes, without note markers or the Notes heading."""
    for el in xp(root, "//tei:ref[@type='noteref'] | //tei:back/tei:div/tei:head"):
        parent = el.getparent()
        prev = el.getprevious()
        gap = " " + (el.tail or "")
        if prev is not None:
            prev.tail = (prev.tail or "") + gap
        else:
            parent.text = (parent.text or "") + gap
        parent.remove(el)
    text = []
    for part in xp(root, "//tei:text/tei:body | //tei:text/tei:back"):
        text.extend(" " + t for t in part.itertext())
    return words("".join(text))


def test_fidelity_word_for_word(seed_master: Path) -> None:
    source = (PROJECT / "sources" / SEED / "faction.txt").read_text(encoding="utf-8")
    root = etree.parse(str(seed_master)).getroot()
    assert master_words(root) == source_words(source)
