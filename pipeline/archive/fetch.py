"""``python -m pipeline fetch URL...``: works from the MIA site (or a mirror), into sources/.

It writes the very ``sources/<slug>/`` that ``import`` writes (same triage notions, same
slugs, same atomic, versioned store), from pages requested over HTTP, politely, as the
MIA asks of anyone who copies it:

- a User-Agent naming the pipeline and its home page; robots.txt obeyed;
- one request at a time, at least ``--delay`` seconds apart (default 1 s);
- a local HTTP cache (requests-cache) that revalidates every page with a conditional
  request (If-None-Match / If-Modified-Since): fetching again costs one cheap request
  per page and, when nothing changed, changes nothing;
- retries with backoff on 429 (honouring Retry-After, in seconds or as an HTTP date), 5xx,
  timeouts, cut connections and bodies shorter than their Content-Length; then a one-line error.

Every answer is read within hard limits, while it streams in (:class:`BoundedAdapter`): bytes
per page (compressed as sent and decompressed, so a gzip bomb is refused after its first
20 MB of output), bytes per work, and wall time per page (``--page-time``: a server sending
a byte every few seconds is stopped, not just one that goes silent). A robots.txt is read to
512 KiB (RFC 9309's parsing limit); one that answers 5xx, cannot be reached or redirects
means "disallow all" (RFC 9309 2.3.1.3-4), a 4xx means no robots.txt. The pages of a work
wait in a spool file on disk, not in memory, until the work is stored.

A download that fails or is cut short never becomes a source: a work is written only
when every page it has was fetched whole. ``--server URL`` requests the pages from a
mirror while the manifests keep the canonical MIA URL and record the server. The
charset the server declared is recorded beside the page's own declaration.

The command line (``python -m pipeline fetch``) is :mod:`pipeline.commands.fetch`, which
hands the options over as :class:`FetchOptions`.
"""

from __future__ import annotations

import email.utils
import math
import re
import shutil
import sys
import tempfile
import time
import urllib.robotparser
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import urllib3.exceptions

from pipeline import __version__
from pipeline.archive import images, slugs, store
from pipeline.archive.import_site import manifest_for, page_url
from pipeline.archive.page import MAX_PAGE_BYTES, PageFacts, read_facts
from pipeline.archive.site import plain_site_path
from pipeline.archive.triage import WorkPlan, multipart_links, not_a_work, prose_or_chapter
from pipeline.errors import PipelineError
from pipeline.mia import HOSTS, SITE_URL
from pipeline.paths import sources_dir

MIA, MIA_HOSTS = SITE_URL, HOSTS
USER_AGENT = f"mia-pipeline/{__version__} (+{SITE_URL}admin/; edition pipeline for public-domain texts)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_WORK_BYTES = 200 * 1024 * 1024  # all the pages of one work together
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 2.5: a crawler parses at least 500 KiB of a robots.txt
PAGE_SECONDS = 300.0  # wall time for one page, from the request to its last byte
MAX_RETRY_AFTER = 300.0  # a longer Retry-After is a refusal, not a wait
ACCEPTED_ENCODINGS = "gzip, deflate"  # the encodings decoded here within the limits
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
    page_seconds: float = PAGE_SECONDS  # wall time for one page, the whole of its body included


class FetchError(Exception):
    """One page could not be fetched whole; the message is one line."""


class _NoRobots(Exception):
    """robots.txt answered 4xx: the host has none, so every page is allowed (RFC 9309 2.3.1.3)."""


class _Retry(Exception):
    """This attempt failed in a way worth another try (after ``wait`` seconds, or the backoff)."""

    def __init__(self, problem: str, wait: float | None) -> None:
        super().__init__(problem)
        self.problem, self.wait = problem, wait


class BodyRefused(Exception):
    """An answer broke a hard limit (size, time, encoding); final, never retried. One line."""


@dataclass
class ReadLimits:
    """The limits the next answer is read within: set by :class:`Fetcher` before each request."""

    max_bytes: int = MAX_PAGE_BYTES  # compressed as sent, and again decompressed
    deadline: float = math.inf  # time.monotonic() by which the last byte must have come
    truncate: bool = False  # past max_bytes keep what came (robots.txt) instead of refusing


class BoundedAdapter(requests.adapters.HTTPAdapter):
    """An HTTP adapter that reads each body itself, within :class:`ReadLimits`, before requests
    (or the cache, which would read it whole) sees it: memory stays bounded whatever the server sends."""

    def __init__(self) -> None:
        super().__init__()
        self.limits = ReadLimits()

    def send(  # type: ignore[override]  # the same parameters, passed on as keywords
        self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any
    ) -> requests.Response:
        response = super().send(request, stream=True, **kwargs)
        try:
            body = read_bounded(response, self.limits)
        except BaseException:
            response.close()
            raise
        response._content = body  # what requests would have read and decoded, within the limits
        response._content_consumed = True  # type: ignore[attr-defined]  # requests' own flag, unannotated
        response.headers.pop("Content-Encoding", None)  # decoded here; the cache keeps the decoded body
        response.raw.release_conn()
        return response


def _decoder(encoding: str) -> Any:
    """A streaming decoder for the Content-Encoding, or None for identity; BodyRefused for others."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise BodyRefused(f"Content-Encoding {encoding!r} was not asked for (only {ACCEPTED_ENCODINGS})")


def read_bounded(response: requests.Response, limits: ReadLimits) -> bytes:
    """The body of ``response``, read block by block within ``limits``: BodyRefused past them."""
    raw, limit = response.raw, limits.max_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit and not limits.truncate:
        raise BodyRefused(f"the server announces {int(declared):,} bytes, over the {limit:,}-byte page limit")
    decoder = _decoder(response.headers.get("Content-Encoding", ""))
    out, received, size = [], 0, 0
    try:
        while True:
            if time.monotonic() > limits.deadline:
                raise BodyRefused("not received whole within the page's time limit (a server sending too slowly)")
            block = raw.read1(65536, decode_content=False)
            if not block:
                break
            received += len(block)
            if decoder is not None:
                block = decoder.decompress(block, limit + 1 - size)
            size += len(block)
            out.append(block)
            if received > limit or size > limit:
                if limits.truncate:
                    raw.close()  # the rest is never read: the connection cannot serve another request
                    return b"".join(out)[:limit]
                kind = "sent" if received > limit else "decompressed"
                raise BodyRefused(f"body over the {limit:,}-byte page limit ({kind}); the rest was not read")
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(str(exc)) from None
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError, zlib.error) as exc:
        raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
    if declared.isdigit() and received != int(declared):
        raise requests.exceptions.ChunkedEncodingError(f"{received} of {declared} bytes")
    return b"".join(out)


@dataclass
class Fetched:
    url: str  # the URL requested
    data: bytes
    content_type: str
    from_cache: bool


@dataclass
class Fetcher:
    """One polite HTTP client: a cached session, robots.txt per host, one request at a time,
    every answer read within the hard limits (bytes and wall time per page)."""

    cache: Path
    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 4
    log: list[str] = field(default_factory=list)
    page_seconds: float = PAGE_SECONDS

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
        self.session.headers["Accept-Encoding"] = ACCEPTED_ENCODINGS
        self.adapter = BoundedAdapter()
        self.session.mount("http://", self.adapter)
        self.session.mount("https://", self.adapter)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}

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

    def _robots_for(self, base: str) -> urllib.robotparser.RobotFileParser | str:
        """The host's rules, or why every page is disallowed (RFC 9309: a robots.txt that is
        unreachable, answers 5xx or redirects means disallow all; a 4xx means allow all)."""
        robots = urllib.robotparser.RobotFileParser()
        try:
            fetched = self._get(base + "/robots.txt", robots_txt=True)
        except _NoRobots:
            robots.parse([])
            return robots
        except FetchError as exc:
            return str(exc).removesuffix("; not fetched")
        robots.parse(fetched.data.decode("utf-8", "replace").splitlines())
        return robots

    def allowed(self, url: str) -> bool:
        return self.refusal(url) is None

    def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids ``url`` (one line), or None when it may be fetched."""
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(base)
        if robots is None:
            robots = self._robots[base] = self._robots_for(base)
        if isinstance(robots, str):
            return f"{url}: disallowed, the server's robots.txt cannot be read ({robots}: RFC 9309, disallow all)"
        if not robots.can_fetch(USER_AGENT, url):
            return f"{url}: disallowed by the server's robots.txt"
        return None

    def get(self, url: str, max_bytes: int = MAX_PAGE_BYTES) -> Fetched:
        refusal = self.refusal(url)
        if refusal:
            raise FetchError(f"{refusal}; not fetched")
        return self._get(url, max_bytes=max_bytes)

    def _get(self, url: str, robots_txt: bool = False, max_bytes: int = MAX_PAGE_BYTES) -> Fetched:
        host = urlsplit(url).netloc
        problem = ""
        for attempt in range(self.retries + 1):
            self._wait(host)
            self.adapter.limits = ReadLimits(
                MAX_ROBOTS_BYTES if robots_txt else max_bytes, time.monotonic() + self.page_seconds, robots_txt
            )
            try:
                return self._attempt(url, robots_txt, attempt)
            except _Retry as retry:
                problem = retry.problem
                if retry.wait is not None and attempt < self.retries:
                    time.sleep(retry.wait)
                    continue
            except BodyRefused as exc:
                raise FetchError(f"{url}: {exc}; not fetched") from None
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
                raise _Retry(f"HTTP {status}", self._retry_after(url, response.headers.get("Retry-After"), attempt))
            if robots_txt and 400 <= status < 500:
                raise _NoRobots()
            if status != 200:
                raise FetchError(f"{url}: HTTP {status} {response.reason}; not fetched")
            data = response.content  # read by the BoundedAdapter, within the limits
            self.log.append(f"{'cache' if getattr(response, 'from_cache', False) else 'net'} {url}")
            return Fetched(
                url, data, response.headers.get("Content-Type", ""), bool(getattr(response, "from_cache", False))
            )

    def _retry_after(self, url: str, value: str | None, attempt: int) -> float:
        """The wait a Retry-After asks for (seconds or an HTTP date); a FetchError when it is
        longer than MAX_RETRY_AFTER (waiting less and asking again would not be polite)."""
        seconds = retry_after_seconds(value)
        if seconds is None:
            return self.delay * (1 << attempt)  # 2**attempt, typed int
        if seconds > MAX_RETRY_AFTER:
            raise FetchError(
                f"{url}: the server asks to retry after {seconds:,.0f} s, over the {MAX_RETRY_AFTER:g} s limit; "
                "not fetched (try again later)"
            )
        return seconds


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header's wait in seconds (RFC 9110 10.2.3: delay-seconds or an HTTP date), or None."""
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


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


class SpooledPages(Mapping[str, bytes]):
    """A work's pages waiting on disk, not in memory, until the work is stored: site path -> bytes
    (read back one at a time). The folder is removed by :meth:`close`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, Path] = {}

    def add(self, site_path: str, data: bytes) -> None:
        file = self.folder / f"{len(self._files)}.page"
        file.write_bytes(data)
        self._files[site_path] = file

    def path(self, site_path: str) -> Path:
        return self._files[site_path]

    def __getitem__(self, site_path: str) -> bytes:
        return self._files[site_path].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def fetch_work(
    fetcher: Fetcher, url: str, site_url: str, server: str | None, spool: Path | None = None
) -> tuple[WorkPlan, dict[str, PageFacts], Mapping[str, bytes], dict[str, dict[str, str | None]]]:
    """Fetch one work (a page, or an index and its parts); every page whole, or an error. With
    ``spool`` (an empty folder) the pages wait there, one in memory at a time; the work's pages
    together are at most MAX_WORK_BYTES."""
    canon, path = canonical(url, site_url)
    blobs: dict[str, bytes] | SpooledPages = SpooledPages(spool) if spool is not None else {}
    budget = MAX_WORK_BYTES

    def request_url(site_path: str) -> str:
        return (server.rstrip("/") + "/" + site_path) if server else page_url(site_url, site_path)

    def keep(site_path: str, data: bytes) -> None:
        nonlocal budget
        budget -= len(data)
        if budget < 0:
            raise FetchError(
                f"{canon}: its pages together are over the {MAX_WORK_BYTES:,}-byte limit of one work "
                f"(at {site_path}); not fetched"
            )
        if isinstance(blobs, SpooledPages):
            blobs.add(site_path, data)
        else:
            blobs[site_path] = data

    first = fetcher.get(request_url(path))
    facts = {path: read_facts(path, first.data)}
    charsets = {path: _charset(first)}
    keep(path, first.data)
    del first
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
            if not plain_site_path(link):
                plan.notes.append(f"link {link!r} leaves the work's site folder; refused, not fetched")
                print(f"warning: {canon}: link {link!r} leaves the site's folders; refused", file=sys.stderr)
                continue
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
            facts[link], charsets[link] = pf, _charset(part)
            keep(link, part.data)
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
    fetcher = Fetcher(
        cache, delay=options.delay, timeout=options.timeout, retries=options.retries, page_seconds=options.page_seconds
    )
    store.recover(sources)
    failed = 0
    try:
        existing = store.existing_urls(sources)
        occupied = {p.name for p in sources.iterdir()} if sources.is_dir() else set()
        for (canon, _path), url in zip(targets, options.urls):
            (sources / store.STAGING).mkdir(parents=True, exist_ok=True)
            spool = SpooledPages(Path(tempfile.mkdtemp(prefix="fetch-", dir=sources / store.STAGING)))
            try:
                plan, facts, blobs, charsets = fetch_work(fetcher, url, site_url, server, spool.folder)
                plan.slug = slugs.assign([(canon, plan.main)], existing, occupied)[canon]
                retrieved = options.retrieved or time.strftime("%Y-%m-%d", time.gmtime())
                manifest = fetched_manifest(plan, facts, charsets, site_url, server, retrieved)
                figures = images.fetch_figures(fetcher.get, FetchError, blobs, plan.main, site_url, server, manifest)
                for line in figures.refusals:
                    print(f"{plan.slug}: {line}", file=sys.stderr)
                if store_fetched(sources, plan, manifest, blobs, options.update, figures.blobs):
                    existing[canon] = plan.slug
                    occupied.add(plan.slug)
            except FetchError as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed += 1
            finally:
                spool.close()
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
    sources: Path,
    plan: WorkPlan,
    manifest: dict[str, Any],
    blobs: Mapping[str, bytes],
    update: bool,
    figure_blobs: Mapping[str, bytes] | None = None,
) -> bool:
    """Write a fetched work into ``sources`` unless it is there as it is, or changed without
    ``update``; say which on stderr. True if it was written. ``figure_blobs``: the figures'
    bytes by path, listed in the manifest after the pages."""
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
        store.StoredFile(e["path"], b"", e["sha256"], e["role"], e["url"], source=blobs.path(p))
        if isinstance(blobs, SpooledPages)
        else store.StoredFile(e["path"], blobs[p], e["sha256"], e["role"], e["url"])
        for e, p in zip(manifest["files"], plan.pages)
    ] + [
        store.StoredFile(e["path"], (figure_blobs or {})[e["path"]], e["sha256"], "figure", e["url"])
        for e in manifest["files"][len(plan.pages) :]
    ]
    try:
        store.write_work(sources, slug, manifest, files, previous)
    except store.DiskFull as exc:
        raise PipelineError(f"{exc}; the works written before are whole") from None
    except store.StoreRefused as exc:
        raise FetchError(f"sources/{slug}: {exc}") from None
    except OSError as exc:
        raise FetchError(f"sources/{slug}: cannot be written ({exc.strerror or exc}); nothing written") from None
    print(
        f"{slug}: {'updated' if previous else 'new'} ({plan.kind}, {len(plan.pages)} pages"
        + (f", {len(plan.missing)} missing" if plan.missing else "")
        + ")",
        file=sys.stderr,
    )
    return True
