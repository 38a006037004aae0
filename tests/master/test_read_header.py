"""``load_header``: the catalog's header-only read of a master says what ``load`` says.

The catalog decides about every master of the project from its header; it must come to
the same facts (title, credits, licences, ...) as the whole master read, for every work
of the project, and read a master whole when its header cannot be cut out.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.errors import PipelineError
from pipeline.master.read import load, load_header

TEXT_ONLY = {"notes", "parts"}  # counted from the text, which the header read skips


def test_header_read_agrees_with_the_whole_read_for_every_built_work(built: Path) -> None:
    masters = sorted((built / "editions").glob("*/*.tei.xml"))
    assert len(masters) >= 7
    for master in masters:
        whole, header = dataclasses.asdict(load(master)[1]), dataclasses.asdict(load_header(master))
        assert {k: v for k, v in header.items() if k not in TEXT_ONLY} == {
            k: v for k, v in whole.items() if k not in TEXT_ONLY
        }, master
        assert header["notes"] == 0 and header["parts"] == []


def test_a_header_that_cannot_be_cut_out_is_read_whole(seed_master: Path, tmp_path: Path) -> None:
    prefixed = tmp_path / "prefixed.tei.xml"
    data = seed_master.read_bytes().replace(b"<teiHeader>", b'<t:teiHeader xmlns:t="http://www.tei-c.org/ns/1.0">')
    prefixed.write_bytes(data.replace(b"</teiHeader>", b"</t:teiHeader>"))
    assert b"</teiHeader>" not in prefixed.read_bytes()
    assert load_header(prefixed).notes == load(prefixed)[1].notes > 0  # read whole: the notes are counted


def test_a_missing_master_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="no such file"):
        load_header(tmp_path / "absent.tei.xml")
