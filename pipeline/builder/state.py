"""The build's state: what a work was built from, and whether it must be built again.

A work is rebuilt only when its inputs changed: the stamp ``editions/<slug>/.stamp``
records a digest of the manifest, the source files, the pipeline's code and its
stylesheets, and a work whose stamp matches and whose outputs all exist is skipped.
The stamp is written last, atomically, so an interrupted build is redone next time.
The stamp holds only the digest and the outputs (``schemas/build-stamp.schema.json``);
beside it, ``.source-state`` caches each source file's sha256 with the stat it was
hashed at, so that the next build need not read unchanged sources (losing it costs
only a re-hash).

The up-to-date check runs in the parent, before any worker starts, and costs a few
``stat`` calls per work and a read of its small ``.verified`` record (which also says
whether the work failed before with these very inputs: :mod:`pipeline.verified`): the
code digest is computed once per run, and a source file whose size, mtime, ctime and
inode match ``.source-state`` is not re-hashed (see :func:`source_state`; a failed build
writes it too, so a remembered failure costs no re-hash either). This module imports
nothing heavy, so a no-op rebuild of a large corpus never imports lxml or WeasyPrint.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import atomic, verified
from pipeline.fixity import sha256_file
from pipeline.formats import NAMES as EDITION_NAMES
from pipeline.installed import all_installed, installed_versions, locked_pins
from pipeline.paths import edition_path, editions_dir, sources_dir
from pipeline.reproducible import source_date_epoch_value

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # pipeline/
# The lock file of what the build runs on (`make lock`; `make` installs exactly it). Every
# library it pins may change an edition's bytes (WeasyPrint, and with it pydyf, tinycss2,
# fonttools, Pillow, which draws the EPUB cover; lxml, EbookLib, the font package...), so
# the code digest covers each of them: a changed pin or a changed installed version
# rebuilds every work. Without the file (the package installed from a wheel), it covers
# every installed distribution instead.
LOCK_FILE = PACKAGE_DIR.parent / "requirements.lock"
# A file modified this recently may change again within the file system's timestamp
# granularity without its mtime moving ("racy clean", as git calls it): never trust
# its stat, re-hash it next time.
RACY_NS = 2_000_000_000
PARTIAL_SUFFIX = ".part"  # pipeline.atomic's temporary files: left behind only by SIGKILL


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the pipeline's code, stylesheets, schemas and libraries.

    Any change rebuilds everything. Computed once per run (and per worker process),
    never per work.
    """
    digest = hashlib.sha256()
    roots = [PACKAGE_DIR, PACKAGE_DIR.parent / "schemas"]
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc",):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    for line in library_lines(LOCK_FILE):
        digest.update(f"{line}\n".encode())
    return digest.hexdigest()


def library_lines(lock: Path) -> list[str]:
    """One line per library for the code digest: ``name==pinned installed-version``.

    Both the pin and what is installed count, so that a re-locked version rebuilds even
    before ``make`` installs it, and a venv that strayed from the lock (a hand-made
    ``pip install``) rebuilds too. The lock's hashes do not count: a new wheel for another
    platform changes no byte here. Without a lock, every installed distribution counts.
    """
    if not lock.is_file():
        return [f"{name}=={version}" for name, version in sorted(all_installed().items())]
    pins = locked_pins(lock)
    installed = installed_versions(pins)
    return [f"{name}=={pin} {installed[name] or '-'}" for name, pin in sorted(pins.items())]


@dataclass
class WorkPlan:
    """What the parent knows about a work before building it (cheap to compute)."""

    slug: str
    digest: str
    files: dict[str, dict[str, Any]]  # per source file: sha256 and the stat it was hashed at
    weight: int  # bytes of source: the expected cost, for scheduling and the time left
    up_to_date: bool
    # The record of an earlier build that failed with this very digest: the build does not
    # try again if it would do no more than that one (verified.failure_applies).
    failed_before: verified.Record | None = None


def stamp_path(slug: str, root: Path) -> Path:
    return editions_dir(root) / slug / ".stamp"


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


def editorial_files(root: Path) -> list[Path]:
    """The editor's files a master depends on (``editorial/*.json``: the rulings, the
    authors; pipeline.rights): a change of one rebuilds every work."""
    folder = root / "editorial"
    return sorted(p for p in folder.glob("*.json") if p.is_file()) if folder.is_dir() else []


def editorial_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in editorial_files(root):
        digest.update(f"\0{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
        sde = source_date_epoch_value()
    stamp = read_stamp(slug, root)
    cached = read_json_object(source_state_path(slug, root)).get("files", {})
    files, weight = source_state(sources_dir(root) / slug, cached)
    digest = digest_of(files, code + editorial_digest(root), sde)
    out_dir = editions_dir(root) / slug
    try:
        present = set(os.listdir(out_dir))
    except FileNotFoundError:
        present = set()
    sweep_partials(out_dir, present)
    outputs = stamp.get("outputs", [])
    record = verified.read(out_dir)
    up_to_date = (
        stamp.get("digest") == digest
        and isinstance(outputs, list)
        and all(Path(root, p).parent == out_dir and Path(p).name in present for p in outputs)
        and verified.outputs_unchanged(out_dir, record)  # an output edited since verify is rebuilt
    )
    failed_before = record if record.status == verified.FAILED and record.digest == digest else None
    return WorkPlan(slug, digest, files, weight, up_to_date, failed_before)


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


def write_source_state(slug: str, root: Path, plan: WorkPlan) -> None:
    """The stat cache of the sources the plan hashed (:func:`source_state`)."""
    atomic.write_text(source_state_path(slug, root), json.dumps({"files": plan.files}, indent=1, sort_keys=True) + "\n")


def write_stamp(slug: str, root: Path, plan: WorkPlan, outputs: list[str]) -> None:
    """Written last, after every output is in place: its presence means "complete"."""
    write_source_state(slug, root, plan)
    stamp = {"digest": plan.digest, "outputs": outputs}
    atomic.write_text(stamp_path(slug, root), json.dumps(stamp, indent=1) + "\n")


def forget_stamp(slug: str, root: Path) -> None:
    """Mark a work incomplete (a masters-only build rewrote its master): the next full build redoes it."""
    with contextlib.suppress(FileNotFoundError):
        stamp_path(slug, root).unlink()


def remove_stale_editions(slug: str, root: Path) -> None:
    """Editions of a work no longer free must not linger."""
    for ext in EDITION_NAMES:
        with contextlib.suppress(FileNotFoundError):
            edition_path(slug, ext, root).unlink()
