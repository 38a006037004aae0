"""The work page as a reader reads it (issue 24): each label once, a date where the page
says "Written", the word count and reading time, and the site's icon on every page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import html

from pipeline.distribution.page import extent, is_date, reader_items
from pipeline.distribution.works import words_of
from pipeline.master.read import load
from tests.conftest import SEED


def terms_and_values(items) -> list[tuple[str, str]]:
    return [(item.term, value.plain) for item in items for value in item.values]


def test_original_publication_does_not_repeat_its_label(seed_master: Path) -> None:
    _, meta = load(seed_master)
    assert meta.source_statement and meta.source_statement.startswith("Source: ")
    facts = terms_and_values(reader_items(meta))
    publication = [v for t, v in facts if t == "Original publication"]
    assert publication == [meta.source_statement.removeprefix("Source: ")]
    assert ("First published", "1935 [in English].") in facts
    assert not any(v.casefold().startswith(("source:", "first published:")) for t, v in facts if t != "Source")
    assert ("Written", "December 1923") in facts and not any(t == "Author" for t, _ in facts)


def test_a_description_in_written_is_not_shown_as_the_date(seed_master: Path) -> None:
    _, meta = load(seed_master)
    speech = dataclasses.replace(meta, date_text="Speech to the 11th Party Congress, 1922", date_iso="1922-03-27")
    facts = terms_and_values(reader_items(speech))
    assert ("Written", "27 March 1922") in facts
    assert ("As the source dates it", "Speech to the 11th Party Congress, 1922") in facts
    assert is_date("(c. March 1922)".strip("()")) and not is_date("Written in prison, 1918")
    assert is_date("Undated") and ("Written", "undated") in terms_and_values(
        reader_items(dataclasses.replace(meta, date_text="undated", date_iso=None))
    )


def test_word_count_reading_time_and_icon(editions: Path, seed_master: Path) -> None:
    words = len(words_of(seed_master).split())
    assert 2000 < words < 6000  # the text and its notes, not the header
    page = html.parse(str(editions / SEED / "index.html")).getroot()
    assert page.xpath("string(//p[@class='extent'])") == extent(words)
    assert extent(words).endswith("minutes to read") and extent(60_000) == "60,000 words, about 4 h 13 min to read"
    labels = page.xpath("//dl[@class='attribution']/dt/text()")
    assert len(labels) == len(set(labels)) and "Original publication" in labels
    for rel in ("index.html", f"{SEED}/index.html", "search.html", "authors/index.html"):
        icon = html.parse(str(editions / rel)).getroot().xpath("//link[@rel='icon']/@href")
        assert icon and icon[0].startswith("data:image/svg+xml,"), rel
