"""Encodings: the bytes decide, the declaration is a hint, nothing is replaced silently.

Each trap the census of 9,237 MIA pages found has a page built for it in
tests/fixtures/html/enc-*.htm (see the README there), read end to end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.tei import NS
from pipeline.readers.encoding import canonical, declared_charset, decode
from tests.conftest import run_pipeline
from tests.readers.conftest import FIXTURES, make_source

WORDS = ["café", "—", "naïve,", "séance", "“quoted”", "‘single’", "…", "Müller’s", "Thèses."]


def text_words(tei) -> list[str]:
    return " ".join(tei.xpath("string(//tei:text/tei:body)", namespaces=NS).split()).split()


def encoding_note(tei) -> str:
    return tei.xpath("string(//tei:normalization/tei:p[@n='encoding'])", namespaces=NS)


@pytest.mark.parametrize(
    "name, declared, used",
    [
        ("enc-iso-over-utf8.htm", "iso-8859-1", "utf-8"),  # iso-8859-1 declared over UTF-8 bytes
        ("enc-1252-under-iso.htm", "iso-8859-1", "windows-1252"),  # windows-1252 bytes under iso-8859-1
        ("enc-1252-undeclared.htm", None, "windows-1252"),  # windows-1252 bytes, no declaration
        ("enc-1251-english.htm", "windows-1251", "windows-1252"),  # windows-1251 declared on English text
    ],
)
def test_trap_pages_read_as_a_browser_shows_them(fixture_work, name: str, declared: str | None, used: str) -> None:
    work, tei = fixture_work(name)
    assert (work.encoding_declared, work.encoding_used) == (declared or "none", used)
    words = text_words(tei)
    assert words == ["The", *WORDS], words
    assert encoding_note(tei) == f"Character encoding: declared {declared or 'none'}, decoded as {used}."
    # the reason is recorded with the other cleanings
    assert any("Character encoding" in n.what for n in work.normalizations)
    # the information block's curly quotes came through the same decoding
    assert "Please credit “Marxists Internet Archive” as your source." in work.licences[0].text


def test_utf8_declared_over_latin1_bytes(fixture_work) -> None:
    work, tei = fixture_work("enc-utf8-over-latin1.htm")
    assert (work.encoding_declared, work.encoding_used) == ("utf-8", "iso-8859-1")
    assert text_words(tei) == ["The", "café,", "naïve", "séance,", "Müller", "and", "Thèses", "§", "5."]
    assert any("declared utf-8, but byte 0xe9 at line 17 is not UTF-8" in n.what for n in work.normalizations)


def test_windows_1251_declared_on_russian_is_honoured(fixture_work) -> None:
    work, tei = fixture_work("enc-1251-russian.htm")
    assert work.encoding_used == "windows-1251"
    assert text_words(tei) == ["“English", "quotes”", "and", "Привет", "мир", "—", "товарищи."]


def test_ascii_pages_whatever_they_declare() -> None:
    for label in ("iso-8859-1", "utf-8", "windows-1251", "utf-16", "rtf-8", None):
        meta = f'<meta http-equiv="content-type" content="text/html; charset={label}">' if label else ""
        d = decode(f"<html><head>{meta}</head><body><p>plain &#8220;text&#8221;</p></body></html>".encode("ascii"))
        assert (d.declared, d.used) == (label, "us-ascii")


def test_a_byte_windows_1252_leaves_undefined_is_an_invisible_control_removed_and_recorded(fixture_work) -> None:
    """0x81 is no character of windows-1252; a browser (WHATWG) shows U+0081, i.e. nothing.
    The master is written, without it, and the header says where it was."""
    work, tei = fixture_work("enc-undecodable.htm")
    records = tei.xpath("//tei:normalization/tei:p/text()", namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
    assert any("U+0081 at line 17" in r for r in records), records
    assert "\x81" not in etree.tostring(tei, encoding="unicode")


@pytest.mark.parametrize(
    "name, line, message",
    [
        ("enc-mixed.htm", 18, "mixed encodings: byte 0x93 is not UTF-8, but line 14 column 90 holds UTF-8"),
    ],
)
def test_undecodable_bytes_are_a_located_error(fixture_work, name: str, line: int, message: str) -> None:
    with pytest.raises(PipelineError) as err:
        fixture_work(name)
    assert err.value.line == line
    assert message in err.value.message
    assert Path(str(err.value.path)).name == name


def test_undecodable_page_through_the_command_line(tmp_path: Path) -> None:
    folder = make_source(tmp_path, {"work.htm": (FIXTURES / "enc-mixed.htm").read_bytes()})
    proc = run_pipeline("ingest", str(folder), "-o", str(tmp_path / "out.tei.xml"), cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith(f"{folder / 'work.htm'}:18:") and "error: mixed encodings: byte 0x93" in lines[0]
    assert not (tmp_path / "out.tei.xml").exists()


def test_declarations_found_and_typos_understood() -> None:
    assert declared_charset(b'<?xml version="1.0" encoding="UTF-8"?><html>') == "utf-8"
    assert declared_charset(b'<head><meta charset="windows-1251"></head>') == "windows-1251"
    assert (
        declared_charset(b"<head><meta http-equiv=Content-Type content='text/html; charset=ISO-8859-1'></head>")
        == "iso-8859-1"
    )
    assert declared_charset(b'<head><meta http-equiv="content-type" content="text/html"></head>') is None
    assert declared_charset(b"<head></head><body><p>charset=utf-8 in the text</p>") is None
    for typo, meant in {
        "rtf-8": "utf-8",
        "iutf-8": "utf-8",
        "utf-98": "utf-8",
        "utrf-8": "utf-8",
        "iso8850-1": "windows-1252",
        "iso": "windows-1252",
        "iso-8859": "windows-1252",
        "us-ascii": "windows-1252",
    }.items():
        assert canonical(typo) == meant


def test_byte_order_mark_wins() -> None:
    d = decode(b"\xef\xbb\xbf<html><head><meta charset=iso-8859-1></head><body><p>Th\xc3\xa8ses</p></body></html>")
    assert d.used == "utf-8" and "Thèses" in d.text and not d.text.startswith("\ufeff")


def test_empty_and_binary_files_are_refused() -> None:
    with pytest.raises(PipelineError, match="empty file"):
        decode(b"  \n")
    with pytest.raises(PipelineError, match="binary file") as err:
        decode(b"<html>\n<body>\x00\x01</body>")
    assert (err.value.line, err.value.column) == (2, 7)
