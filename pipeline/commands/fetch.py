"""``python -m pipeline fetch URL...``: works from the MIA site (or a mirror), politely, into sources/.

The work is done by :mod:`pipeline.archive.fetch`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.commands import bounded


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="fetch works from the MIA site (or a mirror) into sources/, politely",
        description="Each URL is a work page or a multi-part work's index (its chapters are fetched too). "
        "One request at a time, --delay seconds apart, robots.txt obeyed, every page revalidated through a "
        "local HTTP cache (a second fetch changes nothing), retries on 429/5xx/timeouts/cut bodies.",
    )
    s.add_argument("urls", nargs="+", metavar="URL")
    s.add_argument("--server", metavar="URL", help="request the pages from this mirror; manifests keep the MIA URL")
    s.add_argument(
        "--site-url",
        default=None,
        metavar="URL",
        help="the site the URLs belong to (default https://www.marxists.org/)",
    )
    s.add_argument("--sources", type=Path, metavar="DIR", help="write the works here (default: sources/)")
    s.add_argument("--cache", type=Path, metavar="DIR", help="the HTTP cache (default: .cache/fetch beside sources/)")
    s.add_argument(
        "--delay",
        type=bounded(float, 0, 3600),
        default=1.0,
        help="seconds between two requests to one host, 0 to 3600 (default 1)",
    )
    s.add_argument(
        "--timeout",
        type=bounded(float, 0, 3600, low_open=True),
        default=30.0,
        help="seconds to wait for each part of an answer, up to 3600 (default 30)",
    )
    s.add_argument(
        "--page-time",
        type=bounded(float, 0, 86400, low_open=True),
        default=300.0,
        help="seconds for one page from request to last byte, up to 86400 (default 300)",
    )
    s.add_argument(
        "--retries", type=bounded(int, 0, 20), default=4, help="retries of a failed request, 0 to 20 (default 4)"
    )
    s.add_argument("--retrieved", metavar="YYYY-MM-DD", help="retrieval date for the manifests (default today)")
    s.add_argument("--update", action="store_true", help="bring in pages that changed, keeping the earlier version")
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.archive.fetch import FetchOptions, fetch

    options = FetchOptions(
        urls=tuple(args.urls),
        server=args.server,
        site_url=args.site_url,
        sources=args.sources,
        cache=args.cache,
        delay=args.delay,
        timeout=args.timeout,
        retries=args.retries,
        retrieved=args.retrieved,
        update=args.update,
        page_seconds=args.page_time,
    )
    return fetch(options)
