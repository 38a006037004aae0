"""The editor's rulings: a ruling on a work, an author or a URL prefix decides, either way,
recorded in the master; a ruling made on other sources does not apply and is listed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from lxml import etree

from pipeline import jsonschemas
from pipeline.master.read import read_meta
from pipeline.master.write import serialize
from pipeline.rights import report
from tests.conftest import run_pipeline
from tests.rights.conftest import make_project, make_source, site_with, weigh

BAX = {  # E. Belfort Bax, "Compulsion", Justice, 1 July 1915: public domain by rule
    "slug": "bax-1915-compulsion",
    "url": "https://www.marxists.org/archive/bax/1915/07/compulsion.htm",
    "language": "en",
    "files": [
        {
            "path": "compulsion.htm",
            "sha256": "",  # filled from the page below
            "role": "main",
            "url": "https://www.marxists.org/archive/bax/1915/07/compulsion.htm",
        }
    ],
}


@pytest.fixture
def bax(tmp_path: Path) -> dict:
    site = site_with(["archive/bax/1915/07/compulsion.htm"], tmp_path / "site")
    entry = json.loads(json.dumps(BAX))
    entry["files"][0]["sha256"] = hashlib.sha256((site / "archive/bax/1915/07/compulsion.htm").read_bytes()).hexdigest()
    entry["site"] = str(site)
    return entry


def ruling(decision: str, sha: str, **target: str) -> dict:
    return {
        **target,
        "decision": decision,
        "reason": "a test ruling",
        "by": "A. Editor",
        "date": "2026-12-02",
        "sources": {"bax-1915-compulsion": [sha]},
    }


def meta_of(root: Path, entry: dict):
    work = weigh(root, make_source(root, entry, Path(entry["site"])))
    return read_meta(etree.fromstring(serialize(work, 0)), work.slug)


def test_without_a_ruling_the_rule_publishes_bax(tmp_path: Path, bax: dict) -> None:
    meta = meta_of(make_project(tmp_path / "p"), bax)
    assert meta.distributable and meta.rights.by_rule and meta.rights.ruling is None


@pytest.mark.parametrize(
    "target", [{"work": "bax-1915-compulsion"}, {"author": "bax"}, {"prefix": "https://www.marxists.org/archive/bax/"}]
)
def test_a_withhold_ruling_on_a_work_an_author_or_a_prefix_withholds(tmp_path: Path, bax: dict, target: dict) -> None:
    sha = bax["files"][0]["sha256"]
    meta = meta_of(make_project(tmp_path / "p", [ruling("withhold", sha, **target)]), bax)
    assert not meta.distributable
    assert meta.rights.ruling is not None and meta.rights.ruling[0] == "withhold"
    assert "A. Editor" in meta.rights.ruling[1] and "a test ruling" in meta.rights.ruling[1]
    assert (meta.refusal_reason or "").startswith("withheld by the editor's ruling")
    assert report.group_of(meta) == "ruling-withhold"


def test_a_publish_ruling_publishes_a_work_the_rule_withholds(tmp_path: Path, bax: dict) -> None:
    sha = bax["files"][0]["sha256"]
    root = make_project(tmp_path / "p", [ruling("publish", sha, work="bax-1915-compulsion")], rule_year=1990)
    meta = meta_of(root, bax)
    assert not meta.rights.by_rule  # in 1990 Bax had not been dead 70 years
    assert meta.distributable and meta.rights.ruling is not None and meta.rights.ruling[0] == "publish"


def test_the_most_specific_ruling_decides(tmp_path: Path, bax: dict) -> None:
    sha = bax["files"][0]["sha256"]
    rulings = [
        ruling("withhold", sha, prefix="https://www.marxists.org/archive/"),
        ruling("publish", sha, work=bax["slug"]),
    ]
    meta = meta_of(make_project(tmp_path / "p", rulings, rule_year=1990), bax)
    assert meta.distributable


def test_a_ruling_made_on_other_sources_does_not_apply_and_says_so(tmp_path: Path, bax: dict) -> None:
    root = make_project(tmp_path / "p", [ruling("withhold", "0" * 64, work="bax-1915-compulsion")])
    meta = meta_of(root, bax)
    assert meta.rights.ruling is None and meta.distributable  # the rule publishes it; the stale ruling is void
    assert meta.rights.stale_rulings and "changed since it was made" in meta.rights.stale_rulings[0]
    assert report.stale_against_sources(root)  # listed before any build, from the manifests
    (root / "editions").mkdir()
    proc = run_pipeline("rights", cwd=root)
    assert proc.returncode == 1 and "STALE RULINGS" in proc.stdout and "stale ruling" in proc.stderr


def test_pipeline_rights_lists_the_rule_and_its_evidence(tmp_path: Path, bax: dict) -> None:
    root = make_project(tmp_path / "p", [])
    make_source(root, bax, Path(bax["site"]))
    run_pipeline("build", "--masters-only", cwd=root, check=True)
    proc = run_pipeline("rights", "--json", "rights.json", cwd=root, check=True)
    assert "Public domain by rule: 1" in proc.stdout
    assert "Ernest Belfort Bax died in 1925 (archive/bax/index.htm)." in proc.stdout
    assert "First published in 1915 (Information: E. Belfort Bax, Compulsion, Justice, 1st July 1915" in proc.stdout
    data = json.loads((root / "rights.json").read_text(encoding="utf-8"))
    assert data["totals"]["public_domain_by_rule"] == 1
    proc = run_pipeline("rights", "--sources-of", "author:bax", cwd=root, check=True)
    assert json.loads(proc.stdout) == {"bax-1915-compulsion": [bax["files"][0]["sha256"]]}
    assert "public domain by rule" in run_pipeline("rights", "--help", cwd=root, check=True).stdout


def test_a_bad_rulings_file_is_one_line_naming_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "editorial" / "rulings.json").write_text('{"rulings": [{"work": "x", "decision": "maybe"}]}')
    (root / "editions").mkdir()
    proc = run_pipeline("rights", cwd=root)
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1
    assert "rulings.json" in proc.stderr and "rulings.schema.json" in proc.stderr


def test_the_committed_editorial_files_follow_their_schemas() -> None:
    from tests.conftest import PROJECT

    rulings = json.loads((PROJECT / "editorial" / "rulings.json").read_text(encoding="utf-8"))
    assert jsonschemas.errors("rulings.schema.json", rulings) == []
    authors = json.loads((PROJECT / "tests" / "rights" / "authors.json").read_text(encoding="utf-8"))
    assert jsonschemas.errors("authors.schema.json", authors) == []
