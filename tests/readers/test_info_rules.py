"""Layout rules of the information block and the head, each on the words the real pages
print (the hand-read sample, tests/readers/test_hand_sample.py, found them)."""

from __future__ import annotations

import pytest
from lxml import etree

from pipeline.master.model import InfoLine
from pipeline.master.read import read_meta
from pipeline.readers.dates import date_span, iso_date, work_date
from pipeline.readers.infoblock import parse_credit
from pipeline.validation.master import check_bytes

INC = "http://rightsstatements.org/vocab/InC/1.0/"


@pytest.mark.parametrize(
    "text, iso",
    [
        ("(April 1985/March 1987)", "1985-04"),  # first published, then reprinted: the first
        ("(October 1988/July 1996)", "1988-10"),
        ("(December 1968/January 1969)", None),  # a double issue: a span, no one date
        ("(February/March 1970)", "1970"),  # a span of months in one year
        ("(Winter 1966/67)", "1966"),
    ],
)
def test_two_dates_in_turn(text: str, iso: str | None) -> None:
    assert iso_date(text) == iso


@pytest.mark.parametrize(
    "label, value, names",
    [
        ("Translated", "From the German by A.M. Simons.", [("A.M. Simons", ["trl"])]),
        (
            "Translated",
            "from the French by the Ted Crawford and Harry Ratner.",
            [("Ted Crawford", ["trl"]), ("Harry Ratner", ["trl"])],
        ),
        ("Transcribed & Marked up", "by Damon Maxwell in 2009.", [("Damon Maxwell", ["trc", "mrk"])]),
        ("Transcription", "prole.info", [("prole.info", ["trc"])]),
        ("Proofed", "and corrected by Paul Germanotta in 2011.", [("Paul Germanotta", ["pfr"])]),
        ("Translated", "First translated by Angela Clifford in Dec 1975.", [("Angela Clifford", ["trl"])]),
        ("Transcription", "the notes of the editor", []),  # still no name: no capital, no web address
    ],
)
def test_credit_lines(label: str, value: str, names: list) -> None:
    credits = parse_credit(InfoLine(label, value))
    assert [(c.name, c.roles) for c in credits] == names


def test_a_colon_between_numbers_is_no_label(fixture_work) -> None:
    page = """<html><body><h2>Au Thor</h2><h1>A Title</h1>
<p class="info">From <strong>International Socialism</strong> 2&nbsp;:&nbsp;108, Autumn 2005.<br />
Copyright &#169; <strong>International Socialism</strong>.<br />
Marked up by Zed Scribe for the <strong>Marxists&#8217; Internet Archive</strong>.</p>
<p>The text.</p></body></html>"""
    work, _ = fixture_work("work.htm", page.encode("utf-8"))
    assert [(c.name, c.roles) for c in work.credits] == [("Zed Scribe", ["mrk"])]
    assert [l.uri for l in work.licences] == [INC]


def test_the_bylines_year_is_the_date_line(fixture_work) -> None:
    page = b"""<html><body><p class="title">Au Thor 1917</p><h3>A Letter</h3>
<p class="information"><span class="info">Source</span>: a letter, July 24th, 1917;<br />
<span class="info">First published</span>: in English translation, 31 August 2011;</p>
<p>Dear comrades.</p></body></html>"""
    work, _ = fixture_work("work.htm", page)
    # the date line is the byline's year; the block's most precise date in that year, not the translation's
    assert (work.author, work.date_text, work.date_iso) == ("Au Thor", "1917", "1917-07-24")


@pytest.mark.parametrize(
    "text, iso",
    [
        ("1887, revised in 1903. This translation is from the revised edition.", "1887"),
        ("First published in Russian in 1973. English version: Moscow, Progress Publishers 1978.", "1973"),
        ("Militant, special pamphlet, 1971 (1975 reprint)", "1971"),
        ("National Archives HO 144/17487. 13 November1917", "1917-11-13"),  # month and year run together
        ("Date: (1929?)", "1929"),
        ("1927-1931.", None),  # a span, no one date
    ],
)
def test_a_later_edition_is_no_date_of_the_work(text: str, iso: str | None) -> None:
    assert work_date(text) == iso


@pytest.mark.parametrize(
    "text, span",
    [
        ("1927-1931.", ("1927", "1931", "1927-1931")),
        ("Militant, No. 22, December 1966–January 1967", ("1966-12", "1967-01", "December 1966–January 1967")),
        ("vol. 1 no. 2 (December 1956-January 1957)", ("1956-12", "1957-01", "December 1956-January 1957")),
        ("September 1926", None),  # one date
        ("1931-1927", None),  # backwards: no span
        ("(1930 – 2003)", None),  # a life, no work's span
        ("(1955/1974)", None),  # a first date and a later edition's
    ],
)
def test_a_span_of_dates(text: str, span: tuple[str, str, str] | None) -> None:
    assert date_span(text) == span


def _page(block: str) -> bytes:
    return f"""<html><body><h2>Au Thor</h2><h1>A Title</h1>
<p class="information">{block}</p>
<p>The text of the work, long enough to be a work.</p></body></html>""".encode()


@pytest.mark.parametrize(
    "block, words, iso",
    [
        ('<span class="info">Date:</span> September 1926', "September 1926", "1926-09"),
        ('<span class="info">Date:</span> 1941', "1941", "1941"),
        ('<span class="info">Sent:</span> 13 November 1917', "13 November 1917", "1917-11-13"),
        ('<span class="info">Delivered:</span> May 1, 1920', "May 1, 1920", "1920-05-01"),
        ('<span class="info">Source:</span> Militant, special pamphlet, 1971 (1975 reprint)', "1971", "1971"),
        ('<span class="info">Written:</span> 1887, revised in 1903.', "1887, revised in 1903.", "1887"),
    ],
)
def test_a_date_label_dates_the_work(fixture_work, block: str, words: str, iso: str) -> None:
    """Rule *a date label* (issue 20): "Date:", "Sent:", "Delivered:" date the work as "Written:" does,
    in the master's creation date, so no edition says "undated"."""
    work, tei = fixture_work("work.htm", _page(block))
    assert work.date_iso == iso
    (date,) = tei.findall(".//{*}profileDesc/{*}creation/{*}date")
    assert (date.text, date.get("when")) == (words, iso)


def test_a_span_dates_the_work_by_its_first_and_last(fixture_work) -> None:
    """Rule *a span of dates*: "Written: 1927-1931" is a creation date from 1927 to 1931, valid
    in the profile; the editions list the work under its first year."""
    work, tei = fixture_work("work.htm", _page('<span class="info">Written:</span> 1927-1931.'))
    assert (work.date_iso, work.date_span) == (None, ("1927", "1931"))
    (date,) = tei.findall(".//{*}profileDesc/{*}creation/{*}date")
    assert (date.text, date.get("from"), date.get("to"), date.get("when")) == ("1927-1931.", "1927", "1931", None)
    data = etree.tostring(tei, xml_declaration=True, encoding="utf-8")
    assert [p for p in check_bytes(data, "work.tei.xml") if "date" in str(p).lower()] == []
    assert read_meta(tei, "work").year == "1927"


def test_first_published_gives_the_publication_date(fixture_work) -> None:
    """The first publication's date as precisely as the line gives it, in the sourceDesc, and,
    with no date line, the work's date too."""
    block = '<span class="info">First Published:</span> May 1916, The Masses'
    work, tei = fixture_work("work.htm", _page(block))
    (published,) = tei.findall(".//{*}sourceDesc/{*}bibl[@type='first-published']/{*}date")
    assert (published.text, published.get("when")) == ("May 1916, The Masses", "1916-05")
    (created,) = tei.findall(".//{*}profileDesc/{*}creation/{*}date")
    assert (created.text, created.get("when")) == ("May 1916", "1916-05")


def test_a_span_written_with_a_two_digit_end_year_dates_the_work() -> None:
    """archive/history/gatt/index.htm: "Written: 1948-66;" was read as no date at all (the
    work "undated"); a written line's span may be longer than a citation's."""
    from pipeline.readers.dates import MAX_SPAN_YEARS, MAX_WRITTEN_SPAN_YEARS, date_span

    assert date_span("1948-66;", MAX_WRITTEN_SPAN_YEARS) == ("1948", "1966", "1948-66")
    assert date_span("1948-66;", MAX_SPAN_YEARS) is None  # in a citation, eighteen years apart are two dates
    assert date_span("1917-18") == ("1917", "1918", "1917-18")
    assert date_span("1990-85") is None and date_span("pp. 12-14") is None
