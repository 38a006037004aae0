"""Issue 22: the judge's false alarms over the whole shared archive, each kind with a real
excerpt of the work it failed, and proof that verify still sees a real change of the same
kind (a word lost, added, changed or moved is still reported).

Kinds: the text edition's emphasis marks beside a compound's hyphen and the master's own
underscores (purkis-1928-x01, hardcastle-1934, rosenberg-1922, morrow-felix-1942/1945,
mandel-1982, starr-mark, johnstone-1981, zinoviev-x01, mandel-1966); a PDF line-end
hyphen read otherwise than the master (bedacht-1927 "6-" / "day", zinoviev-1927-china
"bourgeois- democratic", murphy-jt-1939); the EPUB's figures in spine order (pollitt-marjorie,
corey-1934, jackson-ta, murphy-jt-1926); the text's type size when the long notes outnumber
it (montefiore-1912-women-war2); a note holding a table, which the PDF writer set over the
next page's text (wintringham-1934-air: a writer's fault).
"""

from __future__ import annotations

import copy
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from pipeline.master.read import load
from pipeline.master.tei import NS
from pipeline.pdftext import PdfLine
from pipeline.verify.figures import check_figures
from pipeline.verify.master import read_master
from pipeline.verify.pdf_layout import Place, Stream
from pipeline.verify.work import verify_work
from pipeline.words import Token, key_of
from pipeline.writers.txt import write_txt
from tests.conftest import PROJECT, SEED

GOLDEN_MASTER = PROJECT / "tests" / "golden" / f"{SEED}.tei.xml"
DATA = PROJECT / "tests" / "data" / "verify"
TEI = "http://www.tei-c.org/ns/1.0"

# Real paragraphs of the works verify failed (their masters' markup, shortened).
EXCERPTS = [
    # purkis-1928-x01 line 108
    "Never have wage-<hi rend='italic'>increase</hi> negotiations been conducted with such indecent haste"
    " as this for wage-<hi rend='italic'>decrease</hi>.",
    # morrow-felix-1942-inflation line 152; morrow-felix-1945-statement
    "price fixing is given the masses as <hi rend='italic'>ersatz</hi>-wages. However, the union without"
    " linking them to the <hi rend='italic'>non</hi>-progressive arbitration proposition.",
    # rosenberg-1922-comedy line 99; starr-mark-worker-looks-history line 643
    "It is not by accident that Poincaré-<hi rend='italic'>la-guerre</hi> is transformed into"
    " Poincaré-<hi rend='italic'>la-paix</hi>. Books-<hi rend='italic'>Karl Marx: Biographical Memoirs</hi>.",
    # hardcastle-1934-austrian-workers line 99
    "reports of a Social Democratic victory-<hi rend='italic'>The Daily Herald.</hi>-was the journal",
    # zinoviev-x01 line 172; johnstone-1981-x01 line 135
    "(See Hilferding, <hi rend='bold'>Finanzkapital</hi>, pp.390<hi rend='italic'>f.</hi> In a later"
    " chapter) and its denial to the working class. (pp.12<hi rend='italic'>ff.</hi>)",
    # mandel-1966-vietnam line 117: the source's own underscore, inside an italic paragraph
    "<hi rend='italic'>which can hurl humanity into the nuclear holocaust by_encouraging aggression upto"
    " the point</hi>",
]


def project_with(root: Path, paragraphs: list[str]) -> Path:
    """A project whose master is the seed's with ``paragraphs`` (TEI markup) added to its body."""
    folder = root / "editions" / SEED
    folder.mkdir(parents=True)
    tree = etree.parse(str(GOLDEN_MASTER))
    first = tree.getroot().xpath("tei:text/tei:body//tei:p", namespaces=NS)[0]
    for text in reversed(paragraphs):
        first.addnext(etree.fromstring(f"<p xmlns='{TEI}'>{text}</p>"))
    master = folder / f"{SEED}.tei.xml"
    tree.write(str(master), encoding="utf-8", xml_declaration=True)
    return master


def test_text_edition_emphasis_beside_hyphens_and_the_masters_underscores_are_no_difference(tmp_path: Path) -> None:
    """The real text writer's edition of the excerpts says what the master says."""
    master = project_with(tmp_path, EXCERPTS)
    write_txt(master, master.with_suffix("").with_suffix(".txt"))
    text = master.with_suffix("").with_suffix(".txt").read_text(encoding="utf-8")
    assert "wage-_increase_" in text and "_ersatz_-wages" in text and "by_encouraging" in text
    assert verify_work(SEED, tmp_path, against_source=False) == []


@pytest.mark.parametrize(
    ("printed", "changed_to", "reported"),
    [
        ("wage-_increase_", "wage _increase_", "wage-increase"),  # the hyphen lost: two words
        ("_ersatz_-wages", "_ersatz_ wages", "ersatz-wages"),
        ("by_encouraging", "byencouraging", "by encouraging"),  # the master's underscore lost
        ("pp.390_f._", "pp.390 _f._", "390f"),
    ],
)
def test_text_edition_still_reports_a_word_parted_or_joined(
    tmp_path: Path, printed: str, changed_to: str, reported: str
) -> None:
    master = project_with(tmp_path, EXCERPTS)
    txt = master.with_suffix("").with_suffix(".txt")
    write_txt(master, txt)
    text = txt.read_text(encoding="utf-8")
    assert printed in text
    txt.write_text(text.replace(printed, changed_to, 1), encoding="utf-8")
    found = verify_work(SEED, tmp_path, against_source=False)
    assert len(found) == 1 and found[0].kind == "changed" and found[0].words == reported.split(), found


def test_literal_underscores_of_the_master_are_kept_as_its_text() -> None:
    from pipeline.verify.txt import join_inword_marks
    from pipeline.words import words

    line = "nuclear holocaust by_encouraging aggression upto the point (pp.12_ff._) _ersatz_-wages"
    assert words(join_inword_marks(line, frozenset({"by_encouraging"}))) == words(
        "nuclear holocaust by encouraging aggression upto the point pp 12ff ersatz-wages"
    )


def stream(*ws: str) -> Stream:
    """A PDF line's words as :func:`pipeline.verify.pdf.read_regions` gathers them."""
    out = Stream()
    for n, w in enumerate(ws):
        out.add(Token(key_of(w), w, "page 9"), Place(8, 100.0, 10.0 * n, n == 0))
    return out


def rejoin(master_words: list[str], pdf_words: list[str], broken: int, vocabulary: list[str]) -> tuple:
    """The differences (missing, added) and the rules, the PDF's word ``broken`` ending a line with a hyphen."""
    from pipeline.verify.pdf import aligned_runs

    rules: Counter[str] = Counter()
    got = stream(*pdf_words).joined({broken}, frozenset(vocabulary), rules)
    master = [Token(key_of(w), w, "line 119") for w in master_words]
    _, missing, added, _ = aligned_runs(master, got.tokens, set(), got.breaks, rules)
    return missing, added, rules


def test_pdf_line_end_hyphen_after_a_digit_joins() -> None:
    """bedacht-1927-x01: "guarantee a 6-" / "day productivity" is the master's "6-day"."""
    from pipeline.verify.pdf import HYPHEN_END_RE

    assert HYPHEN_END_RE.search("6-") and HYPHEN_END_RE.search("160-") and not HYPHEN_END_RE.search("–")
    words = ["a", "6-day", "productivity"]
    assert rejoin(words, ["a", "6", "day", "productivity"], 1, ["a", "6", "day", "6day"]) == (
        [],
        [],
        Counter({"line-end hyphen": 1}),
    )


ZINOVIEV = ["between", "bourgeois", "democratic", "movements"]  # master line 119: "bourgeois- democratic"
BOTH_WAYS = ["between", "bourgeois", "democratic", "bourgeoisdemocratic", "movements"]  # the work spells both


def test_pdf_print_hyphen_at_a_line_end_in_a_work_spelling_both_ways_is_no_difference() -> None:
    """zinoviev-1927-china, murphy-jt-1939-x01: the source's "bourgeois- democratic" set
    "bourgeois-" / "democratic" is joined by the vocabulary (the work also has
    "bourgeois-democratic"); the alignment shows the master's two words, same letters."""
    missing, added, rules = rejoin(ZINOVIEV, ZINOVIEV, 1, BOTH_WAYS)
    assert (missing, added) == ([], []) and rules == Counter({"line-end hyphen": 1, "print hyphen at a line end": 1})


@pytest.mark.parametrize(
    "pdf_words",
    [
        ["between", "bourgeois", "movements"],  # "democratic" lost
        ["between", "bourgeois", "democratics", "movements"],  # a letter added
        ["between", "bourgeois", "democratic", "democratic", "movements"],  # a word added
    ],
)
def test_pdf_line_end_hyphen_still_reports_a_lost_or_changed_half(pdf_words: list[str]) -> None:
    missing, added, _ = rejoin(ZINOVIEV, pdf_words, 1, BOTH_WAYS)
    assert missing or added


def test_epub_figures_are_read_in_spine_order(tmp_path: Path) -> None:
    """pollitt-marjorie-1937-trotskyism: a book split one document per chapter; its figures
    in text-2.xhtml and text-10.xhtml were compared in name order (text-10 first)."""
    master = project_with(tmp_path, [])
    tree = etree.parse(str(master))
    first = tree.getroot().xpath("tei:text/tei:body//tei:p", namespaces=NS)[0]
    for alt in ("A Collective Farm Family at Dinner", "Dnieprostroi Hydro-Electric Station"):
        first.addnext(
            etree.fromstring(
                f"<figure xmlns='{TEI}' type='missing'><graphic url='https://www.marxists.org/x.jpg'/>"
                f"<figDesc>{alt}</figDesc></figure>"
            )
        )
    tree.write(str(master), encoding="utf-8")
    tei = tree.getroot()

    def epub(spine: list[str]) -> Path:
        path = tmp_path / f"book-{'-'.join(spine)}.epub"
        docs = {"text-2": "Dnieprostroi Hydro-Electric Station", "text-10": "A Collective Farm Family at Dinner"}
        with zipfile.ZipFile(path, "w") as book:
            book.writestr(
                "META-INF/container.xml",
                "<container xmlns='urn:oasis:names:tc:opendocument:xmlns:container' version='1.0'><rootfiles>"
                "<rootfile full-path='EPUB/package.opf' media-type='application/oebps-package+xml'/>"
                "</rootfiles></container>",
            )
            items = "".join(f"<item id='{d}' href='{d}.xhtml' media-type='application/xhtml+xml'/>" for d in docs)
            refs = "".join(f"<itemref idref='{d}'/>" for d in spine)
            book.writestr(
                "EPUB/package.opf",
                f"<package xmlns='http://www.idpf.org/2007/opf' version='3.0'><manifest>{items}</manifest>"
                f"<spine>{refs}</spine></package>",
            )
            for name, alt in docs.items():
                book.writestr(
                    f"EPUB/{name}.xhtml",
                    "<html xmlns='http://www.w3.org/1999/xhtml'><body><figure class='figure missing'>"
                    f"<p class='figure-missing'>[Image not available: {alt}]</p></figure></body></html>",
                )
        return path

    assert check_figures(SEED, tei, master, [epub(["text-2", "text-10"])]) == []
    swapped = check_figures(SEED, tei, master, [epub(["text-10", "text-2"])])  # the figures' order changed
    assert [d.words for d in swapped] == [["figure 1"], ["figure 2"]]


def test_text_size_is_read_before_the_long_notes() -> None:
    """montefiore-1912-women-war2 (its real master and PDF): a letter of 400 words set as a
    long note after a text of 300 outnumbered the text's type size; the text then lost its
    foot region, and the page's pointer "Printed after the text, page 4" was read as text."""
    from pipeline.verify.differences import Comparison
    from pipeline.verify.pdf import check_pdf

    tei, meta = load(DATA / "montefiore-1912-women-war2.tei.xml")
    master = read_master(tei)
    cmp = Comparison("montefiore-1912-women-war2", "montefiore-1912-women-war2.pdf")
    check_pdf(DATA / "montefiore-1912-women-war2.pdf", master, meta, cmp)
    assert cmp.differences == [] and cmp.rules["long notes"] == 1
    # a word of the long note lost is still missing from the notes
    short = copy.deepcopy(tei)
    note_p = short.xpath("//tei:note[@xml:id='note-1']/tei:p", namespaces=NS)[3]
    note_p.text = (note_p.text or "") + " intruder"
    cmp = Comparison("montefiore-1912-women-war2", "montefiore-1912-women-war2.pdf")
    check_pdf(DATA / "montefiore-1912-women-war2.pdf", read_master(short), meta, cmp)
    assert [(d.kind, d.words) for d in cmp.differences] == [("missing", ["intruder"])]


def test_a_note_holding_a_table_is_set_apart_as_a_table(tmp_path: Path) -> None:
    """wintringham-1934-air (its real master): note 1 holds a table of 23 cells; at the page
    foot each cell took a line and the note ran over the next page's running head and text
    (a fault of the edition). Now it is set with the long notes, its rows a table again,
    and the text region holds no word of it."""
    from pipeline.pdftext import pdf_lines
    from pipeline.verify.differences import Comparison
    from pipeline.verify.pdf import check_pdf_pages
    from pipeline.writers.pdf import write_pdf

    pdf = tmp_path / "wintringham-1934-air.pdf"
    write_pdf(DATA / "wintringham-1934-air.tei.xml", pdf)
    pages = pdf_lines(pdf)
    lines = [line.text for page in pages for line in page]
    start = lines.index("Long notes")
    assert any(line.startswith("de Havilland 26 6 61 9") for line in lines[start:])  # one row, one line
    assert any(line.startswith("1. Printed after the text, page") for line in lines[:start])
    tei, meta = load(DATA / "wintringham-1934-air.tei.xml")
    cmp = Comparison("wintringham-1934-air", pdf.name)
    check_pdf_pages(pages, read_master(tei), meta, cmp)
    # the note's table, read row by row ("Mean July" / "1933 1934"), is the layout's order
    assert cmp.differences == [] and cmp.rules["table reading order"] == 1 and cmp.rules["long notes"] == 1


# mehring-1910-absrev page 94, as PDFium reads it: "33<hi rend="sup">1</hi>/<hi rend="sub">3</hi>"
MEHRING_LINE = PdfLine(
    62.25,
    79.20,
    [("but", 13.7), ("the", 13.7), ("peasant", 13.7), ("33", 13.7), ("1", 9.59), ("/", 13.7), ("3", 9.59)]
    + [("per", 13.7)],
    [(272.47, 286.71), (289.24, 302.04), (304.57, 334.72), (337.25, 347.33), (347.35, 350.87)]
    + [(350.87, 355.06), (355.06, 358.59), (361.12, 374.17)],
)


def test_a_raised_figure_whose_label_opens_no_note_at_the_foot_is_a_word() -> None:
    """mehring-1910-absrev: 130 notes, so "1" and "3" are note labels, and the fraction's
    raised figures are as small as a call. A call's note stands at its page's foot; page 94
    has none labelled "1" or "3": they are words, the "1" part of "331" as in the master."""
    from pipeline.verify.pdf import read_line
    from pipeline.words import words

    stream = Stream()
    read_line(stream, MEHRING_LINE, 93, 13.7, set())
    assert [t.key for t in stream.tokens] == words("but the peasant 331/3 per")  # the master's words
    assert [t.key for t in stream.tokens] == ["but", "the", "peasant", "331", "3", "per"]
    calls = Stream()  # were a note "1" at the page's foot, the small "1" would be its call
    read_line(calls, MEHRING_LINE, 93, 13.7, {"1"})
    assert [t.key for t in calls.tokens] == ["but", "the", "peasant", "33", "3", "per"]


def test_long_note_is_found_by_its_opening_words_among_notes_of_one_label() -> None:
    """lenin-1920-8thcong numbers each part's notes from 1 (three notes "1"): the pointer
    "1. Printed after the text, page 56." stands for the first, whose words the Long notes
    section prints; the label alone named the last."""
    from pipeline.verify.pdf import long_notes_of

    tei = etree.fromstring(
        f"<TEI xmlns='{TEI}'><text><body><p>Congress<ref type='noteref' target='#a'>1</ref> executives"
        "<ref type='noteref' target='#b'>1</ref> Wrangel<ref type='noteref' target='#c'>1</ref></p></body>"
        "<back><div type='notes'>"
        "<note xml:id='a' n='1'><p>The Congress was held in Moscow from December 22 to 29, 1920.</p></note>"
        "<note xml:id='b' n='1'><p>Lenin is referring to his speech at the meeting of activists.</p></note>"
        "<note xml:id='c' n='1'><p>On August 10, 1920, the French Government officially recognised"
        " Wrangel.</p></note></div></back></text></TEI>"
    )
    master = read_master(tei)
    section = ["1", "the", "congress", "was", "held", "in", "moscow", "from", "december"]
    assert long_notes_of(master, ["1"], section) == {0}
    assert long_notes_of(master, ["1"], ["1", "on", "august", "10", "1920", "the", "french"]) == {2}


def test_table_cells_of_one_row_a_fraction_of_a_point_apart_read_in_either_order() -> None:
    """lozovsky-1922-women's closing table, as PDFium reads page 5: the italic "Moscow" sets
    its row's first cell 0.2 pt below the second, so the stream reads "General Secretary,
    A." / "Moscow, April 5th, 1922" / "Lozovsky". The page's order is left to right on a
    line, top to bottom in a column: the master's order is one it allows. A word moved out
    of its cell, or the row's cells exchanged in the master, is still reported."""
    from pipeline.verify.pdf import aligned_runs
    from pipeline.verify.pdf_layout import forgive_table_order

    def placed(*fragments: tuple[float, float, str]) -> Stream:
        out = Stream()
        for top, left, text in fragments:
            for n, w in enumerate(text.split()):
                out.add(Token(key_of(w), w, "page 5"), Place(4, top, left + 20 * n, n == 0))
        return out

    def reported(master_text: str, got: Stream) -> list:
        master = [Token(key_of(w), w, "line 123") for w in master_text.split()]
        _, missing, added, ops = aligned_runs(master, got.tokens, set())
        return [*forgive_table_order(master, got, ops, missing, added, frozenset({"line 123"}))]

    master = "Moscow, April 5th, 1922 General Secretary, A. Lozovsky"
    page = placed(
        (311.9, 258.6, "General Secretary, A."), (312.1, 49.6, "Moscow, April 5th, 1922"), (324.8, 258.4, "Lozovsky")
    )
    assert reported(master, page) == [[], []]
    moved = placed(
        (311.9, 258.6, "General Secretary, 1922 A."), (312.1, 49.6, "Moscow, April 5th,"), (324.8, 258.4, "Lozovsky")
    )
    assert reported(master, moved) != [[], []]  # "1922" moved into the other cell
    assert reported("General Secretary, A. Lozovsky Moscow, April 5th, 1922", page) != [[], []]


def test_a_table_fragment_opening_with_a_sign_opens_at_its_first_word() -> None:
    """mandel-1976-hesitant-uneven-inflatory-upturn's "Austrian public debt", as PDFium reads
    page 11: the cell "% of GNP" opens with a sign, no word; its first word "of" opens the
    fragment, so the master's cell order (the header's first cell, its second line, then
    "% of GNP") is one the page allows."""
    from pipeline.verify.pdf import aligned_runs, read_line
    from pipeline.verify.pdf_layout import forgive_table_order

    lines = [
        PdfLine(185.95, 198.28, [("Absolute", 12.33), ("figures", 12.33)], [(148.49, 181.39), (183.28, 207.16)]),
        PdfLine(
            185.95,
            198.28,
            [("%", 12.33), ("of", 12.33), ("GNP", 12.33)],
            [(295.47, 301.62), (303.51, 312.15), (313.08, 332.67)],
        ),
        PdfLine(
            198.8,
            211.13,
            [("(in", 12.33), ("thousands", 12.33), ("of", 12.33), ("millions", 12.33), ("of", 12.33)]
            + [("schillings)", 12.33)],
            [(148.5, 158.78), (160.67, 197.81), (199.7, 208.35), (209.27, 238.51), (240.4, 249.04), (249.97, 286.03)],
        ),
    ]
    got = Stream()
    for line in lines:
        read_line(got, line, 10, 12.33, set())
    assert [p.opens for p in got.places] == [True, False, True, False, True] + [False] * 5
    master = [
        Token(key_of(w), w, "line 295") for w in "Absolute figures in thousands of millions of schillings".split()
    ]
    master += [Token(key_of(w), w, "line 296") for w in ("of", "GNP")]
    _, missing, added, ops = aligned_runs(master, got.tokens, set())
    assert missing and added
    table = frozenset({"line 295", "line 296"})
    assert forgive_table_order(master, got, ops, missing, added, table) == ([], [])


# varga-1924-x01 page 19, the header row of a table, as PDFium reads it: the cell
# "Czecho-Slovakia" wraps at its hyphen, the next cell "Poland" stands on the same line
VARGA_ROW = [
    PdfLine(
        232.0,
        244.3,
        [("1922", 12.3), ("U.S.A.", 12.3), ("England", 12.3), ("France", 12.3), ("Germany", 12.3), ("Czecho-", 12.3)],
        [(50.1, 69.5), (90.4, 115.6), (135.4, 167.4), (183.6, 209.1), (231.8, 267.0), (279.9, 310.9)],
    ),
    PdfLine(232.0, 244.3, [("Poland", 12.3)], [(328.1, 354.8)]),
    PdfLine(244.8, 257.1, [("Slovakia", 12.3)], [(279.9, 311.4)]),
]


def test_a_table_cell_broken_at_its_hyphen_joins_the_word_below_it() -> None:
    """The broken cell's continuation is the word below it in its column, not the next
    cell of the row ("Czecho-Poland" was read, "Slovakia" left alone); the table then reads
    as the master's cells. Two words of the master in a cell stay two."""
    from pipeline.verify.pdf import HYPHEN_END_RE, read_line

    got = Stream()
    broken = set()
    for line in VARGA_ROW:
        last = read_line(got, line, 18, 12.3, set())
        if HYPHEN_END_RE.search(last):
            broken.add(len(got.tokens) - 1)
    vocabulary = frozenset(["czechoslovakia", "slovakia", "poland", "per", "cent", "percent"])
    keys = [t.key for t in got.joined(broken, vocabulary).tokens]
    assert keys == ["1922", "u", "s", "a", "england", "france", "germany", "czechoslovakia", "poland"]
    # the master's "PER CENT" in a cell, set "PER-" / "CENT" (corey-1934-decline page 344)
    cell = Stream()
    for top, left, word in (
        (100.0, 50.0, "NUMBER"),
        (100.0, 120.0, "PER-"),
        (100.0, 160.0, "MONEY"),
        (112.0, 120.0, "CENT"),
    ):
        cell.add(Token(key_of(word), word, "page 344"), Place(343, top, left, True))
    assert [t.key for t in cell.joined({1}, vocabulary).tokens] == ["number", "per", "money", "cent"]


def test_no_more_small_numbers_are_calls_than_the_master_makes() -> None:
    """varga-1924-x01 page 24 (its archive PDF, as PDFium reads it): "34,000" carries the call
    of note 13; the next row's "2,000<hi rend="sup">13</hi>" is the source's own raised 13,
    text in the master ("2,00013"). Note 13 stands at the page's foot, so both small 13s
    could be its call: the master makes one call of note 13, so the second is a word."""
    from pipeline.verify.pdf import read_line

    lines = [
        PdfLine(48.4, 60.8, [("34,000", 12.33), ("13", 6.88)], [(107.9, 132.8), (133.0, 138.1)]),
        PdfLine(
            64.1,
            76.9,
            [("1922", 12.33), ("2,000", 12.33), ("13", 8.63), ("1,926", 12.33)],
            [(61.4, 79.6), (107.9, 128.2), (128.2, 134.6), (147.5, 167.9)],
        ),
    ]
    got = Stream()
    budget = Counter({"13": 1})
    for line in lines:
        read_line(got, line, 23, 13.7, {"13"}, budget)
    assert [t.key for t in got.tokens] == ["34", "000", "1922", "2", "00013", "1", "926"]
    unbounded = Stream()
    for line in lines:
        read_line(unbounded, line, 23, 13.7, {"13"})
    assert "00013" not in [t.key for t in unbounded.tokens]  # every small 13 a call: the master's word lost
