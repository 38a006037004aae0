"""The contents of 43 multi-part works of the shared archive, read by hand, against the masters (issue 20).

``tests/data/contents-sample.json`` holds a seeded random sample of the archive's
multi-part works (how it was drawn: its ``about``), each with its manifest and its
contents as a reader expects them. The master's headed top-level divisions are what the
EPUB's nav, the PDF's outline (its h2 bookmarks) and the library page's contents (the
part divisions' heads) are generated from; the test reads each work from the unpacked
archive (``MIA_SITE``, default ``/tmp/mia``), writes its master and scores the contents:
at least 95 % of the entries right (the same words, case and punctuation aside), none
missing, none extra. It also checks, on a serial, that the EPUB nav lists the same.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.manifest import load_manifest
from pipeline.master.write import serialize
from pipeline.readers.read import read
from pipeline.writers.xhtml import Transform

DATA = Path(__file__).resolve().parent.parent / "data" / "contents-sample.json"
SITE = Path(os.environ.get("MIA_SITE", "/tmp/mia"))
MIA = "https://www.marxists.org/"

pytestmark = pytest.mark.skipif(
    not (SITE / "archive").is_dir(), reason=f"the shared archive is not unpacked at {SITE} (set MIA_SITE)"
)


def key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def source_folder(slug: str, manifest: dict, dest: Path) -> Path:  # type: ignore[type-arg]
    """The work's source folder as `pipeline import` wrote it, from the unpacked site."""
    folder = dest / slug
    for f in manifest["files"]:
        target = folder / f["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SITE / f["url"].removeprefix(MIA), target)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def contents(folder: Path) -> tuple[list[str], bytes]:
    """The master's top-level contents entries (the EPUB nav's and PDF outline's first level)."""
    data = serialize(read(load_manifest(folder)), 0)
    tei = etree.fromstring(data)
    return [entry.label for entry in Transform(tei).toc()], data


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[str], list[str], bytes]]:
    works = json.loads(DATA.read_text(encoding="utf-8"))["works"]
    dest = tmp_path_factory.mktemp("contents-sample")
    out = {}
    for slug, work in works.items():
        got, master = contents(source_folder(slug, work["manifest"], dest))
        out[slug] = (work["contents"], got, master)
    return out


def test_sample_is_at_least_40_works() -> None:
    works = json.loads(DATA.read_text(encoding="utf-8"))["works"]
    assert len(works) >= 40
    assert all(
        len(w["contents"]) >= 2 and any(f["role"] == "index" for f in w["manifest"]["files"]) for w in works.values()
    )


def test_contents_as_read_by_hand(sample: dict[str, tuple[list[str], list[str], bytes]]) -> None:
    right = total = missing = extra = 0
    wrong: list[str] = []
    for slug, (expected, got, _) in sample.items():
        total += len(expected)
        missing += max(0, len(expected) - len(got))
        extra += max(0, len(got) - len(expected))
        for e, g in zip(expected, got):
            if key(e) == key(g):
                right += 1
            else:
                wrong.append(f"{slug}: {g!r} for {e!r}")
    assert missing == 0 and extra == 0, (missing, extra)
    assert right / total >= 0.95, f"{right}/{total} right; " + "; ".join(wrong)


def test_library_page_lists_the_part_heads(sample: dict[str, tuple[list[str], list[str], bytes]]) -> None:
    """The library's contents are the part divisions' heads: the same entries, front matter aside."""
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    for slug, (_, got, master) in sample.items():
        tei = etree.fromstring(master)
        heads = [
            " ".join(h.xpath("string()").split())
            if not h.xpath(".//tei:ref[@type='noteref']", namespaces=ns)
            else " ".join(
                "".join(t for t in h.xpath(".//text()[not(ancestor::tei:ref[@type='noteref'])]", namespaces=ns)).split()
            )
            for h in tei.xpath("//tei:body/tei:div[@type='part']/tei:head[1]", namespaces=ns)
        ]
        assert [key(h) for h in heads] == [key(g) for g in got[len(got) - len(heads) :]], slug


@pytest.mark.parametrize("slug", ["hansen-1939-fascism"])
def test_epub_nav_agrees_with_the_master(
    slug: str, sample: dict[str, tuple[list[str], list[str], bytes]], tmp_path: Path
) -> None:
    from pipeline.writers.epub import write_epub

    _, got, master = sample[slug]
    path = tmp_path / f"{slug}.tei.xml"
    path.write_bytes(master)
    epub = tmp_path / f"{slug}.epub"
    write_epub(path, epub)
    with zipfile.ZipFile(epub) as z:
        nav = next(n for n in z.namelist() if n.endswith("nav.xhtml"))
        tree = etree.fromstring(z.read(nav))
    labels = [" ".join("".join(a.itertext()).split()) for a in tree.iter("{http://www.w3.org/1999/xhtml}a")]
    keys = [key(label) for label in labels]
    for entry in got:  # every contents entry of the master is in the nav, in order
        assert key(entry) in keys, (slug, entry)
        keys = keys[keys.index(key(entry)) + 1 :]


def nav_labels(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as z:
        nav = next(n for n in z.namelist() if n.endswith("nav.xhtml"))
        tree = etree.fromstring(z.read(nav))
    return [" ".join("".join(a.itertext()).split()) for a in tree.iter("{http://www.w3.org/1999/xhtml}a")]


def in_order(entries: list[str], labels: list[str]) -> list[str]:
    """The entries not found among ``labels`` in their order (none when all are there)."""
    keys, lost = [key(label) for label in labels], []
    for entry in entries:
        if key(entry) in keys:
            keys = keys[keys.index(key(entry)) + 1 :]
        else:
            lost.append(entry)
    return lost


def test_every_epub_nav_lists_the_contents_read_by_hand(
    sample: dict[str, tuple[list[str], list[str], bytes]], tmp_path: Path
) -> None:
    """The EPUB's contents of every work of the sample hold its hand-read entries in order
    (the scoring above is of the master, which the nav is made from; this reads the nav)."""
    from pipeline.writers.epub import write_epub

    right = total = 0
    for slug, (expected, _, master) in sample.items():
        path = tmp_path / f"{slug}.tei.xml"
        path.write_bytes(master)
        write_epub(path, tmp_path / f"{slug}.epub")
        total += len(expected)
        right += len(expected) - len(in_order(expected, nav_labels(tmp_path / f"{slug}.epub")))
    assert right / total >= 0.95, f"{right}/{total}"


@pytest.mark.parametrize("slug", ["hansen-1939-fascism", "kautsky-1908-histacc", "bax-1894-commune"])
def test_pdf_outline_lists_the_contents_read_by_hand(
    slug: str, sample: dict[str, tuple[list[str], list[str], bytes]], tmp_path: Path
) -> None:
    """The PDF's outline (its bookmarks, read back with pypdf) of a serial, a book with a
    contributor's introduction and a book of chapters holds the hand-read entries in order."""
    from pypdf import PdfReader

    from pipeline.writers.pdf import write_pdf

    expected, _, master = sample[slug]
    path = tmp_path / f"{slug}.tei.xml"
    path.write_bytes(master)
    write_pdf(path, tmp_path / f"{slug}.pdf")

    def titles(items: list) -> list[str]:  # type: ignore[type-arg]
        out: list[str] = []
        for item in items:
            out += titles(item) if isinstance(item, list) else [" ".join(str(item.title).split())]
        return out

    outline = titles(PdfReader(tmp_path / f"{slug}.pdf").outline)
    assert not in_order(expected, outline), (slug, outline)
