"""``python -m pipeline fetch URL...``: works from the MIA site (or a mirror), into sources/.

It writes the very ``sources/<slug>/`` that ``import`` writes (same triage notions, same
slugs, same atomic, versioned store), from pages requested over HTTP, politely, as the
MIA asks of anyone who copies it:

- a User-Agent naming the pipeline and its home page; robots.txt obeyed;
- one request at a time, at least ``--delay`` seconds apart (default 1 s);
- a local HTTP cache (requests-cache) that revalidates every page with a conditional
  request (If-None-Match / If-Modified-Since): fetching again costs one cheap request
  per page and, when nothing changed, changes nothing;
- retries with backoff on 429 (honouring Retry-After), 5xx, timeouts, cut connections and
  bodies shorter than their Content-Length; then a one-line error.

A download that fails or is cut short never becomes a source: a work is written only
when every page it has was fetched whole. ``--server URL`` requests the pages from a
mirror while the manifests keep the canonical MIA URL and record the server. The
charset the server declared is recorded beside the page's own declaration.

The command line (``python -m pipeline fetch``) is :mod:`pipeline.commands.fetch`, which
hands the options over as :class:`FetchOptions`.
"""

from __future__ import annotations

import re
import sys
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from pipeline import __version__
from pipeline.archive import images, slugs, store
from pipeline.archive.import_site import manifest_for, page_url
from pipeline.archive.page import MAX_PAGE_BYTES, PageFacts, read_facts
from pipeline.archive.triage import WorkPlan, multipart_links, not_a_work, prose_or_chapter
from pipeline.errors import PipelineError
from pipeline.mia import HOSTS, SITE_URL
from pipeline.paths import sources_dir

MIA, MIA_HOSTS = SITE_URL, HOSTS
USER_AGENT = f"mia-pipeline/{__version__} (+{SITE_URL}admin/; edition pipeline for public-domain texts)"
RETRY_STATUS = {429, 500, 502, 503, 504}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch and how: the options of ``pipeline fetch``."""

    urls: tuple[str, ...]  # work pages or multi-part works' indexes
    server: str | None = None  # request the pages from this mirror; manifests keep the site's URL
    site_url: str | None = None  # the site the URLs belong to (None: the MIA)
    sources: Path | None = None  # where the works go (None: the project's sources/)
    cache: Path | None = None  # the HTTP cache (None: .cache/fetch beside sources/)
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 30.0  # seconds to wait for an answer
    retries: int = 4  # retries of a failed request
    retrieved: str | None = None  # YYYY-MM-DD for the manifests (None: today)
    update: bool = False  # bring in pages that changed, keeping the earlier version


class FetchError(Exception):
    """One page could not be fetched whole; the message is one line."""


class _Retry(Exception):
    """This attempt failed in a way worth another try (after ``wait`` seconds, or the backoff)."""

    def __init__(self, problem: str, wait: float | None) -> None:
        super().__init__(problem)
        self.problem, self.wait = problem, wait


@dataclass
class Fetched:
    url: str  # the URL requested
    data: bytes
    content_type: str
    from_cache: bool


@dataclass
class Fetcher:
    """One polite HTTP client: a cached session, robots.txt per host, one request at a time."""

    cache: Path
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 4
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        import requests_cache

        # expire_after=0: every page is kept but stale at once, so each fetch revalidates it with a
        # conditional request, and a failed revalidation is an error, never the old copy passed off as new.
        self.session = requests_cache.CachedSession(
            str(self.cache / "http-cache"),
            backend="sqlite",
            expire_after=0,
            always_revalidate=True,
            allowable_codes=(200,),
            stale_if_error=False,
        )
        self.session.headers["User-Agent"] = USER_AGENT
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def close(self) -> None:
        self.session.close()  # type: ignore[no-untyped-call]  # requests-cache leaves it unannotated

    def _wait(self, host: str) -> None:
        """Sleep until ``delay`` seconds have passed since the last answer from ``host`` ended:
        counted from the end, so the server never sees two requests closer than ``delay``."""
        last = self._last.get(host)
        if last is not None:
            pause = self.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(base)
        if robots is None:
            robots = urllib.robotparser.RobotFileParser()
            try:
                text = self._get(base + "/robots.txt", robots_txt=True).data.decode("utf-8", "replace")
                robots.parse(text.splitlines())
            except FetchError:
                robots.parse([])  # no robots.txt (or it failed): everything is allowed
            self._robots[base] = robots
        return robots.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> Fetched:
        if not self.allowed(url):
            raise FetchError(f"{url}: disallowed by the server's robots.txt; not fetched")
        return self._get(url)

    def _get(self, url: str, robots_txt: bool = False) -> Fetched:
        import requests

        host = urlsplit(url).netloc
        problem = ""
        for attempt in range(self.retries + 1):
            self._wait(host)
            try:
                return self._attempt(url, robots_txt, attempt)
            except _Retry as retry:
                problem = retry.problem
                if retry.wait is not None and attempt < self.retries:
                    time.sleep(retry.wait)
                    continue
            except requests.exceptions.Timeout:
                problem = f"no answer within {self.timeout:g} s"
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
                problem = "body cut short (the connection ended before the Content-Length the server announced)"
            except requests.exceptions.ConnectionError:
                problem = "connection failed or cut"
            finally:
                self._last[host] = time.monotonic()
            if attempt < self.retries:
                time.sleep(self.delay * (2**attempt))
        raise FetchError(f"{url}: {problem} after {self.retries + 1} tries; not fetched")

    def _attempt(self, url: str, robots_txt: bool, attempt: int) -> Fetched:
        """One request: the page, a FetchError (final), or _Retry (try again)."""
        with self.session.get(url, timeout=self.timeout, allow_redirects=False, stream=False) as response:
            status = response.status_code
            if status in (301, 302, 303, 307, 308):
                target = urljoin(url, response.headers.get("Location", ""))
                raise FetchError(f"{url}: the server redirects it to {target}; fetch that URL instead")
            if status in RETRY_STATUS:
                raise _Retry(f"HTTP {status}", self._retry_after(response.headers.get("Retry-After"), attempt))
            if status == 404 and robots_txt:
                raise FetchError("no robots.txt")
            if status != 200:
                raise FetchError(f"{url}: HTTP {status} {response.reason}; not fetched")
            data = response.content
            declared = response.headers.get("Content-Length")
            if (
                declared is not None
                and declared.isdigit()
                and int(declared) != len(data)
                and not response.headers.get("Content-Encoding")
            ):
                raise _Retry(f"body cut short ({len(data)} of {declared} bytes)", None)
            if len(data) > MAX_PAGE_BYTES:
                raise FetchError(f"{url}: page over 20 MB; not fetched")
            self.log.append(f"{'cache' if getattr(response, 'from_cache', False) else 'net'} {url}")
            return Fetched(
                url, data, response.headers.get("Content-Type", ""), bool(getattr(response, "from_cache", False))
            )

    def _retry_after(self, value: str | None, attempt: int) -> float:
        if value and value.strip().isdigit():
            return min(float(value.strip()), 300.0)
        return self.delay * (1 << attempt)  # 2**attempt, typed int


def canonical(url: str, site_url: str) -> tuple[str, str]:
    """The page's canonical URL and its site path; a one-line error for a URL outside the site."""
    parts = urlsplit(url)
    site = urlsplit(site_url)
    if parts.scheme not in ("http", "https"):
        raise PipelineError(f"not an http(s) URL: {url}")
    hosts = MIA_HOSTS if site.netloc in MIA_HOSTS else (site.netloc,)
    if parts.netloc.lower() not in hosts:
        raise PipelineError(f"{url}: not a page of {site_url} (use --site-url for another site, --server for a mirror)")
    path = parts.path.lstrip("/")
    base = site.path.strip("/")
    if base:
        if not path.startswith(base + "/"):
            raise PipelineError(f"{url}: not under {site_url}")
        path = path[len(base) + 1 :]
    if not path or path.endswith("/"):
        path += "index.htm"
    return page_url(site_url, path), path


def _charset(fetched: Fetched) -> dict[str, str | None]:
    served = re.search(r"charset=([\w.:-]+)", fetched.content_type or "", re.I)
    meta = META_CHARSET.search(fetched.data[:4096])
    return {
        "served": served.group(1) if served else None,
        "declared": meta.group(1).decode("ascii", "replace") if meta else None,
    }


def fetch_work(
    fetcher: Fetcher, url: str, site_url: str, server: str | None
) -> tuple[WorkPlan, dict[str, PageFacts], dict[str, bytes], dict[str, dict[str, str | None]]]:
    """Fetch one work (a page, or an index and its parts); every page whole, or an error."""
    canon, path = canonical(url, site_url)

    def request_url(site_path: str) -> str:
        return (server.rstrip("/") + "/" + site_path) if server else page_url(site_url, site_path)

    first = fetcher.get(request_url(path))
    facts = {path: read_facts(path, first.data)}
    blobs = {path: first.data}
    charsets = {path: _charset(first)}
    f = facts[path]
    if f.error:
        raise FetchError(f"{canon}: {f.error}; not a page of the site")
    why = not_a_work(f) or (None if f.info else prose_or_chapter(f))
    links = multipart_links(f, facts)
    if why and links is None:
        raise FetchError(f"{canon}: the server's page is not a work ({why}); not fetched")
    plan = WorkPlan(main=path, kind="single")
    if links:
        plan.kind = "multi-part"
        for link in links:
            try:
                part = fetcher.get(request_url(link))
            except FetchError as exc:
                if "HTTP 404" in str(exc):
                    plan.missing.append(link)
                    continue
                raise
            pf = read_facts(link, part.data)
            if pf.error:
                raise FetchError(f"{page_url(site_url, link)}: {pf.error}; not fetched")
            facts[link], blobs[link], charsets[link] = pf, part.data, _charset(part)
            plan.parts.append(link)
        if not plan.parts:
            plan.kind = "single"
    return plan, facts, blobs, charsets


def fetch(options: FetchOptions) -> int:
    """Fetch the works ``options`` names into sources/; the exit status (1 if a work failed)."""
    site_url = options.site_url or MIA
    for url in options.urls:  # every URL checked before sources/ is touched
        canonical(url, site_url)
    sources = Path(options.sources) if options.sources else sources_dir()
    with store.writer_lock(sources):
        return _run(options, site_url)


def _run(options: FetchOptions, site_url: str) -> int:
    server = options.server.rstrip("/") if options.server else None
    sources = Path(options.sources) if options.sources else sources_dir()
    cache = Path(options.cache) if options.cache else sources.parent / ".cache" / "fetch"
    cache.mkdir(parents=True, exist_ok=True)
    targets = [canonical(u, site_url) for u in options.urls]  # every URL checked before any request
    fetcher = Fetcher(cache, delay=options.delay, timeout=options.timeout, retries=options.retries)
    store.recover(sources)
    failed = 0
    try:
        existing = store.existing_urls(sources)
        occupied = {p.name for p in sources.iterdir()} if sources.is_dir() else set()
        for (canon, _path), url in zip(targets, options.urls):
            try:
                plan, facts, blobs, charsets = fetch_work(fetcher, url, site_url, server)
            except FetchError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed += 1
                continue
            plan.slug = slugs.assign([(canon, plan.main)], existing, occupied)[canon]
            retrieved = options.retrieved or time.strftime("%Y-%m-%d", time.gmtime())
            manifest = fetched_manifest(plan, facts, charsets, site_url, server, retrieved)
            figures = images.fetch_figures(fetcher.get, FetchError, blobs, plan.main, site_url, server, manifest)
            for line in figures.refusals:
                print(f"{plan.slug}: {line}", file=sys.stderr)
            if store_fetched(sources, plan, manifest, {**blobs, **figures.blobs}, options.update):
                existing[canon] = plan.slug
                occupied.add(plan.slug)
    finally:
        fetcher.close()
        try:
            (sources / store.STAGING).rmdir()
        except OSError:
            pass
    return 1 if failed else 0


def fetched_manifest(
    plan: WorkPlan,
    facts: dict[str, PageFacts],
    charsets: dict[str, dict[str, str | None]],
    site_url: str,
    server: str | None,
    retrieved: str,
) -> dict[str, Any]:
    """The import's manifest of a fetched work, saying where it came from and the charsets served and declared."""
    manifest = manifest_for(plan, facts, site_url, retrieved)
    manifest["origin"] = f"fetched by `python -m pipeline fetch` from {server or site_url.rstrip('/')}"
    for entry, page in zip(manifest["files"], plan.pages):
        c = charsets[page]
        if c["served"]:
            entry["served_charset"] = c["served"]
        if c["declared"]:
            entry["declared_charset"] = c["declared"]
    return manifest


def store_fetched(
    sources: Path, plan: WorkPlan, manifest: dict[str, Any], blobs: dict[str, bytes], update: bool
) -> bool:
    """Write a fetched work into ``sources`` unless it is there as it is, or changed without
    ``update``; say which on stderr. True if it was written."""
    slug = plan.slug
    folder = sources / slug
    previous = store.read_existing(folder) if folder.exists() else None
    if previous is not None and store.fingerprint(previous) == store.fingerprint(manifest):
        print(f"{slug}: unchanged", file=sys.stderr)
        return False
    if previous is not None and not update:
        print(f"{slug}: the site's page differs from sources/{slug}; not overwritten (use --update)", file=sys.stderr)
        return False
    files = [
        store.StoredFile(e["path"], blobs[p], e["sha256"], e["role"], e["url"])
        for e, p in zip(manifest["files"], plan.pages)
    ] + [
        store.StoredFile(e["path"], blobs[e["path"]], e["sha256"], "figure", e["url"])
        for e in manifest["files"][len(plan.pages) :]
    ]
    try:
        store.write_work(sources, slug, manifest, files, previous)
    except store.DiskFull as exc:
        raise PipelineError(f"{exc}; the works written before are whole") from None
    print(
        f"{slug}: {'updated' if previous else 'new'} ({plan.kind}, {len(plan.pages)} pages"
        + (f", {len(plan.missing)} missing" if plan.missing else "")
        + ")",
        file=sys.stderr,
    )
    return True
