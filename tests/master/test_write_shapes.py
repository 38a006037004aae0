"""The TEI writer turns whatever structure a page has into valid TEI without moving a word."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.master import model as m
from pipeline.master.write import serialize
from pipeline.validation import check_master
from tests.conftest import TEI_ALL, jing


def work(body: list[m.Block], notes: list[m.Note] | None = None) -> m.Work:
    w = m.Work(
        slug="shapes",
        url="https://www.marxists.org/archive/x/1900/shapes.htm",
        language="en",
        title=["Shapes"],
        author="Ann Author",
    )
    w.body = body
    w.notes = notes or []
    w.date_text, w.date_iso = "1900", "1900"
    w.licences = [
        m.LicenceStatement(
            "Public Domain",
            "Public Domain: free. Please credit the Marxists Internet Archive as your source.",
            "https://creativecommons.org/publicdomain/mark/1.0/",
        )
    ]
    w.credits = [m.Credit("Ann Scribe", ["trc"], statement="Transcription: Ann Scribe")]
    w.retrieved = "2026-11-25"
    return w


P = lambda *t: m.Para(list(t))  # noqa: E731
H = lambda t: m.Head([t])  # noqa: E731

AWKWARD = [
    P("Before any heading."),
    H("A heading after text"),
    P("Text under it."),
    m.Closer(signed=["The Author"], dateline=["Somewhere, 1900."], other=[["Yours fraternally,"]]),
    P("A postscript after the signature."),
    m.ListBlock(items=[]),
    m.Table(rows=[[], [["cell words"]]]),
    m.Quote([H("Heading in a quote"), P("Quoted text.")]),
    m.ListBlock(items=[[H("Heading in an item"), P("Item text.")]]),
    P("Link ", m.Link("http://example.org/a b%zz", ["with bad target"]), " and note", m.NoteRef("note-1", "1"), "."),
    H("A heading at the very end"),
]
NOTES = [m.Note("note-1", "1", [H("Heading in a note"), P("Note text."), m.Closer(signed=["Ed."])])]


def words_of(blocks) -> list[str]:
    out: list[str] = []

    def walk(x) -> None:
        if isinstance(x, str):
            out.extend(x.split())
        elif isinstance(x, list):
            for y in x:
                walk(y)
        elif isinstance(x, m.NoteRef):
            pass
        elif hasattr(x, "__dataclass_fields__"):
            for name in ("head", "children", "blocks", "items", "rows", "other", "signed", "dateline"):
                if hasattr(x, name):
                    walk(getattr(x, name))

    walk(blocks)
    return out


def test_awkward_structure_becomes_valid_tei(tmp_path: Path) -> None:
    path = tmp_path / "shapes.tei.xml"
    path.write_bytes(serialize(work(AWKWARD, NOTES)))
    assert [str(p) for p in check_master(path)] == []
    result = jing(TEI_ALL, path)
    assert result.returncode == 0, result.stdout
    root = etree.parse(str(path)).getroot()
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    text_words = " ".join(" ".join(e.itertext()) for e in root.xpath("//t:body", namespaces=ns)).split()
    note_words = " ".join(" ".join(e.itertext()) for e in root.xpath("//t:back/t:div/t:note", namespaces=ns)).split()
    expected = words_of(AWKWARD)
    assert [w for w in text_words if w != "1"] == expected
    assert note_words == words_of(NOTES)
    assert root.xpath("string(//t:body//t:ref[not(@type)]/@target)", namespaces=ns) == "http://example.org/a%20b%25zz"
