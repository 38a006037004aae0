"""Layout rules of the information block and the head, each on the words the real pages
print (the hand-read sample, tests/readers/test_hand_sample.py, found them)."""

from __future__ import annotations

import pytest

from pipeline.master.model import InfoLine
from pipeline.readers.dates import iso_date
from pipeline.readers.infoblock import parse_credit

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
