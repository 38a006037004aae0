"""Bad images (issue 25): a truncated JPEG, a PNG bomb, an SVG with a script, a file named
like an image that is a web page, an image over the work's limit, an image on another
host. Each is one line of refusal for that image; the work is still imported (the image
named in ``missing_images``, nothing of it in sources/) and built, saying
"[Image not available: ...]" in its place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from pipeline.archive.images import Wanted, collect
from pipeline.ingest import ingest
from pipeline.manifest import load_manifest
from pipeline.master.tei import NS
from pipeline.writers.txt import write_txt
from tests.conftest import run_pipeline
from tests.figures.fixture import CHART, PHOTO, SITE, WORKS, chart_png, photo_jpeg
from tests.figures.test_images import png_bomb

FITZ = "fitzgerald-1922-ray-hope"
HARMAN = "harman-2003-iraq"
CASES = {  # the image file the page names -> bytes put there
    "truncated JPEG": (HARMAN, PHOTO, lambda: photo_jpeg()[:3000], "damaged or truncated JPEG"),
    "PNG bomb": (FITZ, CHART, lambda: png_bomb(), "decompression bomb"),
    "SVG with a script": (
        FITZ,
        CHART,
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "script",
    ),
    "HTML named .jpg": (
        HARMAN,
        PHOTO,
        lambda: b"<html><head><title>Not found</title></head><body></body></html>",
        "HTML",
    ),
}


def one_page_site(root: Path, slug: str, image: str, data: bytes) -> Path:
    page = WORKS[slug]
    (root / page).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SITE / page, root / page)
    (root / image).write_bytes(data)
    return root


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_image_is_refused_in_one_line_and_the_work_still_built(case: str, tmp_path: Path) -> None:
    slug, image, make, why = CASES[case]
    site = one_page_site(tmp_path / "site", slug, image, make())
    proc = run_pipeline(
        "import", str(site), "--sources", str(tmp_path / "sources"), "--retrieved", "2026-01-01", "-q", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    refusals = [line for line in proc.stderr.splitlines() if "image refused" in line]
    assert len(refusals) == 1 and why in refusals[0] and image in refusals[0], proc.stderr
    folder = tmp_path / "sources" / slug
    manifest = load_manifest(folder)
    assert not manifest.figures and [m.reason.startswith("refused: ") for m in manifest.missing_images] == [True]
    assert sorted(p.name for p in folder.iterdir()) == sorted(["manifest.json", Path(WORKS[slug]).name])  # no image
    assert not (tmp_path / "sources" / ".import-staging").exists()
    master = ingest(folder, tmp_path / "out" / f"{slug}.tei.xml")
    tei = etree.parse(str(master)).getroot()
    assert tei.xpath("//tei:figure/@type", namespaces=NS) == ["missing"]
    write_txt(master, tmp_path / "out" / f"{slug}.txt")
    assert "[Image not available: " in (tmp_path / "out" / f"{slug}.txt").read_text(encoding="utf-8")


def test_build_of_a_work_whose_image_was_refused(tmp_path: Path) -> None:
    """The whole build (EPUB, PDF, text, verified) of the work whose chart was a PNG bomb."""
    site = one_page_site(tmp_path / "site", FITZ, CHART, png_bomb())
    run_pipeline("import", str(site), "--retrieved", "2026-01-01", "-q", cwd=tmp_path, check=True)
    run_pipeline("build", FITZ, cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1767225600"}, check=True)
    txt = (tmp_path / "editions" / FITZ / f"{FITZ}.txt").read_text(encoding="utf-8")
    assert "[Image not available: Bonus shares issued in 1920]" in txt
    assert (tmp_path / "editions" / FITZ / f"{FITZ}.epub").is_file()


def test_the_per_work_limit_refuses_the_images_past_it() -> None:
    chart = chart_png()
    wants = [Wanted(f"https://www.marxists.org/a/{n}.png", f"a/{n}.png") for n in range(3)]
    figures = collect(wants, lambda path: chart, "a/page.htm", set(), "https://www.marxists.org/", len(chart) * 2)
    assert [f["path"] for f in figures.files] == ["0.png", "1.png"]
    assert [m["reason"] for m in figures.missing] == [
        f"refused: over the work's limit of {len(chart) * 2:,} bytes of images"
    ]


def test_an_image_on_another_host_is_never_fetched_and_named_external(tmp_path: Path) -> None:
    page = SITE / WORKS[FITZ]
    html = page.read_bytes().replace(b'src="bonus_shares.png"', b'src="http://images.example.org/bonus_shares.png"')
    site = tmp_path / "site"
    (site / WORKS[FITZ]).parent.mkdir(parents=True)
    (site / WORKS[FITZ]).write_bytes(html)
    (site / CHART).write_bytes(chart_png())  # a same-named file here is not the image the page names
    run_pipeline("import", str(site), "--retrieved", "2026-01-01", "-q", cwd=tmp_path, check=True)
    manifest = load_manifest(tmp_path / "sources" / FITZ)
    assert not manifest.figures
    assert [(m.url, m.reason) for m in manifest.missing_images] == [
        ("http://images.example.org/bonus_shares.png", "an image on another host; not fetched")
    ]
    tei = etree.parse(str(ingest(tmp_path / "sources" / FITZ, tmp_path / "m.tei.xml"))).getroot()
    assert tei.xpath("//tei:figure/@type", namespaces=NS) == ["external"]
