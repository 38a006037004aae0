"""Issue 20: every edition has the structure of the work, not of the web page. Each test
is one KIND of web-page chrome the whole archive's heading census found kept as a heading
(a letter's "Sincerely,", the author's name, the title repeated, a one-note heading
dropped), read now as what it is, recorded, every word kept."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.master.tei import NS
from tests.readers.conftest import body_heads, checked_master, make_source, normalizations

TEXT = "<p>" + "The text of the letter goes on for a while with words of its own. " * 3 + "</p>"


def master(tmp_path: Path, files: dict[str, bytes], roles: dict[str, str] | None = None) -> etree._Element:
    return checked_master(make_source(tmp_path, files, roles=roles), list(files))


def test_a_letters_closing_and_signer_in_heading_class_are_its_closer(tmp_path: Path) -> None:
    """archive/weisbord/Draper.htm: letters whose date, "Sincerely," and signer are all
    p.sub; the signature of the author alone after text too."""
    letters = (
        f'<p class="sub">April 8, 1958</p>{TEXT}<p class="sub">Sincerely,</p><p class="sub">Theodore Draper</p>'
        f'<p class="sub">May 14, 1958.</p>{TEXT}<p class="sub">Albert Weisbord</p>'
    )
    page = f"<html><body><h2>Albert Weisbord</h2><h1>Correspondence With Theodore Draper</h1>{letters}</body></html>"
    tei = master(tmp_path, {"Draper.htm": page.encode()})
    assert body_heads(tei) == ["April 8, 1958", "May 14, 1958."]
    closers = [[(etree.QName(e).localname, e.text) for e in c] for c in tei.iterfind(".//tei:body//tei:closer", NS)]
    assert closers == [[("salute", "Sincerely,"), ("signed", "Theodore Draper")], [("signed", "Albert Weisbord")]]
    assert "Read the heading 'Sincerely,' as a letter's closing, not a heading" in normalizations(tei)


def test_the_authors_name_under_a_heading_inside_the_text_is_a_byline(tmp_path: Path) -> None:
    """archive/thalheimer/works/rosa.htm: a translator's introduction, then the work's own
    title and its author's name, both headings."""
    body = f"<h4>Introduction by Mike Jones</h4>{TEXT}<h2>Rosa Luxemburg or Lenin?</h2><h1>August Thalheimer</h1>{TEXT}"
    page = f"<html><body><h2>August Thalheimer</h2><h1>Rosa Luxemburg or Lenin</h1>{body}</body></html>"
    tei = master(tmp_path, {"rosa.htm": page.encode()})
    assert body_heads(tei) == ["Introduction by Mike Jones", "Rosa Luxemburg or Lenin?"]
    assert tei.find(".//tei:body//tei:p[@rend='author']", NS).text == "August Thalheimer"


def test_the_title_repeated_with_a_note_marker_is_a_line_not_a_section(tmp_path: Path) -> None:
    """archive/pouliop/1937/x01.htm: the text opens with the title again, a note marker on
    it; the marker stays, the title makes no contents entry."""
    body = f'<h3>Excerpts from The Moment of War<a href="#n1" name="f1">[A]</a></h3>{TEXT}<h4>Perspectives</h4>{TEXT}'
    body += '<p><a name="n1" href="#f1">[A]</a> An extract.</p>'
    info = '<hr class="infotop" /><p class="information"><span class="info">Source:</span> A paper.</p><hr class="infobot" />'
    page = f"<html><body><h2>Pantelis Pouliopoulos</h2><h1>(Excerpts from) The Moment of War</h1>{info}{body}</body></html>"
    tei = master(tmp_path, {"x01.htm": page.encode()})
    assert body_heads(tei) == ["Perspectives"]
    assert tei.find(".//tei:body//tei:p[@rend='title']/tei:ref[@type='noteref']", NS) is not None


def test_a_heading_naming_one_note_over_no_note_heads_the_text(tmp_path: Path) -> None:
    """archive/kautsky/1903/economic/note.htm: "PUBLISHER'S NOTE" over the publisher's note
    to the reader was dropped as a notes heading, and the part was titled by the book's
    author; "Notes" over notes is still dropped."""
    index = (
        "<html><body><h2>Karl Kautsky</h2><h1>The Economic Doctrines</h1>"
        '<p><a href="note.htm">Publisher’s Note</a><br /><a href="ch01.htm">I. Commodities</a></p></body></html>'
    )
    note = f'<html><head><meta name="author" content="Karl Kautsky"></head><body><h3>Karl Kautsky</h3><h2>The Economic Doctrines</h2><hr /><h2>PUBLISHER’S NOTE</h2>{TEXT}</body></html>'
    chapter = (
        f"<html><body><h2>Karl Kautsky</h2><h1>The Economic Doctrines</h1><h3>I. Commodities</h3>{TEXT.replace('</p>', '')}"
        '<a href="#n1" name="f1">1</a></p><h3>Notes</h3><p><a name="n1" href="#f1">1.</a> A note.</p></body></html>'
    )
    files = {"index.htm": index.encode(), "note.htm": note.encode(), "ch01.htm": chapter.encode()}
    tei = master(tmp_path, files, roles={"index.htm": "index", "note.htm": "part", "ch01.htm": "part"})
    parts = [p.find("tei:head", NS).text for p in tei.iterfind(".//tei:div[@type='part']", NS)]
    assert parts == ["PUBLISHER’S NOTE", "I. Commodities"]
    assert "Kept the heading 'PUBLISHER’S NOTE': no note follows it, it heads the text" in normalizations(tei)
    assert "Dropped the notes heading 'Notes'" in normalizations(tei)


def test_in_a_debate_a_name_heading_a_contribution_stays_a_heading(tmp_path: Path) -> None:
    """archive/harman/1995/xx/debate.htm: the author line names two; each one's name heads
    their contribution (the work's own structure, not a signature)."""
    body = f"<h3>Chris Harman</h3>{TEXT}<h3>Meghnad Desai</h3>{TEXT}<h3>Chris Harman</h3>{TEXT}"
    page = f"<html><body><h2>Chris Harman &amp; Meghnad Desai</h2><h1>A Debate</h1>{body}</body></html>"
    tei = master(tmp_path, {"debate.htm": page.encode()})
    assert body_heads(tei) == ["Chris Harman", "Meghnad Desai", "Chris Harman"]


def test_a_parts_first_section_is_a_section_like_the_others(tmp_path: Path) -> None:
    """history/.../lenin/works/1921/10thcong: each part page opens "Part I: …", then the
    first speech's number, title and date, the speech, then the next speeches as sections.
    The first speech is a section of its own (it once fused into the part's heads and had
    no contents entry); a part whose head lines are a subtitle keeps them under its title."""

    def part(name: str, first: int) -> bytes:
        speeches = "".join(
            f"<h3>{n}<br />Speech Number {n} At The Congress</h3><h4>March {n + 7}</h4>{TEXT}"
            for n in (first, first + 1)
        )
        return f"<html><body><h2>V. I. Lenin</h2><h4>{name}: Tenth Congress</h4>{speeches}</body></html>".encode()

    index = (
        b"<html><body><h2>V. I. Lenin</h2><h1>Tenth Congress</h1>"
        b'<p><a href="ch01.htm">Part I</a></p><p><a href="ch02.htm">Part II</a></p></body></html>'
    )
    files = {"index.htm": index, "ch01.htm": part("Part I", 1), "ch02.htm": part("Part II", 3)}
    tei = master(tmp_path, files, roles={"index.htm": "index", "ch01.htm": "part", "ch02.htm": "part"})
    parts = tei.findall(".//tei:body/tei:div[@type='part']", NS)
    assert [p.find("tei:head", NS).text for p in parts] == ["Part I: Tenth Congress", "Part II: Tenth Congress"]
    for p, first in zip(parts, (1, 3), strict=True):
        assert len(p.findall("tei:head", NS)) == 1  # the part's own title only
        sections = [" ".join("".join(d.find("tei:head", NS).itertext()).split()) for d in p.findall("tei:div", NS)]
        assert sections == [f"{n} Speech Number {n} At The Congress" for n in (first, first + 1)], sections
    assert "Opened the part's first section with the heading" in normalizations(tei)


def test_a_contributors_name_above_a_parts_title_is_its_author_line(tmp_path: Path) -> None:
    """archive/radek/1926/november/intro.html, archive/kautsky/1908/histacc/trans-intro.html:
    a translator's introduction and an editor's note print their author's name above their
    title, as a heading of its own or run into it (a broken tag joins the lines); the
    page's <title> or <meta name="author"> names that person. The part is titled by its
    own title; the name stays, as its author line. The book's author is never taken for it."""
    index = (
        "<html><body><h2>Karl Radek</h2><h1>November</h1>"
        '<p><a href="intro.html">Introduction</a><br /><a href="trans.html">Translator’s Note</a><br />'
        '<a href="ch01.html">1. The Days</a></p></body></html>'
    )
    banner = "<h2>Karl Radek</h2><h1>November</h1><hr />"
    intro = (
        '<html><head><title>Karl Radek: November (Introduction by E.H. Carr)</title><meta name="author" content="E.H. Carr">'
        f"</head><body>{banner}<h4>E.H. Carr</h4><h3>Introduction</h3>{TEXT}</body></html>"
    )
    trans = (
        "<html><head><title>Karl Radek: November (Alexander Gallus: Translator’s Note)</title></head>"
        f"<body>{banner}<h4>Alexander Gallus Translator’s Note</h4>{TEXT}</body></html>"
    )
    chapter = f"<html><head><title>Karl Radek: November (1. The Days)</title></head><body>{banner}<h3>Karl Radek 1. The Days</h3>{TEXT}</body></html>"
    files = {"index.html": index.encode(), "intro.html": intro.encode(), "trans.html": trans.encode()}
    files["ch01.html"] = chapter.encode()
    roles = {"index.html": "index", "intro.html": "part", "trans.html": "part", "ch01.html": "part"}
    tei = master(tmp_path, files, roles=roles)
    parts = list(tei.iterfind(".//tei:div[@type='part']", NS))
    assert [p.find("tei:head", NS).text for p in parts] == ["Introduction", "Translator’s Note", "1. The Days"]
    assert [p.findtext("tei:p[@rend='author']", namespaces=NS) for p in parts[:2]] == ["E.H. Carr", "Alexander Gallus"]
    recorded = normalizations(tei)
    assert recorded.count("as the part's author line, not its title") == 2
    assert "Kept 'E.H. Carr' as the part's author line" in recorded
