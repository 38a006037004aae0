"""``editions/<slug>/.verified``: what the last build of a work proved, file by file.

The build writes this record as the last step of every work it builds
(``schemas/verified.schema.json``): on success, the sha256, size and mtime of every
output as it was when ``verify`` passed; on failure, the reason. It deletes the record
before it starts rebuilding a work, so a build that dies half-way leaves no record.

The catalog publishes a work only when its record says "verified" and every file it
would list still has the sha256 recorded here: a work whose last build failed, a work
built with ``--no-verify``, and an edition changed after it was verified (a hand edit,
a bad disk) are all withheld, with the reason, and none of their files are published.
The build, for its part, treats a work whose outputs' stat no longer matches the record
as out of date and rebuilds it (:func:`outputs_unchanged`, a few ``stat`` calls, so a
no-op build still reads no file); a change that leaves the stat alone (bit rot) is
caught by the catalog's sha256 check.

A failure is remembered: the build records with it the digest its plan computed (sources,
manifest, code, schemas, stylesheets, locked libraries: what decides "up to date"), the
time of the attempt and how much the build did (its scope). The next build does not try a
work again while that digest is unchanged and it would do no more than the failed build
did (:func:`failure_applies`), since it would fail the same way; ``--retry-failed`` or
``--force`` tries anyway. A failure of the machine rather than of the work (a worker that
died, a disk error) is recorded without a digest, so the next build tries again.

Only the standard library is imported: the build's up-to-date check runs this in the
parent process for every work.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.fixity import sha256_file

RECORD_NAME = ".verified"
VERIFIED, FAILED, UNVERIFIED = "verified", "failed", "unverified"
# How much a build does, least first: ingest and validate (--masters-only), then the
# editions (--no-verify), then verify. A failure is remembered for builds that do no more.
SCOPES = ("masters", "editions", "verify")


def scope_of(verify: bool, masters_only: bool) -> str:
    """The scope (:data:`SCOPES`) of a build with these options."""
    return SCOPES[0] if masters_only else SCOPES[2] if verify else SCOPES[1]


def record_path(work_dir: Path) -> Path:
    return work_dir / RECORD_NAME


def file_state(path: Path, sha256: str | None = None) -> dict[str, Any]:
    st = path.stat()
    return {"sha256": sha256 or sha256_file(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _write(work_dir: Path, data: dict[str, Any]) -> None:
    from pipeline import atomic

    atomic.write_text(record_path(work_dir), json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def forget(work_dir: Path) -> None:
    """Called before a work is rebuilt: until the build proves it again, it is unverified."""
    try:
        record_path(work_dir).unlink()
    except FileNotFoundError:
        pass


def record(work_dir: Path, outputs: list[Path], status: str = VERIFIED, reason: str = "") -> None:
    """Record the state of ``outputs`` (files in ``work_dir``) after the build's last check."""
    data: dict[str, Any] = {"status": status}
    if reason:
        data["reason"] = reason
    if status == VERIFIED:
        data["files"] = {p.name: file_state(p) for p in outputs}
    _write(work_dir, data)


def status_of(data: bytes) -> tuple[str, str]:
    """(status, reason) of a record's bytes (a cluster worker's); unverified if unreadable."""
    try:
        parsed = json.loads(data)
        status = parsed["status"] if parsed.get("status") in (VERIFIED, UNVERIFIED) else UNVERIFIED
        return status, str(parsed.get("reason") or ("" if status == VERIFIED else "no verified record from the worker"))
    except (ValueError, AttributeError, TypeError):
        return UNVERIFIED, "no verified record from the worker"


def record_failure(work_dir: Path, reason: str, digest: str = "", scope: str = "") -> None:
    """Record that the last build of the work failed, and why, and when (UTC).

    With ``digest`` (the plan's) and ``scope`` (:func:`scope_of`), the failure is remembered:
    the next build with the same digest and no larger scope does not try again. Without them
    (a failure of the machine, or ``pipeline verify``'s), the next build tries again.
    """
    data = {"status": FAILED, "reason": reason or "the build failed", "failed_at": utc_now()}
    if digest and scope in SCOPES:
        data |= {"digest": digest, "scope": scope}
    _write(work_dir, data)


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Record:
    status: str  # verified, failed, unverified (none or unreadable)
    reason: str = ""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    failure: str = ""  # a failed build's own message (``reason`` says "its last build failed: ...")
    failed_at: str = ""  # when it failed, ISO 8601 UTC
    digest: str = ""  # the digest of the plan that failed, if the failure is to be remembered
    scope: str = ""  # how much that build did (SCOPES)

    @property
    def failed_on(self) -> str:
        """The date of the failed attempt (YYYY-MM-DD), or "an earlier build" if not recorded."""
        return self.failed_at[:10] or "an earlier build"


def failure_applies(rec: Record | None, digest: str, scope: str) -> bool:
    """Whether a build of ``scope`` with this ``digest`` would only repeat the failure ``rec``
    records: the same digest, and no more to do than the build that failed."""
    return (
        rec is not None
        and rec.status == FAILED
        and bool(rec.digest)
        and rec.digest == digest
        and rec.scope in SCOPES
        and scope in SCOPES
        and SCOPES.index(rec.scope) <= SCOPES.index(scope)
    )


def read(work_dir: Path) -> Record:
    try:
        data = json.loads(record_path(work_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Record(
            UNVERIFIED, "no record of a successful build and verify (build it with `python -m pipeline build`)"
        )
    except (OSError, ValueError) as exc:
        return Record(UNVERIFIED, f"its {RECORD_NAME} record is unreadable ({exc}); rebuild it")
    if not isinstance(data, dict) or data.get("status") not in (VERIFIED, FAILED, UNVERIFIED):
        return Record(UNVERIFIED, f"its {RECORD_NAME} record is not one the build writes; rebuild it")
    recorded = data.get("files")
    files: dict[str, dict[str, Any]] = recorded if isinstance(recorded, dict) else {}
    status = data["status"]
    reason = str(data.get("reason") or "")
    if status != FAILED:
        return Record(status, reason or ("built without verify (--no-verify)" if status == UNVERIFIED else ""), files)
    extra = {key: str(data.get(key) or "") for key in ("failed_at", "digest", "scope")}
    return Record(status, f"its last build failed: {reason}", files, reason, **extra)


def outputs_unchanged(work_dir: Path, rec: Record | None = None) -> bool:
    """Cheap check for the build's planner: every recorded output has its recorded size and mtime.

    A work with no record, or a failed one, is not "unchanged": the planner rebuilds it.
    ``rec`` is the work's record if the caller has read it already.
    """
    rec = rec or read(work_dir)
    if rec.status == FAILED or (rec.status == UNVERIFIED and not record_path(work_dir).exists()):
        return False
    for name, state in rec.files.items():
        try:
            st = os.stat(work_dir / name)
        except OSError:
            return False
        if st.st_size != state.get("size") or st.st_mtime_ns != state.get("mtime_ns"):
            return False
    return True


def check_file(path: Path, rec: Record) -> str | None:
    """The sha256 of ``path`` if it is the one recorded at verify time, else None."""
    state = rec.files.get(path.name)
    if not state:
        return None
    digest = sha256_file(path)
    return digest if digest == state.get("sha256") else None
