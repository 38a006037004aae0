"""The plain-text edition: golden copy of the seed, layout rules, attribution, ASCII, and
every structure the TEI master can hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline.master.attribution import change_summary
from pipeline.master.read import load
from pipeline.master.tei import T
from pipeline.verify.work import verify_work
from pipeline.writers.txt import RULE, WIDTH, render, to_ascii, write_txt
from tests.conftest import PROJECT, SEED, run_pipeline
from tests.editions import make_epub, make_pdf

GOLDEN_MASTER = PROJECT / "tests" / "golden" / f"{SEED}.tei.xml"
GOLDEN_TXT = PROJECT / "tests" / "golden" / f"{SEED}.txt"


@pytest.fixture(autouse=True)
def no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the build date is the master's ingest date


def check_layout(text: str) -> None:
    """UTF-8 text with LF ends, at most 72 columns but for a lone unbreakable word or URL."""
    assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")
    for number, line in enumerate(text.split("\n"), 1):
        assert line == line.rstrip(), f"line {number} has trailing spaces"
        if len(line) > WIDTH:
            assert len(line.split()) <= 2 and "://" in line.split()[-1], (
                f"line {number} is {len(line)} columns: {line!r}"
            )


def test_seed_matches_golden(tmp_path: Path) -> None:
    """To review a change, regenerate: ``python -m pipeline txt tests/golden/trotsky-1923-faction.tei.xml -o tests/golden/trotsky-1923-faction.txt``."""
    out = tmp_path / f"{SEED}.txt"
    write_txt(GOLDEN_MASTER, out)
    assert out.read_bytes() == GOLDEN_TXT.read_bytes()


def test_golden_layout_and_parts() -> None:
    text = GOLDEN_TXT.read_text(encoding="utf-8")
    check_layout(text)
    assert max(len(line) for line in text.split("\n")) <= WIDTH  # the seed has no over-long URL
    title, body, notes, about = text.split(f"\n\n{RULE}\n\n")
    assert title == "Bureaucratism and Factional Groups\n\nLeon Trotsky\n(December 1923)"
    assert body.startswith("THE QUESTION of groupings and factions")
    assert body.endswith("envisage.\n\nLeon TROTSKY\nMoscow, December 1923.")
    assert re.findall(r"\[(\d)\]", body) == [str(n) for n in range(1, 10)]  # markers kept, in order
    assert "prudence.[9]" in body
    assert "workers’ and peasants’" in body and "Lenin – I am" in body  # typographic characters kept
    assert notes.startswith("Notes\n\n[1] Old worker-Bolshevik")
    assert re.findall(r"^\[(\d)\] ", notes, flags=re.M) == [str(n) for n in range(1, 10)]
    for line in notes.split("\n")[2:]:  # a hanging indent under each label
        assert not line or re.match(r"\[\d\] \S", line) or re.match(r"    \S", line), line


def test_attribution_block() -> None:
    text = GOLDEN_TXT.read_text(encoding="utf-8")
    about = text.split(f"\n\n{RULE}\n\n")[-1]
    flat = " ".join(about.split())
    _, meta = load(GOLDEN_MASTER)
    assert about.startswith("About this edition\n")
    (licence,) = meta.licences
    assert f"Licence statement: {licence.text}" in flat  # verbatim
    assert licence.uri in flat and "Public Domain Mark 1.0" in flat
    assert "Marxists Internet Archive" in flat and meta.url in about.split()
    assert "Credit: Transcription, Markup: David Walters (2005-02)" in flat
    assert "Credit as the source states it: Transcribed/HTML Markup: David Walters, February 2005." in flat
    assert "Original publication: Source: New International, New York, Vol.2 No.1, January 1935, pages 16-19." in flat
    assert "made by mia-pipeline 0.1.0 from the TEI master; source retrieved 2026-11-25" in flat
    # the changes summarised for the reader; the master keeps each with its place (issue 20)
    assert f"Editorial changes: {change_summary(meta)}" in flat
    assert "From the web page: " in flat and not any(
        change in flat for change in meta.normalizations if "line " in change
    )


def test_built_by_make_and_verified(built: Path) -> None:
    out = built / "editions" / SEED / f"{SEED}.txt"
    assert out.read_bytes() == GOLDEN_TXT.read_bytes()
    assert verify_work(SEED, built) == []


def test_ascii_edition(tmp_path: Path) -> None:
    proc = run_pipeline("txt", str(GOLDEN_MASTER), "-o", str(tmp_path / "a.txt"), "--ascii", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "a.txt").read_bytes().decode("ascii")
    check_layout(text)
    assert "workers' and peasants'" in text and 'regime of "calm"' in text and "Lenin - I am" in text
    assert "7-bit ASCII transliteration" in text
    assert len(text.split()) >= len(GOLDEN_TXT.read_text(encoding="utf-8").split())  # nothing dropped


def test_to_ascii_table_and_fallback() -> None:
    assert (
        to_ascii("“Naïve” café — déjà vu… ‘x’ «y» Œuvre ½ £5") == "\"Naive\" cafe -- deja vu... 'x' <<y>> OEuvre 1/2 L5"
    )
    assert to_ascii("Ленин") == "<U+041B><U+0435><U+043D><U+0438><U+043D>"  # never dropped silently
    assert to_ascii("plain") == "plain"


def test_reproducible(tmp_path: Path) -> None:
    write_txt(GOLDEN_MASTER, tmp_path / "a.txt")
    write_txt(GOLDEN_MASTER, tmp_path / "b.txt")
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "b.txt").read_bytes()


# ---- everything the TEI can hold ------------------------------------------------------------

LONG_URL = "https://www.marxists.org/archive/nobody/1920/a/very/long/path/that/no/line/can/hold/whole.htm"
RICH_BODY = f"""<body xmlns="http://www.tei-c.org/ns/1.0">
  <div type="part" n="1" xml:id="part-1">
    <head>Part One: The <hi rend="italic">Question</hi></head>
    <p>Words with <hi rend="italic">emphasis</hi>, <hi rend="bold">strength</hi>, a <q>quoted phrase</q>, an editor’s [<supplied reason="editorial">insertion</supplied>], a line<lb/>break, a note <ref type="noteref" target="#note-1">1</ref> and a link to <ref target="{LONG_URL}">{LONG_URL}</ref> here.</p>
    <quote>
      <p>A block quotation, long enough to be wrapped onto a second line of the plain text edition.</p>
    </quote>
    <list rend="numbered">
      <item>First item</item>
      <item>Second item, long enough to wrap onto a second line so that the hanging indent shows.</item>
    </list>
    <list rend="bulleted">
      <item>A bullet</item>
    </list>
    <table>
      <row role="label"><cell>Year</cell><cell>Members</cell></row>
      <row><cell>1917</cell><cell>240,000</cell></row>
    </table>
  </div>
  <div type="part" n="2" xml:id="part-2">
    <head>Part Two</head>
    <p>Ленин wrote of «naïve» hopes<ref type="noteref" target="#note-2">2</ref>.</p>
    <closer>
      <signed>N. Lenin</signed>
      <dateline>Moscow, 1920.</dateline>
    </closer>
  </div>
</body>"""
RICH_NOTES = """<back xmlns="http://www.tei-c.org/ns/1.0"><div type="notes"><head>Notes</head>
  <note xml:id="note-1" n="1" place="end"><p>First paragraph of the note.</p><p>Its second paragraph.</p></note>
  <note xml:id="note-2" n="2" place="end"><p>Second note.</p></note>
</div></back>"""


@pytest.fixture(scope="module")
def rich_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's header over a body using every structure the master can hold."""
    tree = etree.parse(str(GOLDEN_MASTER))
    text = tree.getroot().find(T("text"))
    text.replace(text.find(T("body")), etree.fromstring(RICH_BODY))
    text.replace(text.find(T("back")), etree.fromstring(RICH_NOTES))
    root = tmp_path_factory.mktemp("rich")
    master = root / "editions" / "rich-work" / "rich-work.tei.xml"
    master.parent.mkdir(parents=True)
    tree.write(str(master), xml_declaration=True, encoding="UTF-8")
    return master


def test_rich_structures(rich_master: Path) -> None:
    tei, meta = load(rich_master)
    text = render(tei, meta)
    check_layout(text)
    body = text.split(f"\n\n{RULE}\n\n")[1]
    assert body.startswith(
        "Part One: The _Question_\n\nWords with _emphasis_, *strength*, a “quoted phrase”, an editor’s\n"
        "[insertion], a line\nbreak, a note [1] and a link to\n" + LONG_URL + "\nhere."
    )
    assert (
        "\n\n    A block quotation, long enough to be wrapped onto a second line of\n    the plain text edition.\n\n"
        in body
    )
    assert (
        "\n\n1. First item\n\n2. Second item, long enough to wrap onto a second line so that the\n   hanging indent shows.\n\n* A bullet\n\n"
        in body
    )
    assert (
        "\n\nYear | Members\n1917 | 240,000\n\nPart Two\n\nЛенин wrote of «naïve» hopes[2].\n\nN. Lenin\nMoscow, 1920."
        in body
    )
    notes = text.split(f"\n\n{RULE}\n\n")[2]
    assert notes == "Notes\n\n[1] First paragraph of the note.\n\n    Its second paragraph.\n\n[2] Second note."
    ascii_text = render(tei, meta, ascii_only=True)
    assert "<U+041B><U+0435><U+043D><U+0438><U+043D> wrote of <<naive>> hopes[2]." in ascii_text


def test_rich_editions_verify(rich_master: Path) -> None:
    """The fidelity check reads every structure alike in the master and each edition."""
    folder = rich_master.parent
    root = folder.parent.parent
    write_txt(rich_master, folder / "rich-work.txt")
    write_txt(rich_master, folder / "rich-work.ascii.txt", ascii_only=True)
    make_epub(rich_master, folder / "rich-work.epub")
    make_pdf(rich_master, folder / "rich-work.pdf")
    assert [str(d) for d in verify_work("rich-work", root)] == []
    # and a word lost from a list item of the text edition is found
    path = folder / "rich-work.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("1. First item", "1. item"), encoding="utf-8")
    (d,) = verify_work("rich-work", root)
    assert (d.kind, d.words, d.edition) == ("missing", ["First"], "rich-work.txt")
