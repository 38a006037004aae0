"""``pipeline build``: every work of ``sources/``, incrementally, in parallel.

For each work: ingest -> validate -> (if the licence allows) EPUB, PDF, TXT -> verify.
A work is rebuilt only when its inputs changed: the stamp ``editions/<slug>/.stamp``
records a digest of the manifest, the source files, the pipeline's code and its
stylesheets, and a work whose stamp matches and whose outputs all exist is skipped.
The stamp is written last, atomically, so an interrupted build is redone next time.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import atomic
from pipeline.errors import PipelineError
from pipeline.paths import check_slug, edition_path, editions_dir, master_path, sources_dir

PACKAGE_DIR = Path(__file__).resolve().parent
EDITION_EXTS = ("epub", "pdf", "txt")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the pipeline's code, stylesheets and schemas: a change rebuilds everything."""
    digest = hashlib.sha256()
    roots = [PACKAGE_DIR, PACKAGE_DIR.parent / "schemas"]
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc",):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def input_digest(source: Path) -> str:
    digest = hashlib.sha256()
    digest.update(code_digest().encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for path in sorted(source.iterdir()):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class WorkResult:
    slug: str
    status: str  # "built", "up-to-date", "skipped-editions", "failed"
    message: str = ""
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0


def stamp_path(slug: str, root: Path) -> Path:
    return editions_dir(root) / slug / ".stamp"


def expected_outputs(slug: str, root: Path, distributable: bool) -> list[Path]:
    outs = [master_path(slug, root)]
    if distributable:
        outs += [edition_path(slug, ext, root) for ext in EDITION_EXTS]
    return outs


def is_up_to_date(slug: str, root: Path, digest: str) -> bool:
    stamp = stamp_path(slug, root)
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return False
    if data.get("digest") != digest:
        return False
    return all(Path(root, p).exists() for p in data.get("outputs", []))


def build_work(slug: str, root: Path, force: bool = False, verify: bool = True) -> WorkResult:
    """Build one work; never raises for input errors (they become a failed result)."""
    start = time.perf_counter()
    source = sources_dir(root) / slug
    try:
        digest = input_digest(source)
        if not force and is_up_to_date(slug, root, digest):
            return WorkResult(slug, "up-to-date")
        from pipeline.ingest import ingest
        from pipeline.master.read import load

        master = ingest(source, master_path(slug, root))
        problems = validate_master(master)
        if problems:
            return WorkResult(slug, "failed", f"{problems[0]} ({len(problems)} problem(s); run `python -m pipeline validate {master}`)")
        _, meta = load(master)
        outputs = [master]
        status, message = "built", ""
        if meta.distributable:
            outputs += write_editions(master, slug, root)
            if verify:
                diffs = verify_work(slug, root)
                if diffs:
                    return WorkResult(slug, "failed", f"verify: {diffs[0]} ({len(diffs)} difference(s))")
        else:
            status, message = "skipped-editions", f"no editions: {meta.refusal_reason}"
            for ext in EDITION_EXTS:  # editions of a work no longer free must not linger
                stale = edition_path(slug, ext, root)
                if stale.exists():
                    stale.unlink()
        rel = [str(p.relative_to(root)) for p in outputs]
        atomic.write_text(stamp_path(slug, root), json.dumps({"digest": digest, "outputs": rel}, indent=1) + "\n")
        return WorkResult(slug, status, message, rel, time.perf_counter() - start)
    except PipelineError as exc:
        return WorkResult(slug, "failed", str(exc), seconds=time.perf_counter() - start)


def validate_master(master: Path) -> list[str]:
    try:
        from pipeline.validation import check_master
    except ImportError:  # until the validation stage lands
        return []
    return [str(p) for p in check_master(master)]


def write_editions(master: Path, slug: str, root: Path) -> list[Path]:
    outs = []
    for ext, module, func in (
        ("epub", "pipeline.writers.epub", "write_epub"),
        ("pdf", "pipeline.writers.pdf", "write_pdf"),
        ("txt", "pipeline.writers.txt", "write_txt"),
    ):
        try:
            writer = getattr(__import__(module, fromlist=[func]), func)
        except ImportError:  # until that writer lands
            continue
        out = edition_path(slug, ext, root)
        writer(master, out)
        outs.append(out)
    return outs


def verify_work(slug: str, root: Path) -> list[str]:
    try:
        from pipeline.verify import verify_work as verify
    except ImportError:
        return []
    return [str(d) for d in verify(slug, root)]


def discover(root: Path, names: list[str]) -> list[str]:
    src = sources_dir(root)
    if names:
        for name in names:
            check_slug(name)
            if not (src / name / "manifest.json").is_file():
                raise PipelineError(f"no such work in {src} (expected {src / name / 'manifest.json'})", src / name)
        return list(names)
    if not src.is_dir():
        raise PipelineError("no sources/ folder here; run from the project root", src)
    return sorted(p.parent.name for p in src.glob("*/manifest.json"))


def run(args: argparse.Namespace) -> int:
    root = Path.cwd()
    slugs = discover(root, args.works)
    jobs = args.jobs or os.cpu_count() or 1
    results: list[WorkResult] = []
    start = time.perf_counter()
    if jobs <= 1 or len(slugs) <= 1:
        for slug in slugs:
            results.append(build_work(slug, root, args.force, not args.no_verify))
            report(results[-1], args.quiet)
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(slugs))) as pool:
            futures = [pool.submit(build_work, s, root, args.force, not args.no_verify) for s in slugs]
            for future in as_completed(futures):
                results.append(future.result())
                report(results[-1], args.quiet)
    counts = {k: sum(1 for r in results if r.status == k) for k in ("built", "up-to-date", "skipped-editions", "failed")}
    print(
        f"{len(results)} work(s) in {time.perf_counter() - start:.1f}s: {counts['built']} built, "
        f"{counts['up-to-date']} up to date, {counts['skipped-editions']} without editions (licence), {counts['failed']} failed",
        file=sys.stderr,
    )
    return 1 if counts["failed"] else 0


def report(result: WorkResult, quiet: bool) -> None:
    if result.status == "failed":
        print(result.message, file=sys.stderr)
    elif result.status == "skipped-editions":
        print(f"{result.slug}: skipped: {result.message}", file=sys.stderr)
    elif not quiet and result.status == "built":
        print(f"{result.slug}: built ({result.seconds:.1f}s)", file=sys.stderr)
