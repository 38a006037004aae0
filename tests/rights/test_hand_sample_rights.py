"""The 100-work hand sample of issue 14 (tests/readers/hand_sample.json) weighed as ingest
weighs it, with the rule and the shared archive's author authority: no work the page does
not free is classed free, except those the rule publishes, each checked by hand here."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import licences
from tests.readers.conftest import make_source
from tests.rights.conftest import make_project, site_with, weigh

SAMPLE = json.loads((Path(__file__).parent.parent / "readers" / "hand_sample.json").read_text(encoding="utf-8"))

# Read by hand against the rule: E. Belfort Bax wrote in English and died in 1926 (his index
# page says 1925); no translator; the information line cites the first publication.
BY_RULE_BY_HAND = {
    "archive/bax/1884/01/schoolboards.htm": "Progress, January 1884",
    "archive/bax/1893/04/saws.htm": "Justice, 15th April, 1893",
}


def test_only_works_public_domain_by_rule_read_by_hand_join_the_free_ones(tmp_path: Path) -> None:
    paths = [p for w in SAMPLE["works"] for p in [w["path"], *w.get("parts", [])]]
    site = site_with(paths, tmp_path / "site")
    root = make_project(tmp_path / "project")
    by_rule, wrongly_free = {}, []
    for i, label in enumerate(SAMPLE["works"]):
        rel = label["path"]
        files = {Path(p).name: (site / p).read_bytes() for p in [rel, *label.get("parts", [])]}
        roles = {Path(p).name: "part" for p in label.get("parts", [])} | (
            {Path(rel).name: "index"} if label.get("parts") else {}
        )
        folder = make_source(root, files, url=f"https://www.marxists.org/{rel}", roles=roles, slug=f"hand-{i}")
        work = weigh(root, folder)
        free = bool(work.licences) and all(
            (licences.by_uri(l.uri) or licences.UNDETERMINED).distributable for l in work.licences
        )
        if work.rights is not None and work.rights.public_domain and not work.licences:
            by_rule[rel] = work.rights.evidence
        elif free and label["licence"] == "not-free":
            wrongly_free.append(rel)
    assert wrongly_free == []
    assert sorted(by_rule) == sorted(BY_RULE_BY_HAND)
    for rel, line in BY_RULE_BY_HAND.items():
        assert any(line in fact for fact in by_rule[rel]), by_rule[rel]
