"""An author line split into people, and each resolved to one person of the authority.

The lines are the archive's own (issue 21 lists them as seen): co-authors fused, a role
after the name, life dates inside it, a pen-name phrase, a heading taken for the author.
"""

from __future__ import annotations

import pytest

from pipeline.authors.authority import load
from pipeline.authors.credits import file_as, split_line
from pipeline.authors.resolve import resolve

MURPHY = "https://www.marxists.org/archive/murphy-jt/1930/x.htm"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("J. T. Murphy & R. Page Arnot", ["J. T. Murphy", "R. Page Arnot"]),
        ("Edward Belfort Bax and Harry Quelch", ["Edward Belfort Bax", "Harry Quelch"]),
        ("Karl Marx, Frederick Engels & V. I. Lenin", ["Karl Marx", "Frederick Engels", "V. I. Lenin"]),
        ("Gilles Dauvé / Denis Authier", ["Gilles Dauvé", "Denis Authier"]),
        ("Murphy, J.T.", ["Murphy, J.T."]),
        ("Notes of the Month", []),
        ("Commercial Crises of the Nineteenth Century", []),
        ("PART I THE ECONOMICS OF IMPERIALISM", []),
    ],
)
def test_co_authors_are_separate_people(line: str, names: list[str]) -> None:
    assert [c.name for c in split_line(line)] == names


def test_a_description_after_the_name_is_a_role() -> None:
    (bracketed,) = split_line("J. T. Murphy (Communist Candidate for Central Hackney)")
    assert (bracketed.name, bracketed.role) == ("J. T. Murphy", "Communist Candidate for Central Hackney")
    (run_on,) = split_line("J. T. Murphy Party Representative at the Comintern")
    assert (run_on.name, run_on.role) == ("J. T. Murphy", "Party Representative at the Comintern")


def test_life_dates_in_a_name_are_dates() -> None:
    first, second = split_line("Nikolai Bukharin (1888-1938), Evgenii Preobrazhensky (1886-1937)")
    assert (first.name, first.born, first.died) == ("Nikolai Bukharin", 1888, 1938)
    assert (second.name, second.born, second.died) == ("Evgenii Preobrazhensky", 1886, 1937)


def test_a_pen_name_phrase_records_the_pen_name_beside_the_name() -> None:
    (credit,) = split_line("Bill Hunter writing as “Mark Starr”")
    assert (credit.name, credit.pen_name) == ("Bill Hunter", "Mark Starr")


def test_file_as() -> None:
    assert file_as("J. T. Murphy") == "Murphy, J. T."
    assert file_as("Marcel van der Linden") == "van der Linden, Marcel"


def test_every_spelling_of_one_person_resolves_to_the_one_person() -> None:
    for line in (
        "J. T. Murphy",
        "J.T. Murphy",
        "Murphy, J.T.",
        "J. T. Murphy (Communist Candidate for Central Hackney)",
    ):
        (person,) = resolve(line, MURPHY)
        assert (person.key, person.name, person.file_as) == ("murphy-jt", "J. T. Murphy", "Murphy, J. T.")


def test_co_authors_resolve_to_two_persons_and_the_page_wording_stays() -> None:
    murphy, arnot = resolve("J. T. Murphy & R. Page Arnot", MURPHY)
    assert (murphy.key, arnot.key) == ("murphy-jt", "arnot-page")
    assert arnot.wording == "R. Page Arnot"


def test_a_heading_in_the_author_place_falls_back_to_the_folders_person() -> None:
    (person,) = resolve("Notes of the Month", "https://www.marxists.org/archive/dutt/1930/notes.htm")
    assert person.key == "dutt"


def test_a_pen_name_the_site_files_under_its_owner_resolves_to_the_owner() -> None:
    (person,) = resolve("E. Germain", "https://www.marxists.org/archive/mandel/1950/x.htm")
    assert (person.key, person.name, person.wording) == ("mandel", "Ernest Mandel", "E. Germain")


def test_the_authority_records_life_dates_with_their_source() -> None:
    bax = load().by_folder("bax")
    assert bax is not None
    assert (bax.name, bax.born, bax.died, bax.dates_source) == (
        "Ernest Belfort Bax",
        1854,
        1925,
        "archive/bax/index.htm",
    )
    assert "E. Belfort Bax" in bax.aliases


def test_the_authors_command_writes_one_record_per_person(tmp_path) -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import PROJECT

    out = tmp_path / "authors.json"
    site = PROJECT / "tests" / "archive" / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "authors", str(site), "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    records = {r["key"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert records["murphy-jt"]["name"] == "J. T. Murphy"
    assert records["murphy-jt"]["file_as"] == "Murphy, J. T."
    assert [r["key"] for r in records.values()] == sorted(records)

    bad = subprocess.run(
        [sys.executable, "-m", "pipeline", "authors", str(tmp_path), "--out", str(out)], capture_output=True, text=True
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "no archive/ folder" in bad.stderr


def test_a_breadcrumb_is_no_author_and_a_known_name_run_on_is_the_person() -> None:
    (crumb,) = resolve("History Archive: Soviet Union: Art: Photography", "https://www.marxists.org/history/ussr/x.htm")
    assert crumb.name == "Anonymous"
    (writer,) = resolve("Marxist Writers: Anatoly Lunacharsky", "https://www.marxists.org/reference/x.htm")
    assert (writer.name, writer.file_as) == ("Anatoly Lunacharsky", "Lunacharsky, Anatoly")
    (ransome,) = resolve("Arthur Ransome Russia in", "https://www.marxists.org/history/x.htm")
    assert (ransome.key, ransome.wording, ransome.role) == ("arthur-ransome", "Arthur Ransome", "Russia in")
