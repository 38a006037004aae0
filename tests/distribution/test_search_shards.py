"""The search index in shards (issue 24): a work's shard is fixed by its slug, one changed
work re-indexes its shard only, and the search page merging the shards finds what one
index of every work finds, in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.distribution import search
from pipeline.distribution.library import build_library
from pipeline.distribution.works import collect
from tests.conftest import run_pipeline
from tests.distribution.serve import answer, open_search, served
from tests.distribution.synthetic import make_library, unique_phrase

QUERIES = ["revolution", f'"{unique_phrase(17)}"', "Rosa Luxemburg", "factions", "xyzzyqq", "xyzzyqq revolution"]


@pytest.fixture(scope="module")
def project(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(built, tmp_path_factory.mktemp("shards"), 120)
    run_pipeline("catalog", "--no-search", cwd=root, check=True)  # the pages the search leads to
    return root


def index(project: Path, site: Path, per_shard: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Index the project's works into ``site`` with shards of ``per_shard`` works; the
    shards Pagefind built."""
    monkeypatch.setattr(search, "SHARD_WORKS", per_shard)
    built: list[str] = []
    real = search.build_shard

    def counted(works: list, out: Path, facets: dict) -> None:
        built.append(out.name)
        real(works, out, facets)

    monkeypatch.setattr(search, "build_shard", counted)
    site.mkdir(parents=True, exist_ok=True)
    search.write_index(build_library(collect(project)[0]), site)
    return sorted(built)


def test_shards_split_the_works_and_rebuild_only_what_changed(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    first = index(project, site, 20, monkeypatch)
    assert first == [str(n) for n in range(8)]  # 120+ works, 20 a shard: the next power of two
    listing = (site / "pagefind" / "shards.json").read_text()
    assert all(f'"pagefind/{n}/"' in listing for n in first)
    assert not list((site / "pagefind").glob("*/pagefind-ui.js"))  # Pagefind's own UI is not published
    assert index(project, site, 20, monkeypatch) == []  # nothing changed: nothing indexed

    works = build_library(collect(project)[0]).works
    works[0].meta.title += " (revised)"
    monkeypatch.setattr(search, "SHARD_WORKS", 20)
    shard = next(name for name, members in search.shards_of(build_library(works)).items() if works[0] in members)
    rebuilt: list[str] = []
    real = search.build_shard
    monkeypatch.setattr(search, "build_shard", lambda ws, out, f: (rebuilt.append(out.name), real(ws, out, f)))
    search.write_index(build_library(works), site)
    assert rebuilt == [shard]


def test_merged_shards_find_what_one_index_finds(
    browser, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = project / "editions" / "site"
    found = {}
    for per_shard in (10_000, 16):
        site = tmp_path / f"site-{per_shard}"
        shutil.copytree(pages, site, ignore=shutil.ignore_patterns("pagefind"))
        assert len(index(project, site, per_shard, monkeypatch)) == (1 if per_shard > 1000 else 8)
        context = browser.new_context()
        page = context.new_page()
        try:
            with served(site) as server:
                found[per_shard] = [(q, answer_of(page, server, q)) for q in QUERIES]
        finally:
            context.close()
    assert found[16] == found[10_000], "; ".join(f"{a} | {b}" for a, b in zip(found[16], found[10_000]) if a != b)
    answers = dict(found[16])
    assert answers[QUERIES[1]].startswith("1 work found")
    assert answers["xyzzyqq"].startswith("No works found")
    assert answers["xyzzyqq revolution"].startswith("No works found")  # every word, not any


def answer_of(page, server: str, query: str) -> str:
    open_search(page, server, query)
    return answer(page)


def test_filters_narrow_the_results_to_an_author_year_or_language(
    browser, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    shutil.copytree(project / "editions" / "site", site, ignore=shutil.ignore_patterns("pagefind"))
    index(project, site, 16, monkeypatch)
    context = browser.new_context()
    page = context.new_page()
    try:
        with served(site) as server:
            everything = answer_of(page, server, "revolution")
            page.select_option("#filter-year", "1917")
            narrowed = answer(page)
            years = page.locator("#results li > p:not(.excerpt)").all_inner_texts()
            page.get_by_label("Words or a phrase").fill("")
            page.get_by_role("button", name="Search").click()
            page.wait_for_function("() => /see them all/.test(document.getElementById('status').textContent)")
            link = page.locator("#status a")
            browse = link.get_attribute("href")
    finally:
        context.close()
    total, some = int(everything.split(" ")[0]), int(narrowed.split(" ")[0])
    assert 0 < some < total and narrowed.endswith("for “revolution”, year 1917."), narrowed
    assert len(years) == some and all(y.endswith(", 1917") for y in years), years[:5]
    assert browse == "years/1917.html" and (site / browse).is_file()
