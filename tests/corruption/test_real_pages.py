"""Issue 22: a corruption suite generated from real pages. Each of drop, add, swap and move
one word, at each place (body text, a table cell, a signature, a note, a heading, a word at
a line-end hyphen, a page's first word after a page break), in each format (EPUB, PDF, the
text edition): verify catches every one, and its clean editions pass.

The pages are real MIA pages whose masters are kept as goldens (tests/golden): a table
(fitzgerald-1919-germanelections), headings (kitz-strikes), a signature, notes and
hyphenated compounds (trotsky-1923-faction). Their editions are written by the real
writers once per session; each corruption is made in the edition file (the PDF in its
text layer: :mod:`tests.corruption.mutate`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.master.read import EditionMeta, load
from pipeline.pdftext import PdfLine, pdf_lines
from pipeline.verify.differences import Comparison
from pipeline.verify.epub import check_epub
from pipeline.verify.master import MasterText, read_master
from pipeline.verify.pdf import check_pdf_pages
from pipeline.verify.pdf_layout import Stream
from pipeline.verify.txt import check_txt
from pipeline.writers.epub import write_epub
from pipeline.writers.pdf import write_pdf
from pipeline.writers.txt import write_txt
from tests.conftest import PROJECT
from tests.corruption.mutate import (
    MUTATIONS,
    PLACES,
    Target,
    corrupt_epub,
    corrupt_pdf_lines,
    corrupt_txt,
    master_targets,
    pdf_places,
    pdf_site,
    pdf_special_targets,
)

GOLDEN = PROJECT / "tests" / "golden"
PAGES = (
    GOLDEN / "works" / "trotsky-1923-faction" / "trotsky-1923-faction.tei.xml",
    GOLDEN / "pages" / "fitzgerald-1919-germanelections" / "fitzgerald-1919-germanelections.tei.xml",
    GOLDEN / "works" / "kitz-strikes" / "kitz-strikes.tei.xml",
)
FORMATS = ("epub", "pdf", "txt")


@dataclass
class Work:
    slug: str
    folder: Path
    master: MasterText
    meta: EditionMeta
    targets: dict[str, Target]
    pdf_pages: list[list[PdfLine]]
    pdf_streams: tuple[Stream, Stream]


@pytest.fixture(scope="session")
def works(tmp_path_factory: pytest.TempPathFactory) -> list[Work]:
    """Each page's master and its three editions, by the real writers."""
    out = []
    for master_file in PAGES:
        slug = master_file.name.removesuffix(".tei.xml")
        folder = tmp_path_factory.mktemp(slug)
        master_copy = folder / master_file.name
        shutil.copy(master_file, master_copy)
        write_txt(master_copy, folder / f"{slug}.txt")
        write_epub(master_copy, folder / f"{slug}.epub")
        write_pdf(master_copy, folder / f"{slug}.pdf")
        tei, meta = load(master_copy)
        master = read_master(tei)
        pages = pdf_lines(folder / f"{slug}.pdf", "pdfium", master.labels)
        out.append(
            Work(slug, folder, master, meta, master_targets(master_copy), pages, pdf_places(pages, master, meta))
        )
    return out


def differences(work: Work, fmt: str, path: Path | None = None, pages: list[list[PdfLine]] | None = None) -> list[str]:
    cmp = Comparison(work.slug, fmt)
    if fmt == "pdf":
        check_pdf_pages(pages if pages is not None else work.pdf_pages, work.master, work.meta, cmp)
    elif fmt == "epub":
        check_epub(path or work.folder / f"{work.slug}.epub", work.master, cmp)
    else:
        check_txt(path or work.folder / f"{work.slug}.txt", work.master, cmp)
    return [str(d) for d in cmp.differences]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_real_pages_clean_editions_pass(works: list[Work], fmt: str) -> None:
    for work in works:
        assert differences(work, fmt) == [], work.slug


def pdf_index(work: Work, place: str, target: Target | None) -> tuple[Stream, int] | None:
    """The PDF word of ``place``: the master's target found in the PDF's stream, or (a line-end
    hyphen, a page break) one the PDF itself shows."""
    main, foot = work.pdf_streams
    special = pdf_special_targets(main, work.pdf_pages)
    if place in ("line-end hyphen", "page break"):
        return (main, special[place]) if place in special else None
    if target is None:
        return None
    stream = main if target.stream == "text" else foot
    hits = [i for i, t in enumerate(stream.tokens) if t.key == target.key]
    return stream, hits[target.occurrence]


def corrupt(work: Work, fmt: str, place: str, mutation: str, tmp_path: Path) -> list[str] | None:
    """verify's differences for ``work``'s ``fmt`` edition with ``mutation`` at ``place``; None
    if the work has no such place in that format."""
    target = work.targets.get(place)
    if fmt == "pdf":
        found = pdf_index(work, place, target)
        if found is None:
            return None
        stream, i = found
        dest = None
        if mutation == "move":  # to the start of a line half the text away
            far = (i + len(stream.tokens) // 2) % len(stream.tokens)
            while not stream.places[far].opens:
                far = (far + 1) % len(stream.tokens)
            dest = pdf_site(work.pdf_pages, stream, far)
        pages = corrupt_pdf_lines(work.pdf_pages, pdf_site(work.pdf_pages, stream, i), mutation, dest)
        return differences(work, fmt, pages=pages)
    if target is None or place == "page break":
        return None  # the text edition and the EPUB have no pages: the PDF's place only
    src = work.folder / f"{work.slug}.{fmt}"
    dst = tmp_path / f"{work.slug}.{fmt}"
    if fmt == "epub":
        corrupt_epub(src, dst, target, mutation)
    else:
        corrupt_txt(src, dst, work.master, target, mutation)
    return differences(work, fmt, path=dst)


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_corruption_is_caught(works: list[Work], fmt: str, place: str, mutation: str, tmp_path: Path) -> None:
    tried = 0
    for work in works:
        found = corrupt(work, fmt, place, mutation, tmp_path)
        if found is None:
            continue
        tried += 1
        assert found, f"{mutation} a word of {work.slug}'s {place} in the {fmt}: not caught"
    if place == "page break" and fmt != "pdf":
        pytest.skip("the EPUB and the text edition have no pages")
    assert tried, f"no page of the suite has a {place} in the {fmt}"
