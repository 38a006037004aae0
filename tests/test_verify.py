"""``pipeline verify``: clean editions pass; each kind of corruption of each kind of
edition is caught and located.

The EPUB and PDF are made here from the seed master with the shared XHTML transform
(tests/editions.py), so a corruption can be made at a known place; the text edition is
the real writer's output. Each PDF is rendered once (about 2 s each).
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.master.read import load
from pipeline.verify.differences import Difference
from pipeline.verify.master import read_master
from pipeline.verify.work import check_work, verify_work
from pipeline.words import align, words
from pipeline.writers.txt import write_txt
from pipeline.writers.xhtml import H
from tests.conftest import PROJECT, SEED, run_pipeline
from tests.editions import make_epub, make_pdf

GOLDEN_MASTER = PROJECT / "tests" / "golden" / f"{SEED}.tei.xml"


def new_project(root: Path) -> Path:
    """A project folder holding the seed's master and all four editions."""
    folder = root / "editions" / SEED
    folder.mkdir(parents=True)
    master = folder / f"{SEED}.tei.xml"
    shutil.copy(GOLDEN_MASTER, master)
    write_txt(master, folder / f"{SEED}.txt")
    write_txt(master, folder / f"{SEED}.ascii.txt", ascii_only=True)
    make_epub(master, folder / f"{SEED}.epub")
    make_pdf(master, folder / f"{SEED}.pdf")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_project(tmp_path_factory.mktemp("verify"))


def master_line(phrase: str) -> str:
    """The master's line of the block holding ``phrase`` (how verify names master positions)."""
    tei, _ = load(GOLDEN_MASTER)
    for el in tei.iter():
        if isinstance(el.tag, str) and phrase in (el.text or "") + "".join(c.tail or "" for c in el):
            return f"line {el.sourceline}"
    raise AssertionError(phrase)


# ---- clean editions ---------------------------------------------------------------------------


def test_clean_editions_pass(project: Path) -> None:
    proc = run_pipeline("verify", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [proc.stderr.strip()] and "0 difference(s); every edition" in proc.stderr
    proc = run_pipeline("verify", "--verbose", cwd=project)  # a line per edition
    for ext in ("epub", "pdf", "txt", "ascii.txt"):
        assert f"{SEED}: {SEED}.{ext}: ok (" in proc.stderr
    assert "0 difference(s)" in proc.stderr


def test_json_report(project: Path) -> None:
    proc = run_pipeline("verify", SEED, "--format", "json", cwd=project)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["ok"] is True and report["works"] == [SEED]
    assert sorted(e["edition"] for e in report["editions"]) == sorted(
        f"{SEED}.{x}" for x in ("epub", "pdf", "txt", "ascii.txt")
    )
    tei, _ = load(GOLDEN_MASTER)
    master = read_master(tei)
    assert all(e["notes"] == 9 and e["words"] > 3900 and e["differences"] == [] for e in report["editions"])
    assert len(master.notes) == 9


@pytest.mark.parametrize("tool", ["pypdf", "pdftotext"])
def test_pdf_read_by_every_tool(project: Path, tool: str) -> None:
    """PDFium (the default), pypdf and Poppler's pdftotext read the same PDF alike:
    no difference with any, the same pages, and the same words on each page."""
    from pipeline.verify.differences import Comparison
    from pipeline.verify.pdf import check_pdf, pdf_lines

    pdf = project / "editions" / SEED / f"{SEED}.pdf"
    tei, meta = load(GOLDEN_MASTER)
    cmp = Comparison(SEED, pdf.name)
    check_pdf(pdf, read_master(tei), meta, cmp, tool=tool)
    assert cmp.differences == []
    ours, theirs = pdf_lines(pdf), pdf_lines(pdf, tool)
    assert len(ours) == len(theirs)
    if tool == "pdftotext":  # both read word boxes: the same words, page by page
        for p, (a, b) in enumerate(zip(ours, theirs), 1):
            assert sorted(w for l in a for w, _ in l.words) == sorted(w for l in b for w, _ in l.words), f"page {p}"


def test_master_words_cover_body_closer_and_notes() -> None:
    tei, _ = load(GOLDEN_MASTER)
    master = read_master(tei)
    body = [t.surface for t in master.body.tokens(refs=False)]
    assert body[:3] == ["THE", "QUESTION", "of"]
    assert body[-5:] == ["Leon", "TROTSKY", "Moscow", "December", "1923"]
    assert [label for _, label, _ in master.notes] == [str(n) for n in range(1, 10)]
    assert "Notes" not in " ".join(t.surface for t in master.note_tokens())


# ---- corruptions ------------------------------------------------------------------------------
# Each corruption is made the way a faulty writer would make it: in the text edition's
# lines, in the EPUB's XHTML, in the XHTML the PDF is rendered from.

Edit = Callable[[etree._Element, etree._Element | None], None]


def remove(el: etree._Element) -> None:
    """Remove an element but not the text that follows it."""
    prev, parent = el.getprevious(), el.getparent()
    if prev is not None:
        prev.tail = (prev.tail or "") + (el.tail or "")
    else:
        parent.text = (parent.text or "") + (el.tail or "")
    parent.remove(el)


def replace_text(old: str, new: str) -> Edit:
    def edit(html: etree._Element, notes: etree._Element | None) -> None:
        for el in html.iter():
            for attr in ("text", "tail"):
                value = getattr(el, attr)
                if value and old in value:
                    setattr(el, attr, value.replace(old, new, 1))
                    return
        raise AssertionError(f"{old!r} not found")

    return edit


def drop_note_3(html: etree._Element, notes: etree._Element | None) -> None:
    if notes is not None:  # EPUB: the endnote
        (li,) = notes.xpath("//h:li[@id='note-3']", namespaces={"h": H[1:-1]})
        li.getparent().remove(li)
        return
    (span,) = html.xpath("//h:span[@id='note-3']", namespaces={"h": H[1:-1]})  # PDF: the footnote
    remove(span)


def swap_paragraphs(html: etree._Element, notes: etree._Element | None) -> None:
    paras = html.xpath(
        "//h:section[@epub:type='bodymatter']//h:p", namespaces={"h": H[1:-1], "epub": "http://www.idpf.org/2007/ops"}
    )
    a, b = paras[1], paras[2]  # "We are the only party ..." and "What results ensue? ..."
    parent = a.getparent()
    parent.remove(b)
    parent.insert(parent.index(a), b)


def corrupt_txt(path: Path, corruption: str) -> None:
    text = path.read_text(encoding="utf-8")
    if corruption == "drop-word":
        text = text.replace("hung by a hair.", "hung by a .", 1)
    elif corruption == "add-word":
        text = text.replace("The lid must be", "The lid surely must be", 1)
    elif corruption == "drop-note":
        text = re.sub(r"\n\[3\] .*?\n\n(?=\[4\] )", "\n", text, count=1, flags=re.S)
    elif corruption == "swap-paragraphs":
        parts = text.split("\n\n")
        i = next(n for n, p in enumerate(parts) if p.startswith("We are the only party"))
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
        text = "\n\n".join(parts)
    path.write_text(text, encoding="utf-8")


EDITS: dict[str, Edit] = {
    "drop-word": replace_text("hung by a hair.", "hung by a ."),
    "add-word": replace_text("The lid must be", "The lid surely must be"),
    "drop-note": drop_note_3,
    "swap-paragraphs": swap_paragraphs,
}
CORRUPTIONS = list(EDITS)


def corrupted(tmp_path: Path, edition: str, corruption: str) -> tuple[Path, list[Difference]]:
    """A project whose one edition is corrupted; returns its file and verify's differences."""
    folder = tmp_path / "editions" / SEED
    folder.mkdir(parents=True)
    master = folder / f"{SEED}.tei.xml"
    shutil.copy(GOLDEN_MASTER, master)
    path = folder / f"{SEED}.{edition}"
    if edition == "txt":
        write_txt(master, path)
        corrupt_txt(path, corruption)
    elif edition == "epub":
        make_epub(master, path, EDITS[corruption])
    else:
        make_pdf(master, path, EDITS[corruption])
    return path, verify_work(SEED, tmp_path)


def position_pattern(edition: str) -> str:
    return {"txt": r"line \d+", "epub": r"(text|notes)\.xhtml", "pdf": r"page \d+"}[edition]


@pytest.mark.parametrize("edition", ["txt", "epub", "pdf"])
@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corruption_is_caught_and_located(tmp_path: Path, edition: str, corruption: str) -> None:
    path, diffs = corrupted(tmp_path, edition, corruption)
    lines = [str(d) for d in diffs]
    assert diffs, f"{corruption} in the {edition} went unnoticed"
    for d in diffs:  # every report is one located line: work, edition, position, context
        assert "\n" not in str(d)
        assert str(d).startswith(f"{SEED}: {path.name}: ")
        assert re.search(position_pattern(edition), d.where), d
    if corruption == "drop-word":
        (d,) = diffs
        assert (d.kind, d.words, d.master_where) == ("missing", ["hair"], master_line("hung by a hair"))
        assert "hung by a [hair] How was a split" in d.context
    elif corruption == "add-word":
        (d,) = diffs
        assert (d.kind, d.words) == ("added", ["surely"])
        assert "The lid [surely] must be" in d.context
        assert f'(edition: "{d.context}"' in str(d) and "(master" not in str(d)  # the context is the edition's
    elif corruption == "drop-note":
        missing = [d for d in diffs if d.kind == "missing"]
        assert len(missing) == 1 and missing[0].master_where == "note 3", lines
        assert [w for w in missing[0].words if not w.startswith("(")][:3] == ["Led", "by", "Bukharin"]
        # the EPUB also has a marker now linking nowhere; nothing else differs
        assert all(d.kind == "missing" or (edition == "epub" and d.kind == "broken-link") for d in diffs), lines
    elif corruption == "swap-paragraphs":
        (d,) = diffs
        assert d.kind == "moved", lines
        assert d.master_where in (master_line("We are the only party"), master_line("What results ensue"))
    if edition == "txt" and corruption in ("drop-word", "add-word"):
        number = int(re.search(r"line (\d+)", diffs[0].where).group(1))
        line = path.read_text(encoding="utf-8").split("\n")[number - 1]
        assert ("hung by a" in line) if corruption == "drop-word" else ("surely" in line)


def corrupt_real_epub(src: Path, dst: Path, edit: Edit) -> None:
    """Copy the EPUB writer's output, applying ``edit`` to its text and notes documents."""
    from pipeline.master.tei import safe_parser

    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        text_name = next(n for n in names if n.endswith("/text.xhtml"))
        notes_name = next(n for n in names if n.endswith("/notes.xhtml"))
        docs = {n: etree.fromstring(zin.read(n), safe_parser()) for n in (text_name, notes_name)}
        edit(docs[text_name], docs[notes_name])
        with zipfile.ZipFile(dst, "w") as zout:
            for info in zin.infolist():
                data = (
                    etree.tostring(docs[info.filename], xml_declaration=True, encoding="utf-8")
                    if info.filename in docs
                    else zin.read(info)
                )
                zout.writestr(info, data)


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_real_epub_corruption_is_caught(built: Path, tmp_path: Path, corruption: str) -> None:
    """The same corruptions, made in the EPUB that the EPUB writer built."""
    real = built / "editions" / SEED / f"{SEED}.epub"
    folder = tmp_path / "editions" / SEED
    folder.mkdir(parents=True)
    shutil.copy(built / "editions" / SEED / f"{SEED}.tei.xml", folder)
    corrupt_real_epub(real, folder / real.name, EDITS[corruption])
    diffs = verify_work(SEED, tmp_path)
    kinds = sorted({d.kind for d in diffs})
    expected = {
        "drop-word": ["missing"],
        "add-word": ["added"],
        "drop-note": ["broken-link", "missing"],
        "swap-paragraphs": ["moved"],
    }
    assert kinds == expected[corruption], [str(d) for d in diffs]
    assert all(re.search(r"(text|notes)\.xhtml", d.where) for d in diffs)


def test_cli_exit_status_and_lines_on_corruption(tmp_path: Path) -> None:
    path, _ = corrupted(tmp_path, "txt", "drop-word")
    proc = run_pipeline("verify", cwd=tmp_path)
    assert proc.returncode == 1
    (line,) = proc.stdout.splitlines()
    assert line.startswith(f"{SEED}: {SEED}.txt: after line ") and 'missing "hair"' in line
    assert "1 difference(s)" in proc.stderr


def test_ascii_edition_corruption_caught(tmp_path: Path) -> None:
    folder = tmp_path / "editions" / SEED
    folder.mkdir(parents=True)
    master = folder / f"{SEED}.tei.xml"
    shutil.copy(GOLDEN_MASTER, master)
    path = folder / f"{SEED}.ascii.txt"
    write_txt(master, path, ascii_only=True)
    assert verify_work(SEED, tmp_path) == []
    text = path.read_text()
    assert "the trade unions, nor even around workers'\ndemocracy." in text  # as wrapped
    path.write_text(text.replace("workers'\ndemocracy.", "workers'\n.", 1))
    (d,) = verify_work(SEED, tmp_path)
    assert (d.kind, d.words) == ("missing", ["democracy"])


def test_txt_marker_dropped_is_caught(tmp_path: Path) -> None:
    path, _ = corrupted(tmp_path, "txt", "none")
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r"Miasnikov\s\[1\]\s", text)) == 1
    path.write_text(re.sub(r"Miasnikov\s\[1\]\s", "Miasnikov ", text), encoding="utf-8")
    (d,) = verify_work(SEED, tmp_path)
    assert (d.kind, d.words) == ("missing", ["[1]"])


def test_epub_marker_dropped_is_caught(tmp_path: Path) -> None:
    def drop_marker(html: etree._Element, notes: etree._Element | None) -> None:
        (sup,) = html.xpath("//h:sup[h:a[@href='notes.xhtml#note-1']]", namespaces={"h": H[1:-1]})
        remove(sup)

    folder = tmp_path / "editions" / SEED
    folder.mkdir(parents=True)
    shutil.copy(GOLDEN_MASTER, folder / f"{SEED}.tei.xml")
    make_epub(folder / f"{SEED}.tei.xml", folder / f"{SEED}.epub", drop_marker)
    (d,) = verify_work(SEED, tmp_path)
    assert (d.kind, d.words) == ("missing", ["[1]"])
    assert "Miasnikov [[1]] and his" in d.context


def test_pdf_note_away_from_its_marker_is_caught(tmp_path: Path) -> None:
    def move_note(html: etree._Element, notes: etree._Element | None) -> None:
        (span,) = html.xpath("//h:span[@id='note-1']", namespaces={"h": H[1:-1]})
        (note_2,) = html.xpath("//h:span[@id='note-2']", namespaces={"h": H[1:-1]})
        remove(span)
        span.tail = " "
        note_2.addprevious(span)  # still before note 2, but pages after its marker

    folder = tmp_path / "editions" / SEED
    folder.mkdir(parents=True)
    shutil.copy(GOLDEN_MASTER, folder / f"{SEED}.tei.xml")
    make_pdf(folder / f"{SEED}.tei.xml", folder / f"{SEED}.pdf", move_note)
    diffs = verify_work(SEED, tmp_path)
    assert [d.kind for d in diffs] == ["misplaced"], [str(d) for d in diffs]
    assert re.fullmatch(r"note 1 is on page (\d+), its marker on page (\d+)", diffs[0].detail)
    assert diffs[0].master_where == "note 1" and "its marker on page" in diffs[0].detail


def test_unreadable_edition_is_a_difference(tmp_path: Path) -> None:
    folder = tmp_path / "editions" / SEED
    folder.mkdir(parents=True)
    shutil.copy(GOLDEN_MASTER, folder / f"{SEED}.tei.xml")
    (folder / f"{SEED}.epub").write_bytes(b"not a zip")
    (d,) = verify_work(SEED, tmp_path)
    assert d.kind == "unreadable" and "EPUB" in d.detail


def test_unknown_work_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "editions").mkdir()
    proc = run_pipeline("verify", "no-such-work", cwd=tmp_path)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "error: no master for work" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_built_project_verifies(built: Path) -> None:
    """``make`` (pipeline build) ran verify on every work; ``make verify`` passes on them."""
    proc = run_pipeline("verify", "--verbose", cwd=built)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{SEED}: {SEED}.txt: ok" in proc.stderr
    assert [r.differences for r in check_work(SEED, built)] == [[] for _ in check_work(SEED, built)]


# ---- words and alignment ------------------------------------------------------------------------


def test_word_normalization() -> None:
    assert words("Brest-Litovsk work\u00aders’ ﬁne short-sighted _em_ *b*") == words(
        "Brest\u2010Litovsk workers' fine shortsighted em b"
    )
    assert words("1918–1919 — Lenin …") == ["1918", "1919", "lenin"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from("the of party a b c d e f g h".split()), max_size=900),
    st.lists(st.tuples(st.integers(0, 900), st.sampled_from(["del", "ins", "swap"])), max_size=6),
)
def test_align_turns_a_into_b(a: list[str], edits: list[tuple[int, str]]) -> None:
    b = list(a)
    for pos, what in edits:
        pos = min(pos, len(b))
        if what == "del" and b:
            del b[min(pos, len(b) - 1)]
        elif what == "ins":
            b.insert(pos, "NEW")
        elif len(b) > pos + 20:
            b[pos : pos + 10], b[pos + 10 : pos + 20] = b[pos + 10 : pos + 20], b[pos : pos + 10]
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in align(a, b):
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
    assert rebuilt == b


# ---- the PDF read by region -------------------------------------------------------------------


def test_pdf_note_amid_repetitive_text_across_a_page_break(tmp_path: Path) -> None:
    """Notes in text made of the same common words: read by region, a note's words are
    only ever compared with the master's notes, never taken for the text's.

    In bench.corpus's work of 40,000 words from seed 5, note 38 stands at the foot of
    page 59, between that page's text and its continuation on page 60; its last word
    "to" is the text's commonest. Aligned against every word of the PDF in drawing order,
    that "to" was taken for the text's (a false "added" on page 59, "missing" note word)."""
    from bench.corpus import generate
    from pipeline.ingest import ingest
    from pipeline.paths import edition_path, master_path, sources_dir
    from pipeline.verify.pdf import pdf_lines, pdf_regions
    from pipeline.words import key_of
    from pipeline.writers.pdf import write_pdf

    (work,) = generate(tmp_path, [40000], seed=5)
    master = ingest(sources_dir(tmp_path) / work.slug, master_path(work.slug, tmp_path))
    pdf = edition_path(work.slug, "pdf", tmp_path)
    write_pdf(master, pdf)
    tei, meta = load(master)
    text = read_master(tei)
    note = next(col for _, label, col in text.notes if label == "38")
    note_words = [t.key for t in note.tokens(notes=False, numbers=False)]
    main, foot = pdf_regions(pdf_lines(pdf), meta, {key_of(l) for l in text.labels})
    keys = [t.key for t in foot]
    start = next(j for j in range(len(keys)) if keys[j : j + len(note_words)] == note_words)
    assert {t.where for t in foot[start : start + len(note_words)]} == {"page 59"}
    assert note_words[-1] == "to" and "to" in [t.key for t in main if t.where == "page 60"][:20]
    assert not any(t.key == "38" for t in main)  # the note's call is not a word of the text
    assert verify_work(work.slug, tmp_path) == []


@pytest.mark.parametrize(
    ("edition_line", "master_words"),
    [
        ("(_Daily Worke_r, October 11, 1940).", "Daily Worker October 11 1940"),  # <hi>Daily Worke</hi>r
        ("_The *Tribune*’s charge confirms", "The Tribune’s charge confirms"),  # a possessive after emphasis
        # an address keeps its _ (the master's own: see tests/test_verify_archive.py)
        ("see archive/foo_bar.htm and _this_", "see archive foo bar htm and this"),
    ],
)
def test_text_edition_emphasis_inside_a_word_is_no_word_boundary(edition_line: str, master_words: str) -> None:
    """Issue 14: verify reported "Worker" -> "Worke r" where the source's emphasis ends
    inside a word; the marks are the writer's, not a change of words."""
    from pipeline.verify.txt import join_inword_marks
    from pipeline.words import words

    assert words(join_inword_marks(edition_line, frozenset({"foo_bar"}))) == words(master_words)


def test_a_real_split_word_is_still_a_difference() -> None:
    from pipeline.verify.txt import join_inword_marks
    from pipeline.words import words

    assert words(join_inword_marks("_Daily Worke r_, October")) != words("Daily Worker October")


def test_pdf_line_end_hyphen_joins_only_what_the_master_joins() -> None:
    """Issue 14: the source's print hyphen kept with a space ("bourgeois- democratic") set at
    a PDF line's end is the master's two words; "consti-" / "tution" is still one."""
    from pipeline.verify.pdf import join_broken
    from pipeline.words import Token, key_of

    def toks(*ws: str) -> list[Token]:
        return [Token(key_of(w), w, "page 2") for w in ws]

    vocabulary = frozenset(key_of(w) for w in ("bourgeois", "democratic", "constitution", "elements"))
    kept = join_broken(toks("bourgeois", "democratic", "elements"), {0}, vocabulary)
    assert [t.key for t in kept] == ["bourgeois", "democratic", "elements"]
    joined = join_broken(toks("consti", "tution", "elements"), {0}, vocabulary)
    assert [t.key for t in joined] == ["constitution", "elements"]
    lost = join_broken(toks("bourgeois", "elements"), {0}, vocabulary)  # "democratic" lost: still missing
    assert [t.key for t in lost] == ["bourgeois", "elements"]


def test_pdf_table_read_in_another_order_is_no_difference_but_a_lost_cell_word_is() -> None:
    """Issue 14 (mandel-1975-recession-prospects): a table cell wrapped over two lines is read
    row by row in the PDF; the table's words in another order are not a difference. Issue 22:
    only the order the page allows (each line of a cell whole; one line left to right, one
    column top to bottom): a swap inside a cell, or two cells exchanged, still is."""
    from collections import Counter

    from pipeline.verify.pdf_layout import Place, Stream, forgive_table_order
    from pipeline.words import Token, align, key_of

    def toks(text: str, where: str) -> list[Token]:
        return [Token(key_of(w), w, where) for w in text.split()]

    master = (
        toks("The indices fell", "line 10")
        + toks("Lowest Level in 1975", "line 12")
        + toks("Level on May 20 1975", "line 13")
        + toks("1974", "line 14")
        + toks("1976", "line 15")
        + toks("Then it rose", "line 20")
    )
    table = frozenset({"line 12", "line 13", "line 14", "line 15"})

    def page(*lines: tuple[float, list[tuple[float, str]]]) -> Stream:
        """A PDF page's lines: (top, [(left, fragment), ...])."""
        stream = Stream()
        for top, fragments in lines:
            for left, fragment in fragments:
                for n, t in enumerate(toks(fragment, "page 2")):
                    stream.add(t, Place(1, top, left + 10 * n, n == 0))
        return stream

    def runs(got: Stream) -> tuple[list, list, Counter[str]]:
        missing, added = [], []
        ops = align([t.key for t in master], [t.key for t in got.tokens])
        for tag, i1, i2, j1, j2 in ops:
            if tag in ("delete", "replace"):
                missing.append((i1, i2, j1))
            if tag in ("insert", "replace"):
                added.append((j1, j2, i1))
        rules: Counter[str] = Counter()
        return (*forgive_table_order(master, got, ops, missing, added, table, rules), rules)

    def pdf(row1: list[tuple[float, str]], row2: list[tuple[float, str]], row3: list[tuple[float, str]]) -> Stream:
        return page(
            (80, [(10, "The indices fell")]), (100, row1), (112, row2), (124, row3), (140, [(10, "Then it rose")])
        )

    reordered = pdf(
        [(10, "Lowest Level"), (100, "Level on May 20")],
        [(10, "in 1975"), (100, "1975")],
        [(10, "1974"), (100, "1976")],
    )
    assert runs(reordered) == ([], [], Counter({"table reading order": 1}))
    lost = pdf([(10, "Lowest Level"), (100, "Level on May 20")], [(10, "in 1975")], [(10, "1974"), (100, "1976")])
    assert runs(lost)[:2] != ([], [])  # one "1975" is gone from the table
    swapped = pdf(
        [(10, "Level Lowest"), (100, "Level on May 20")],
        [(10, "in 1975"), (100, "1975")],
        [(10, "1974"), (100, "1976")],
    )
    assert runs(swapped)[:2] != ([], [])  # two words of a cell exchanged
    exchanged = pdf(
        [(10, "Lowest Level"), (100, "Level on May 20")],
        [(10, "in 1975"), (100, "1975")],
        [(10, "1976"), (100, "1974")],
    )
    assert runs(exchanged)[:2] != ([], [])  # two cells of a row exchanged
    outside = page(
        (80, [(10, "The fell indices")]),
        *(
            (100 + 12 * n, [(10, line)])
            for n, line in enumerate(["Lowest Level in 1975", "Level on May 20 1975", "1974", "1976", "Then it rose"])
        ),
    )
    assert runs(outside)[:2] != ([], [])  # order still counts outside a table


def test_a_word_added_beside_a_table_does_not_hide_the_tables_reading_order() -> None:
    """Issue 22: a two-column table read row by row ("alpha cell | beta cell words" over
    "words | gamma ..."), with a word added right after it (a running head the page set
    beside its last line): the table's order is the layout's, forgiven; the added word is
    still reported."""
    from pipeline.verify.pdf import aligned_runs
    from pipeline.verify.pdf_layout import Place, Stream, forgive_table_order
    from pipeline.words import Token

    master = [Token(k, k, w) for k, w in [("before", "line 1"), ("alpha", "line 2"), ("cell", "line 2")]]
    master += [Token(k, k, "line 3") for k in ("words", "beta", "cell", "words", "gamma", "end")]
    got = Stream()
    layout = [  # the PDF's reading: (word, line top, left edge, opens a fragment)
        ("before", 90, 50, True),
        ("alpha", 100, 50, True),
        ("cell", 100, 71, False),
        ("beta", 100, 113, True),
        ("cell", 100, 130, False),
        ("words", 100, 144, False),
        ("words", 112, 50, True),
        ("gamma", 112, 113, True),
        ("end", 112, 144, False),
        ("intruder", 130, 50, True),
    ]
    for key, top, left, opens in layout:
        got.add(Token(key, key, "page 3"), Place(2, top, left, opens))
    _, missing, added, ops = aligned_runs(master, got.tokens, set())
    assert missing and added  # read row by row, the table differs from the master
    lines = frozenset({"line 2", "line 3"})
    missing, added = forgive_table_order(master, got, ops, missing, added, lines)
    assert missing == [] and [got.tokens[j].key for start, stop, _ in added for j in range(start, stop)] == ["intruder"]
