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

Only the standard library is imported: the build's up-to-date check runs this in the
parent process for every work.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.fixity import sha256_file

RECORD_NAME = ".verified"
VERIFIED, FAILED, UNVERIFIED = "verified", "failed", "unverified"


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


def record_failure(work_dir: Path, reason: str) -> None:
    _write(work_dir, {"status": FAILED, "reason": reason or "the build failed"})


@dataclass
class Record:
    status: str  # verified, failed, unverified (none or unreadable)
    reason: str = ""
    files: dict[str, dict[str, Any]] = field(default_factory=dict)


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
    if status == FAILED:
        reason = f"its last build failed: {reason}"
    elif status == UNVERIFIED:
        reason = reason or "built without verify (--no-verify)"
    return Record(status, reason, files)


def outputs_unchanged(work_dir: Path) -> bool:
    """Cheap check for the build's planner: every recorded output has its recorded size and mtime.

    A work with no record, or a failed one, is not "unchanged": the planner rebuilds it.
    """
    rec = read(work_dir)
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
