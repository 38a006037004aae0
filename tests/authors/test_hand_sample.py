"""The authors of 60 works of the real archive, read by hand, against the pipeline (issue 21).

tests/data/authors-sample.json holds a seeded random sample of the works ``import`` finds
in the shared archive, each with what its page says ("read") and the persons that is, by
display name and sort name. Each work is read by the reader, written as a master and read
back as the editions read it (:func:`pipeline.master.read.read_meta`): its persons must be
the ones read by hand, in order, with their file-as. At least 59 of 60 right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from pipeline.master.read import read_meta
from pipeline.master.write import serialize
from tests.conftest import PROJECT, shared_pages
from tests.readers.conftest import make_source, read_folder

SAMPLE = json.loads((PROJECT / "tests" / "data" / "authors-sample.json").read_text(encoding="utf-8"))


def pages_of(label: dict) -> list[str]:
    return [label["path"], *label["parts"]]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    paths = [p for w in SAMPLE["works"] for p in pages_of(w)]
    return shared_pages(paths, tmp_path_factory.mktemp("authors-sample-site"), "the hand-read authors")


def persons_of(pages: Path, base: Path, i: int, label: dict) -> list[dict[str, str]]:
    rel = label["path"]
    files = {Path(p).name: (pages / p).read_bytes() for p in pages_of(label)}
    roles = {Path(p).name: "part" for p in label["parts"]} | ({Path(rel).name: "index"} if label["parts"] else {})
    folder = make_source(base / str(i), files, url=f"https://www.marxists.org/{rel}", roles=roles, slug=f"au-{i}")
    meta = read_meta(etree.fromstring(serialize(read_folder(folder), 0)), f"au-{i}")
    return [{"name": p.name, "file_as": p.file_as} for p in meta.people]


def test_at_least_59_of_60_works_name_their_authors_as_read_by_hand(pages: Path, tmp_path: Path) -> None:
    works = SAMPLE["works"]
    assert len(works) == 60
    wrong = []
    for i, label in enumerate(works):
        got = persons_of(pages, tmp_path, i, label)
        if got != label["authors"]:
            wrong.append(f"{label['path']}: got {got}, read {label['authors']} ({label['read']})")
    assert len(wrong) <= 1, f"{60 - len(wrong)} of 60 right; wrong:\n" + "\n".join(wrong)
