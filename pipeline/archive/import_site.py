"""``python -m pipeline import ROOT [PATH...]``: works from a local copy of the site into sources/.

Three steps. Reading every page's facts is the costly one and runs in parallel
(``--jobs`` worker processes, or a Dask cluster with ``--scheduler``, reusing the
build's connection helper). Triage then decides, over all pages at once, what each page
is and which pages make one work. Last, each work is written to ``sources/<slug>/``
atomically (:mod:`pipeline.archive.store`), or left alone when it is already there as
it is, or kept with its earlier version when ``--update`` brings in a changed one.
The command line (``python -m pipeline import``) is :mod:`pipeline.commands.import_site`,
which hands the options over as :class:`ImportOptions`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from pipeline.archive import images, site, slugs, store
from pipeline.archive.page import MAX_PAGE_BYTES, PageFacts, read_facts
from pipeline.archive.report import (
    CHANGED,
    FAILED,
    NEW,
    PLANNED,
    UNCHANGED,
    UPDATED,
    Outcome,
    Run,
    summary,
    write_report,
)
from pipeline.archive.triage import Triage, WorkPlan, language, triage
from pipeline.errors import PipelineError
from pipeline.paths import sources_dir
from pipeline.progress import Progress

WRITERS = 8  # threads writing works: each mostly waits for fsync
BATCH = 48  # pages per task: large enough to amortise the hand-off, small enough to balance


@dataclass(frozen=True)
class ImportOptions:
    """What to import and how: the options of ``pipeline import``."""

    root: Path  # the folder holding the site's archive/, history/, ... folders
    paths: tuple[Path, ...] = ()  # folders or pages under root (none: all of it)
    sources: Path | None = None  # where the works go (None: the project's sources/)
    site_url: str = "https://www.marxists.org/"  # the base of the pages' URLs
    retrieved: str | None = None  # YYYY-MM-DD for the manifests (None: the files' modification time)
    update: bool = False  # bring in pages that changed, keeping the earlier version
    dry_run: bool = False  # print the triage, write nothing
    report: Path | None = None  # also write the triage as JSON here
    jobs: int | None = None  # parallel workers reading pages (None: the number of CPUs, at most 8)
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask cluster reading the pages
    quiet: bool = False  # print only problems and the summary


class ImportProgress(Progress):
    """The build's progress line, saying what the import is doing."""

    def __init__(self, what: str, total: int, **kwargs: Any) -> None:
        super().__init__(total, float(total), **kwargs)
        self.what = what

    def status(self, now: float | None = None) -> str:
        return super().status(now).replace("building:", f"{self.what}:", 1)


def page_url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + quote(path, safe="/~-._")


def check_options(options: ImportOptions) -> None:
    parts = urlsplit(options.site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PipelineError(f"--site-url must be an http(s) URL, not {options.site_url!r}")
    if options.retrieved is not None:
        try:
            date.fromisoformat(options.retrieved)
        except ValueError:
            raise PipelineError(f"--retrieved must be a date YYYY-MM-DD, not {options.retrieved!r}") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", options.retrieved):
            raise PipelineError(f"--retrieved must be a date YYYY-MM-DD, not {options.retrieved!r}")
    if options.jobs is not None and options.jobs < 1:
        raise PipelineError("--jobs must be at least 1")


# -- reading ------------------------------------------------------------------------------
def _facts_from_bytes(batch: list[tuple[str, bytes, float]]) -> list[PageFacts]:
    out = []
    for path, data, mtime in batch:
        facts = read_facts(path, data)
        facts.mtime = mtime
        out.append(facts)
    return out


def _local_batch(root: Path, batch: list[site.Entry]) -> list[tuple[str, bytes, float] | PageFacts]:
    """For a cluster without ROOT: read the bytes here; problems become facts at once."""
    out: list[tuple[str, bytes, float] | PageFacts] = []
    for entry in batch:
        facts = site.read_page(root, entry) if entry.problem else None
        if facts is not None:
            out.append(facts)
            continue
        try:
            size = (root / entry.path).stat().st_size
            if size > MAX_PAGE_BYTES or not (root / entry.path).is_file():
                out.append(site.read_page(root, entry))
                continue
            out.append((entry.path, site.read_bytes(root, entry.path), (root / entry.path).stat().st_mtime))
        except OSError:
            out.append(site.read_page(root, entry))
    return out


def read_all(
    root: Path, entries: list[site.Entry], jobs: int, scheduler: str | None, progress: Progress
) -> list[PageFacts]:
    """Every page's facts: on a Dask cluster, in this process, or in ``jobs`` worker processes."""
    batches = [entries[i : i + BATCH] for i in range(0, len(entries), BATCH)]
    if scheduler:
        return _read_on_cluster(root, batches, scheduler, progress)
    results: list[PageFacts] = []
    if jobs <= 1 or len(batches) <= 1:
        for batch in batches:
            for facts in site.read_pages(root, batch):
                results.append(facts)
                progress.finished(None, 1.0)
        return results
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(site.read_pages, root, batch) for batch in batches]
        for future in as_completed(futures):
            for facts in future.result():
                results.append(facts)
                progress.finished(None, 1.0)
    return results


def _read_on_cluster(
    root: Path, batches: list[list[site.Entry]], scheduler: str, progress: Progress
) -> list[PageFacts]:
    """The pages' bytes read here (the cluster need not see ROOT), their facts there."""
    from distributed import as_completed as dask_completed

    from pipeline.dask_client import connect

    results: list[PageFacts] = []
    client = connect(scheduler)
    try:
        futures = []
        for batch in batches:
            items = _local_batch(root, batch)
            ready = [x for x in items if isinstance(x, PageFacts)]
            results += ready
            for _ in ready:
                progress.finished(None, 1.0)
            todo = [x for x in items if not isinstance(x, PageFacts)]
            if todo:
                futures.append(client.submit(_facts_from_bytes, todo, pure=False))
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            batch_facts = future.result()
            results += batch_facts
            for _ in batch_facts:
                progress.finished(None, 1.0)
    finally:
        client.close()
    return results


# -- writing ------------------------------------------------------------------------------
def retrieved_date(plan: WorkPlan, facts: dict[str, PageFacts], given: str | None) -> str:
    if given:
        return given
    newest = max((facts[p].mtime for p in plan.pages), default=0.0)
    return datetime.fromtimestamp(newest or time.time(), tz=UTC).date().isoformat()


def file_name(plan: WorkPlan, path: str) -> str:
    """A page's name in its work's folder: its file name, under its folder's name when it
    lies in a sibling folder of the index's (an instalment published in another month)."""
    if posixpath.dirname(path) == posixpath.dirname(plan.main):
        return posixpath.basename(path)
    return f"{posixpath.basename(posixpath.dirname(path))}/{posixpath.basename(path)}"


def manifest_for(plan: WorkPlan, facts: dict[str, PageFacts], site_url: str, retrieved: str) -> dict[str, Any]:
    main_url = page_url(site_url, plan.main)
    files = []
    for i, path in enumerate(plan.pages):
        role = "main" if plan.kind == "single" else ("index" if i == 0 else "part")
        files.append(
            {"path": file_name(plan, path), "sha256": facts[path].sha256, "role": role, "url": page_url(site_url, path)}
        )
    manifest: dict[str, Any] = {
        "slug": plan.slug,
        "url": main_url,
        "retrieved": retrieved,
        "format": "mia-html",
        "language": language(plan.main),
        "files": files,
        "origin": f"imported by `python -m pipeline import` from a copy of the site ({plan.main})",
    }
    if plan.missing:
        manifest["missing"] = [{"path": file_name(plan, p), "url": page_url(site_url, p)} for p in plan.missing]
    if plan.notes:
        manifest["notes"] = list(plan.notes)
    return manifest


def store_work(
    root: Path, sources: Path, plan: WorkPlan, facts: dict[str, PageFacts], options: ImportOptions
) -> Outcome:
    manifest = manifest_for(plan, facts, options.site_url, retrieved_date(plan, facts, options.retrieved))
    pages = {path: site.read_bytes(root, path) for path in plan.pages}
    figures = images.for_work(
        pages, plan.main, options.site_url, images.read_from_copy(root), {f["path"] for f in manifest["files"]}
    )
    images.add_to_manifest(manifest, figures)
    folder = sources / plan.slug
    previous = store.read_existing(folder) if folder.exists() else None
    if previous is not None and store.fingerprint(previous) == store.fingerprint(manifest):
        return Outcome(plan.slug, manifest["url"], UNCHANGED)
    if previous is not None and not options.update:
        return Outcome(
            plan.slug,
            manifest["url"],
            CHANGED,
            f"sources/{plan.slug}: the copy differs from what was imported; not overwritten (use --update)",
        )
    if options.dry_run:
        return Outcome(plan.slug, manifest["url"], PLANNED if previous is None else UPDATED)
    files = []
    for i, path in enumerate(plan.pages):
        data = pages[path]
        entry = manifest["files"][i]
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            return Outcome(plan.slug, manifest["url"], FAILED, f"{path}: the page changed during the import; run again")
        files.append(store.StoredFile(entry["path"], data, entry["sha256"], entry["role"], entry["url"]))
    for entry in figures.files:
        files.append(
            store.StoredFile(entry["path"], figures.blobs[entry["path"]], entry["sha256"], "figure", entry["url"])
        )
    for line in figures.refusals:
        print(f"{plan.slug}: {line}", file=sys.stderr)
    store.write_work(sources, plan.slug, manifest, files, previous)
    return Outcome(plan.slug, manifest["url"], NEW if previous is None else UPDATED)


def import_site(options: ImportOptions) -> int:
    """Import the works ``options`` names; the exit status (1 if a work failed)."""
    check_options(options)
    if options.dry_run:
        return _run(options)
    sources = Path(options.sources) if options.sources else sources_dir()
    site.check_root(Path(options.root))  # before sources/ is created for the lock
    with store.writer_lock(sources):
        return _run(options)


def _run(options: ImportOptions) -> int:
    start = time.monotonic()
    check_options(options)
    root, named, entries = pages_named(options)
    sources = Path(options.sources) if options.sources else sources_dir()
    notices = [] if options.dry_run else store.recover(sources)
    progress = ImportProgress("reading pages", len(entries), quiet=options.quiet)
    jobs = options.jobs or min(os.cpu_count() or 1, 8)
    facts = {f.path: f for f in read_all(root, entries, jobs, options.scheduler, progress)}
    if named != ["."]:
        read_linked_pages(root, named, facts, jobs, options.scheduler, progress)
    result = triage(facts)
    if named != ["."]:
        keep_named(result, named)
    urls = assign_slugs(result, sources, options.site_url)
    runinfo = Run(str(root), str(sources), options.site_url, options.dry_run, options.update, result, notices=notices)
    runinfo.stating_free = sum(1 for w in result.works if w.main in facts and facts[w.main].info_free)
    progress.close(
        f"read {len(entries)} pages in {time.monotonic() - start:.1f} s; "
        f"{len(result.works)} works found" + (", writing them" if not options.dry_run else "")
    )
    for line in notices:
        print(line, file=sys.stderr)
    write_progress = ImportProgress("writing works", len(result.works), quiet=options.quiet)
    disk_full = write_works(root, sources, facts, urls, options, runinfo, write_progress)
    try:
        (sources / store.STAGING).rmdir()  # empty once every work is in place
    except OSError:
        pass
    runinfo.seconds = time.monotonic() - start
    write_progress.close(summary(runinfo))
    return finish(runinfo, options.report, disk_full)


def pages_named(options: ImportOptions) -> tuple[Path, list[str], list[site.Entry]]:
    """The site copy's root, the paths named under it, and every page of their folders."""
    root = site.check_root(Path(options.root))
    named = site.narrow(root, [str(p) for p in options.paths])
    # Whole folders are read, so a named chapter is seen with its index and siblings.
    folders = sorted({p if (root / p).is_dir() else posixpath.dirname(p) or "." for p in named})
    entries = site.walk(root, folders)
    if not entries:
        raise PipelineError("no pages (.htm, .html) under the paths given", root)
    return root, named, entries


MAX_LINKED_PAGES = 500  # pages read beyond the named folders, at most (a long serial's chain)


def area(path: str) -> str:
    """The part of the site a page belongs to: ``archive/<author>``, ``history/<section>``."""
    return "/".join(path.split("/")[:2])


def read_linked_pages(
    root: Path, named: list[str], facts: dict[str, PageFacts], jobs: int, scheduler: str | None, progress: Progress
) -> None:
    """Read, into ``facts``, the pages of the same author's (or section's) folders that the
    named pages link to, and the pages those link to, until none is new.

    A serial's index and instalments live in the month folders they appeared in
    (``1942/09/china.html`` lists ``../10/china.htm``): naming one instalment must find
    its index and its siblings, or the import writes a one-page work and marks the parts
    it did not read as missing. Only links within the named pages' areas are followed, so
    a link to an index of the whole archive does not read the archive.
    """

    areas = {area(n) for n in named}
    frontier = [p for p in facts if under_named(p, named)]
    added = 0
    while frontier and added < MAX_LINKED_PAGES:
        wanted = sorted(
            {
                link.path
                for p in frontier
                for link in facts[p].links
                if link.path not in facts and area(link.path) in areas and (root / link.path).is_file()
            }
        )[: MAX_LINKED_PAGES - added]
        if not wanted:
            return
        found = read_all(root, site.walk(root, wanted), jobs, scheduler, progress)
        facts.update((f.path, f) for f in found)
        added += len(found)
        frontier = [f.path for f in found]


def finish(runinfo: Run, report: Path | None, disk_full: list[str]) -> int:
    """Write the JSON report if asked; the exit status, or the one-line error of a full disk."""
    if report:
        write_report(runinfo, Path(report))
    if disk_full:
        raise PipelineError(
            f"{disk_full[0]}; the works written before are whole; free some space and run again to go on"
        )
    return 1 if any(o.status == FAILED for o in runinfo.outcomes.values()) else 0


def under_named(path: str, named: list[str]) -> bool:
    """A site path is one of the paths named, or inside a folder named ("." is the whole site)."""
    return any(path == n or path.startswith(n.rstrip("/") + "/") or n == "." for n in named)


def keep_named(result: Triage, named: list[str]) -> None:
    """Narrow the triage of the folders read to the works and pages of the paths named."""
    result.works = [w for w in result.works if any(under_named(p, named) for p in w.pages)]
    keep = {p for w in result.works for p in w.pages}
    result.verdicts = {p: v for p, v in result.verdicts.items() if under_named(p, named) or p in keep}


def assign_slugs(result: Triage, sources: Path, site_url: str) -> dict[str, str]:
    """Give every work its slug (the one it has in ``sources`` if any); each work's URL by its main page."""
    existing = store.existing_urls(sources)
    occupied = {p.name for p in sources.iterdir()} if sources.is_dir() else set()
    urls = {w.main: page_url(site_url, w.main) for w in result.works}
    assigned = slugs.assign([(urls[w.main], w.main) for w in result.works], existing, occupied)
    for w in result.works:
        w.slug = assigned[urls[w.main]]
    return urls


def write_works(
    root: Path,
    sources: Path,
    facts: dict[str, PageFacts],
    urls: dict[str, str],
    options: ImportOptions,
    runinfo: Run,
    progress: Progress,
) -> list[str]:
    """Write every work of the triage, recording each outcome in ``runinfo``; the disk-full
    error, if the disk filled up (the works after it are then not attempted)."""
    works = runinfo.triage.works
    disk_full: list[str] = []

    def one(plan: WorkPlan) -> Outcome:
        if disk_full:
            return Outcome(plan.slug, urls[plan.main], FAILED, "not written: the disk is full")
        try:
            return store_work(root, sources, plan, facts, options)
        except store.DiskFull as exc:
            disk_full.append(str(exc))
            return Outcome(plan.slug, urls[plan.main], FAILED, str(exc))
        except OSError as exc:
            return Outcome(
                plan.slug, urls[plan.main], FAILED, f"sources/{plan.slug}: cannot be written ({exc.strerror or exc})"
            )

    # Threads, not processes: writing is waiting for the disk (fsync), which threads overlap.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for plan, outcome in zip(works, pool.map(one, works)):
            runinfo.outcomes[plan.main] = outcome
            line = (
                outcome.message if outcome.status in (FAILED, CHANGED) and outcome.message and not disk_full else None
            )
            if options.dry_run and not options.quiet and len(works) <= 200:
                line = f"{plan.slug}: {plan.kind} {plan.main}" + (f" (+{len(plan.parts)} parts)" if plan.parts else "")
            progress.finished(line, 1.0, problem=outcome.status == FAILED)
    return disk_full
