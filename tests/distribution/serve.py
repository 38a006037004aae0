"""The library served over HTTP, and the browser that reads it: shared by the browser tests
and ``bench/library_search.py`` (no pytest here: the benchmark imports it)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")  # Debian's, driven through Playwright
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


def open_search(page: Any, server: str, query: str, timeout_ms: int = 15_000) -> None:
    """The library's search page, ready (its index loaded), ``query`` typed in its field."""
    page.goto(server + "search.html")
    page.wait_for_selector("form[role=search][data-ready]", state="attached", timeout=timeout_ms)
    page.get_by_label("Words or a phrase").fill(query)


def answer(page: Any, timeout_ms: int = 15_000) -> str:
    """Press Search; the status line once the page has answered ("N works found …")."""
    page.get_by_role("button", name="Search").click()
    page.wait_for_function("() => /found/.test(document.getElementById('status').textContent)", timeout=timeout_ms)
    return str(page.locator("#status").inner_text())
