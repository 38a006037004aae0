"""Full-text search of the library with Pagefind: ``editions/site/pagefind/`` and ``search.html``.

Pagefind (PyPI ``pagefind``, its binary from ``pagefind-bin``) builds a static index
that the browser loads in fragments. What is indexed: one record per work, whose
content is the work's own words and whose URL is the work's page. The words come from
the TEI master's ``<text>`` (title page, body, notes), never its ``teiHeader`` and never
an edition: the TXT edition adds the colophon ("About this edition": the transcribers,
the licence, "3 x Removed spacer paragraphs") and its own markup (``*bold*``, rules of
hyphens), which made every work match "transcription" and an ``x`` match nonsense.
The title and the author are indexed too, weighted above the text (a search for an
author's name ranks their works first), and each work carries three filters: author,
year, language. Not the HTML pages themselves: a page carrying the full text of a long
work would break the 100 kB budget every page keeps; a record gives the search the
exact words while the result leads to the page with the attribution and downloads.
(Pagefind indexes these text pages from a temporary folder laid out like the site, so
each result's URL is the work's page.) Every record is indexed as one language
(``force_language`` "en") so that the search page finds works in every language, which
per-language indexes would not. The index is cut into shards of about 1,000 works, each a
bundle of its own (``pagefind/0/``, ``pagefind/1/``, ... listed in ``pagefind/shards.json``),
which the search page merges into one list of results: see :func:`shards_of`.

``search.html`` has a plain form; its small script (``search.js``, local, a classic
script so that it runs even from ``file://``) asks the Pagefind bundle and lists the
results. Browsers refuse to load the index into a page opened from disk, so there the
page says how to serve the library; without JavaScript it points to the browse pages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

from lxml import html

from pipeline import atomic
from pipeline.distribution.library import UNDATED, Library, slugify
from pipeline.distribution.page import Document, el
from pipeline.distribution.works import Work, words_of
from pipeline.errors import PipelineError
from pipeline.installed import installed_versions
from pipeline.paths import DATA_DIR

BUNDLE = "pagefind"
SCRIPT = "search.js"
INDEX_FORMAT = 6  # bump when text_page() or the indexer changes what is written
FILTERS = (("author", "Author", "Any author"), ("year", "Year", "Any year"), ("language", "Language", "Any language"))
STAMP = ".pagefind-inputs"  # the digest each shard was built from (not published)


def script() -> bytes:
    return (DATA_DIR / "search.js").read_bytes()


def search_page(build_date: datetime) -> bytes:
    doc = Document("search.html", "Search", build_date)
    el("h1", "Search", parent=doc.main)
    el("p", "Search the titles, authors and full text of every work.", parent=doc.main, class_="lead")
    form = el("form", parent=doc.main, class_="search-form", action="search.html", method="get", role="search")
    el("label", "Words or a phrase", parent=form, for_="q", class_="visually-hidden")
    el("input", parent=form, type="search", id="q", name="q", autocomplete="off")
    el("button", "Search", parent=form, type="submit")
    filters = el("div", parent=form, class_="filters")
    for name, label, anything in FILTERS:  # the choices come from the index (search.js)
        pair = el("span", parent=filters, class_="filter")  # a label stays beside its list
        el("label", label, parent=pair, for_=f"filter-{name}")
        select = el("select", parent=pair, id=f"filter-{name}", name=name)
        el("option", anything, parent=select, value="")
    el("p", "", parent=doc.main, id="status", role="status")
    el("ol", parent=doc.main, id="results", class_="results")
    el("button", "More results", parent=doc.main, id="more", type="button", hidden="hidden")
    noscript = el("noscript", parent=doc.main)
    p = el("p", "Search runs in your browser and needs JavaScript. Without it, browse ", parent=noscript)
    for href, label, after in (
        ("authors/index.html", "by author", ", "),
        ("years/index.html", "by year", ", "),
        ("languages/index.html", "by language", " or "),
        ("works/index.html", "all works", "."),
    ):
        el("a", label, parent=p, href=href).tail = after
    el("script", parent=doc.body, src=SCRIPT, defer="defer")
    return doc.render()


def text_page(work: Work) -> bytes:
    """A page for the indexer only (never published): the work's words, its title and
    author weighted above them, and its author, year and language as filters."""
    meta = work.meta
    root = el("html", lang="en")
    head = el("head", parent=root)
    el("meta", parent=head, charset="utf-8")
    el("title", meta.title, parent=head)
    # No Pagefind filters (author, year, language): Pagefind 1.5 writes its filter files in
    # hash order, so the same library gave different bytes (see WORKS_FILE instead).
    if meta.year:
        el("meta", parent=head, content=meta.year, data_pagefind_meta="year[content]")
    body = el("body", parent=root)
    body.set("data-pagefind-body", "")
    el("h1", meta.title, parent=body, data_pagefind_meta="title", data_pagefind_weight="10")
    el("p", meta.author, parent=body, data_pagefind_meta="author", data_pagefind_weight="10")
    el("div", words_of(work.master), parent=body)
    page: bytes = html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8", method="html")
    return page


# Limits on the indexer (issue 23: nothing unbounded). Pagefind holds the whole index in
# memory: on a synthetic library of 30,000 long works it grew past 22 GB until the kernel
# killed it, and its Python client, waiting on the dead service, hung the catalog. Run as
# its command-line tool, it is a child process watched for its resident memory (an
# address-space limit would stop it long before: its threads reserve far more than they
# use) and its time, stopped past either; its failure is a one-line error, and the catalog
# publishes the library without search and says why.
INDEX_MEMORY_BYTES = 8 * 2**30
INDEX_SECONDS = 1800
WATCH_EVERY = 0.25  # seconds between two looks at the indexer's memory


def pagefind_binary() -> str:
    """Pagefind's executable (PAGEFIND_BINARY_PATH, else the one pagefind[bin] installed)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        found = None
    else:
        found = get_executable()
    if found is None:
        raise PipelineError("the search index needs the Python package pagefind[bin] (make setup installs it)")
    return str(found)


def resident_bytes(pid: int) -> int:
    """The process's resident memory now (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except OSError:
        return 0
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


def _index(site: Path, out: Path) -> None:
    """One run of Pagefind's command-line tool over the whole folder, watched."""
    cmd = [pagefind_binary(), "--site", str(site), "--output-path", str(out), "--force-language", "en"]
    cmd += ["--keep-index-url", "--silent"]
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
        started, why = time.monotonic(), ""
        while child.poll() is None:
            if resident_bytes(child.pid) > INDEX_MEMORY_BYTES:
                why = f"it needed more than {INDEX_MEMORY_BYTES // 2**20:,} MB of memory"
            elif time.monotonic() - started > INDEX_SECONDS:
                why = f"it took longer than {INDEX_SECONDS} s"
            if why:
                child.kill()
                child.wait()
                break
            time.sleep(WATCH_EVERY)
        err.seek(0)
        said = (err.read().strip().splitlines() or [f"exit status {child.returncode}"])[-1]
    if why or child.returncode != 0:
        raise PipelineError(f"Pagefind could not build the search index: {why or said}", site)


# On a loaded machine a file of the bundle was seen cut short (an empty pagefind-entry.json),
# which would publish a broken search. The bundle is checked, and built again from scratch,
# before it is swapped in.
INDEX_ATTEMPTS = 3
# What the search page loads of a bundle; Pagefind's own search interfaces (its UI scripts
# and styles, ~500 kB a bundle) are not used, and are removed from each shard.
UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def bundle_is_whole(bundle: Path) -> bool:
    """Every file written, and the entry file (what the search page loads first) readable."""
    entry = bundle / "pagefind-entry.json"
    try:
        json.loads(entry.read_bytes())
    except (OSError, ValueError):
        return False
    return all(p.stat().st_size > 0 for p in bundle.rglob("*") if p.is_file())


def index_whole(site: Path, bundle: Path) -> None:
    """Index ``site`` into ``bundle``, again if Pagefind left a file cut short."""
    for _ in range(INDEX_ATTEMPTS):
        shutil.rmtree(bundle, ignore_errors=True)
        _index(site, bundle)
        for path in bundle.iterdir():
            if path.name.startswith(UNUSED):
                path.unlink()
        if bundle_is_whole(bundle):
            return
    raise PipelineError(f"Pagefind left an incomplete search index {INDEX_ATTEMPTS} times", bundle)


# The index is cut into shards (issue 24): Pagefind holds all it indexes in memory, so one
# index of the whole MIA outgrew the machine, and one changed work re-indexed every work.
# A work's shard is fixed by its slug's hash, so a change re-indexes only its shard; the
# number of shards is a power of two giving about SHARD_WORKS works each (it changes, and
# every shard is built again, only when the library doubles or halves). The search page
# asks every shard and merges their answers (search.js). The size trades the search page's
# work (one Pagefind instance and one checked result a shard) against Pagefind's memory and
# a changed work's re-indexing: at 30,000 works, 32 shards answer a search in under a second
# and two Pagefind processes at a time stay under 4 GB (bench/results/library.md).
SHARD_WORKS = 1000
SHARDS_FILE = "shards.json"


def shard_count(works: int) -> int:
    count = 1
    while count * SHARD_WORKS < works:
        count *= 2
    return count


def shards_of(library: Library) -> dict[str, list[Work]]:
    """The works of each shard, by the shard's folder name ("0", "1", ...)."""
    count = shard_count(len(library.works))
    shards: dict[str, list[Work]] = {}
    for work in sorted(library.works, key=lambda w: w.slug):
        number = int(hashlib.sha256(work.slug.encode()).hexdigest()[:8], 16) % count
        shards.setdefault(str(number), []).append(work)
    return dict(sorted(shards.items(), key=lambda kv: int(kv[0])))


def shard_digest(name: str, count: int, works: list[Work], facets: dict[str, Facets]) -> str:
    """What one shard depends on: its place, each work's page URL, title, author, year,
    language and words (by the sha256 of the master recorded at verify time), Pagefind's
    version and what this module writes."""
    digest = hashlib.sha256(f"text pages v{INDEX_FORMAT} shard {name} of {count}\n".encode())
    for package, version in installed_versions(("pagefind", "pagefind-bin")).items():
        if version is not None:
            digest.update(f"{package}={version}\n".encode())
    for work in works:
        text = next((f.sha256 or "" for f in work.files if f.path == work.master), "")
        meta = work.meta
        digest.update(f"{work.slug}\0{meta.title}\0{meta.author}\0{meta.year}\0{meta.language}\0{text}\n".encode())
        digest.update(f"{facets[work.slug]}\n".encode())
    return digest.hexdigest()


def read_stamp(editions: Path) -> dict[str, str]:
    """The digest each published shard was built from ({} when unknown: all are built)."""
    try:
        data = json.loads((editions / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def build_shard(works: list[Work], out: Path, facets: dict[str, Facets]) -> None:
    """One shard's bundle at ``out``, from text pages laid out as the real site (so the
    result URLs are the work pages), with ``works.json``: each result's author, year and
    language, by Pagefind's id of the page (the search page's filters)."""
    site = out.with_name(out.name + "-site")
    try:
        for item in works:
            (site / item.slug).mkdir(parents=True)
            (site / item.slug / "index.html").write_bytes(text_page(item))
        index_whole(site, out)
    finally:
        shutil.rmtree(site, ignore_errors=True)
    ids = {}
    for fragment in (out / "fragment").iterdir():  # gzip'd JSON after Pagefind's signature
        url = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
        ids[fragment.name.removesuffix(".pf_fragment")] = facets[url.strip("/").split("/")[0]]
    atomic.write_text(out / WORKS_FILE, json.dumps(ids, sort_keys=True, separators=(",", ":")) + "\n")


# The search page's filters (issue 24: author, year, language). Pagefind's own filters are
# not used: Pagefind 1.5 writes their files in hash order, so the same library gave other
# bytes. Each shard's works.json gives each result's values; filters.json the choices.
WORKS_FILE = "works.json"
FILTERS_FILE = "filters.json"
Facets = tuple[list[str], str, str]  # the authors' keys, the year's, the language's


def facets_of(library: Library, work: Work) -> Facets:
    authors = [group.key for group in library.author_of.get(work.slug, [])]
    return authors, work.meta.year or UNDATED, slugify(work.meta.language or "und")


def filter_choices(library: Library) -> bytes:
    """``filters.json``: each filter's choices (key, label, works, the browse page)."""
    choices = {
        "author": [[g.key, g.label, len(g.works), f"authors/{g.key}.html"] for g in library.authors],
        "year": [[g.key, g.label, len(g.works), f"years/{g.key}.html"] for g in library.years],
        "language": [[g.key, g.label, len(g.works), f"languages/{g.key}.html"] for g in library.languages],
    }
    return (json.dumps(choices, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def build_shards(todo: dict[str, list[Work]], work: Path, facets: dict[str, Facets]) -> None:
    """Build the shards in ``todo`` under ``work``, two Pagefind processes at a time (each
    watched for memory and time; the first failure stops the rest)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        for done in [pool.submit(build_shard, works, work / name, facets) for name, works in todo.items()]:
            done.result()


def swap_in(built: Path, names: list[str], final: Path, keep: set[str]) -> None:
    """Put each rebuilt shard in its place and remove the shards no longer used."""
    final.mkdir(exist_ok=True)
    for name in names:
        old = final / f".{name}-old"
        if (final / name).exists():
            (final / name).rename(old)
        (built / name).rename(final / name)
        shutil.rmtree(old, ignore_errors=True)
    for path in final.iterdir():  # a shard no longer used, or a bundle of the unsharded layout
        if path.name in keep or path.name in (SHARDS_FILE, FILTERS_FILE):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def write_index(library: Library, editions: Path) -> list[Path]:
    """Write ``editions/site/pagefind/``: one Pagefind bundle per shard (only the shards
    whose works changed are built again, aside, then swapped in) and ``shards.json``, the
    list the search page loads; return its files."""
    pagefind_binary()  # before any work: a missing indexer is said once, in one line
    final = editions / BUNDLE
    shards = shards_of(library)
    facets = {work.slug: facets_of(library, work) for work in library.works}
    count = shard_count(len(library.works))
    digests = {name: shard_digest(name, count, works, facets) for name, works in shards.items()}
    stamp = read_stamp(editions)
    todo = {n: w for n, w in shards.items() if stamp.get(n) != digests[n] or not (final / n).is_dir()}
    if todo or set(stamp) != set(digests) or not (final / SHARDS_FILE).is_file():
        (editions / STAMP).unlink(missing_ok=True)
        editions.mkdir(parents=True, exist_ok=True)  # a first catalog: the site is made here
        work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=editions))
        try:
            build_shards(todo, work, facets)
            swap_in(work, list(todo), final, set(shards))
        except Exception as exc:
            if isinstance(exc, PipelineError):
                raise
            raise PipelineError(f"Pagefind could not build the search index: {exc}", editions) from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        listing = {"shards": [f"{BUNDLE}/{name}/" for name in shards]}
        atomic.write_text(final / SHARDS_FILE, json.dumps(listing) + "\n")
        atomic.write_text(editions / STAMP, json.dumps(digests, sort_keys=True) + "\n")
    choices = filter_choices(library)
    if not (final / FILTERS_FILE).is_file() or (final / FILTERS_FILE).read_bytes() != choices:
        atomic.write_bytes(final / FILTERS_FILE, choices)
    return sorted(p for p in final.rglob("*") if p.is_file())
