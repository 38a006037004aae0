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
each result's URL is the work's page.) All records go into one index
(``force_language`` "en") so that the search page finds works in every language, which
per-language indexes would not.

``search.html`` has a plain form; its small script (``search.js``, local, a classic
script so that it runs even from ``file://``) asks the Pagefind bundle and lists the
results. Browsers refuse to load the index into a page opened from disk, so there the
page says how to serve the library; without JavaScript it points to the browse pages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

from lxml import html

from pipeline.distribution.library import Library
from pipeline.distribution.page import Document, el
from pipeline.distribution.works import Work, words_of
from pipeline.errors import PipelineError
from pipeline.installed import installed_versions
from pipeline.paths import DATA_DIR

BUNDLE = "pagefind"
SCRIPT = "search.js"
INDEX_FORMAT = 4  # bump when text_page() or the indexer changes what is written
FILTERS = (("author", "Author", "Any author"), ("year", "Year", "Any year"), ("language", "Language", "Any language"))
STAMP = ".pagefind-inputs"  # digest of what the index was built from (not published)


def inputs_digest(library: Library) -> str:
    """What the index depends on: each work's page URL, title, author, year, language and
    words (by the sha256 of the master recorded at verify time), and Pagefind's version."""
    import hashlib

    digest = hashlib.sha256(f"text pages v{INDEX_FORMAT}\n".encode())
    for name, version in installed_versions(("pagefind", "pagefind-bin")).items():
        if version is not None:
            digest.update(f"{name}={version}\n".encode())
    for work in sorted(library.works, key=lambda w: w.slug):
        text = next((f.sha256 or "" for f in work.files if f.path == work.master), "")
        meta = work.meta
        digest.update(f"{work.slug}\0{meta.title}\0{meta.author}\0{meta.year}\0{meta.language}\0{text}\n".encode())
    return digest.hexdigest()


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
    # hash order, so the same library gave different bytes; the page hides the lists.
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
        if bundle_is_whole(bundle):
            return
    raise PipelineError(f"Pagefind left an incomplete search index {INDEX_ATTEMPTS} times", bundle)


def write_index(library: Library, editions: Path) -> list[Path]:
    """Write ``editions/site/pagefind/`` afresh (built aside, then swapped in); return its files."""
    pagefind_binary()  # before any work: a missing indexer is said once, in one line
    final = editions / BUNDLE
    stamp = editions / STAMP
    digest = inputs_digest(library)
    if final.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == digest:
        return sorted(p for p in final.rglob("*") if p.is_file())  # same texts, same index: keep it
    stamp.unlink(missing_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=editions))
    try:
        site = work / "site"
        for item in library.works:  # laid out as the real site, so the result URLs are the work pages
            (site / item.slug).mkdir(parents=True)
            (site / item.slug / "index.html").write_bytes(text_page(item))
        index_whole(site, work / BUNDLE)
        old = editions / f".{BUNDLE}-old"
        if final.exists():
            final.rename(old)
        (work / BUNDLE).rename(final)
        shutil.rmtree(old, ignore_errors=True)
        from pipeline import atomic

        atomic.write_text(stamp, digest + "\n")
    except Exception as exc:
        if isinstance(exc, PipelineError):
            raise
        raise PipelineError(f"Pagefind could not build the search index: {exc}", editions) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sorted(p for p in final.rglob("*") if p.is_file())
