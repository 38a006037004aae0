"""The source check: a master that lacks a word its page shows fails ingest, located;
broken markup (an unclosed table, an unclosed list, a stray </div>) loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.fidelity.source import check, losses, page_tokens
from pipeline.ingest import ingest
from pipeline.validation.master import check_master
from tests.conftest import run_pipeline
from tests.readers.conftest import make_source

TEI = "http://www.tei-c.org/ns/1.0"

BROKEN = b"""<html><head><title>Broken</title></head><body>
<h2>Au Thor</h2>
<h1>A Broken Page</h1>
<p class="information"><span class="info">Source:</span> The Weekly, 1910.<br>
<span class="info">Transcription:</span> Ann Other<br>
<span class="info">Public Domain:</span> Marxists Internet Archive (2005). You may freely copy, distribute, display and perform this work; as well as make derivative and commercial works. Please credit "Marxists Internet Archive" as your source.</p>
<p>The first paragraph stands before the broken table.</p>
<table width="80%"><tr><td>alpha cell words</td><td>beta cell words
<p>Gamma paragraph inside the cell that never closes.</p>
<ul><li>delta item one<li>epsilon item two
<p>Zeta paragraph after the unclosed list.</p></div></div>
<p>Eta paragraph after a stray closing div.</p>
<p>Theta the last paragraph of the work, some 2,700 words were lost here once.</p>
</body></html>
"""


def words(text: str) -> list[str]:
    return [w.lower() for w in text.split()]


def test_broken_markup_loses_no_word(tmp_path: Path) -> None:
    folder = make_source(tmp_path, {"work.htm": BROKEN})
    out = ingest(folder, tmp_path / "work.tei.xml")
    assert check_master(out) == []
    tei = etree.parse(str(out)).getroot()
    body = " ".join(" ".join(tei.find(f".//{{{TEI}}}body").itertext()).split())
    for phrase in (
        "first paragraph",
        "alpha cell words",
        "beta cell words",
        "Gamma paragraph inside the cell",
        "delta item one",
        "epsilon item two",
        "Zeta paragraph after",
        "Eta paragraph after a stray",
        "Theta the last paragraph",
    ):
        assert phrase in body, phrase
    assert losses([folder / "work.htm"], tei) == []


def test_a_lost_word_fails_with_file_line_and_context(tmp_path: Path) -> None:
    """A master from which a reader dropped a paragraph: the check names the page, the
    line of the first lost word and the words around it."""
    folder = make_source(tmp_path, {"work.htm": BROKEN})
    out = ingest(folder, tmp_path / "work.tei.xml")
    data = out.read_bytes()
    assert b"Eta paragraph after a stray closing div." in data
    with pytest.raises(PipelineError) as err:
        check([folder / "work.htm"], data.replace(b"Eta paragraph after a stray closing div.", b""))
    assert (Path(str(err.value.path)).name, err.value.line) == ("work.htm", 12)
    assert err.value.message.startswith(
        "the master lost 6 word(s) the page shows: 'Eta after stray closing div paragraph'"
    )
    assert "after the unclosed list Eta paragraph after a stray closing div Theta" in err.value.message


def test_a_removal_the_header_does_not_record_is_a_loss(tmp_path: Path) -> None:
    """Furniture is excused only by the header's record of its removal (its line)."""
    page = BROKEN.replace(
        b"<h2>Au Thor</h2>", b'<p class="toplink"><a href="../index.htm">Collected Writings</a></p>\n<h2>Au Thor</h2>'
    )
    folder = make_source(tmp_path, {"work.htm": page})
    out = ingest(folder, tmp_path / "work.tei.xml")
    data = out.read_bytes()
    assert losses([folder / "work.htm"], etree.fromstring(data)) == []
    record = b'<p n="artifact">Removed breadcrumbs and links at the top of the page (p.toplink) (line 2).</p>'
    assert record in data
    (loss,) = losses([folder / "work.htm"], etree.fromstring(data.replace(record, b"")))
    assert loss.words == ["Collected", "Writings"] and loss.line == 2


def test_words_split_by_inline_elements_are_one_word(tmp_path: Path) -> None:
    path = tmp_path / "p.htm"
    path.write_bytes(b"<html><body><p>quotat<span>ion</span> and <b>bo</b>ld<br>next</p><p>para</p></body></html>")
    assert [w for w, _, _ in page_tokens(path)] == ["quotation", "and", "bold", "next", "para"]


def test_an_unclosed_span_in_the_information_block_does_not_swallow_the_text(tmp_path: Path) -> None:
    """libxml2 nests everything after an unclosed ``span`` in the information block's
    ``p``; a browser closes the ``p`` at the next block. The text stays the text."""
    page = BROKEN.replace(
        b'<span class="info">Transcription:</span> Ann Other<br>',
        b'<span class="info">Transcription: Ann Other, 2007<br>',
    )
    folder = make_source(tmp_path, {"work.htm": page})
    out = ingest(folder, tmp_path / "work.tei.xml")
    assert check_master(out) == []
    tei = etree.parse(str(out)).getroot()
    body = " ".join(" ".join(tei.find(f".//{{{TEI}}}body").itertext()).split())
    assert "The first paragraph stands before the broken table." in body
    assert "Theta the last paragraph" in body
    assert losses([folder / "work.htm"], tei) == []


# ---- verify: the master against its source -------------------------------------------------


def verify_project(tmp_path: Path) -> tuple[Path, Path]:
    """A project holding one source (BROKEN) and its master, as a build leaves them (no editions)."""
    folder = make_source(tmp_path, {"work.htm": BROKEN})
    slug = folder.name
    master = tmp_path / "editions" / slug / f"{slug}.tei.xml"
    master.parent.mkdir(parents=True)
    ingest(folder, master)
    return tmp_path, master


def test_verify_passes_a_master_that_says_what_its_source_says(tmp_path: Path) -> None:
    root, master = verify_project(tmp_path)
    proc = run_pipeline("verify", "--verbose", master.parent.name, cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{master.parent.name}: {master.name}: ok" in proc.stderr


def test_verify_reports_a_word_lost_between_source_and_master(tmp_path: Path) -> None:
    """A master that lost a paragraph after ingest: ``verify`` names the page, the line,
    the words and the words around them, in its text and JSON reports, and fails."""
    root, master = verify_project(tmp_path)
    slug = master.parent.name
    master.write_bytes(master.read_bytes().replace(b"Eta paragraph after a stray closing div.", b""))
    proc = run_pipeline("verify", slug, cwd=root)
    assert proc.returncode == 1
    (line,) = proc.stdout.splitlines()
    assert line.startswith(
        f'{slug}: {master.name}: source work.htm line 12: missing "Eta after stray closing div paragraph"'
    )
    assert "after the unclosed list Eta paragraph after a stray closing div Theta" in line
    report = json.loads(run_pipeline("verify", slug, "--format", "json", cwd=root).stdout)
    assert report["ok"] is False
    (source,) = [e for e in report["editions"] if e["edition"] == master.name]
    (diff,) = source["differences"]
    assert (diff["kind"], diff["where"], diff["words"][0]) == ("missing", "source work.htm line 12", "Eta")
    assert set(diff) == {
        "work",
        "edition",
        "kind",
        "where",
        "master_where",
        "words",
        "replacement",
        "context",
        "detail",
        "message",
    }


def test_a_build_checks_the_master_against_its_source_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest checks the master against its source pages (and writes nothing if a word was
    lost); the build's verify stage that follows compares the editions only: the check runs
    once per build, while ``pipeline verify`` (above) still runs it."""
    import pipeline.fidelity.source as fidelity
    import pipeline.verify.source as verify_source
    from pipeline.builder.stages import build_work

    checked: list[list[Path]] = []
    real_losses = fidelity.losses

    def counting(pages: list[Path], master: etree._Element) -> list[fidelity.Loss]:
        checked.append(pages)
        return real_losses(pages, master)

    monkeypatch.setattr(fidelity, "losses", counting)
    monkeypatch.setattr(verify_source, "losses", counting)
    folder = make_source(tmp_path, {"work.htm": BROKEN})
    result = build_work(folder.name, tmp_path)
    assert result.status == "built", result.message
    assert "verify" in result.stages
    assert checked == [[folder / "work.htm"]]
