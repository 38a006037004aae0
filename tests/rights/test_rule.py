"""Public domain by rule, over real pages of the shared archive.

``rule_sample.json`` holds a seeded random sample of 40 of the works the rule publishes
over the whole shared archive (``bench/rights_census.py``), each checked by hand against
the rule (the author's death year on the author's index page, the publication year in the
page's own line, no translator, the language the author wrote in), with the evidence the
master must record. ``lookalikes.json`` holds real works that miss one condition each.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.rights import rule
from tests.rights.conftest import AUTHORS, HERE, SITE_URL, make_project, make_source, site_paths, site_with, weigh

SAMPLE = json.loads((HERE / "rule_sample.json").read_text(encoding="utf-8"))
LOOKALIKES = json.loads((HERE / "lookalikes.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_with(
        site_paths([*SAMPLE["works"], *LOOKALIKES["works"], LOOKALIKES["base"]]), tmp_path_factory.mktemp("site")
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("project"))


def test_the_sample_is_40_works_drawn_by_a_seed() -> None:
    assert len(SAMPLE["works"]) == 40 and "random.Random(" in SAMPLE["draw"]


@pytest.mark.parametrize("entry", SAMPLE["works"], ids=lambda e: e["slug"])
def test_forty_of_forty_are_public_domain_by_rule_on_the_evidence_read_by_hand(
    entry: dict, site: Path, project: Path
) -> None:
    work = weigh(project, make_source(project, entry, site))
    assert work.rights is not None and work.rights.public_domain, work.rights and work.rights.unmet
    evidence = "\n".join(work.rights.evidence)
    for name, died in entry["deaths"]:
        assert f"{name} died in {died} (archive/" in evidence
        assert rule.LIFE_YEARS < 2026 - died
    year, line = entry["published"]
    assert f"First published in {year} ({line}" in evidence and 2026 - year > rule.PUBLICATION_YEARS
    assert f"Written in {entry['language_name']}: no translator named" in evidence


@pytest.mark.parametrize("entry", LOOKALIKES["works"], ids=lambda e: e["slug"])
def test_real_lookalikes_missing_one_condition_stay_withheld(entry: dict, site: Path, project: Path) -> None:
    work = weigh(project, make_source(project, entry, site))
    assert work.rights is not None and not work.rights.public_domain
    assert [key for key, _ in work.rights.unmet] == entry["misses"]


def bax_with(tmp: Path, site: Path, **changes: object) -> list[tuple[str, str]]:
    """The Bax page of the sample weighed with Bax's authority record changed."""
    persons = json.loads(AUTHORS.read_text(encoding="utf-8"))
    for person in persons:
        if person["key"] == "bax":
            person.update(changes)
    root = make_project(tmp)
    (root / "editorial" / "authors.json").write_text(json.dumps(persons), encoding="utf-8")
    work = weigh(root, make_source(root, LOOKALIKES["base"], site))
    assert work.rights is not None
    return work.rights.unmet


def test_an_author_who_died_in_1967_stays_withheld(tmp_path: Path, site: Path) -> None:
    assert [k for k, _ in bax_with(tmp_path, site, died=1967)] == ["died-recently"]


def test_an_author_whose_dates_are_unknown_stays_withheld(tmp_path: Path, site: Path) -> None:
    assert [k for k, _ in bax_with(tmp_path, site, born=None, died=None, dates_source=None)] == ["dates-unknown"]


def test_a_work_first_published_in_1935_stays_withheld(tmp_path: Path, site: Path) -> None:
    """The Bax page with its citation's year made 1935 (its sha256 then differs: a new source)."""
    base = LOOKALIKES["base"]
    page = (site / base["url"].removeprefix(SITE_URL)).read_bytes().replace(b"1st July 1915", b"1st July 1935")
    entry = {**base, "files": [{**base["files"][0], "sha256": hashlib.sha256(page).hexdigest()}]}
    variant = tmp_path / "variant"
    (variant / base["url"].removeprefix(SITE_URL)).parent.mkdir(parents=True)
    (variant / base["url"].removeprefix(SITE_URL)).write_bytes(page)
    root = make_project(tmp_path / "p")
    work = weigh(root, make_source(root, entry, variant))
    assert work.rights is not None and [k for k, _ in work.rights.unmet] == ["published-recently"]
    assert "First published in 1935 (Information: E. Belfort Bax, Compulsion, Justice, 1st July 1935" in "".join(
        work.rights.evidence
    )


def test_dates_without_their_source_are_not_evidence(tmp_path: Path, site: Path) -> None:
    assert [k for k, _ in bax_with(tmp_path, site, dates_source=None)] == ["dates-unknown"]


def test_an_author_the_authority_does_not_say_wrote_in_english_stays_withheld(tmp_path: Path, site: Path) -> None:
    assert [k for k, _ in bax_with(tmp_path, site, languages=["de"])] == ["language"]


def test_the_rule_year_is_pinned_not_the_clock(tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # 1970: the pinned year still wins
    assert rule.rule_year(2026, "2026-03-01") == rule.RuleYear(2026, "the year pinned in editorial/rulings.json")
    assert rule.rule_year(None, "2026-03-01").year == 1970
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert rule.rule_year(None, "2024-03-01") == rule.RuleYear(2024, "the year the source was retrieved")
    assert rule.rule_year(None, None) is None


def test_persons_of_resolves_by_name_then_by_folder_never_a_namesake() -> None:
    from pipeline.authors.authority import Authority, Person
    from pipeline.authors.resolve import resolve
    from pipeline.master.model import Work

    def persons_of(line: str, url: str, authority: Authority) -> list:
        """The rule's persons of a work whose reader resolved ``line`` (``Work.authors``), and of
        a work whose authors were not resolved (the rule resolves its line): the same."""
        resolved = rule.persons_of(
            Work(slug="x", url=url, language="en", title=[], author=line, authors=resolve(line, url, authority)),
            authority,
        )
        assert rule.persons_of(Work(slug="x", url=url, language="en", title=[], author=line), authority) == resolved
        return resolved

    authority = Authority()
    authority.add(Person("murphy-jt", "J. T. Murphy", "Murphy, J. T.", 1888, 1965, "x", ("en",), (), ("murphy-jt",)))
    authority.add(Person("marx", "Karl Marx", "Marx, Karl", 1818, 1883, "x", ("de",), (), ("marx",)))
    url = "https://www.marxists.org/archive/murphy-jt/1924/x.htm"
    [(_, found)] = persons_of("J. T. Murphy (Communist Candidate for Central Hackney)", url, authority)
    assert found is not None and found.key == "murphy-jt"
    pair = persons_of("J. T. Murphy & R. Page Arnot", url, authority)
    assert [p.key if p else None for _, p in pair] == ["murphy-jt", None]  # a co-author unknown: not public domain
    [(_, namesake)] = persons_of("Jenny Marx", "https://www.marxists.org/archive/marx/x.htm", authority)
    assert namesake is None
    [(_, folder)] = persons_of("", url, authority)  # no author line: the folder's person, as the master says
    assert folder is not None and folder.key == "murphy-jt"
    assert persons_of("", "https://www.marxists.org/history/x.htm", authority) == [("Anonymous", None)]  # unsigned
