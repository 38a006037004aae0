"""The one attribution model: every form carries the facts the MIA's terms require, in
its order, each fact worded once; a fact the master lacks is left out."""

from __future__ import annotations

import dataclasses

from pipeline.master.attribution import Form, attribution, display_date, made
from pipeline.master.read import EditionMeta, load
from tests.conftest import PROJECT, SEED

GOLDEN_MASTER = PROJECT / "tests" / "golden" / f"{SEED}.tei.xml"


def seed() -> EditionMeta:
    return load(GOLDEN_MASTER)[1]


def keys(meta: EditionMeta, form: Form, edition: str | None = None) -> list[str]:
    return [item.key for item in attribution(meta, form, edition)]


def test_each_form_in_its_order() -> None:
    meta = seed()
    assert keys(meta, "colophon", "x") == [
        "author",
        "title",
        "date",
        "publication",
        "source",
        "credits",
        "credit-statements",
        "licence",
        "changes",
        "edition",
    ]
    assert keys(meta, "text", "x") == [
        "title",
        "author",
        "date",
        "publication",
        "first-published",
        "source",
        "credits",
        "credit-statements",
        "licence",
        "licence-statement",
        "changes",
        "mia-updated",
        "edition",
    ]
    assert keys(meta, "listing") == ["author", "date", "publication", "source", "credits", "licence"]


def test_the_forms_share_the_words_of_a_fact() -> None:
    meta = seed()
    forms: tuple[Form, ...] = ("colophon", "text", "listing")
    by_form = {form: {i.key: i for i in attribution(meta, form)} for form in forms}
    (credit,) = meta.credits
    for form, items in by_form.items():
        assert [v.text for v in items["credits"].values] == [credit.line], form
        assert items["source"].values[0].href == meta.url, form
        assert items["licence"].values[0].rel == "license", form
    assert by_form["colophon"]["publication"] == by_form["listing"]["publication"]
    (licence,) = meta.licences
    assert by_form["colophon"]["licence"].values[0].plain == f"{licence.text} ({licence.name}: {licence.uri})"


def test_missing_facts_are_left_out_and_the_no_credit_statement_stands_for_credits() -> None:
    meta = dataclasses.replace(
        seed(),
        credits=[],
        no_credit_statement="No transcriber named.",
        date_text=None,
        date_iso=None,
        source_statement=None,
        first_published=None,
        url="",
        normalizations=[],
    )
    assert keys(meta, "listing") == ["author", "no-credit", "licence"]
    assert "date" not in keys(meta, "colophon") and "changes" not in keys(meta, "colophon")
    assert "source" in keys(meta, "colophon")  # an edition always names its source
    assert display_date(meta) is None


def test_how_the_edition_was_made() -> None:
    meta = dataclasses.replace(seed(), pipeline_version="0.0.1")
    assert meta.retrieved == "2026-11-25"  # the master's sourceDesc: when the MIA page was read
    assert made(meta, "colophon", "2023-11-14").endswith(
        "from the TEI master (ingested by mia-pipeline 0.0.1); source retrieved 2026-11-25."
    )
    assert made(meta, "text", "2023-11-14", "plain text, UTF-8") == (
        "plain text, UTF-8; built 2023-11-14 by mia-pipeline 0.0.1 from the TEI master; source retrieved 2026-11-25."
    )
    # without SOURCE_DATE_EPOCH an edition has no date of its own: the retrieval date is not called a build date
    undated = made(meta, "colophon", None)
    assert undated.startswith("Made by mia-pipeline") and "Built" not in undated and "2026-11-25" in undated
