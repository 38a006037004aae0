"""The readers scored against works of the real archive read by hand.

tests/readers/hand_sample.json holds seeded random samples of works of the shared
archive (single pages, and an index with the chapters it links to), each labelled by
reading the page (author, title, date, credits by role, licence class and URI, note
count, language); its "draws" say how each sample was drawn. The pipeline must get at
least 98 % of those fields right and must never class free a work the page does not free.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from pipeline import licences
from pipeline.master.model import Work
from pipeline.readers.mia_html.page import plain
from tests.conftest import PROJECT, shared_pages
from tests.readers.conftest import make_source, read_folder

SAMPLE = json.loads((PROJECT / "tests" / "readers" / "hand_sample.json").read_text(encoding="utf-8"))
FIELDS = ("author", "title", "date", "credits", "licence", "uri", "notes", "language")


def key(text: str) -> str:
    """Names and titles compared without case, spacing, quotes or punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def fields_of(work: Work) -> dict:
    credits: dict[str, set[str]] = {}
    for c in work.credits:
        for role in c.roles:
            credits.setdefault(role, set()).add(key(c.name))
    free = bool(work.licences) and all(
        (licences.by_uri(l.uri) or licences.UNDETERMINED).distributable for l in work.licences
    )
    return {
        "author": key(work.author),
        "title": key(plain(work.title)),
        "date": work.date_iso,
        "credits": credits,
        "licence": "free" if free else "not-free",
        "uri": work.licences[0].uri if work.licences else licences.UNDETERMINED.uri,
        "notes": len(work.notes),
        "language": work.language,
    }


def expected_of(label: dict) -> dict:
    return {
        "author": {key(a) for a in ([label["author"]] if isinstance(label["author"], str) else label["author"])},
        "title": {key(t) for t in label["title"]},
        "date": set(label["date"]) if isinstance(label["date"], list) else {label["date"]},
        "credits": {role: {key(n) for n in names} for role, names in label["credits"].items()},
        "licence": label["licence"],
        "uri": label["uri"],
        "notes": label["notes"],
        "language": label["language"],
    }


def pages_of(label: dict) -> list[str]:
    """The site paths of a labelled work: its page, or its index and then its chapters."""
    return [label["path"], *label.get("parts", [])]


@pytest.fixture(scope="session")
def pages(tmp_path_factory) -> Path:
    paths = [p for w in SAMPLE["works"] for p in pages_of(w)]
    return shared_pages(paths, tmp_path_factory.mktemp("hand-sample-site"), "the hand-read sample's pages")


@pytest.fixture(scope="session")
def scored(pages: Path, tmp_path_factory) -> list[tuple[str, str, object, object]]:
    """(path, field, got, expected) for every field of every labelled work."""
    out = []
    base = tmp_path_factory.mktemp("hand-sample-sources")
    for i, label in enumerate(SAMPLE["works"]):
        rel = label["path"]
        files = {Path(p).name: (pages / p).read_bytes() for p in pages_of(label)}
        roles = {Path(p).name: "part" for p in label.get("parts", [])} | (
            {Path(rel).name: "index"} if label.get("parts") else {}
        )
        folder = make_source(base / str(i), files, url=f"https://www.marxists.org/{rel}", roles=roles, slug=f"hand-{i}")
        got = fields_of(read_folder(folder))
        want = expected_of(label)
        for f in FIELDS:
            out.append((rel, f, got[f], want[f]))
    return out


def right(row: tuple) -> bool:
    rel, f, got, want = row
    return got in want if f in ("author", "title", "date") else got == want


def test_at_least_98_percent_of_the_hand_read_fields(scored) -> None:
    wrong = [row for row in scored if not right(row)]
    share = 1 - len(wrong) / len(scored)
    report = "\n".join(f"{rel} {f}: got {got!r}, read {want!r}" for rel, f, got, want in wrong)
    assert share >= 0.98, f"{share:.1%} of {len(scored)} fields right; wrong:\n{report}"


def test_no_work_is_wrongly_classed_free(scored) -> None:
    wrongly_free = [rel for rel, f, got, want in scored if f == "licence" and got == "free" and want == "not-free"]
    assert wrongly_free == []
