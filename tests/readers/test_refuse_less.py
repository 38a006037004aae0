"""Issue 22: refuse less, record more. Each test is one KIND of page the whole archive's
masters phase refused or wrote invalid, read now into a valid master that keeps every
word of the page (the source check), with the reader's decision recorded in the header."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.authors.authority import UNSIGNED
from pipeline.errors import PipelineError
from pipeline.fidelity.source import losses as source_losses
from pipeline.master.tei import NS
from pipeline.master.write import serialize
from pipeline.validation.master import check_bytes
from tests.readers.conftest import body_heads, checked_master, make_source, normalizations, read_folder

TEXT = "<p>" + "The text of the work goes on for a while with words of its own. " * 4 + "</p>"
LONG = "Developments in the world situation raise once more the question of the state " * 3


def page(head: str, body: str, title: str = "A Page") -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body>{head}"
        f'<hr class="infotop" /><p class="information"><span class="info">Source:</span> A paper, 1940.</p>'
        f'<hr class="infobot" />{body}</body></html>'
    ).encode()


def master(tmp_path: Path, name: str, data: bytes, url: str | None = None) -> etree._Element:
    """The page read as a work; asserts the master valid and every word of the page in it."""
    folder = make_source(tmp_path / name, {name: data}, **({"url": url} if url else {}))
    return checked_master(folder, [name])


def test_a_series_heading_above_a_title_with_a_note_marker_keeps_the_page_order(tmp_path: Path) -> None:
    """archive/glass/1944/04/japan3.htm: h4 series line, then the h1 title carrying a note
    marker (kept as a paragraph of the text), in a text of sections: was <head> after <p>."""
    head = (
        '<h2>Li Fu-jen</h2><h4>Japan Faces the Abyss III</h4><h1>The Perspectives <a href="#n1" name="f1">[1]</a></h1>'
    )
    body = f'{TEXT}<h4>Working Conditions</h4>{TEXT}<h4>Wages</h4>{TEXT}<p><a name="n1" href="#f1">1.</a> A note.</p>'
    tei = master(tmp_path, "japan3.htm", page(head, body))
    first = [etree.QName(e).localname for e in tei.find(".//tei:body", NS)][:3]
    assert first == ["head", "p", "p"]
    assert tei.find(".//tei:body/tei:head", NS).text == "Japan Faces the Abyss III"
    assert tei.find(".//tei:body/tei:p", NS).get("rend") == "title"
    assert "where the page prints it" in normalizations(tei)


def test_a_head_line_after_a_synopsis_in_a_heading_tag_is_a_paragraph(tmp_path: Path) -> None:
    """archive/shachtma/1940/12/russia.htm: h1 title, an h4 synopsis (a paragraph), an h4
    label, the date line; the label after the synopsis is no heading of the text."""
    head = f"<h2>Max Shachtman</h2><h1>Is Russia a Workers' State?</h1><h4>{LONG}</h4><h4>A DISCUSSION ARTICLE</h4>"
    head += "<h3>(December 1940)</h3>"
    tei = master(tmp_path, "russia.htm", page(head, f"{TEXT}<h4>Property Forms</h4>{TEXT}"))
    assert body_heads(tei) == ["Property Forms"]
    labels = [p for p in tei.iterfind(".//tei:body/tei:p[@rend='heading']", NS) if p.text == "A DISCUSSION ARTICLE"]
    assert labels
    assert "Kept the head's line 'A DISCUSSION ARTICLE' as a paragraph" in normalizations(tei)


def test_the_heads_last_line_after_a_paragraph_heads_the_first_section(tmp_path: Path) -> None:
    """archive/trotsky/1938/morals/morals.htm: no information block; the head's h4 lines run
    from a dedication to the first section's heading, a long credit line between them."""
    data = (
        "<html><head><title>Morals</title></head><body><h2>Leon Trotsky</h2><h1>Their Morals and Ours</h1>"
        f"<h4>IN MEMORY OF LEON SEDOFF</h4><h4>{LONG}</h4><h4>Moral Effluvia</h4>{TEXT}"
        f"<h4>Marxist Amoralism</h4>{TEXT}</body></html>"
    ).encode()
    tei = master(tmp_path, "morals.htm", data)
    assert body_heads(tei) == ["IN MEMORY OF LEON SEDOFF", "Moral Effluvia", "Marxist Amoralism"]
    first = tei.find(".//tei:body/tei:div[@type='section']/tei:head", NS)
    assert first is not None and first.text == "Moral Effluvia"


def test_an_undated_article_file_is_not_a_chapter(tmp_path: Path) -> None:
    """archive/pouliop/1924/x01.htm: the MIA names an article of unknown month xNN.htm; its
    h1 is its title, not a book's over a chapter heading (the h3 after the information block)."""
    head = "<h2>Pantelis Pouliopoulos</h2><h1>What the Veterans Demand</h1>"
    body = f"<h3>General Positions Voted by the Conference</h3>{TEXT}"
    tei = master(tmp_path, "x01.htm", page(head, body))
    assert tei.find(".//tei:titlePart", NS).text == "What the Veterans Demand"
    tei = master(tmp_path / "ch", "ch01.htm", page(head, body))
    assert tei.find(".//tei:titlePart", NS).text == "General Positions Voted by the Conference"


def part_page(title: str) -> bytes:
    return f"<html><body><h2>J.R. Johnson</h2><h1>{title}</h1>{TEXT}</body></html>".encode()


def test_a_note_marker_in_the_list_of_parts_keeps_its_line(tmp_path: Path) -> None:
    """archive/james-clr/works/1939/09/negro-war.html: the index lists its parts in one
    h4 of links, a note marker after one ("Part V [1]": two articles were numbered V); the
    list goes (the editions generate the contents), the marked line stays for its note."""
    index = (
        b'<html><body><h2>J.R. Johnson</h2><h1>Negroes and the War</h1><hr class="infotop" />'
        b'<p class="info"><span class="info">Source:</span> Socialist Appeal, 1939.</p><hr class="infobot" />'
        b'<h4><a href="p1.htm">Part I</a><br /><br /><a href="p2.htm">Part V</a> <a id="f1" href="#n1">[1]</a>'
        b'<br /><br /><a href="../10/p9.htm">Part IX</a></h4>'
        b'<h3>Note by MIA</h3><p class="note"><a id="n1" href="#f1">1.</a> Two articles were numbered V.</p>'
        b"</body></html>"
    )
    files = {"index.htm": index, "p1.htm": part_page("Part I"), "p2.htm": part_page("Part V")}
    url = "https://www.marxists.org/archive/james-clr/works/1939/09/index.htm"
    folder = make_source(tmp_path, files, url=url, roles={"index.htm": "index", "p1.htm": "part", "p2.htm": "part"})
    out = serialize(read_folder(folder), 0)
    assert check_bytes(out, "index.htm") == []
    tei = etree.fromstring(out)
    assert source_losses([folder / n for n in files], tei) == []
    kept = tei.findall(".//tei:body//tei:p[@rend='contents']", NS)
    assert [" ".join("".join(p.itertext()).split()) for p in kept] == ["Part V 1"]
    assert "Kept the line 'Part V' of the list of parts" in normalizations(tei)


def test_a_list_without_items_is_a_quotation_with_its_loose_text(tmp_path: Path) -> None:
    """archive/weisbord/TwoFive.htm: Lenin quoted inside ``<dir><dir>``, text and no ``li``
    (the master lost 230 words): one quotation, every word, no bullet."""
    quoted = "To put disarmament as a point in the program means to say in general we are against weapons."
    body = f'{TEXT}<dir><dir>"{quoted} <p>Thus the chief defect of the demand.</p></dir></dir>'
    body += f"<dir><dir>An oppressed class which does not strive to learn.</dir></dir>{TEXT}"
    tei = master(tmp_path, "TwoFive.htm", page("<h2>Albert Weisbord</h2><h1>Disarmament</h1>", body))
    quotes = tei.findall(".//tei:body//tei:quote", NS)
    assert [len(q.findall("tei:p", NS)) for q in quotes] == [2, 1]
    assert not tei.findall(".//tei:body//tei:list", NS)
    assert "Read a <dir> without list items (an indentation) as a quotation" in normalizations(tei)


def test_a_table_whose_rows_the_markup_lost_keeps_its_text(tmp_path: Path) -> None:
    """archive/weisbord/OneOne.htm: ``<table WIDTH="100%&#8221; >`` swallows its ``<tr><td>``
    into an attribute; the masthead's words stood in no cell (the master lost 33 words)."""
    table = (
        '<table WIDTH="100%&#8221; >\n<tr>\n<td ALIGN=CENTER WIDTH="100%"><font size=+2>CLASS STRUGGLE</font>'
        "<p><em>Official Monthly Organ</em><p>212 East 9th Street, New York<p>ALBERT WEISBORD, <em>Editor</em>"
        "</td></tr></table>"
    )
    tei = master(tmp_path, "OneOne.htm", page("<h2>Albert Weisbord</h2><h1>Class Struggle</h1>", TEXT + table + TEXT))
    assert "212 East 9th Street, New York" in [p.text for p in tei.iterfind(".//tei:body//tei:p", NS)]
    assert "Read a table without cells" in normalizations(tei)


def test_a_page_by_no_named_author_in_the_history_section(tmp_path: Path) -> None:
    """history/algeria/1963/09/constitution.htm: no author line, no meta, no author's
    folder. In history/ and subject/ that is a work by no named author: credited to the
    authority's unsigned key, no docAuthor (the page prints none), the reason recorded.
    Elsewhere the page is still refused: it names nobody."""
    data = page("<h1>Constitution of Algeria (1963)</h1>", f"<h4>Preamble</h4>{TEXT}")
    tei = master(tmp_path, "constitution.htm", data, url="https://www.marxists.org/history/algeria/1963/09/c.htm")
    author = tei.find(".//tei:titleStmt/tei:author", NS)
    assert author is not None and author.get("key") == UNSIGNED
    assert tei.find(".//tei:docAuthor", NS) is None
    assert "stands in the MIA's history/ section, in no author's folder" in normalizations(tei)
    folder = make_source(tmp_path / "elsewhere", {"c.htm": data}, url="https://www.marxists.org/espanol/x/c.htm")
    with pytest.raises(PipelineError, match="the page has no author"):
        read_folder(folder)


def test_no_heading_no_title_element_the_first_line_is_the_title(tmp_path: Path) -> None:
    """archive/weisbord/TwoEight.htm: an issue of a periodical set as paragraphs, no
    heading, no <title>: its masthead line is the title, taken out of the text."""
    data = (
        f"<html><body><center><p><font size=+4>Class Struggle</font><p>Volume 2 Number 8</center>{TEXT}</body></html>"
    )
    tei = master(tmp_path, "TwoEight.htm", data.encode(), url="https://www.marxists.org/archive/weisbord/TwoEight.htm")
    assert tei.find(".//tei:titlePart", NS).text == "Class Struggle"
    assert "Class Struggle" not in [p.text for p in tei.iterfind(".//tei:body//tei:p", NS)]
    assert "its title is its first line, 'Class Struggle'" in normalizations(tei)


def test_a_text_set_in_the_information_class_is_the_text(tmp_path: Path) -> None:
    """archive/bukharin/works/1927/leisure-economics/bibliography.htm: every entry a
    p.information without a label; the page was refused for having no text."""
    entries = "".join(f'<p class="information">Author {n}, A.: <em>Book {n}</em>, Berlin, 1904.</p>' for n in range(8))
    data = f'<html><body><p class="title">Nikolai Bukharin 1927</p><h3>Bibliography</h3>{entries}</body></html>'
    tei = master(tmp_path, "bibliography.htm", data.encode())
    assert len(tei.findall(".//tei:body//tei:p", NS)) == 8
    assert "Read 8 paragraphs in the information block's class, without labels, as the text" in normalizations(tei)


def test_a_page_whose_text_was_withdrawn_is_refused_saying_so(tmp_path: Path) -> None:
    """archive/novack/works/logic/index.htm: the information block, then a notice that the
    publisher's lawyers had the text withdrawn: not a work, refused with the notice's words."""
    notice = "Lawyers representing Pathfinder Press have instructed us not to publish this work."
    data = page(
        "<h2>George Novack</h2><h1>Introduction to the Logic of Marxism</h1>", f'<p class="information">{notice}</p>'
    )
    folder = make_source(tmp_path, {"index.htm": data})
    with pytest.raises(PipelineError, match="its information block says: 'Lawyers representing Pathfinder Press"):
        read_folder(folder)
