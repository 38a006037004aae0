"""``pipeline build``: every work of ``sources/``, incrementally, in parallel.

For each work: ingest -> validate -> (if the licence allows) EPUB, PDF, TXT -> verify.
A work is rebuilt only when its inputs changed: the stamp ``editions/<slug>/.stamp``
records a digest of the manifest, the source files, the pipeline's code and its
stylesheets, and a work whose stamp matches and whose outputs all exist is skipped.
The stamp is written last, atomically, so an interrupted build is redone next time.
The stamp holds only the digest and the outputs (``schemas/build-stamp.schema.json``);
beside it, ``.source-state`` caches each source file's sha256 with the stat it was
hashed at, so that the next build need not read unchanged sources (losing it costs
only a re-hash).

Speed, by design:
- The up-to-date check runs in the parent, before any worker starts, and costs a few
  ``stat`` calls per work: the code digest is computed once per run, and a source file
  whose size, mtime, ctime and inode match ``.source-state`` is not re-hashed (the
  sha256 recorded there is reused; see :func:`source_state`). A no-op rebuild of a large
  corpus therefore never imports lxml or WeasyPrint.
- Stale works go to a pool of warm worker processes whose initializer imports the
  writers once (Python, lxml and WeasyPrint start-up are paid per worker, not per
  work), largest works first so that no core idles at the end.
- ``--scheduler tcp://HOST:PORT`` hands the same per-work task to a Dask cluster
  (:mod:`pipeline.cluster`).

Failures are per work: one work's error (or a crashed worker) never stops the others;
the exit status is 1 if any work failed.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline import atomic
from pipeline.distribution import verified
from pipeline.errors import PipelineError
from pipeline.paths import check_slug, edition_path, editions_dir, master_path, sources_dir

PACKAGE_DIR = Path(__file__).resolve().parent
EDITION_EXTS = ("epub", "pdf", "txt")
STAGES = ("ingest", "validate", "epub", "pdf", "txt", "verify")
# Libraries whose version changes the bytes of an edition: an upgrade rebuilds everything.
LIBRARIES = ("lxml", "EbookLib", "weasyprint", "pydyf", "fonttools", "pyphen", "tinycss2", "cssselect2",
             "fontpkg-eb-garamond")
# A file modified this recently may change again within the file system's timestamp
# granularity without its mtime moving ("racy clean", as git calls it): never trust
# its stat, re-hash it next time.
RACY_NS = 2_000_000_000
PARTIAL_SUFFIX = ".part"  # pipeline.atomic's temporary files: left behind only by SIGKILL
# The modules a worker imports once, before its first work (the "warm" in warm workers).
WARM_MODULES = ("pipeline.ingest", "pipeline.master.read", "pipeline.validation", "pipeline.writers.epub",
                "pipeline.writers.pdf", "pipeline.writers.txt", "pipeline.verify")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the pipeline's code, stylesheets, schemas and rendering libraries.

    Any change rebuilds everything. Computed once per run (and per worker process),
    never per work.
    """
    from importlib import metadata

    digest = hashlib.sha256()
    roots = [PACKAGE_DIR, PACKAGE_DIR.parent / "schemas"]
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc",):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    return digest.hexdigest()


@dataclass
class WorkResult:
    slug: str
    status: str  # "built", "up-to-date", "skipped-editions", "failed"
    message: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the building process: wall time grows on a busy machine, this does not
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage that ran
    worker: str = ""  # host:pid of the process that built it
    peak_rss_mb: float = 0.0  # that process's peak resident memory so far


@dataclass
class WorkPlan:
    """What the parent knows about a work before building it (cheap to compute)."""

    slug: str
    digest: str
    files: dict[str, dict[str, Any]]  # per source file: sha256 and the stat it was hashed at
    weight: int  # bytes of source: the expected cost, for scheduling and the time left
    up_to_date: bool


def stamp_path(slug: str, root: Path) -> Path:
    return editions_dir(root) / slug / ".stamp"


def expected_outputs(slug: str, root: Path, distributable: bool) -> list[Path]:
    outs = [master_path(slug, root)]
    if distributable:
        outs += [edition_path(slug, ext, root) for ext in EDITION_EXTS]
    return outs


def source_state_path(slug: str, root: Path) -> Path:
    return editions_dir(root) / slug / ".source-state"


def read_json_object(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_stamp(slug: str, root: Path) -> dict[str, Any]:
    return read_json_object(stamp_path(slug, root))


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:  # read-only: sources are never written
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_state(source: Path, cached: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], int]:
    """Each source file's sha256, re-hashing only files whose stat changed since the last build.

    Content, not mtime, decides: a ``touch`` or a fresh checkout costs one hash and no
    rebuild. The stat recorded with a hash is kept (and trusted next time) only if the
    file was already :data:`RACY_NS` old when hashed. Returns the states and the total
    size in bytes.
    """
    now = time.time_ns()
    state: dict[str, dict[str, Any]] = {}
    size = 0
    with os.scandir(source) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not entry.is_file():
                continue
            st = entry.stat()
            size += st.st_size
            stat = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
            old = cached.get(entry.name) if isinstance(cached, dict) else None
            if isinstance(old, dict) and old.get("stat") == stat and old.get("sha256"):
                sha = old["sha256"]
            else:
                sha = sha256_file(entry.path)
            racy = now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS
            state[entry.name] = {"sha256": sha, "stat": None if racy else stat}
    return state, size


def digest_of(files: dict[str, dict[str, Any]], code: str, sde: str | None) -> str:
    digest = hashlib.sha256()
    digest.update(code.encode())
    digest.update((sde or "").encode())
    for name, info in sorted(files.items()):
        digest.update(f"\0{name}\0{info['sha256']}".encode())
    return digest.hexdigest()


def plan_work(slug: str, root: Path, code: str | None = None, sde: str | None = None) -> WorkPlan:
    """Decide, from the stamp and a few stats, whether ``slug`` must be rebuilt."""
    code = code or code_digest()
    if sde is None:
        sde = os.environ.get("SOURCE_DATE_EPOCH", "")
    stamp = read_stamp(slug, root)
    cached = read_json_object(source_state_path(slug, root)).get("files", {})
    files, weight = source_state(sources_dir(root) / slug, cached)
    digest = digest_of(files, code, sde)
    out_dir = editions_dir(root) / slug
    try:
        present = set(os.listdir(out_dir))
    except FileNotFoundError:
        present = set()
    sweep_partials(out_dir, present)
    outputs = stamp.get("outputs", [])
    up_to_date = (
        stamp.get("digest") == digest
        and isinstance(outputs, list)
        and all(Path(root, p).parent == out_dir and Path(p).name in present for p in outputs)
        and verified.outputs_unchanged(out_dir)  # an output edited since verify is rebuilt
    )
    return WorkPlan(slug, digest, files, weight, up_to_date)


def input_digest(source: Path) -> str:
    """The digest a work's stamp must carry to be up to date (kept for callers outside build)."""
    return plan_work(source.name, source.parent.parent).digest


def is_up_to_date(slug: str, root: Path, digest: str) -> bool:
    plan = plan_work(slug, root)
    return plan.up_to_date and plan.digest == digest


def sweep_partials(out_dir: Path, names: set[str] | None = None) -> None:
    """Remove temporary files a killed build left behind (``pipeline.atomic``'s ``.part``).

    ``atomic`` removes them itself on any exception; only SIGKILL or a power cut
    leaves one, and the next build clears it before anything else.
    """
    if names is None:
        try:
            names = set(os.listdir(out_dir))
        except FileNotFoundError:
            return
    for name in names:
        if name.startswith(".") and name.endswith(PARTIAL_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                (out_dir / name).unlink()


def write_stamp(slug: str, root: Path, plan: WorkPlan, outputs: list[str]) -> None:
    """Written last, after every output is in place: its presence means "complete"."""
    atomic.write_text(source_state_path(slug, root), json.dumps({"files": plan.files}, indent=1, sort_keys=True) + "\n")
    stamp = {"digest": plan.digest, "outputs": outputs}
    atomic.write_text(stamp_path(slug, root), json.dumps(stamp, indent=1) + "\n")


def remove_stale_editions(slug: str, root: Path) -> None:
    """Editions of a work no longer free must not linger."""
    for ext in EDITION_EXTS:
        with contextlib.suppress(FileNotFoundError):
            edition_path(slug, ext, root).unlink()


def worker_id() -> str:
    return f"{os.uname().nodename}:{os.getpid()}"


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def internal_error(slug: str, exc: BaseException) -> str:
    """One line for a bug in a stage: what, and where in the code."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{slug}: internal error: {type(exc).__name__}: {exc}{where}"


def build_work(slug: str, root: Path, force: bool = False, verify: bool = True, plan: WorkPlan | None = None) -> WorkResult:
    """Build one work; never raises for its errors (they become a failed result)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = WorkResult(slug, "failed")
    try:
        plan = plan or plan_work(slug, root)
        if not force and plan.up_to_date:
            result.status = "up-to-date"
            return result
        sweep_partials(editions_dir(root) / slug)
        verified.forget(editions_dir(root) / slug)  # unverified until this build proves it again
        from pipeline.ingest import ingest
        from pipeline.master.read import load

        mark = time.perf_counter()
        master = ingest(sources_dir(root) / slug, master_path(slug, root))
        result.stages["ingest"] = time.perf_counter() - mark
        mark = time.perf_counter()
        problems = validate_master(master)
        if stage_available("pipeline.validation"):
            result.stages["validate"] = time.perf_counter() - mark
        if problems:
            result.message = f"{problems[0]} ({len(problems)} problem(s); run `python -m pipeline validate {master}`)"
            return result
        _, meta = load(master)
        outputs = [master]
        if meta.distributable:
            outputs += write_editions(master, slug, root, result.stages)
            if verify:
                mark = time.perf_counter()
                diffs = verify_work(slug, root)
                if stage_available("pipeline.verify"):
                    result.stages["verify"] = time.perf_counter() - mark
                if diffs:
                    first = diffs[0].removeprefix(f"{slug}: ")  # verify's differences may name the work already
                    result.message = f"{slug}: verify: {first} ({len(diffs)} difference(s))"
                    return result
            result.status = "built"
        else:
            refused = meta.refusal_reason or "the licence does not allow distribution"
            result.status, result.message = "skipped-editions", f"no editions: {refused}"
            remove_stale_editions(slug, root)
        result.outputs = [str(p.relative_to(root)) for p in outputs]
        verified.record(master.parent, outputs, verified.VERIFIED if verify else verified.UNVERIFIED,
                        "" if verify else "built without verify (--no-verify)")
        write_stamp(slug, root, plan, result.outputs)
        return result
    except PipelineError as exc:
        result.status, result.message = "failed", str(exc)
        return result
    except Exception as exc:  # a bug in one stage must not stop the other works
        result.status, result.message = "failed", internal_error(slug, exc)
        return result
    finally:
        if result.status == "failed":  # the catalog names the reason and publishes none of its files
            with contextlib.suppress(OSError):
                verified.record_failure(editions_dir(root) / slug, result.message)
        result.seconds = time.perf_counter() - start
        result.cpu_seconds = time.process_time() - cpu
        result.worker = worker_id()
        result.peak_rss_mb = peak_rss_mb()


@functools.lru_cache(maxsize=None)
def stage_available(module: str) -> bool:
    """Whether a stage's module exists in this version (stages land one by one)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def validate_master(master: Path) -> list[str]:
    try:
        from pipeline.validation import check_master
    except ImportError:  # until the validation stage lands
        return []
    return [str(p) for p in check_master(master)]


# Each edition's writer: (extension, module, function); called as ``function(master, out)``.
EDITION_WRITERS = (
    ("epub", "pipeline.writers.epub", "write_epub"),
    ("pdf", "pipeline.writers.pdf", "write_pdf"),
    ("txt", "pipeline.writers.txt", "write_txt"),
)


def write_editions(master: Path, slug: str, root: Path, timings: dict[str, float] | None = None) -> list[Path]:
    outs = []
    for ext, module, func in EDITION_WRITERS:
        try:
            writer = getattr(__import__(module, fromlist=[func]), func)
        except ImportError:  # until that writer lands
            continue
        out = edition_path(slug, ext, root)
        mark = time.perf_counter()
        writer(master, out)
        if timings is not None:
            timings[ext] = time.perf_counter() - mark
        outs.append(out)
    return outs


def verify_work(slug: str, root: Path) -> list[str]:
    try:
        from pipeline.verify import verify_work as verify
    except ImportError:
        return []
    return [str(d) for d in verify(slug, root)]


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel kill this worker if the build that forked it dies (Linux).

    Without it, a SIGKILLed build leaves its workers running, orphaned, still writing
    editions and stamps after their build is gone.
    """
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def warm_worker(parent_pid: int | None = None) -> None:
    """Pool initializer: import every stage once, so each work pays only its own cost."""
    import importlib

    if parent_pid is not None:
        die_with_parent(parent_pid)

    for name in WARM_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if stage_available("pipeline.writers.pdf"):  # in case the writer imports it lazily
        with contextlib.suppress(ImportError):
            importlib.import_module("weasyprint")


def discover(root: Path, names: list[str]) -> list[str]:
    src = sources_dir(root)
    if names:
        for name in names:
            check_slug(name)
            if not (src / name / "manifest.json").is_file():
                raise PipelineError(f"no such work in {src} (expected {src / name / 'manifest.json'})", src / name)
        return list(dict.fromkeys(names))
    if not src.is_dir():
        raise PipelineError("no sources/ folder here; run from the project root", src)
    return sorted(p.parent.name for p in src.glob("*/manifest.json"))


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build per project at a time: two would sweep each other's temporary files.

    The lock is an advisory ``flock`` on the editions/ folder itself, so no lock file is
    written and a killed build releases it with its process.
    """
    out = editions_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError("another build is running in this project; wait for it to finish", out) from None
        yield
    finally:
        os.close(fd)


# -- executors: each yields one WorkResult per plan, in completion order ------------------
Tick = Callable[[], None]


def build_serial(plans: list[WorkPlan], root: Path, force: bool, verify: bool, tick: Tick) -> Iterator[WorkResult]:
    for plan in plans:
        yield build_work(plan.slug, root, force, verify, plan)


def build_pool(plans: list[WorkPlan], root: Path, force: bool, verify: bool, jobs: int, tick: Tick) -> Iterator[WorkResult]:
    """Warm worker processes, reused across works; a crashed worker costs only its works.

    ``fork`` because the parent is small and single-threaded, and because ``spawn`` would
    re-run ``python -m pipeline`` in every child. A worker that dies (killed, out of
    memory, a crash in a C library) breaks the pool: the works not yet done are retried
    once in a new pool, then reported as failed.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    attempts = {p.slug: 0 for p in plans}
    todo = sorted(plans, key=lambda p: -p.weight)  # largest first: no idle core at the end
    context = multiprocessing.get_context("fork")
    while todo:
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context, initializer=warm_worker,
                                   initargs=(os.getpid(),))
        retry: list[WorkPlan] = []
        try:
            pending = {pool.submit(build_work, p.slug, root, force, verify, p): p for p in todo}
            for p in todo:
                attempts[p.slug] += 1
            while pending:
                done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                tick()
                for future in done:
                    plan = pending.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        if attempts[plan.slug] < 2:
                            retry.append(plan)
                        else:
                            yield WorkResult(plan.slug, "failed", f"{plan.slug}: the worker process died while "
                                             "building it, twice (killed, out of memory, or a crash in a library)")
                    except Exception as exc:  # e.g. a result that could not be pickled
                        yield WorkResult(plan.slug, "failed", internal_error(plan.slug, exc))
        except BaseException:  # interrupted: stop the workers now, not after their current work
            for child in multiprocessing.active_children():
                child.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        todo = sorted(retry, key=lambda p: -p.weight)


# -- the command ------------------------------------------------------------------------
def result_line(result: WorkResult) -> tuple[str | None, bool]:
    """The line printed for a finished work, and whether it is a problem (always shown)."""
    if result.status == "failed":
        return result.message, True
    if result.status == "skipped-editions":
        return f"{result.slug}: skipped: {result.message}", True
    if result.status == "built":
        return f"{result.slug}: built ({result.seconds:.1f}s)", False
    return None, False


def summary(results: list[WorkResult], seconds: float) -> str:
    counts = {k: sum(1 for r in results if r.status == k) for k in ("built", "up-to-date", "skipped-editions", "failed")}
    line = (
        f"{len(results)} work(s) in {seconds:.1f}s: {counts['built']} built, {counts['up-to-date']} up to date, "
        f"{counts['skipped-editions']} without editions (licence), {counts['failed']} failed"
    )
    built = [r for r in results if r.status in ("built", "skipped-editions")]
    if built and seconds > 0:
        workers = {r.worker: r.peak_rss_mb for r in built}
        line += (
            f"; {len(built) / seconds:.1f} works/s, peak memory per worker "
            f"{max(workers.values()):.0f} MB ({len(workers)} worker(s))"
        )
    failed = sorted(r.slug for r in results if r.status == "failed")
    if failed:
        line += "\nfailed: " + ", ".join(failed)
    return line


def run(args: argparse.Namespace) -> int:
    from pipeline.progress import Progress

    root = Path.cwd()
    slugs = discover(root, args.works)
    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise PipelineError(f"--jobs must be at least 1, not {jobs}")
    force, verify = args.force, not args.no_verify
    start = time.perf_counter()
    results: list[WorkResult] = []
    with build_lock(root):
        code = code_digest()
        sde = os.environ.get("SOURCE_DATE_EPOCH", "")
        plans: list[WorkPlan] = []
        for slug in slugs:
            try:
                plans.append(plan_work(slug, root, code, sde))
            except OSError as exc:
                results.append(WorkResult(slug, "failed", f"{slug}: cannot read its source: {exc}"))
        todo = [p for p in plans if force or not p.up_to_date]
        results += [WorkResult(p.slug, "up-to-date") for p in plans if not force and p.up_to_date]
        for r in results:
            if r.status == "failed":
                print(r.message, file=sys.stderr)
        weights = {p.slug: p.weight for p in todo}
        progress = Progress(len(todo), sum(weights.values()), quiet=args.quiet)
        if getattr(args, "scheduler", None):
            from pipeline.cluster import build_on_cluster

            stream = build_on_cluster(args.scheduler, todo, root, force, verify, code, sde, progress.tick)
        elif jobs == 1 or len(todo) <= 1:
            stream = build_serial(todo, root, force, verify, progress.tick)
        else:
            stream = build_pool(todo, root, force, verify, jobs, progress.tick)
        for result in stream:
            results.append(result)
            line, problem = result_line(result)
            progress.finished(line, weights.get(result.slug, 0), problem)
        seconds = time.perf_counter() - start
        progress.close(summary(results, seconds))
    if getattr(args, "report", None):
        report = {"seconds": seconds, "jobs": jobs, "scheduler": getattr(args, "scheduler", None),
                  "works": [asdict(r) for r in sorted(results, key=lambda r: r.slug)]}
        atomic.write_text(args.report, json.dumps(report, indent=1) + "\n")
    return 1 if any(r.status == "failed" for r in results) else 0
