"""How long a search takes in the library a reader opens: Chromium, served over HTTP.

The library's search page loads Pagefind's index fragments on demand, so the time a
reader waits grows with the index only as far as the fragments a query needs. This
measures what the issue asks ("a search served from that library answers in under a
second in Chromium"): the time from pressing Search to the status line saying what was
found, for a few queries (a word in every work, a phrase in one, a word in none, an
author's name), each after the page is ready, in Debian's Chromium through Playwright
(the test suite's browser), over a local HTTP server of ``editions/site``.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
STATUS_SAYS_FOUND = "() => /found/.test(document.getElementById('status').textContent)"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """``site`` over HTTP on a free local port (Pagefind fetches its fragments: no file://)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def search_seconds(site: Path, queries: list[str]) -> list[dict]:
    """Each query's answer time (seconds) and status line; [] when Chromium or Playwright is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return []
    if not CHROMIUM.exists():
        return []
    results = []
    with served(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True)
        page = browser.new_page()
        for query in queries:
            page.goto(url + "search.html")
            page.wait_for_selector("form[role=search][data-ready]", state="attached", timeout=60_000)
            page.get_by_label("Words or a phrase").fill(query)
            start = time.perf_counter()
            page.get_by_role("button", name="Search").click()
            page.wait_for_function(STATUS_SAYS_FOUND, timeout=60_000)
            seconds = time.perf_counter() - start
            status = page.locator("#status").inner_text()
            results.append({"query": query, "seconds": round(seconds, 3), "status": status})
        browser.close()
    return results
