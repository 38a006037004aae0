"""The small library's pages in a real browser: Debian's chromium, driven by Playwright.

(The few-hundred-work library, search and axe-core: test_library_site.py.)

One browser launch for the whole module (the brief: slow judges run once). The page is
opened from ``file://``, every request is recorded and anything not under editions/ is
refused and reported; screenshots are taken at phone and desktop widths (written to the
test's temp folder, and also to $DIST_SCREENSHOTS when set, for people to look at).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html

from tests.conftest import SEED
from tests.distribution.conftest import FREE_SLUG, WITHHELD_SLUG
from tests.distribution.helpers import expected_type, resolve_local

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# WCAG 2.x relative luminance and contrast ratio, computed in the page for every
# element that shows text, against the first opaque background behind it.
CONTRAST_JS = """
() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c[3] > 0.99) return c; } return [255, 255, 255, 1]; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!own || r.width <= 1 || r.height <= 1) continue;
    const fg = parse(getComputedStyle(el).color), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({tag: el.tagName, text: el.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05)});
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def open_page(browser, editions: Path, viewport: dict, color_scheme: str = "light", rel: str = "index.html"):
    """A page at ``viewport`` with a request log; requests outside editions/ are aborted."""
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme, device_scale_factor=1)
    log: dict[str, list[str]] = {"local": [], "refused": []}
    root = editions.resolve()

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
        if path is not None and (path == root or root in path.parents):
            log["local"].append(url)
            r.continue_()
        else:
            log["refused"].append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto((editions / rel).resolve().as_uri(), wait_until="load")
    return context, page, log


def save(page, name: str, screenshot_dir: Path) -> Path:
    path = screenshot_dir / name
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("DIST_SCREENSHOTS"):
        dest = Path(os.environ["DIST_SCREENSHOTS"])
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest / name)
    return path


def test_pages_have_no_script_and_no_external_resource(editions: Path) -> None:
    for page in editions.rglob("*.html"):
        doc = html.parse(str(page)).getroot()
        if page.name != "search.html":
            assert not doc.xpath("//script"), f"{page}: the browse pages must work without JavaScript"
        assert not [a for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if a.startswith("on")]
        for el in doc.xpath("//*[@src]|//link[@href]|//img"):
            if el.get("rel") == "icon" and (el.get("href") or "").startswith("data:image/svg+xml,"):
                continue  # the site's icon, inline
            assert resolve_local(el.get("src") or el.get("href"), page.parent) is not None, "only local resources"
        assert doc.xpath("//link[@rel='stylesheet']/@href")[0].endswith("library.css")


def test_phone(browser, editions: Path, screenshot_dir: Path) -> None:
    context, page, log = open_page(browser, editions, PHONE, rel=f"{SEED}/index.html")
    try:
        # Landmarks: one banner, one main, one contentinfo; a labelled nav of sections.
        for role in ("banner", "main", "contentinfo"):
            assert page.get_by_role(role).count() == 1, role
        assert page.get_by_role("navigation", name="Sections").count() == 1
        assert page.get_by_role("article").count() == 1
        # Readable on a phone: no sideways scrolling, text not tiny.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
        # Every cover loaded and described.
        images = page.evaluate("[...document.images].map(i => ({alt: i.alt, w: i.naturalWidth, src: i.src}))")
        assert len(images) == 1
        for img in images:
            assert img["w"] > 0, f"image did not load: {img['src']}"
            assert img["alt"].startswith("Cover: ")
        # Keyboard: the first Tab lands on a visible skip link; Enter moves to main.
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({text: document.activeElement.textContent, top: document.activeElement.getBoundingClientRect().top,"
            " outline: getComputedStyle(document.activeElement).outlineStyle})"
        )
        assert focused["text"] == "Skip to the content" and focused["top"] >= 0 and focused["outline"] != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        # Tabbing on from there reaches every download link.
        downloads = set(page.eval_on_selector_all("ul.downloads a", "els => els.map(a => a.href)"))
        reached = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            href = page.evaluate("document.activeElement.href || ''")
            if href in downloads:
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", f"no visible focus on {href}"
            reached.add(href)
            if downloads <= reached:
                break
        assert downloads <= reached, f"not reachable by keyboard: {downloads - reached}"
        page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
        shot = save(page, "library-phone.png", screenshot_dir)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
    assert not log["refused"], f"the page asked for outside resources: {log['refused']}"
    assert any(u.endswith(".png") for u in log["local"])


def test_desktop_links_and_screenshot(browser, editions: Path, screenshot_dir: Path) -> None:
    context, page, log = open_page(browser, editions, DESKTOP, rel=f"{SEED}/index.html")
    try:
        links = page.eval_on_selector_all(
            "a[href]",
            "els => els.map(a => ({href: a.getAttribute('href'), abs: a.href,"
            " dl: a.closest('ul.downloads') !== null, type: a.type,"
            " detail: a.parentElement.querySelector('.detail')?.title || null}))",
        )
        download_links = [l for l in links if l["dl"]]
        # 4 files for the seed (EPUB, PDF, TXT, TEI)
        assert len(download_links) == 4
        for link in links:
            href = link["href"]
            if href.startswith("#"):
                assert page.locator(f"[id='{href[1:]}']").count() == 1, f"dangling anchor {href}"
                continue
            target = resolve_local(href, editions / SEED)
            if target is None:
                continue  # the MIA page and the licence, checked against the masters elsewhere
            assert target.is_file(), f"broken link {href}"
            assert editions.resolve() in target.parents or target.parent == editions.resolve()
            if link["dl"]:
                assert link["type"] == expected_type(target), href
                assert link["detail"] == f"{target.stat().st_size} bytes", href
        hrefs = {l["href"] for l in download_links}
        assert not any(WITHHELD_SLUG in h for h in hrefs)
        assert not any(h.endswith(".pdf") and FREE_SLUG in h for h in hrefs)
        assert page.get_by_text("A Work Still In Copyright").count() == 0
        # Desktop layout: cover beside the text, not above it.
        cover = page.locator("article .cover img").first.bounding_box()
        title = page.locator("article h1").first.bounding_box()
        assert cover["x"] + cover["width"] <= title["x"] and abs(cover["y"] - title["y"]) < 50
        shot = save(page, "library-desktop.png", screenshot_dir)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
    assert not log["refused"], f"the page asked for outside resources: {log['refused']}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast(browser, editions: Path, screenshot_dir: Path, scheme: str) -> None:
    context, page, _ = open_page(browser, editions, PHONE, color_scheme=scheme, rel=f"{SEED}/index.html")
    try:
        ratios = page.evaluate(CONTRAST_JS)
        if scheme == "dark":
            save(page, "library-phone-dark.png", screenshot_dir)
    finally:
        context.close()
    assert len(ratios) > 20
    worst = min(ratios, key=lambda r: r["ratio"])
    print(
        f"{scheme}: {len(ratios)} text elements, lowest contrast {worst['ratio']:.1f}:1 ({worst['tag']} {worst['text']!r})"
    )
    assert worst["ratio"] >= 7.0, f"contrast below WCAG AAA: {worst}"
