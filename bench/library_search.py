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

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.distribution.serve import BROWSER_ARGS, CHROMIUM, answer, open_search, served  # noqa: E402

TYPING_DELAY_MS = 100  # between two keys: a reader typing ten characters a second


def search_seconds(site: Path, queries: list[str]) -> list[dict]:
    """Each query's answer time (seconds) and status line, typed as a reader types it and
    pasted (no time to look anything up before Search is pressed), with the time the page
    took to be ready; [] when Chromium or Playwright is missing."""
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
            opened = time.perf_counter()
            open_search(page, url, query, timeout_ms=60_000)
            ready = time.perf_counter() - opened
            start = time.perf_counter()
            status = answer(page, timeout_ms=60_000)
            pasted = time.perf_counter() - start
            open_search(page, url, "", timeout_ms=60_000)
            page.get_by_label("Words or a phrase").press_sequentially(query, delay=TYPING_DELAY_MS)
            start = time.perf_counter()
            typed_status = answer(page, timeout_ms=60_000)
            results.append(
                {
                    "query": query,
                    "seconds": round(time.perf_counter() - start, 3),
                    "pasted_seconds": round(pasted, 3),
                    "ready_seconds": round(ready, 3),
                    "status": typed_status,
                    "same_answer_pasted": status == typed_status,
                }
            )
        browser.close()
    return results
