"""The library of a few hundred works (issue 15's done-when), built once by ``pipeline catalog``.

Static checks over every page and feed (links, sizes, jing, the OPDS 2.0 schemas,
paging), then Debian's Chromium through Playwright over a local HTTP server (Pagefind
loads its index with fetch, which file:// does not allow): browse front page -> author
-> work -> download, search a phrase from a work's text, axe-core, phone and desktop
screenshots (in the test's temp folder, and in $DIST_SCREENSHOTS when set).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from lxml import etree, html

from tests.conftest import jing, run_pipeline
from tests.distribution.helpers import epub_xhtml, mirror_check, opds_1_2_schema, vnu_errors
from tests.distribution.serve import answer, open_search, served
from tests.distribution.synthetic import UNIQUE_WORD, make_library, unique_phrase

COUNT = 300  # a few hundred works: every list pages, every feed has several pages
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"a": "http://www.w3.org/2005/Atom"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MAX_PAGE = 100_000


@pytest.fixture(scope="module")
def big(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_library(built, tmp_path_factory.mktemp("big-library"), COUNT)
    proc = run_pipeline("catalog", cwd=root, check=True)
    assert re.search(
        rf"catalog: {COUNT - COUNT // 50 + len(list((built / 'editions').glob('*/*.epub')))} work\(s\) published",
        proc.stderr,
    ), proc.stderr
    return root / "editions" / "site"


def published(editions: Path) -> set[str]:
    return {line.split("  ", 1)[1] for line in (editions / "SHA256SUMS").read_text(encoding="utf-8").splitlines()}


def work_slugs(editions: Path) -> set[str]:
    return {
        p.split("/")[0]
        for p in published(editions)
        if p.endswith("/index.html")
        and "/" in p
        and (editions / p.split("/")[0] / f"{p.split('/')[0]}.tei.xml").is_file()
    }


# --- static checks ----------------------------------------------------------------------


def test_sha256sum_check_strict(big: Path) -> None:
    assert mirror_check(big) is None
    manifest = json.loads((big / "library.json").read_text(encoding="utf-8"))
    import hashlib

    from pipeline.jsonschemas import errors

    assert errors("library.schema.json", manifest) == []
    for record in big.glob("*/.verified"):
        assert errors("verified.schema.json", json.loads(record.read_text(encoding="utf-8"))) == [], record

    assert manifest["build"] == hashlib.sha256((big / "SHA256SUMS").read_bytes()).hexdigest()
    assert manifest["counts"]["works"] == len(manifest["works"]) == len(work_slugs(big))
    assert manifest["counts"]["incomplete"] > 0 and manifest["counts"]["withheld_licence"] == COUNT // 50


def test_every_html_page_small_local_and_linked(big: Path) -> None:
    pages = sorted(big.rglob("*.html"))
    listed = published(big) | {"SHA256SUMS", "library.json"}
    assert len(pages) > COUNT
    for page in pages:
        rel = page.relative_to(big).as_posix()
        assert rel in listed, f"{rel} is not in SHA256SUMS"
        assert page.stat().st_size < MAX_PAGE, f"{rel} is {page.stat().st_size} bytes"
        doc = html.parse(str(page)).getroot()
        scripts = doc.xpath("//script")
        assert not scripts or rel == "search.html", f"{rel} has a script"
        assert doc.xpath("//main") and doc.xpath("//header") and doc.xpath("//footer") and doc.xpath("//h1"), rel
        for el in doc.xpath("//*[@href]|//*[@src]"):
            href = el.get("href") or el.get("src")
            parts = urlsplit(href)
            if parts.scheme == "data":
                assert el.get("rel") == "icon", f"{rel}: a data: URL other than the icon"
                continue
            if parts.scheme in ("http", "https"):
                assert el.tag == "a", f"{rel}: outside resource {href}"
                continue
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{rel}: broken link {href}"
            assert target.relative_to(big.resolve()).as_posix() in listed, f"{rel}: links to unpublished {href}"


def test_w3c_checker_finds_no_error_in_the_pages_or_the_epubs(big: Path, built: Path, tmp_path: Path) -> None:
    """v.Nu over every page of the library, and every XHTML document of the test build's
    EPUBs (its unknown epub: attributes aside): no error. One Java run for both."""
    documents = epub_xhtml(sorted((built / "editions").glob("*/*.epub")), tmp_path)
    assert len(documents) > 10
    errors = vnu_errors(sorted(big.rglob("*.html")), epub_documents=documents)
    assert errors == [], "\n".join(errors[:20])


def test_withheld_and_incomplete_marked(big: Path) -> None:
    index = (big / "withheld.html").read_text(encoding="utf-8")
    assert 'href="withheld/' in index  # grouped by reason, each group on its own pages (issue 21)
    withheld = "".join(p.read_text(encoding="utf-8") for p in sorted((big / "withheld").glob("*.html")))
    assert "synthetic-0007" not in published(big).__str__()
    assert "No. 7<" in withheld or "No. 7" in withheld
    assert not (big / "synthetic-0007" / "index.html").exists()
    incomplete = (big / "synthetic-0005" / "index.html").read_text(encoding="utf-8")
    assert (
        "This work is incomplete" in incomplete
        and "Chapter 3: The Agrarian Question (page not in the archive)" in incomplete
    )
    # a part the import knows only by its address links to it at the MIA
    assert '<a href="https://www.marxists.org/synthetic/synthetic-0005/ch09.htm">' in incomplete
    badges = [p for p in (big / "works").glob("*.html") if 'class="badge">incomplete<' in p.read_text(encoding="utf-8")]
    assert badges, "incomplete works are marked in the lists"


def test_work_page_of_a_multi_part_work(big: Path) -> None:
    from pipeline.master.read import load

    _, meta = load(big / "kerensky-1919-prelude" / "kerensky-1919-prelude.tei.xml")
    doc = html.parse(str(big / "kerensky-1919-prelude" / "index.html")).getroot()
    assert [li.text_content() for li in doc.xpath("//ol[@aria-labelledby='contents']/li")] == meta.parts and len(
        meta.parts
    ) > 1
    text = doc.text_content()
    for lic in meta.licences:
        assert lic.text in " ".join(text.split()), "the licence verbatim"
    sizes = doc.xpath("//ul[@class='downloads']//span[@class='detail']/@title")
    assert sizes and all(s.endswith(" bytes") for s in sizes)


def atom_pages(big: Path) -> list[Path]:
    return [big / "catalog.xml"] + sorted((big / "opds").rglob("*.xml"))


def test_every_opds_1_2_page_is_valid(big: Path) -> None:
    result = jing(opds_1_2_schema(), *atom_pages(big))
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout[:3000] + result.stderr[:1000]


def test_every_opds_2_page_is_valid(big: Path) -> None:
    from tests.distribution.test_catalogs import load_opds2_validator

    module = load_opds2_validator()
    validator = module.make_validator("feed")
    pages = [big / "catalog.json"] + sorted((big / "opds").rglob("*.json"))
    for page in pages:
        errors = list(validator.iter_errors(json.loads(page.read_text(encoding="utf-8"))))
        assert not errors, f"{page.relative_to(big)}: {errors[0].message}"


def follow(big: Path, first: Path, ext: str) -> list[str]:
    """Walk ``next`` from ``first``; return every acquisition entry's work page, in order."""
    seen, page, visited = [], first, set()
    while page:
        assert page not in visited, f"loop at {page}"
        visited.add(page)
        if ext == "xml":
            root = etree.parse(str(page)).getroot()
            assert len(root.findall(f"{ATOM}entry")) <= 50
            seen += [
                urljoin(page.as_uri(), h) for h in root.xpath("a:entry/a:link[@rel='alternate']/@href", namespaces=NS)
            ]
            nxt = root.xpath("a:link[@rel='next']/@href", namespaces=NS)
        else:
            data = json.loads(page.read_text(encoding="utf-8"))
            pubs = data.get("publications", [])
            assert len(pubs) <= 50
            seen += [urljoin(page.as_uri(), l["href"]) for p in pubs for l in p["links"] if l.get("rel") == "alternate"]
            nxt = [l["href"] for l in data["links"] if l["rel"] == "next"]
        page = Path(unquote(urlsplit(urljoin(page.as_uri(), nxt[0])).path)) if nxt else None
    return seen


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_next_from_all_reaches_every_work_once(big: Path, ext: str) -> None:
    root = etree.parse(str(big / "catalog.xml")).getroot()
    (all_href,) = root.xpath("a:entry[a:title='All']/a:link/@href", namespaces=NS)
    seen = follow(big, big / all_href.replace(".xml", f".{ext}"), ext)
    slugs = [Path(unquote(urlsplit(u).path)).parent.name for u in seen]
    assert len(slugs) == len(set(slugs)), "a work listed twice"
    assert set(slugs) == work_slugs(big)
    # the last page links back to the first, and first/last are on every page
    last = etree.parse(str(big / "opds" / "all.xml")).getroot().xpath("a:link[@rel='last']/@href", namespaces=NS)
    assert last and last[0].endswith(f"all-{-(-len(slugs) // 50)}.xml")


def test_opensearch_and_search_feeds(big: Path) -> None:
    desc = etree.parse(str(big / "opensearch.xml")).getroot()
    templates = {u.get("type"): u.get("template") for u in desc}
    atom_template = templates["application/atom+xml;profile=opds-catalog;kind=acquisition"]
    feed = big / atom_template.replace("{searchTerms}", "luxemburg")
    titles = etree.parse(str(feed)).getroot().xpath("a:entry/a:author/a:name/text()", namespaces=NS)
    assert titles and set(titles) == {"Rosa Luxemburg"}
    facets = etree.parse(str(feed)).getroot().xpath("a:link[@rel='http://opds-spec.org/facet']", namespaces=NS)
    assert {f.get("{http://opds-spec.org/2010/catalog}facetGroup") for f in facets} == {"Order", "Language"}


# --- in the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(big: Path):
    with served(big) as url:
        yield url


def new_page(browser, server: str, viewport: dict, refused: list[str]):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, accept_downloads=True)

    def route(r):
        if r.request.url.startswith(server):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, context.new_page()


def shoot(page, name: str, tmp_path: Path) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=False)
    if os.environ.get("DIST_SCREENSHOTS"):
        dest = Path(os.environ["DIST_SCREENSHOTS"])
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest / name)
    assert path.stat().st_size > 5_000
    return path


def test_browse_front_author_work_download(browser, server: str, big: Path, tmp_path: Path) -> None:
    refused: list[str] = []
    context, page = new_page(browser, server, PHONE, refused)
    try:
        page.goto(server + "index.html")
        shoot(page, "front-phone.png", tmp_path)
        page.get_by_role("link", name=re.compile("^By author")).click()
        assert page.url.endswith("authors/index.html")
        page.get_by_role("link", name="Luxemburg, Rosa").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Rosa Luxemburg"
        page.locator("ul.works a.title").first.click()
        page.wait_for_load_state("load")
        assert re.search(r"/[a-z0-9-]+/index\.html$", page.url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shoot(page, "work-phone.png", tmp_path)
        epub = page.locator("ul.downloads a[type='application/epub+zip']")
        with page.expect_download() as info:
            epub.click()
        download = info.value
        slug = page.url.rstrip("/").split("/")[-2]
        assert download.suggested_filename == f"{slug}.epub"
        assert Path(download.path()).read_bytes() == (big / slug / f"{slug}.epub").read_bytes()
    finally:
        context.close()
    assert not refused, refused


def test_search_a_phrase_from_the_text(browser, server: str, tmp_path: Path) -> None:
    refused: list[str] = []
    context, page = new_page(browser, server, DESKTOP, refused)
    try:
        page.goto(server + "search.html")
        page.get_by_label("Words or a phrase").fill(f'"{unique_phrase(123)}"')
        page.get_by_role("button", name="Search").click()
        page.wait_for_selector("#results li a", timeout=15_000)
        assert page.locator("#status").inner_text().startswith("1 work found")
        assert (
            UNIQUE_WORD in page.locator("#results mark").first.inner_text().lower()
            or page.locator("#results mark").count()
        )
        shoot(page, "search-desktop.png", tmp_path)
        page.locator("#results li a").first.click()
        assert page.url.endswith("/synthetic-0123/index.html")
        assert page.get_by_role("heading", level=1).inner_text() == "Notes on the Question, No. 123"
    finally:
        context.close()
    assert not refused, refused


def search_for(page, server: str, query: str) -> str:
    """The status line once the search page has answered ``query``."""
    open_search(page, server, query)
    return answer(page)


def test_search_finds_nothing_for_a_nonsense_word_and_says_so(browser, server: str, tmp_path: Path) -> None:
    refused: list[str] = []
    context, page = new_page(browser, server, DESKTOP, refused)
    try:
        assert search_for(page, server, "xyzzyqq") == "No works found for “xyzzyqq”."
        assert page.locator("#results li").count() == 0
        shoot(page, "search-none-desktop.png", tmp_path)
    finally:
        context.close()
    assert not refused, refused


def test_search_ignores_the_colophon_and_the_text_editions_markup(browser, server: str, big: Path) -> None:
    """Every master's header credits its transcriber and lists the editorial changes;
    a word found only there finds nothing, and no excerpt shows the TXT's markup."""
    from pipeline.distribution.search import words_of

    header_only = "Walters"  # "Transcribed/HTML Markup: David Walters": the seed's colophon, in a third of the works
    masters = sorted(big.glob("*/*.tei.xml"))
    assert sum(header_only in m.read_text(encoding="utf-8") for m in masters) > 20
    assert not any(header_only in words_of(m) or "transcription" in words_of(m).lower() for m in masters)
    refused: list[str] = []
    context, page = new_page(browser, server, DESKTOP, refused)
    try:
        assert search_for(page, server, header_only).startswith("No works found")
        assert search_for(page, server, "transcription").startswith("No works found")
        assert search_for(page, server, "factions").split(" ")[0].isdigit()
        excerpts = page.locator("#results .excerpt").all_inner_texts()
        assert excerpts and not any("*" in e or "-----" in e for e in excerpts), excerpts[:3]
    finally:
        context.close()
    assert not refused, refused


def test_search_ranks_an_authors_works_first_and_filters(browser, server: str, tmp_path: Path) -> None:
    refused: list[str] = []
    context, page = new_page(browser, server, DESKTOP, refused)
    try:
        status = search_for(page, server, "Rosa Luxemburg")
        hits = page.locator("#results li > p:not(.excerpt)").all_inner_texts()
        assert int(status.split(" ")[0]) >= 3
        assert all(h.startswith("Rosa Luxemburg") for h in hits[:3]), hits[:5]
        shoot(page, "search-hits-desktop.png", tmp_path)
    finally:
        context.close()
    assert not refused, refused


def test_search_opened_from_disk_says_why_it_cannot_run(browser, big: Path) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto((big / "search.html").as_uri())
        page.wait_for_function("() => document.getElementById('status').textContent.length > 0")
        status = page.locator("#status").inner_text()
        assert "opened from disk" in status and "http.server" in status, status
        assert page.get_by_label("Words or a phrase").is_disabled()
    finally:
        context.close()


AXE_PAGES = [
    "index.html",
    "authors/index.html",
    "authors/luxemburg-rosa.html",
    "years/index.html",
    "languages/index.html",
    "works/index.html",
    "works/index-2.html",
    "new.html",
    "withheld.html",
    "synthetic-0005/index.html",
    "trotsky-1923-faction/index.html",
    "search.html?q=lanternfish",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_no_violations_and_no_sideways_scroll(browser, server: str, big: Path, tmp_path: Path, scheme: str) -> None:
    axe = Path(
        os.environ.get("AXE_JS", Path(__file__).resolve().parents[2] / ".venv/axe/node_modules/axe-core/axe.min.js")
    )
    if not axe.is_file():
        pytest.skip(f"axe-core is not installed at {axe} (make test-setup installs it)")
    source = axe.read_text(encoding="utf-8")
    pages = AXE_PAGES + [f"years/{sorted(p.stem for p in (big / 'years').glob('1*.html'))[0]}.html"]
    problems = {}
    # axe once per page and colour scheme (at the phone's width in light, the desktop's in
    # dark: contrast depends on the scheme, reflow on the width); no sideways scroll at both.
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
        page = context.new_page()
        run_axe = (viewport is PHONE) == (scheme == "light")
        try:
            for rel in pages:
                page.goto(server + rel)
                if rel.startswith("search.html"):
                    page.wait_for_selector("#results li a", timeout=15_000)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"], f"{rel}: scrolls sideways at {viewport['width']} px ({width})"
                if not run_axe:
                    continue
                page.add_script_tag(content=source)
                result = page.evaluate(
                    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                    ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
                )
                if result:
                    problems[f"{rel} @{viewport['width']}"] = result
            if viewport is DESKTOP and scheme == "light":
                page.goto(server + "index.html")
                shoot(page, "front-desktop.png", tmp_path)
                page.goto(server + "synthetic-0005/index.html")
                shoot(page, "work-desktop.png", tmp_path)
            if viewport is PHONE and scheme == "dark":
                page.goto(server + "authors/luxemburg-rosa.html")
                shoot(page, "author-phone-dark.png", tmp_path)
        finally:
            context.close()
    assert not problems, json.dumps(problems, indent=1)[:4000]


def test_keyboard_reaches_content_and_pages(browser, server: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(server + "works/index.html")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.rel") == "next":
                break
        else:
            raise AssertionError("the Next page link is not reachable by keyboard")
        page.keyboard.press("Enter")
        page.wait_for_url("**/works/index-2.html")
    finally:
        context.close()
