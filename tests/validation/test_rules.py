"""Each rule, and each part the profile requires, broken on its own in the seed's master:
exactly that rule fires, once, at the right line and column, in one line of text.

The cases double as the fixtures of test_subset.py (jing must agree with lxml on which
of them the profile grammar accepts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from pipeline.validation import check_master, schemas
from pipeline.validation.master import parse_master
from tests.validation.conftest import line_of, mutate, write

LICENCE_OPEN = '<licence target="https://creativecommons.org/publicdomain/mark/1.0/">'
CREATION = '<creation>\n        <date when="1923-12">(December 1923)</date>\n      </creation>'
FIRST_P = "<p>THE QUESTION"


def cut(text: str, start: str, end: str, replacement: str = "") -> str:
    """Replace from the one ``start`` up to and including the next ``end``."""
    assert text.count(start) == 1, start
    a = text.index(start)
    b = text.index(end, a) + len(end)
    return text[:a] + replacement + text[b:]


def replace_licence_text(text: str, new: str) -> str:
    a = text.index(LICENCE_OPEN) + len(LICENCE_OPEN)
    return text[:a] + new + text[text.index("</licence>", a) :]


@dataclass
class Case:
    name: str
    rule: str
    change: Callable[[str], str]
    at: str  # the problem is reported where this text starts (line and column)
    grammar_valid: bool = True  # does the profile's grammar alone accept the document?

    def apply(self, seed: str) -> str:
        return self.change(seed)


def sub(old: str, new: str) -> Callable[[str], str]:
    return lambda text: mutate(text, old, new)


CASES = [
    # ---- what the profile requires (the grammar requires it too: grammar_valid=False) ----
    Case(
        "no-title",
        "required-title",
        sub('<title type="main">Bureaucratism and Factional Groups</title>\n        ', ""),
        "<titleStmt>",
        False,
    ),
    Case(
        "empty-title",
        "required-title",
        sub('<title type="main">Bureaucratism and Factional Groups</title>', '<title type="main"> </title>'),
        "<titleStmt>",
    ),
    Case(
        "no-author",
        "required-author",
        sub('<author key="trotsky">\n          <persName>Leon Trotsky</persName>\n        </author>\n        ', ""),
        "<titleStmt>",
        False,
    ),
    Case(
        "no-availability",
        "required-licence",
        lambda t: cut(t, '<availability status="free">', "</availability>\n      "),
        "<publicationStmt>",
        False,
    ),
    Case(
        "licence-replaced-by-p",
        "required-licence",
        lambda t: cut(t, LICENCE_OPEN, "</licence>", "<p>Free to share.</p>"),
        "<publicationStmt>",
        False,
    ),
    Case("licence-without-target", "required-licence-target", sub(LICENCE_OPEN, "<licence>"), "<licence>", False),
    Case(
        "no-url", "required-url", lambda t: cut(t, '<idno type="URI">', "</idno>\n        "), "<publicationStmt>", False
    ),
    Case(
        "no-source-bibl",
        "required-source-bibl",
        lambda t: cut(t, '<bibl type="digital">', "</bibl>\n      "),
        "<sourceDesc>",
        False,
    ),
    Case("no-creation-date", "required-creation-date", sub(CREATION, "<creation/>"), "<profileDesc>", False),
    Case("no-language", "required-language", sub(' xml:lang="en">', ">"), "<TEI", False),
    # ---- the Schematron rules ----
    Case(
        "dangling-noteref",
        "noteref-resolves",
        sub(FIRST_P, '<p><ref type="noteref" target="#note-99">99</ref>THE QUESTION'),
        '<ref type="noteref" target="#note-99">',
    ),
    Case(
        "note-never-referenced",
        "note-referenced-once",
        sub('<ref type="noteref" target="#note-2">2</ref>', ""),
        '<note xml:id="note-2"',
    ),
    Case(
        "note-referenced-twice",
        "note-referenced-once",
        sub(FIRST_P, '<p><ref type="noteref" target="#note-1">1</ref>THE QUESTION'),
        '<note xml:id="note-1"',
    ),
    Case(
        "duplicate-xml-id",
        "xml-id-unique",
        sub('<div type="work">', '<div type="work" xml:id="note-3">'),
        'xml:id="note-3" n="3"',
        False,
    ),
    Case(
        "unknown-licence",
        "licence-known",
        sub(LICENCE_OPEN, '<licence target="https://example.org/my-licence/">'),
        'target="https://example.org/my-licence/"',
    ),
    Case(
        "no-credit-at-all", "transcription-credit", lambda t: cut(t, "<respStmt>", "</respStmt>\n      "), "<titleStmt>"
    ),
    Case(
        "transcriber-unnamed",
        "transcription-credit",
        sub("<persName>David Walters</persName>", "<persName/>"),
        "<titleStmt>",
    ),
    Case(
        "no-mia-credit",
        "mia-credit",
        lambda t: replace_licence_text(t, "Public Domain: Leon Trotsky Internet Archive 2005."),
        "<availability",
    ),
    Case(
        "date-month-only",
        "date-iso8601",
        sub('<date when="1923-12">(December', '<date when="--12">(December'),
        'when="--12"',
    ),
    Case(
        "date-month-13",
        "date-iso8601",
        sub('<date when="1923-12">(December', '<date when="1923-13">(December'),
        'when="1923-13"',
        False,
    ),
    Case(
        "date-february-30",
        "date-iso8601",
        sub('<date when="1923-12">(December', '<date when="1923-02-30">(December'),
        'when="1923-02-30"',
        False,
    ),
    Case(
        "date-with-time",
        "date-iso8601",
        sub('<date when="1923-12">(December', '<date when="1923-12-05T10:00:00">(December'),
        'when="1923-12-05T10:00:00"',
    ),
    Case(
        "date-in-words",
        "date-iso8601",
        sub('<date when="1923-12">(December', '<date when="December 1923">(December'),
        'when="December 1923"',
        False,
    ),
    Case(
        "ingest-date",
        "date-iso8601",
        lambda t: re.sub(r'<change when="[^"]+" type="ingest">', '<change when="11/2026" type="ingest">', t, count=1),
        'when="11/2026"',
        False,
    ),
    Case(
        "language-mismatch", "language-consistent", sub('<language ident="en">', '<language ident="de">'), "<langUsage>"
    ),
    # ---- the grammar alone (rule tei-profile) ----
    Case(
        "paragraph-after-closer",
        "tei-profile",
        sub("</closer>", "</closer>\n        <p>Postscript.</p>"),
        "<p>Postscript.",
        False,
    ),
    Case(
        "paragraph-in-closer", "tei-profile", sub("<closer>", "<closer>\n          <p>Yours,</p>"), "<p>Yours,", False
    ),
    Case(
        "heading-after-paragraph",
        "tei-profile",
        sub("</p>\n        <p>We are the only", "</p>\n        <head>Late</head>\n        <p>We are the only"),
        "<head>Late",
        False,
    ),
    Case("unknown-element", "tei-profile", sub(FIRST_P, "<p><emph>THE</emph> QUESTION"), "<emph>", False),
    Case(
        "unknown-attribute", "tei-profile", sub('<div type="work">', '<div type="work" style="x">'), 'style="x"', False
    ),
]

VALID_VARIANTS = {
    "no-credit-statement": lambda t: cut(
        t,
        "<respStmt>",
        "</respStmt>",
        '<respStmt>\n          <resp key="trc" ref="http://id.loc.gov/vocabulary/relators/trc">Transcription</resp>\n'
        '          <name>unknown</name>\n          <note type="no-credit">The source names no transcriber.</note>\n        </respStmt>',
    ),
    "mia-credit-added": lambda t: mutate(
        replace_licence_text(t, "Copyleft: Creative Commons (Attribute &amp; Share-alike) marxists.org 2005."),
        "</licence>",
        '</licence>\n          <p n="mia-credit">Please credit the Marxists Internet Archive as your source.</p>',
    ),
    "mia-credit-quoted": lambda t: replace_licence_text(
        t, "Public Domain. Please credit “Marxists’ Internet Archive” as your source."
    ),
    "leap-day": lambda t: mutate(t, '<date when="1923-12">(December', '<date when="1924-02-29">(December'),
}


@pytest.fixture(scope="module")
def case_files(seed_text: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cases")
    files = {c.name: write(folder, f"{c.name}.tei.xml", c.apply(seed_text)) for c in CASES}
    files.update(
        {name: write(folder, f"valid-{name}.tei.xml", change(seed_text)) for name, change in VALID_VARIANTS.items()}
    )
    return files


def test_seed_master_passes_all_layers(seed_text: str, tmp_path: Path) -> None:
    assert check_master(write(tmp_path, "seed.tei.xml", seed_text)) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_exactly_that_rule_at_the_right_place(case: Case, case_files: dict[str, Path]) -> None:
    path = case_files[case.name]
    text = path.read_text(encoding="utf-8")
    problems = check_master(path)
    assert [p.rule for p in problems] == [case.rule], "\n".join(map(str, problems))
    (problem,) = problems
    line = line_of(text, case.at)
    column = text.index(case.at) - text.rfind("\n", 0, text.index(case.at))
    assert (problem.line, problem.column) == (line, column), str(problem)
    shown = str(problem)
    assert "\n" not in shown
    assert shown.startswith(f"{path}:{line}:{column}: error: [{case.rule}] ")
    assert len(problem.message) > 30  # a sentence a person can act on, not a code


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_grammar_requires_what_it_should(case: Case, case_files: dict[str, Path]) -> None:
    """The required parts are required by the RelaxNG profile itself, not only by the rules."""
    tree = parse_master(case_files[case.name].read_bytes(), case.name)
    assert schemas.profile().validate(tree) is case.grammar_valid, schemas.profile().error_log


@pytest.mark.parametrize("name", sorted(VALID_VARIANTS))
def test_valid_variants_pass(name: str, case_files: dict[str, Path]) -> None:
    assert check_master(case_files[name]) == []


def test_every_rule_has_a_case() -> None:
    """A new rule (assert id in mia-tei.sch) must come with its broken document here."""
    sch = etree.parse(str(schemas.schema_path(schemas.RULES_SCH)))
    ids = set(
        sch.xpath("//sch:assert/@id | //sch:report/@id", namespaces={"sch": "http://purl.oclc.org/dsdl/schematron"})
    )
    assert ids and ids == {c.rule for c in CASES} - {"tei-profile"}


def test_tei_all_valid_document_without_attribution_fails_clearly(seed_text: str, tmp_path: Path) -> None:
    """Valid TEI (tei_all, checked in test_subset.py) but no licence and no transcriber."""
    text = cut(
        cut(seed_text, "<respStmt>", "</respStmt>\n      "),
        LICENCE_OPEN,
        "</licence>",
        "<p>Reproduced from the web.</p>",
    )
    path = write(tmp_path, "unattributed.tei.xml", text)
    problems = check_master(path)
    assert [(p.rule, p.line) for p in problems] == [
        ("transcription-credit", line_of(text, "<titleStmt>")),
        ("required-licence", line_of(text, "<publicationStmt>")),
    ], "\n".join(map(str, problems))
    shown = "\n".join(map(str, problems))
    assert "No transcription credit" in shown and "has no licence" in shown


def test_minimal_tei_document_lists_everything_missing(tmp_path: Path) -> None:
    """The TEI Guidelines' smallest document: valid TEI, and nothing an edition needs."""
    path = write(tmp_path, "minimal.tei.xml", MINIMAL_TEI)
    rules = {p.rule for p in check_master(path)}
    assert {
        "required-author",
        "required-licence",
        "required-url",
        "required-source-bibl",
        "required-language",
        "transcription-credit",
    } <= rules


MINIMAL_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Bureaucratism and Factional Groups</title>
      </titleStmt>
      <publicationStmt>
        <p>Found on the web.</p>
      </publicationStmt>
      <sourceDesc>
        <p>A web page.</p>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <creation><date>1923</date></creation>
    </profileDesc>
  </teiHeader>
  <text>
    <body>
      <p>THE QUESTION of groupings and factions in the party has become the pivotal point of the discussion.</p>
    </body>
  </text>
</TEI>
"""


def test_validators_are_safe_from_several_threads(case_files: dict[str, Path]) -> None:
    """Build workers may validate in threads: each thread compiles its own validators."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [case_files[c.name] for c in CASES[:8]] * 3
    alone = {p: [str(x) for x in check_master(p)] for p in set(paths)}
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda p: (p, [str(x) for x in check_master(p)]), paths))
    assert all(problems == alone[p] for p, problems in together)
