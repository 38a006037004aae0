"""``python -m pipeline serve``: the library over HTTP; an OPDS search of any words (issue 24:
"OpenSearch answers any query a reader types") answered from the one-word feeds, valid
OPDS 1.2 (jing) and 2.0 (the official schemas), every word required."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import etree

from pipeline.distribution.server import serve
from tests.conftest import jing, run_pipeline
from tests.distribution.helpers import opds_1_2_schema
from tests.distribution.synthetic import make_library

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(built, tmp_path_factory.mktemp("serve"), 60)
    run_pipeline("catalog", "--no-search", cwd=root, check=True)
    return root / "editions" / "site"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    httpd = serve(site, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        body: bytes = answer.read()
        return body


def atom_ids(data: bytes) -> list[str]:
    return [e.findtext(f"{ATOM}id") or "" for e in etree.fromstring(data).iter(f"{ATOM}entry")]


def word_ids(site: Path, word: str) -> set[str]:
    pages = sorted((site / "opds" / "search").glob(f"{word}*.xml"))
    return {i for p in pages if p.stem == word or p.stem.startswith(f"{word}-") for i in atom_ids(p.read_bytes())}


def test_any_words_are_answered_with_the_works_holding_them_all(site: Path, server: str, tmp_path: Path) -> None:
    both = word_ids(site, "rosa") & word_ids(site, "luxemburg")
    assert both and word_ids(site, "luxemburg") - both or both  # the query narrows or equals
    answer = get(server + "opds/search/" + quote("Rosa  LUXEMBURG") + ".xml")
    assert set(atom_ids(answer)) == both
    (tmp_path / "answer.xml").write_bytes(answer)
    checked = jing(opds_1_2_schema(), tmp_path / "answer.xml")
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout[:2000]
    assert atom_ids(get(server + "opds/search/" + quote("luxemburg xyzzyqq") + ".xml")) == []


def test_the_json_answer_is_valid_opds_2(site: Path, server: str) -> None:
    from tests.distribution.test_catalogs import load_opds2_validator

    data = json.loads(get(server + "opds/search/" + quote("Rosa Luxemburg") + ".json"))
    errors = list(load_opds2_validator().make_validator("feed").iter_errors(data))
    assert not errors, errors[0].message
    found = {p["metadata"]["identifier"] for p in data["publications"]}
    assert found == word_ids(site, "rosa") & word_ids(site, "luxemburg")
    empty = json.loads(get(server + "opds/search/xyzzyqq.json"))
    assert not list(load_opds2_validator().make_validator("feed").iter_errors(empty)) and "publications" not in empty


def test_the_site_itself_is_served_as_it_is(site: Path, server: str) -> None:
    assert get(server + "catalog.xml") == (site / "catalog.xml").read_bytes()
    assert get(server + "opds/search/luxemburg.xml") == (site / "opds/search/luxemburg.xml").read_bytes()


def test_serve_without_a_library_says_what_to_run(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "serve", "--port", "0"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "no library to serve; run `make`" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
