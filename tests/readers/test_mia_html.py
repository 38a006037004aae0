"""The MIA HTML reader: the free MIA pages in sources/ become faithful, valid masters.

Fidelity is measured against the page as a browser shows it (tests/readers/pagewords.py,
written independently of the reader): every word and mark of the head, the
information block, the text and the notes, in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.errors import PipelineError
from pipeline.fidelity.source import losses as source_losses
from pipeline.manifest import load_manifest
from pipeline.master.tei import NS
from pipeline.readers.mia_html import read
from pipeline.validation.master import check_bytes, check_master
from tests.conftest import PROJECT, TEI_ALL, jing, run_pipeline
from tests.readers.conftest import FIXTURES, MIA, make_source, read_folder, tei_of
from tests.readers.pagewords import (
    BODY_REMOVAL,
    HEAD_REMOVAL,
    master_regions,
    master_text,
    page_regions,
    recorded_removals,
    tokens,
    without,
)

SOURCES = PROJECT / "sources"
# slug -> (file, the encoding the page's bytes are really in)
SINGLE_PAGES = {
    "trotsky-1922-tu": ("tu.htm", "utf-8"),
    "trotsky-1938-lp": ("lp.htm", "ascii"),
    "lenin-1913-rl-acc-capital-notes": ("rl-acc-capital-notes.htm", "ascii"),
    "kitz-strikes": ("strikes.htm", "windows-1252"),
    "rakovsky-1908-08-01": ("01.htm", "ascii"),
}
MULTIPART = "kerensky-1919-prelude"
HTML_WORKS = [*SINGLE_PAGES, MULTIPART]
PD = "https://creativecommons.org/publicdomain/mark/1.0/"
BY_SA = "https://creativecommons.org/licenses/by-sa/2.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
UNDETERMINED = "http://rightsstatements.org/vocab/UND/1.0/"  # issue 23: a CC licence with no version is withheld

# What each master must say: author, title, credits (name, MARC roles), licence URIs.
EXPECTED = {
    "trotsky-1922-tu": (
        "Leon Trotsky",
        "The Trade Unions And The Soviet State",
        [("Guy Desolre", ["trl"]), ("Martin Fahlgren", ["trc", "mrk"]), ("David Walters", ["trc", "mrk"])],
        [BY_SA],
    ),
    "trotsky-1938-lp": (
        "Leon Trotsky",
        "On the Labor Party Question in the United States",
        [("Chris Harman", ["trc", "mrk"]), ("David Walters", ["trc", "mrk"]), ("Einde O’Callaghan", ["pfr"])],
        [PD],
    ),
    "lenin-1913-rl-acc-capital-notes": (
        "V I Lenin",
        "Comments of V I Lenin concerning Rosa Luxemburg's book\xa0Accumulation of Capital",
        [("Steve Palmer", ["trl"]), ("Steve Palmer", ["trc", "mrk"]), ("Steve Palmer", ["pfr"])],
        [PD, IN_COPYRIGHT],  # public domain, with a portion reproduced as fair use: not free as a whole
    ),
    "kitz-strikes": ("Frank Kitz", "Socialism and Strikes", [("Graham Seaman", ["trc", "mrk"])], [PD]),
    "rakovsky-1908-08-01": (
        "Christian Rakovsky",
        "The Turkish Revolution",
        [("Harry Ratner", ["trl"]), ("Ted Crawford", ["trc", "mrk"]), ("David Walters", ["trc", "mrk"])],
        [PD],
    ),
    MULTIPART: (
        "A. F. Kerensky",
        "The Prelude To Bolshevism",
        [("Zdravko", ["trc"]), ("Jonas Holmgren", ["mrk"])],
        [PD],
    ),
}


def xp(root, path):
    return root.xpath(path, namespaces=NS)


@pytest.fixture(scope="module")
def masters() -> dict[str, etree._Element]:
    return {slug: tei_of(read(load_manifest(SOURCES / slug))) for slug in HTML_WORKS}


# -- the works in sources/ ----------------------------------------------------------------


@pytest.mark.parametrize("slug", HTML_WORKS)
def test_author_title_credits_licence(masters, slug: str) -> None:
    author, title, credits, licence_uris = EXPECTED[slug]
    tei = masters[slug]
    assert xp(tei, "string(//tei:titleStmt/tei:author)").strip() == author
    assert "".join(xp(tei, "//tei:titleStmt/tei:title")[0].itertext()) == title
    found = [
        (xp(rs, "string(tei:persName)"), xp(rs, "tei:resp/@key")) for rs in xp(tei, "//tei:titleStmt/tei:respStmt")
    ]
    assert found == credits
    assert xp(tei, "//tei:availability/tei:licence/@target") == licence_uris
    manifest = load_manifest(SOURCES / slug)
    assert xp(tei, "string(//tei:publicationStmt/tei:idno[@type='URI'])") == manifest.url


@pytest.mark.parametrize("slug", list(SINGLE_PAGES))
def test_every_word_of_the_page_is_in_the_master(masters, slug: str) -> None:
    name, encoding = SINGLE_PAGES[slug]
    page = page_regions(SOURCES / slug / name, encoding)
    master = master_regions(masters[slug])
    # dropped on purpose and recorded, their words quoted (issue 20)
    head = without(page.head, recorded_removals(masters[slug], HEAD_REMOVAL))
    assert sorted(head) == sorted(master.head)  # the head's lines: title page and subtitles
    assert page.info == master.info
    assert without(page.body, recorded_removals(masters[slug], BODY_REMOVAL)) == master.body
    assert page.notes == master.notes
    assert len(page.body) > 1000


def test_notes_linked_both_ways_and_counted(masters) -> None:
    counts = {
        "trotsky-1922-tu": 12,
        "trotsky-1938-lp": 16,
        "lenin-1913-rl-acc-capital-notes": 0,
        "kitz-strikes": 0,
        "rakovsky-1908-08-01": 0,
        MULTIPART: 4,
    }
    for slug, n in counts.items():
        tei = masters[slug]
        ids = xp(tei, "//tei:back//tei:note/@xml:id")
        refs = xp(tei, "//tei:text//tei:ref[@type='noteref']/@target")
        assert len(ids) == n, slug
        assert sorted(refs) == sorted(f"#{i}" for i in ids), slug
        assert len(set(xp(tei, "//@xml:id"))) == len(xp(tei, "//@xml:id")), slug
    # the notes the Lenin page marks in its information block stay with it
    lenin = masters["lenin-1913-rl-acc-capital-notes"]
    kept = xp(lenin, "//tei:notesStmt/tei:note[starts-with(@n, 'Note ')]/@n")
    assert kept == ["Note *", "Note **", "Note ***"]
    assert "Steve Palmer *" in xp(lenin, "string(//tei:notesStmt/tei:note[@n='Translated'])")


def test_head_information_and_revision(masters) -> None:
    tu = masters["trotsky-1922-tu"]
    assert xp(tu, "string(//tei:profileDesc/tei:creation/tei:date/@when)") == "1922"
    assert (
        xp(tu, "string(//tei:revisionDesc/tei:change[@type='mia-last-updated'])") == "Last updated on: 18 January 2009"
    )
    assert (
        xp(tu, "string(//tei:normalization/tei:p[@n='encoding'])")
        == "Character encoding: declared iso-8859-1, decoded as utf-8."
    )
    lp = masters["trotsky-1938-lp"]
    assert xp(lp, "string(//tei:creation/tei:date)") == "(April–June 1938)"
    assert xp(lp, "string(//tei:creation/tei:date/@when)") == "1938"  # a span of months: only the year
    assert xp(lp, "string(//tei:body/tei:head)").startswith("Three Discussions in Mexico City")
    rak = masters["rakovsky-1908-08-01"]
    assert xp(rak, "string(//tei:creation/tei:date/@when)") == "1908-08"
    (bibl,) = xp(rak, "//tei:sourceDesc/tei:bibl[@type='original']")
    assert xp(bibl, "string(tei:biblScope[@unit='issue'])") == "37"
    assert xp(bibl, "string(tei:date/@when)") == "1908-08-01"
    kitz = masters["kitz-strikes"]
    assert (
        xp(kitz, "string(//tei:normalization/tei:p[@n='encoding'])")
        == "Character encoding: declared none, decoded as windows-1252."
    )
    assert "Publisher: Socialist League" in xp(kitz, "//tei:notesStmt/tei:note/text()")  # an unknown label, kept
    lenin = masters["lenin-1913-rl-acc-capital-notes"]
    assert xp(lenin, "string(//tei:titleStmt/tei:author)").strip() == "V I Lenin"  # no h1: h2 author, h3 title
    assert xp(lenin, "string(//tei:creation/tei:date/@when)") == "1913"  # Written: March-April 1913


def test_furniture_dropped_and_recorded(masters) -> None:
    for slug in HTML_WORKS:
        text = " ".join("".join(masters[slug].xpath("//tei:text", namespaces=NS)[0].itertext()).split())
        assert "Top of the page" not in text and "Last updated" not in text, slug
    norms = " ".join(xp(masters["rakovsky-1908-08-01"], "//tei:normalization/tei:p/text()"))
    assert "Removed breadcrumbs and links at the top of the page (p.toplink) (line 17)" in norms
    assert "Removed 'Top of the page' links (p.link) (line 78)" in norms
    norms = " ".join(xp(masters["trotsky-1922-tu"], "//tei:normalization/tei:p/text()"))
    assert "Removed the 'return' image map of the page footer (line 146)" in norms
    assert "Dropped the notes heading 'Notes:'" in norms


# -- the multi-part work -----------------------------------------------------------------


def test_multipart_work_is_one_master_with_a_div_per_part(masters) -> None:
    tei = masters[MULTIPART]
    parts = xp(tei, "//tei:body/tei:div[@type='part']")
    assert [p.get("{http://www.w3.org/XML/1998/namespace}id") for p in parts] == [
        "part-preface",
        "part-intro",
        "part-ch04",
    ]
    heads = [" ".join("".join(xp(p, "tei:head")[0].itertext()).split()) for p in parts]
    assert heads == ["Preface to the Russian edition", "Introduction1", "Kerensky and Kornilov - A Reply"]
    # the index's list of the parts gives way to the editions' generated contents (issue 20):
    # dropped and recorded, chapters I-III (not online) included, so no word goes unrecorded
    assert not xp(tei, "//tei:div[@type='contents']")
    norms = " ".join(xp(tei, "//tei:normalization/tei:p/text()"))
    assert "Removed the list of the parts on the index page" in norms
    assert "I. From Kornilov's appointment as commander-in-chief" in norms
    notes = xp(tei, "//tei:back//tei:note/@xml:id")
    assert notes == ["preface-note-1", "intro-note-1", "ch04-note-1", "ch04-note-2"]
    assert xp(tei, "string(//tei:div[@xml:id='part-intro']/tei:head/tei:ref/@target)") == "#intro-note-1"
    norms = " ".join(xp(tei, "//tei:normalization/tei:p/text()"))
    assert "Dropped the part's information block lines that repeat the index's" in norms


@pytest.mark.parametrize("name", ["preface.htm", "intro.htm", "ch04.htm"])
def test_every_word_of_each_part(masters, name: str) -> None:
    tei = masters[MULTIPART]
    page = page_regions(SOURCES / MULTIPART / name, "ascii")
    (div,) = xp(tei, f"//tei:div[@xml:id='part-{name[:-4]}']")
    head = master_text(xp(div, "tei:head")[0])
    assert page.head == tokens("A. F. Kerensky") + head + tokens("1919")  # author and date as on the index
    body = etree.fromstring(etree.tostring(div))
    body.remove(body[0])
    assert page.body == master_text(body)
    prefix = name[:-4]
    notes = [t for n in xp(tei, f"//tei:back//tei:note[starts-with(@xml:id, '{prefix}-')]") for t in master_text(n)]
    assert page.notes == notes
    index = page_regions(SOURCES / MULTIPART / "index.htm", "ascii")
    assert page.info == index.info


def test_a_lone_index_page_is_not_a_work(tmp_path: Path) -> None:
    """The Lenin index page alone: none of its chapters is there. It says so, in one line."""
    index = MIA / "10_lenin_works_1920_8thcong_index.htm"
    if not index.exists():
        pytest.skip("../shared/mia is absent")
    folder = make_source(
        tmp_path,
        {"index.htm": index.read_bytes()},
        roles={"index.htm": "index"},
        url="https://www.marxists.org/archive/lenin/works/1920/8thcong/index.htm",
        slug="lenin-1920-8thcong",
    )
    proc = run_pipeline("ingest", str(folder), "-o", str(tmp_path / "m.tei.xml"), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith(
        f"{folder / 'index.htm'}: error: a lone index page is not a work's text: it links to "
    )
    assert "none of them in the source (ch01.htm, ...)" in proc.stderr
    assert not (tmp_path / "m.tei.xml").exists()


def test_a_chapter_the_index_links_but_the_folder_lacks(tmp_path: Path) -> None:
    """Every mirror is incomplete: the chapters at hand make the master, which is valid
    and whose header names the chapter the index lists but the source lacks."""
    src = SOURCES / MULTIPART
    files = {n: (src / n).read_bytes() for n in ("index.htm", "preface.htm", "intro.htm")}
    roles = {n: ("index" if n == "index.htm" else "part") for n in files}
    folder = make_source(
        tmp_path, files, roles=roles, url="https://www.marxists.org/reference/archive/kerensky/1919/prelude/index.htm"
    )
    proc = run_pipeline("ingest", str(folder), "-o", str(tmp_path / "m.tei.xml"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    tei = etree.parse(str(tmp_path / "m.tei.xml")).getroot()
    anomalies = " ".join(xp(tei, "//tei:normalization/tei:p[@n='anomaly']/text()"))
    assert (
        "The index links to a chapter the work lacks: ch04.htm (line " in anomalies
        and "the source lacks it" in anomalies
    )
    assert check_master(tmp_path / "m.tei.xml") == []


def test_part_files_the_index_does_not_link(tmp_path: Path) -> None:
    src = SOURCES / MULTIPART
    files = {n: (src / n).read_bytes() for n in ("index.htm", "preface.htm", "intro.htm", "ch04.htm")}
    files["extra.htm"] = files["intro.htm"]
    roles = {n: ("index" if n == "index.htm" else "part") for n in files}
    folder = make_source(
        tmp_path, files, roles=roles, url="https://www.marxists.org/reference/archive/kerensky/1919/prelude/index.htm"
    )
    work = read_folder(folder)
    assert [d.xml_id for d in work.body if getattr(d, "type", None) == "part"][-1] == "part-extra"
    assert any(
        n.kind == "anomaly"
        and n.what.startswith(
            "Part file(s) the index does not link placed after the linked ones, in the manifest's order: extra.htm"
        )
        for n in work.normalizations
    )
    listed = {n: d for n, d in files.items() if n not in ("extra.htm", "ch04.htm")}
    folder = make_source(
        tmp_path / "b",
        listed,
        roles=roles,
        url="https://www.marxists.org/reference/archive/kerensky/1919/prelude/index.htm",
    )
    (folder / "ch04.htm").write_bytes(files["ch04.htm"])  # in the folder, not in the manifest
    work = read_folder(folder)
    assert any(
        "ch04.htm" in n.what and "the manifest does not list it as a part" in n.what and n.kind == "anomaly"
        for n in work.normalizations
    )


# -- the build --------------------------------------------------------------------------


def test_build_makes_a_valid_master_of_every_work(built: Path) -> None:
    masters = [built / "editions" / s / f"{s}.tei.xml" for s in HTML_WORKS]
    assert all(m.exists() for m in masters)
    result = jing(TEI_ALL, *masters)
    assert result.returncode == 0, result.stdout + result.stderr


ORIGINALS = {
    "trotsky-1922-tu": {"tu.htm": "01_trotsky_1922_02_tu.htm"},
    "trotsky-1938-lp": {"lp.htm": "04_trotsky_1938_04_lp.htm"},
    "lenin-1913-rl-acc-capital-notes": {"rl-acc-capital-notes.htm": "11_lenin_works_1913_apr_rl-acc-capital-notes.htm"},
    "kitz-strikes": {"strikes.htm": "15_kitz_strikes.htm"},
    "rakovsky-1908-08-01": {"01.htm": "17_rakovsky_1908_08_01.htm"},
    MULTIPART: {n: f"kerensky-1919-prelude/{n}" for n in ("index.htm", "preface.htm", "intro.htm", "ch04.htm")},
}


def test_sources_are_the_mia_pages_byte_for_byte() -> None:
    if not MIA.exists():
        pytest.skip("../shared/mia is absent")
    for slug, files in ORIGINALS.items():
        manifest = load_manifest(SOURCES / slug)  # checks every sha256
        assert manifest.format == "mia-html" and manifest.retrieved == "2026-11-25"
        assert {f.path.name for f in manifest.files} == set(files)
        for f in manifest.files:
            assert f.path.read_bytes() == (MIA / files[f.path.name]).read_bytes()


# -- pages built for the conventions (tests/fixtures/html) ------------------------------------


def notes_of(tei) -> dict[str, tuple[str | None, str | None, list[str]]]:
    """note id -> (label, type, paragraphs)."""
    return {
        n.get("{http://www.w3.org/XML/1998/namespace}id"): (
            n.get("n"),
            n.get("type"),
            [" ".join("".join(p.itertext()).split()) for p in xp(n, "tei:p")],
        )
        for n in xp(tei, "//tei:back//tei:note")
    }


def refs_of(tei) -> list[str]:
    return xp(tei, "//tei:body//tei:ref[@type='noteref']/@target")


def test_note_markers_in_every_linked_convention(fixture_work) -> None:
    work, tei = fixture_work("notes-conventions.htm")
    assert notes_of(tei) == {
        "note-1": ("1", "author", ["The author explains."]),  # sup.anote
        "note-2": ("2", "editor", ["The editors explain."]),  # sup.ednote
        "note-3": ("3", None, ["An endnote of two paragraphs,", "the second without a label."]),  # sup.enote, #fwN
        "note-4": ("4", "editor", ["The fourth note. – Ed."]),  # span.note, #fN/#bN; "– Ed." says whose
        "note-5": (
            "5",
            None,
            ["The fifth note, which refers back to note 4.", "And a plain paragraph continuing note 5."],
        ),
    }
    assert refs_of(tei) == [f"#note-{i}" for i in range(1, 6)]
    text = " ".join("".join(xp(tei, "//tei:body")[0].itertext()).split())
    assert (
        text
        == "An author’s note in sup.anote.1 An editor’s note in sup.ednote.2 An endnote in sup.enote.3 The fN/bN family,4 then the fnN family.5"
    )
    assert [(c.name, c.roles) for c in work.credits] == [("Bea Keeper", ["trc"]), ("Cy Checker", ["pfr"])]
    assert [l.uri for l in work.licences] == [PD]  # "Pubic Domain", the census's typo
    assert work.last_updated == "2 March 2019"


def test_unlinked_markers_superscripts_and_sup(fixture_work) -> None:
    work, tei = fixture_work("notes-unlinked.htm")
    assert notes_of(tei) == {
        "note-1": ("1", "author", ["The first, linked by nothing."]),
        "note-2": ("2", "author", ["The second, a Latin-1 superscript."]),
        "note-3": ("3", "author", ["The third, under a sup element."]),
    }
    assert refs_of(tei) == ["#note-1", "#note-2", "#note-3"]
    (p,) = xp(tei, "//tei:body//tei:p")
    assert "".join(p.itertext()) == (
        "A bracketed marker without a link 1 and a superscript digit2 and a sup element3; an editor’s insertion "
        "[like this] keeps its brackets, and [5] is not a note number on this page."
    )
    assert xp(p, "string(tei:supplied)") == "like this"
    assert [l.uri for l in work.licences] == [UNDETERMINED]


def test_notes_as_a_list_and_a_prose_information_block(fixture_work) -> None:
    work, tei = fixture_work("notes-list.htm")
    assert notes_of(tei) == {
        "note-1": ("1", None, ["The first list note."]),
        "note-2": ("2", None, ["The second list note."]),
    }
    assert refs_of(tei) == ["#note-1", "#note-2"]
    assert [(c.name, c.roles) for c in work.credits] == [("Ed Itor", ["trc"])]
    assert [l.uri for l in work.licences] == [PD]
    assert xp(tei, "//tei:notesStmt/tei:note/text()") == [
        "Information: Transcribed by Ed Itor. This work is in the Public Domain."
    ]


@pytest.mark.parametrize(
    "name, record",
    [
        ("notes-duplicate.htm", "Two notes are numbered 1 (lines 6 and 7) (line 7)."),
        ("notes-dangling-marker.htm", "Kept as text note marker(s) that link to no note on the page (#n9) (line 4)."),
        (
            "notes-unreferenced.htm",
            "Note 2 is never referenced (no marker in the text): kept as text where it stands (line 7).",
        ),
        (
            "notes-twice.htm",
            "Note 1 has 2 markers (lines 4, 5): the first links the note, the others are kept as text (line 5).",
        ),
    ],
)
def test_note_quirks_are_recorded_anomalies_in_a_valid_master(fixture_work, name: str, record: str) -> None:
    """A source quirk is no reason to refuse: the master is written, valid, every word
    kept, and the header records the quirk as an anomaly."""
    work, tei = fixture_work(name)
    assert record in xp(tei, "//tei:normalization/tei:p[@n='anomaly']/text()")
    assert check_bytes(etree.tostring(tei, xml_declaration=True, encoding="utf-8"), name) == []
    assert source_losses([FIXTURES / name], tei) == []


def test_page_structure(fixture_work) -> None:
    work, tei = fixture_work("structure.htm")
    assert (work.author, work.date_text, work.date_iso) == ("Eve Example", "(June–July 1910)", "1910")  # p.title author
    assert work.title == ["Page Structure of a Work"]  # the title's line break joined
    assert xp(tei, "string(//tei:body/tei:head)") == "A Subtitle Line"
    assert [(c.name, c.roles) for c in work.credits] == [
        ("Fay Tongue", ["trl"]),
        ("Gus Key", ["trc", "mrk"]),
        ("Hal Mark", ["trc", "mrk"]),
    ]
    assert [l.uri for l in work.licences] == [IN_COPYRIGHT]  # "Copright: ... with the kind permission"
    info = xp(tei, "//tei:notesStmt/tei:note/text()")
    assert (
        "Source: The Example Quarterly, Vol.\xa02 No.\xa01, 1910. From the author’s papers." in info
    )  # a continued line
    assert "Online Version: Example Internet Archive, 2008" in info  # an unknown label, kept
    (first, second) = xp(tei, "//tei:body/tei:p")
    assert [(etree.QName(e).localname, e.get("rend") or e.get("target"), "".join(e.itertext())) for e in first] == [
        ("hi", "italic", "first"),
        ("hi", "bold", "bold"),
        ("hi", "bold", "more bold"),
        ("hi", "italic", "italic"),
        ("hi", "smallcaps", "small capitals"),
        ("q", None, "quoted phrase"),
        ("ref", "http://example.org/elsewhere", "link out"),
    ]
    assert second.get("rend") == "indent"
    assert xp(second, "string(tei:supplied)") == "sic" and len(xp(second, "tei:lb")) == 1
    assert xp(second, "string(tei:ref/@target)") == "https://www.marxists.org/archive/example/1921/other/work.htm"
    quotes = xp(tei, "//tei:body/tei:quote")
    assert [len(xp(q, "tei:p")) for q in quotes] == [2, 1]  # two p.quoteb are one quotation; the blockquote another
    (section,) = xp(tei, "//tei:body/tei:div[@type='section']")
    assert xp(section, "string(tei:head)") == "A Section Heading"
    assert xp(section, "tei:list/@rend") == ["bulleted", "numbered"]
    assert xp(section, "tei:list[1]/tei:item/text()") == ["First item;", "second item, with"]
    assert xp(section, "tei:table/tei:row/@role") == ["label"]
    assert [c.text for c in xp(section, "tei:table/tei:row[3]/tei:cell")] == ["1910", "3,400"]
    assert (xp(section, "string(tei:closer/tei:signed)"), xp(section, "string(tei:closer/tei:dateline)")) == (
        "Eve Example",
        "London, July 1910",
    )
    text = "".join(xp(tei, "//tei:text")[0].itertext())
    for furniture in ("never text", "Previous", "Next", "Eve Example Archive", "MIA >", "Top of the page", "p.x"):
        assert furniture not in text
    assert work.last_updated == "4 May 2011"
    norms = [n.what for n in work.normalizations]
    for kind in (
        "Removed breadcrumbs and links at the top of the page (p.toplink) (line 11).",
        "Removed next/previous links (p.next) (line 49).",
        "Removed the page footer (p.footer) (line 50).",
        "Removed the 'return' image map of the page footer (line 51).",
        "Removed spacer paragraphs (p.skip) (line 45).",
    ):
        assert kind in norms


def test_fixture_masters_are_valid_tei(tmp_path: Path) -> None:
    out = []
    for name in (
        "notes-conventions.htm",
        "notes-unlinked.htm",
        "notes-list.htm",
        "structure.htm",
        "enc-1251-russian.htm",
    ):
        folder = make_source(tmp_path / name, {name: (FIXTURES / name).read_bytes()})
        path = tmp_path / f"{name}.tei.xml"
        path.write_bytes(etree.tostring(tei_of(read_folder(folder))))
        out.append(path)
    result = jing(TEI_ALL, *out)
    assert result.returncode == 0, result.stdout + result.stderr


def test_multipart_epub_has_a_working_table_of_contents(built: Path, built_epubcheck: dict[Path, dict]) -> None:
    """EPUBCheck passes the Kerensky work's EPUB, whose toc lists its parts in the index's order
    (``built_epubcheck``: the run's one EPUBCheck of every EPUB of the build)."""
    import zipfile

    epub = built / "editions" / MULTIPART / f"{MULTIPART}.epub"
    with zipfile.ZipFile(epub) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        hrefs = nav.xpath("//x:nav[@id='toc']//x:a/@href", namespaces={"x": "http://www.w3.org/1999/xhtml"})
        parts = [h for h in hrefs if "#part-" in h]
        assert [h.split("#")[1] for h in parts] == ["part-preface", "part-intro", "part-ch04"]
        for href in parts:
            doc, frag = href.split("#")
            text = etree.fromstring(z.read(f"EPUB/{doc}"))
            assert text.xpath("//*[@id=$f]", f=frag), href
    report = built_epubcheck[epub]
    assert [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")] == []


def test_sources_and_masters_pass_the_project_validation(built: Path) -> None:
    """The project's profile, Schematron rules and manifest schema (``pipeline validate``)."""
    args = [str(built / "sources" / s) for s in HTML_WORKS] + [
        str(built / "editions" / s / f"{s}.tei.xml") for s in HTML_WORKS
    ]
    result = run_pipeline("validate", "--no-tei-all", *args, cwd=built)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "validated 12 files (6 manifests, 6 masters): all valid\n"


@pytest.mark.parametrize(
    "data, message",
    [
        (
            b"<html><body><p>Just a paragraph.</p></body></html>",
            "the page has no title (no h1, no heading after the author, no <title>)",
        ),
        (
            b"<html><body><h1>A Title</h1><p>Text.</p></body></html>",
            "the page has no author (no h2 or p.title before the title, no <meta name=author>, and not in a known "
            'archive/<author>/ folder): add <meta name="author"> to a copy of the page',
        ),
        (
            b"<html><body><h2>Au Thor</h2><h1>A Title</h1></body></html>",
            "the page has no text after its head and information block",
        ),
        (
            b"<html><body><h2>A</h2><h1>T</h1><p class='information'><span class='info'>Licence:</span> do as you like</p><p>x</p></body></html>",
            "unknown licence wording in 'Licence': 'do as you like'",
        ),
    ],
)
def test_bad_pages_are_one_clear_error(fixture_work, data: bytes, message: str) -> None:
    with pytest.raises(PipelineError) as err:
        fixture_work("work.htm", data)
    assert err.value.message == message and Path(str(err.value.path)).name == "work.htm"


def test_a_page_without_its_end_tags_is_read_whole_and_recorded(fixture_work) -> None:
    work, tei = fixture_work("work.htm", b"<html><body><h2>Au Thor</h2><h1>A Title</h1><p>Text that stops")
    assert xp(tei, "string(//tei:body//tei:p)") == "Text that stops"
    assert xp(tei, "//tei:normalization/tei:p[@n='anomaly']/text()") == [
        "The page ends without </body> or </html>: the source may be truncated; its text is kept as it stands (line 1)."
    ]


def test_c1_codes_read_as_browsers_do(fixture_work) -> None:
    """ "&#147;" (the parser reads it as browsers do) and a raw U+0093 (windows-1252 text saved as Latin-1)."""
    page = "<html><body><h2>A</h2><h1>T</h1><p>&#147;Quoted&#148; &#150; text, \u0093again\u0094.</p></body></html>"
    work, tei = fixture_work("work.htm", page.encode("utf-8"))
    assert xp(tei, "string(//tei:body//tei:p)") == "“Quoted” – text, “again”."
    assert any(n.what.startswith("Read C1 control characters") for n in work.normalizations)


def test_a_page_laid_out_in_a_table_with_an_unclassed_information_block(fixture_work) -> None:
    page = b"""<html><body><table width="80%"><tr><td><center><font size=4><h2>Au Thor</h2></font><h1>A Title</h1></center><hr>
<p><b>Written:</b> 1910<br><b>Source:</b> The Weekly<br><b>Transcribed by:</b> Zed Scribe<br><b>Public Domain:</b> MIA 2005</p><hr>
<p>First para.<sup><a href="#n1" name="r1">1</a></sup></p><p>Second <font face="Times"><i>para</i></font>.</p>
<h4>Notes</h4><p><a name="n1" href="#r1"><sup>1</sup></a> The note.</p></td></tr></table></body></html>"""
    work, tei = fixture_work("work.htm", page)
    assert (work.author, work.title, work.written) == ("Au Thor", ["A Title"], "1910")
    assert [(c.name, c.roles) for c in work.credits] == [("Zed Scribe", ["trc"])]
    assert [l.uri for l in work.licences] == [PD]
    assert [" ".join("".join(p.itertext()).split()) for p in xp(tei, "//tei:body//tei:p")] == [
        "First para.1",
        "Second para.",
    ]
    assert notes_of(tei) == {"note-1": ("1", None, ["The note."])}
    assert "Read a layout table's cells as the text they hold" in " ".join(n.what for n in work.normalizations)


def test_prose_information_and_preformatted_text(fixture_work) -> None:
    page = b"""<html><body><h2>Au Thor</h2><h1>A Title</h1>
<p class="information">Transcribed by Ann Other. Copyleft: Creative Commons (Attribute &amp; ShareAlike).</p>
<pre>line one
line two</pre><div class="footnotes"></div></body></html>"""
    work, tei = fixture_work("work.htm", page)
    assert [(c.name, c.roles) for c in work.credits] == [("Ann Other", ["trc"])]  # a sentence, not "Label: value"
    assert [l.uri for l in work.licences] == [UNDETERMINED]
    (pre,) = xp(tei, "//tei:body//tei:p[@rend='pre']")
    assert "".join(pre.itertext()) == "line one\nline two" and len(xp(pre, "tei:lb")) == 1
