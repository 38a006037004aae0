"""The kinds of author line the whole-archive census found wrong (bench/results/authors-census.md):
a site section, a periodical or a heading in the author's place; a body as the author; a
known person under another spelling, a possessive, "By ...", "et al"; initials that sign
for the folder's person or its pen name; initials cut from their surname by a joiner.

Each line is the archive's own, with the URL of the page it was seen on.
"""

from __future__ import annotations

from datetime import UTC

import pytest

from pipeline.authors.authority import UNSIGNED, load
from pipeline.authors.credits import split_line
from pipeline.authors.resolve import resolve

ARCHIVE = "https://www.marxists.org/archive/{}/x.htm"


def keys(line: str, folder: str | None = None) -> list[str]:
    url = ARCHIVE.format(folder) if folder else "https://www.marxists.org/history/ussr/art/x.htm"
    return [c.key for c in resolve(line, url)]


@pytest.mark.parametrize(
    ("line", "folder", "expected"),
    [
        ("Vladimir Lenin’s", "lenin", ["lenin"]),  # a title's possessive: "Vladimir Lenin's Left-Wing Communism"
        ("N. K. Krupskaya's", "krupskaya", ["krupskaya"]),
        ("By W. F. Warde (George Novack)", "novack", ["novack"]),
        ("Gregory Zinoviev, Lev Kamenev et al.", "zinoviev", ["zinoviev", "kamenev"]),
        ("H.N. Hyndman Oct. 1897", "hyndman", ["hyndman"]),
        ("E. Preobraschenski", "preobrazhensky", ["preobrazhensky"]),
        ("Georg Tchitcherin", "chicherin", ["chicherin"]),
        ("W. Munzenberg", "muenzenberg", ["muenzenberg"]),
        ("Frederick Engels", "marx", ["engels"]),
        ("Shachtman", "shachtma", ["shachtma"]),
        ("Dr. Alex Bebler", "bebler", ["bebler"]),
        ("Pierre Broué (and Emile Témime)", "broue", ["broue", "emile-temime"]),  # a co-author in brackets
        ("Tariq Ali interviews Ernest Mandel", "mandel", ["tariq-ali", "mandel"]),
    ],
)
def test_another_spelling_resolves_to_the_person(line: str, folder: str, expected: list[str]) -> None:
    assert keys(line, folder) == expected


@pytest.mark.parametrize(
    ("line", "folder", "expected"),
    [
        ("S—n", "shachtma", ["shachtma"]),  # the surname shortened: S[hachtma]n
        ("M.Sh.", "shachtma", ["shachtma"]),  # the name's first letters
        ("W.F.W.", "novack", ["novack"]),  # the initials of a pen name (William F. Warde)
        ("E.G.", "mandel", ["mandel"]),  # Ernest Germain
        ("H.E.", "held-walter", ["held-walter"]),  # Heinz Epe, Walter Held's own name
        ("M.N. & E. Roy", "roy", ["roy", "roy-evelyn"]),  # initials cut from their surname by "&"
        ("Eden and Cedar Paul", "paul", ["paul-eden", "paul"]),
    ],
)
def test_initials_and_a_shared_surname_are_the_persons(line: str, folder: str, expected: list[str]) -> None:
    assert keys(line, folder) == expected


def test_a_joiner_inside_brackets_cuts_no_name() -> None:
    (walter,) = split_line("Walter (IEC member, POS/SAP Belgium)")
    assert (walter.name, walter.role) == ("Walter", "IEC member, POS/SAP Belgium")
    assert [c.name for c in split_line("H.G./Joseph Hansen")] == ["H.G.", "Joseph Hansen"]  # "/" shares no surname


def test_a_site_section_a_periodical_or_a_heading_is_no_author() -> None:
    for line in ("History Archive: Soviet Union: Art: Photography", "Marxist History: Cuba: Subject: Missile Crisis"):
        (credit,) = resolve(line, "https://www.marxists.org/history/cuba/x.htm")
        assert credit.key == UNSIGNED
    (times,) = resolve("Times", ARCHIVE.format("montefiore"))  # her obituary, from the newspaper: not hers
    assert (times.key, times.wording) == (UNSIGNED, "Times")  # the master keeps the page's words
    (blog,) = resolve("Splintered Sunrise", ARCHIVE.format("harman"))  # a blog's obituary of Harman, not his
    assert (blog.key, blog.wording) == (UNSIGNED, "Splintered Sunrise")
    assert keys("Democracy", "burchett") == ["burchett"]  # a book's title on the author's page: the folder's
    assert keys("Marxist Writers: Anatoly Lunacharsky") == ["lunachar"]


def test_a_body_is_one_corporate_author_its_place_a_role() -> None:
    known = load()
    seen = {
        line: resolve(line, "https://www.marxists.org/subject/left-wing/x.htm")
        for line in (
            "Group of International Communists (Holland)",
            "Gruppe Internationale Kommunisten, Holland",
            "Group of International Communists",
        )
    }
    assert {c.key for people in seen.values() for c in people} == {"gik"}
    assert [c.role for c in seen["Gruppe Internationale Kommunisten, Holland"]] == ["Holland"]
    gik = known.person("gik")
    assert gik is not None and gik.kind == "body" and gik.file_as == "Group of International Communists"


def test_the_preobrazhensky_index_pages_wrong_birth_year_is_corrected_with_its_evidence() -> None:
    person = load().person("preobrazhensky")
    assert person is not None and (person.born, person.died) == (1886, 1937)
    assert person.dates_source and "1898 is wrong" in person.dates_source


def test_the_library_files_a_body_once_and_an_unsigned_work_under_no_author() -> None:
    from datetime import datetime
    from pathlib import Path

    from lxml import etree, html

    from pipeline.distribution.library import build_library
    from pipeline.distribution.site import work_page
    from pipeline.distribution.works import Work
    from pipeline.master.read import EditionMeta, author_line, read_authors
    from pipeline.master.tei import NS, TEI_NS
    from pipeline.master.write import author_element

    def work(slug: str, line: str, url: str) -> Work:
        tei = etree.Element(f"{{{TEI_NS}}}teiHeader")
        ts = etree.SubElement(etree.SubElement(tei, f"{{{TEI_NS}}}fileDesc"), f"{{{TEI_NS}}}titleStmt")
        for person in resolve(line, url):
            author_element(etree.SubElement(ts, f"{{{TEI_NS}}}author", key=person.key), person)
        people = read_authors(tei)
        assert tei.find("tei:fileDesc/tei:titleStmt/tei:author", NS) is not None
        blank = dict.fromkeys(
            "date_text date_iso no_credit_statement permission source_statement source_title first_published "
            "last_updated ingest_date pipeline_version".split()
        )
        meta = EditionMeta(
            slug=slug, title=slug, author=author_line(people), language="en", url=url, credits=[], licences=[],
            info_lines=[], normalizations=[], distributor="", authors=people, **blank,  # type: ignore[arg-type]
        )  # fmt: skip
        return Work(meta, Path(slug), [])

    subject = "https://www.marxists.org/subject/left-wing/x.htm"
    library = build_library(
        [
            work("gik-1", "Group of International Communists (Holland)", subject),
            work("gik-2", "Gruppe Internationale Kommunisten, Holland", subject),
            work("photos", "History Archive: Soviet Union: Art: Photography", "https://www.marxists.org/history/x.htm"),
            work("obituary", "Times", ARCHIVE.format("montefiore")),
        ]
    )
    assert [(g.key, g.label, [w.slug for w in g.works]) for g in library.authors] == [
        ("gik", "Group of International Communists", ["gik-1", "gik-2"])
    ]
    assert {w.slug for w in library.works} == {"gik-1", "gik-2", "photos", "obituary"}  # listed, by no author
    # the unsigned work's page names what the page gives, linked to no author page (it once raised KeyError)
    obituary = next(w for w in library.works if w.slug == "obituary")
    page = html.fromstring(work_page(obituary, library, datetime(2026, 1, 1, tzinfo=UTC)))
    byline = page.xpath("//p[@class='author']")[0]
    assert byline.text_content() == "Times" and not byline.xpath(".//a")
    gik = html.fromstring(work_page(library.authors[0].works[0], library, datetime(2026, 1, 1, tzinfo=UTC)))
    assert gik.xpath("//p[@class='author']/a/@href")
