"""``pipeline build --scheduler tcp://HOST:PORT``: the per-work tasks on a Dask cluster.

When one machine is not enough, Dask distributed (a well-kept engine: scheduling,
worker failure and retries, data transfer) runs the very function a local build runs,
:func:`pipeline.builder.stages.build_work`. The workers need the same pipeline installed, but
no shared file system: each task carries its work's source files and returns the
built files' bytes; the client (this process) writes them into ``editions/`` through
``pipeline.atomic`` and writes the stamp last, exactly as a local build does.

Byte-identity with a local build is guarded, not hoped for: the client's code digest
(pipeline code, stylesheets, schemas and rendering-library versions) travels with
every task, and a worker whose digest differs refuses the work instead of building
different bytes. ``SOURCE_DATE_EPOCH`` travels too.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline import atomic, verified
from pipeline.builder.results import WorkResult
from pipeline.builder.stages import Tick, build_work, worker_id
from pipeline.builder.state import (
    WorkPlan,
    code_digest,
    editorial_files,
    forget_stamp,
    remove_stale_editions,
    write_stamp,
)
from pipeline.dask_client import connect
from pipeline.errors import PipelineError
from pipeline.paths import editions_dir, inside, sources_dir
from pipeline.reproducible import epoch_pinned

EDITORIAL = "editorial/"  # the project's editorial files travel with each task (pipeline.rights reads them)
VERIFIED_KEY = ".verified"  # the worker's verified record among the returned files
TASKS_IN_FLIGHT_PER_THREAD = 4  # enough to keep workers busy; bounds the client's memory


# -- worker side ------------------------------------------------------------------------
def remote_build(
    slug: str, files: dict[str, bytes], code: str, sde: str, verify: bool, masters_only: bool = False
) -> tuple[WorkResult, dict[str, bytes]]:
    """The task a Dask worker runs: build one work in a scratch folder, return its files.

    Returns the result and the built files' bytes by path relative to the project root.
    """
    mine = code_digest()
    if mine != code:
        return (
            WorkResult(
                slug,
                "failed",
                f"{slug}: worker {worker_id()} runs a different pipeline "
                f"(code digest {mine[:12]}, client {code[:12]}); install the same version on every worker",
                worker=worker_id(),
                transient=True,  # the worker's fault, not the work's: the next build tries again
            ),
            {},
        )
    with tempfile.TemporaryDirectory(prefix="mia-build-") as tmp:
        root = Path(tmp)
        for name, data in files.items():  # a private scratch copy, never the project's sources/
            folder = root / "editorial" if name.startswith(EDITORIAL) else root / "sources" / slug
            atomic.write_bytes(inside(folder, folder / name.removeprefix(EDITORIAL), "source file"), data)
        with epoch_pinned(sde):
            result = build_work(slug, root, force=True, verify=verify, masters_only=masters_only)
        # Messages name the scratch folder; make them name the project's paths instead.
        result.message = result.message.replace(f"{root}{os.sep}", "")
        blobs = {} if result.status == "failed" else {rel: (root / rel).read_bytes() for rel in result.outputs}
        record = verified.record_path(root / "editions" / slug)
        if blobs and record.is_file():  # its status travels; the client records its own files' state
            blobs[VERIFIED_KEY] = record.read_bytes()
    return result, blobs


# -- client side ------------------------------------------------------------------------
def read_sources(root: Path, plan: WorkPlan) -> dict[str, bytes]:
    folder = sources_dir(root) / plan.slug
    files = {name: (folder / name).read_bytes() for name in plan.files}
    files.update({EDITORIAL + path.name: path.read_bytes() for path in editorial_files(root)})
    return files


def install_outputs(
    root: Path, plan: WorkPlan, result: WorkResult, blobs: dict[str, bytes], masters_only: bool = False
) -> None:
    """Write a remote build's files into editions/ (each atomically), then the stamp
    (none for a masters-only build: its work is not complete)."""
    out_dir = editions_dir(root) / plan.slug
    verified.forget(out_dir)
    record = verified.status_of(blobs.pop(VERIFIED_KEY, b""))
    if masters_only:
        forget_stamp(plan.slug, root)
    for rel, data in blobs.items():
        target = inside(out_dir, root / rel, "output path from a worker")
        atomic.write_bytes(target, data)
    if masters_only:
        return
    if result.status == "skipped-editions":
        remove_stale_editions(plan.slug, root)
    verified.record(out_dir, [root / rel for rel in result.outputs], *record)
    write_stamp(plan.slug, root, plan, result.outputs)


def build_on_cluster(
    address: str,
    plans: list[WorkPlan],
    root: Path,
    force: bool,
    verify: bool,
    code: str,
    sde: str,
    tick: Tick,
    masters_only: bool = False,
) -> Iterator[WorkResult]:
    """Yield one result per plan, in completion order, as the cluster finishes them."""
    if not plans:
        return
    from distributed import wait

    client = connect(address)
    try:
        threads = max(1, sum(client.nthreads().values()))
        queue = sorted(plans, key=lambda p: p.weight)  # popped from the end: largest first
        inflight: dict[Any, WorkPlan] = {}  # a Dask future -> its work
        run_id = uuid.uuid4().hex[:8]
        while queue or inflight:
            while queue and len(inflight) < threads * TASKS_IN_FLIGHT_PER_THREAD:
                plan = queue.pop()
                try:
                    files = read_sources(root, plan)
                except OSError as exc:
                    yield WorkResult(plan.slug, "failed", f"{plan.slug}: cannot read its source: {exc}")
                    continue
                inflight[submit(client, plan, files, code, sde, verify, masters_only, run_id)] = plan
            if not inflight:
                continue
            try:
                done, _ = wait(list(inflight), timeout=0.5, return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
            except TimeoutError:
                done = set()
            tick()
            for future in done:
                yield collect(root, inflight.pop(future), future, verify, masters_only)
    finally:
        client.close()


def submit(
    client: Any,
    plan: WorkPlan,
    files: dict[str, bytes],
    code: str,
    sde: str,
    verify: bool,
    masters_only: bool,
    run_id: str,
) -> Any:
    """Hand one work to the cluster (``client``: a distributed.Client), its source files with
    it; the task's future. Largest works first, one key per work and build."""
    return client.submit(
        remote_build,
        plan.slug,
        files,
        code,
        sde,
        verify,
        masters_only,
        key=f"mia-build-{plan.slug}-{run_id}",
        priority=plan.weight,
        pure=False,
    )


def collect(root: Path, plan: WorkPlan, future: Any, verify: bool, masters_only: bool) -> WorkResult:
    """A finished task's result, its files written into editions/; a failure is recorded
    (unpublished, named) as build_work records it locally."""
    result: WorkResult
    blobs: dict[str, bytes]
    try:
        result, blobs = future.result()
    except Exception as exc:  # the task died on every worker it was tried on
        return WorkResult(plan.slug, "failed", f"{plan.slug}: failed on the cluster: {type(exc).__name__}: {exc}")
    finally:
        future.release()
    if result.status != "failed":
        try:
            install_outputs(root, plan, result, blobs, masters_only)
        except (OSError, PipelineError) as exc:
            result.status, result.message = "failed", f"{plan.slug}: cannot write its editions: {exc}"
            result.transient = True
    if result.status == "failed":
        digest = "" if result.transient else plan.digest  # a stage's failure is remembered, as locally
        with contextlib.suppress(OSError):
            verified.record_failure(
                editions_dir(root) / plan.slug, result.message, digest, verified.scope_of(verify, masters_only)
            )
    return result
