"""The search bundle is swapped in only whole: a file Pagefind left cut short (seen on a
loaded machine as an empty pagefind-entry.json) makes the index be built again."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.distribution import search
from pipeline.errors import PipelineError


def test_a_whole_bundle_and_a_cut_one(tmp_path: Path) -> None:
    bundle = tmp_path / "pagefind"
    (bundle / "index").mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_text('{"version": "1.5.2", "languages": {}}')
    (bundle / "index" / "en_1.pf_index").write_bytes(b"\x00x")
    assert search.bundle_is_whole(bundle)
    (bundle / "index" / "en_1.pf_index").write_bytes(b"")
    assert not search.bundle_is_whole(bundle)
    (bundle / "index" / "en_1.pf_index").write_bytes(b"x")
    (bundle / "pagefind-entry.json").write_text("")
    assert not search.bundle_is_whole(bundle)


def test_an_index_left_cut_short_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site" / "w"
    site.mkdir(parents=True)
    (site / "index.html").write_text(
        "<html lang=en><body data-pagefind-body><h1>Title</h1><p>words here</p></body></html>"
    )
    real = search._index
    runs: list[int] = []

    def cut_first(site_dir: Path, out: Path) -> None:
        real(site_dir, out)
        runs.append(1)
        if len(runs) == 1:
            (out / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(search, "_index", cut_first)
    search.index_whole(tmp_path / "site", tmp_path / "bundle")
    assert len(runs) == 2 and search.bundle_is_whole(tmp_path / "bundle")


def test_an_index_always_cut_short_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def always_cut(site_dir: Path, out: Path) -> None:
        out.mkdir(parents=True)
        (out / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(search, "_index", always_cut)
    with pytest.raises(PipelineError, match="incomplete search index 3 times"):
        search.index_whole(tmp_path / "site", tmp_path / "bundle")


def test_the_indexer_runs_under_a_memory_ceiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind past its memory limit (here 1 MB resident, less than it needs to start) is
    stopped and fails in one line that names the limit, instead of growing until the
    machine kills it (issue 23: at 30,000 works it reached 22 GB and the catalog hung on
    the dead service)."""
    site = tmp_path / "site" / "w"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<html lang=en><body data-pagefind-body><p>words</p></body></html>")
    monkeypatch.setattr(search, "INDEX_MEMORY_BYTES", 2**20)
    monkeypatch.setattr(search, "WATCH_EVERY", 0.001)
    with pytest.raises(PipelineError, match="more than 1 MB of memory") as raised:
        search.index_whole(tmp_path / "site", tmp_path / "bundle")
    assert "\n" not in str(raised.value)
