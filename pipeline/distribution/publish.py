"""Putting it together: read the masters, write covers, site, catalogs, search, sums.

Every master is read (and every edition checked against its verified record) before
anything is written, so a broken master stops the run with one clear line and leaves
the previous library in place. The pages and feeds are then written in two phases: every
changed one beside its place first (a full or read-only disk fails here, and the files
written so far are removed: the last good library stays whole), then all renamed into
place. Files the catalog wrote before and no longer publishes (the pages of a work now
withheld, a page beyond the new last page) are removed. ``SHA256SUMS`` comes next to
last, ``library.json`` (which names the build by the digest of SHA256SUMS) last.

The library is published in a folder of its own, ``editions/site/`` (:func:`pipeline.paths.site_dir`):
its pages, feeds and search index, and the published works' files (editions, masters,
covers) as hard links to the verified files in ``editions/`` (copies where the file
system has no hard links). Serving it serves only what is published; a withheld work's
master is never in it. A rebuild replaces a file in ``editions/`` by renaming a new one
into place, so the site keeps the verified bytes it links to until the next catalog
publishes the new ones. The catalog owns the folder: a file in it that the catalog did
not write stops the run (nothing there is deleted that someone put there).

The search index holds the works' text, so it never outlives a work's publication: with
``--no-search``, or when Pagefind fails, the earlier index is withdrawn (the site is
published without search, and the failure is reported), never left answering with the
text of a work since withheld. The catalog command holds the build's lock while it runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlparse

from pipeline import __version__
from pipeline.distribution import catalogs, checksums, covers, opds, opds2, search, site
from pipeline.distribution.library import Library, build_library
from pipeline.distribution.memo import Deferred, Memo, key_of, signature
from pipeline.distribution.page import STYLESHEET, stylesheet
from pipeline.distribution.works import Cover, PublishedFile, Withheld, Work, collect, href_of, work_key
from pipeline.errors import PipelineError
from pipeline.paths import editions_dir, site_dir
from pipeline.rights.report import group_of

# The library's folders: what the catalog once wrote under editions/ itself, before the site
# had a folder of its own (removed there: see retire_old_layout).
OWNED_DIRS = ("authors", "years", "languages", "works", "opds", "withheld")
ROOT_FILES = (
    "index.html",
    "new.html",
    "withheld.html",
    "search.html",
    search.SCRIPT,
    STYLESHEET,
    "catalog.xml",
    "catalog.json",
    "opensearch.xml",
)
MANIFEST = "library.json"
WITHHELD_PAGE_RE = re.compile(r"withheld-\d+\.html")


def normalize_base_url(base_url: str) -> str:
    """An absolute http(s) URL ending in '/', or '' for relative links."""
    if not base_url:
        return ""
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
        raise PipelineError(f"--base-url must be an absolute http(s) URL of the editions/ folder, not {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


@dataclass
class Published:
    """What one run published: the works, the withheld ones, every file and its digest."""

    works: list[Work]
    withheld: list[Withheld]
    digests: dict[str, str] = field(default_factory=dict)  # path relative to editions/ -> sha256
    paths: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per phase, for the summary and the benchmark
    search_error: str | None = None  # why the search index could not be built (the site has none)

    def lap(self, phase: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[phase] = round(now - since, 2)
        return now

    @property
    def largest_page(self) -> tuple[int, str]:
        return max(((p.stat().st_size, p.name) for p in self.paths if p.suffix == ".html"), default=(0, ""))


def write_catalog(root: Path, base_url: str = "", with_search: bool = True) -> list[Path]:
    """Write the library of ``root/editions``; return every file it publishes or wrote."""
    return publish(Path(root), base_url, with_search).paths


class Writer:
    """The run's outputs: :meth:`put` stages a page or feed (written by :meth:`commit`, all
    or none), :meth:`add` records a file published as it is.

    A page or feed is written only when its bytes change, beside its place then renamed
    into place (a reader never sees half a file), without an fsync per file: the library is
    tens of thousands of small derived files, and an fsync each cost most of a run on this
    machine's disk (about 5 ms a file). :func:`publish` calls ``os.sync()`` once before it
    writes SHA256SUMS (atomically, with fsync), so the sums never vouch for a file that is
    not on disk."""

    def __init__(self, editions: Path, result: Published, memo: Memo | None = None) -> None:
        self.editions, self.result, self.memo = editions, result, memo
        self.staged: list[tuple[Path, Path]] = []  # (written beside, its place)
        self.rendered: dict[str, str] = {}  # page -> its key, for the memo once in place

    def put(self, rel: str, data: bytes | Deferred) -> None:
        """Stage a page or feed; a :class:`Deferred` one whose key and file are as the last
        run left them is not even rendered (the memo knows its digest)."""
        if isinstance(data, Deferred):
            path = self.editions / rel
            known = self.memo.page(rel, signature([path]), data.key) if self.memo else None
            if known:
                self.result.digests[rel] = known
                self.result.paths.append(path)
                return
            self.rendered[rel] = data.key
            data = data.render()
        path = self.editions / rel
        self.result.digests[rel] = checksums.sha256_bytes(data)
        self.result.paths.append(path)
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return  # unchanged: nothing to write
        except FileNotFoundError:
            pass
        self.stage(path, lambda tmp: tmp.write_bytes(data))

    def stage(self, path: Path, write: Callable[[Path], object]) -> None:
        """Have ``write`` make the file beside ``path`` (renamed into place by :meth:`commit`);
        on any failure, abandon everything staged so far."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        self.staged.append((tmp, path))
        try:
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.unlink(missing_ok=True)
            write(tmp)
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Remove every staged file: the library stays as the last run left it."""
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged.clear()

    def commit(self) -> None:
        """Rename every staged file into its place; remember the rendered pages' keys."""
        for tmp, path in self.staged:
            os.replace(tmp, path)
        self.staged.clear()
        if self.memo:
            for rel, key in self.rendered.items():
                path = self.editions / rel
                self.memo.put_page(rel, signature([path]), key, self.result.digests[rel])

    def add(self, path: Path, digest: str | None = None) -> None:
        """Record a file already in the site (the search index)."""
        rel = href_of(path, self.editions)
        self.result.digests[rel] = digest or checksums.sha256_file(path)
        self.result.paths.append(path)

    def link(self, file: PublishedFile) -> None:
        """Publish a work's file: a hard link in the site to the verified file (a copy
        where links cannot be made), staged like a page."""
        path = self.editions / file.href
        self.result.digests[file.href] = file.sha256 or checksums.sha256_file(file.path)
        self.result.paths.append(path)
        try:
            here, there = os.stat(f"{self.editions}/{file.href}"), os.stat(file.path)
            if (here.st_ino, here.st_dev) == (there.st_ino, there.st_dev):
                return  # already published, these very bytes
        except FileNotFoundError:
            pass
        if self.memo:
            self.memo.touch(file.href.split("/")[0])
        self.stage(path, lambda tmp: link_or_copy(file.path, tmp))


def link_or_copy(src: Path, dest: Path) -> None:
    """A hard link, or a copy where the file system has none (another file system, FAT,
    some network shares)."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def site_files(site: Path) -> list[str]:
    """Every file under ``site``, as POSIX paths relative to it (``os.walk`` and strings:
    on a library of the whole MIA, a quarter of a million files, pathlib cost seconds)."""
    out = []
    for folder, _, names in os.walk(site):
        rel = os.path.relpath(folder, site).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        out += [prefix + name for name in names]
    return out


def remove_stale(site: Path, keep: set[str]) -> None:
    """Delete what the catalog published before and no longer does (a withheld work's
    files and page, a page beyond the new last page, a cover redrawn under a new name)."""
    for rel in site_files(site):
        if rel not in keep and rel not in WRITTEN_ASIDE:
            os.unlink(site / rel)
    for folder, _, _ in os.walk(site, topdown=False):  # the folders left empty, deepest first
        if folder != str(site):
            with contextlib.suppress(OSError):  # not empty
                os.rmdir(folder)


# The files the catalog keeps in the site beside what it publishes: the sums, the manifest,
# the search index's input digest.
WRITTEN_ASIDE = frozenset(("SHA256SUMS", MANIFEST, search.STAMP))


def check_site_is_ours(site: Path) -> None:
    """Refuse to publish into a site folder holding a file the catalog did not write (not
    in its last SHA256SUMS): the folder is served as it is, and nothing someone put there
    is ever deleted."""
    if not site.is_dir():
        return
    listed = checksums.listed(site / "SHA256SUMS")
    for rel in sorted(site_files(site)):
        if rel in listed or rel in WRITTEN_ASIDE or rel.endswith(".part"):
            continue
        if rel.startswith((f"{search.BUNDLE}/", f".{search.BUNDLE}")):
            continue  # the search index, rebuilt as a whole
        raise PipelineError(
            "not written by the catalog: the published library holds only what it publishes; "
            "move the file out of editions/site/",
            site / rel,
        )


def retire_old_layout(editions: Path) -> None:
    """Remove the library an earlier version wrote into ``editions/`` itself (its pages,
    feeds, index and each work's page and covers): the site is ``editions/site/`` now, and
    the old pages would keep serving withheld works' files beside it."""
    for name in OWNED_DIRS + (search.BUNDLE,):
        if (editions / name).is_dir():
            shutil.rmtree(editions / name)
    for name in ROOT_FILES + ("SHA256SUMS", MANIFEST, search.STAMP):
        (editions / name).unlink(missing_ok=True)
    for path in editions.glob("withheld-*.html"):
        path.unlink()
    for folder in editions.iterdir():
        if folder.is_dir() and (folder / f"{folder.name}.tei.xml").is_file():
            (folder / "index.html").unlink(missing_ok=True)


def draw_covers(works: list[Work], editions: Path, memo: Memo) -> None:
    """Each work's cover: reused when cached, else drawn, in a process per core when many
    are new (a first run over the archive: decoding and scaling images is CPU-bound)."""
    todo = []
    for work in works:
        inputs = covers.cover_inputs(work)
        sig = signature(inputs)
        memo.watch(f"{work.slug}#cover", inputs)
        found = memo.get(f"{work.slug}#cover", sig)
        if isinstance(found, Cover):
            work.cover = found
        else:
            work.cover = covers.cached_cover(work, editions)
            if work.cover is not None:
                work.cover = covers.with_digests(work.cover)  # remembered, not hashed each run
                memo.put(f"{work.slug}#cover", sig, work.cover)
        if work.cover is None:
            todo.append(work)
        else:
            work.fragments["cover"] = memo.digest(f"{work.slug}#cover")
    jobs = min(os.cpu_count() or 1, 4)
    if len(todo) < 16 or jobs < 2:
        for work in todo:
            work.cover = covers.publish_cover(work, editions)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for work, cover in zip(todo, pool.map(covers.publish_cover, todo, [editions] * len(todo), chunksize=8)):
            work.cover = cover


def withdraw_index(editions: Path) -> None:
    """Remove the published search index (and the digest it was built from): no index is
    better than one that still finds the text of a work since withheld."""
    (editions / search.STAMP).unlink(missing_ok=True)
    if (editions / search.BUNDLE).is_dir():
        shutil.rmtree(editions / search.BUNDLE)


def publish(root: Path, base_url: str = "", with_search: bool = True) -> Published:
    base_url = normalize_base_url(base_url)
    editions, site = editions_dir(root), site_dir(root)
    mark = time.perf_counter()
    memo = Memo(editions)
    works, withheld = collect(root, memo)  # reads (and checks) every master and every edition first
    check_site_is_ours(site)
    result = Published(works, withheld)
    mark = result.lap("read and check", mark)
    out = Writer(site, result, memo)
    draw_covers(works, editions, memo)
    mark = result.lap("covers", mark)
    library = build_library(works)
    try:
        # The search index first: Pagefind's processes then share the machine with a catalog
        # holding the works only, not yet every page and feed it renders.
        if with_search:
            mark = index_or_withdraw(out, library, result, mark)
        else:
            withdraw_index(site)
        for work in works:
            for file in work.published_files():
                out.link(file)
        mark = stage_pages(out, library, withheld, base_url, result)
    except BaseException:
        out.abandon()  # a failure before the commit changes nothing of the published library
        raise
    out.commit()
    remove_stale(site, set(result.digests))
    retire_old_layout(editions)
    os.sync()  # every page and feed on disk before the sums vouch for them
    sums = checksums.render_sums(result.digests, site)
    for name, data in (("SHA256SUMS", sums), (MANIFEST, manifest(result, build_date_of(works), sums))):
        covers.write_if_changed(site / name, data)  # atomic, with fsync
        result.digests[name] = checksums.sha256_bytes(data)
        result.paths.append(site / name)
    memo.save()
    result.lap("sums", mark)
    return result


def build_date_of(works: list[Work]) -> datetime:
    return opds.feed_updated(works)


def index_or_withdraw(out: Writer, library: Library, result: Published, mark: float) -> float:
    """The search index of the published works, or (Pagefind failed) none at all, the
    failure recorded in ``result``; the time mark."""
    try:
        for path in search.write_index(library, out.editions):
            out.add(path)
    except PipelineError as exc:
        result.search_error = str(exc)
        withdraw_index(out.editions)
    return result.lap("search index", mark)


def stage_pages(out: Writer, library: Library, withheld: list[Withheld], base_url: str, result: Published) -> float:
    """Stage every page and feed of the library (nothing in place yet); the time mark."""
    mark = time.perf_counter()
    works = library.works
    build_date = opds.feed_updated(works)
    out.put(STYLESHEET, stylesheet())
    out.put(search.SCRIPT, search.script())
    out.put("search.html", search.search_page(build_date))
    for rel, data in site.site_pages(library, withheld, build_date):
        out.put(rel, data)
    mark = result.lap("site", mark)
    for feed in catalogs.feeds(library):
        pages = feed.pages()
        offered = catalogs.facets(library, feed.facet_key) if feed.kind == "acquisition" else []
        about = key_of(
            feed.base, feed.title, feed.kind, feed.up, len(pages), len(feed.works), offered, base_url, build_date
        )
        for page in pages:
            items = [work_key(item) if isinstance(item, Work) else item for item in page.items]
            key = key_of(about, page.number, items)
            for ext, writer in (("xml", opds.render_page), ("json", opds2.render_page)):
                render = partial(writer, feed, page.number, len(pages), library, base_url, build_date)
                out.put(feed.href(page.number, ext), Deferred(f"{ext} {key}", render))
    out.put("opensearch.xml", opds.opensearch(base_url))
    for work in works:  # the feeds' entries, rendered once each: not held while Pagefind runs
        work.fragments = {k: v for k, v in work.fragments.items() if k in ("read", "cover", "key")}
    return result.lap("feeds", mark)


def manifest(result: Published, build_date: datetime, sums: bytes) -> bytes:
    """``library.json``: which build this is (dated, and named by the digest of SHA256SUMS),
    with every work and its files, so a mirror can tell what it has (schemas/library.schema.json)."""
    data = {
        "build": checksums.sha256_bytes(sums),
        "built": opds.atom_date(build_date),
        "generator": f"mia-pipeline {__version__}",
        "sha256sums": "SHA256SUMS",
        "counts": {
            "works": len(result.works),
            "files": len(result.digests) - 1,  # the files SHA256SUMS lists (not itself)
            "withheld_licence": sum(1 for w in result.withheld if w.kind == "licence"),
            "withheld_by_reason": dict(
                sorted(Counter(group_of(w.meta) for w in result.withheld if w.kind == "licence" and w.meta).items())
            ),
            "incomplete": sum(1 for w in result.works if w.missing),
        },
        "works": [
            {
                "slug": w.slug,
                "title": w.meta.title,
                "author": w.meta.author,
                "page": f"{w.slug}/index.html",
                **({"missing": w.missing} if w.missing else {}),
                "files": {f.href: result.digests[f.href] for f in w.files},
            }
            for w in result.works
        ],
    }
    # One work a line: readable, and written by json's C encoder (an indent makes it fall back
    # to the pure-Python one, seconds on a library of the whole MIA).
    head = json.dumps({k: v for k, v in data.items() if k != "works"}, ensure_ascii=False)[:-1]
    works = ",\n".join(json.dumps(w, ensure_ascii=False) for w in data["works"])
    return f'{head}, "works": [\n{works}\n]}}\n'.encode()
