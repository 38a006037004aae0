"""Source manifests: ``sources/<slug>/manifest.json``.

The manifest records what the MIA page itself lacks: the canonical URL, the retrieval
date, the format and each file's sha256. The sha256 is checked before every ingest
(fixity): a source that changed since it was registered is an error, never silently
re-ingested. Sources are only ever opened for reading.

A manifest is read within limits (a regular file, at most MAX_MANIFEST_BYTES, JSON nested
at most as deep as the parser can go): a FIFO, ``/dev/zero`` or a million nested arrays
is a one-line error, never a hang, an exhausted memory or a RecursionError. The manifest
of an earlier version (``<slug>/versions/v<N>/manifest.json``, written by ``--update``)
names its work's slug, not its folder's.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import jsonschemas
from pipeline.errors import PipelineError
from pipeline.fixity import sha256_file
from pipeline.paths import check_slug, inside

MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # a manifest lists a work's files: kilobytes, never megabytes
MAX_JSON_DEPTH = 32  # a manifest is five levels deep; the schema validator recurses per level


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    role: str = "main"  # "main", "index", "part" (pages) or "figure" (an image a page shows)
    url: str | None = None
    media_type: str | None = None  # a figure's, by its bytes (image/jpeg, ...)
    name: str = ""  # the path in the source folder, as the manifest gives it ("pics/fig1.jpg")


PAGE_ROLES = frozenset({"main", "index", "part"})


@dataclass(frozen=True)
class MissingImage:
    """An image a page shows as a figure that the source lacks: the copy or the server had
    none, it was refused (damaged, too large, not an image) or it is on another host."""

    url: str
    reason: str


@dataclass(frozen=True)
class MissingPart:
    """A part the work's index links to that the copy it was imported from lacks."""

    path: str
    url: str


@dataclass(frozen=True)
class Permission:
    granted_by: str
    date: str
    reference: str
    statement: str | None = None


@dataclass(frozen=True)
class Manifest:
    folder: Path
    slug: str
    url: str
    retrieved: str
    format: str
    files: tuple[SourceFile, ...]
    language: str = "en"
    origin: str | None = None
    permission: Permission | None = None
    missing: tuple[MissingPart, ...] = ()
    earlier_files: tuple[SourceFile, ...] = ()  # the files of earlier versions (versions/v<N>/...)
    missing_images: tuple[MissingImage, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def pages(self) -> tuple[SourceFile, ...]:
        """The work's pages (not its figures' image files)."""
        return tuple(f for f in self.files if f.role in PAGE_ROLES)

    @property
    def figures(self) -> tuple[SourceFile, ...]:
        """The image files of the work's figures, each with its URL and media type."""
        return tuple(f for f in self.files if f.role == "figure")

    @property
    def main_file(self) -> SourceFile:
        for f in self.files:
            if f.role in ("main", "index"):
                return f
        return self.files[0]


def read_limited(path: Path, limit: int = MAX_MANIFEST_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes; a PipelineError
    (one line) for a FIFO, a device, a folder or a file too large. The type is checked before
    opening (opening a FIFO would wait for a writer) and the read stops at ``limit``."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise PipelineError("no such file", path) from None
    except OSError as exc:
        raise PipelineError(f"cannot read: {exc.strerror}", path) from None
    if not stat.S_ISREG(info.st_mode):
        raise PipelineError("not a regular file (a FIFO, a device or a folder); not read", path)
    if info.st_size > limit:
        raise PipelineError(f"{info.st_size:,} bytes, over the {limit:,}-byte limit for a manifest; not read", path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise PipelineError(f"cannot read: {exc.strerror}", path) from None
    if len(data) > limit:
        raise PipelineError(f"over the {limit:,}-byte limit for a manifest; not read", path)
    return data


def parse_json(text: str, path: Path) -> Any:
    """``text`` as JSON; a PipelineError for invalid JSON or JSON nested too deeply to parse."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PipelineError(f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    except RecursionError:
        data = None
    else:
        if json_depth(data) <= MAX_JSON_DEPTH:
            return data
    raise PipelineError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels (a manifest is five); not read", path)


def json_depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def load_json(path: Path) -> Any:
    data = read_limited(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"not UTF-8 JSON ({exc.reason} at byte {exc.start})", path) from None
    return parse_json(text, path)


def work_folder(folder: Path) -> Path:
    """The work a source folder belongs to: itself, or for an earlier version's folder
    (``<work>/versions/v<N>``) that work's folder."""
    parent = folder.parent
    if parent.name == "versions" and folder.name[:1] == "v" and folder.name[1:].isdigit():
        if (parent.parent / MANIFEST_NAME).is_file():
            return parent.parent
    return folder


def load_manifest(folder: Path, check_fixity: bool = True) -> Manifest:
    """Read and check ``folder/manifest.json``; raise :class:`PipelineError` on any fault."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PipelineError("not a source folder (expected a directory holding manifest.json)", folder)
    path = folder / MANIFEST_NAME
    data = load_json(path)
    problems = jsonschemas.errors("manifest.schema.json", data)
    if problems:
        raise PipelineError(f"manifest does not conform to manifest.schema.json: {problems[0]}", path)
    slug = check_slug(data["slug"], path)
    if slug != work_folder(folder).name:
        raise PipelineError(f"slug {slug!r} does not match the folder name {work_folder(folder).name!r}", path)
    files = []
    for entry in data["files"]:
        file_path = inside(folder, folder / entry["path"], "source file path")
        files.append(
            SourceFile(
                file_path,
                entry["sha256"],
                entry.get("role", "main"),
                entry.get("url"),
                entry.get("media_type"),
                entry["path"],
            )
        )
    perm = data.get("permission")
    earlier = []
    work = work_folder(folder)  # an earlier version's manifest names its versions from the work's folder
    for version in data.get("versions", []):
        for entry in version["files"]:
            file_path = inside(work, work / entry["path"], "earlier version's file path")
            earlier.append(SourceFile(file_path, entry["sha256"], entry.get("role", "main"), entry.get("url")))
    manifest = Manifest(
        folder=folder,
        slug=slug,
        url=data["url"],
        retrieved=data["retrieved"],
        format=data["format"],
        files=tuple(files),
        language=data.get("language", "en"),
        origin=data.get("origin"),
        permission=Permission(**perm) if perm else None,
        missing=tuple(MissingPart(m["path"], m["url"]) for m in data.get("missing", [])),
        earlier_files=tuple(earlier),
        missing_images=tuple(MissingImage(m["url"], m["reason"]) for m in data.get("missing_images", [])),
        raw=data,
    )
    if check_fixity:
        check_files(manifest)
    return manifest


def check_files(manifest: Manifest) -> None:
    """Fixity: every file (earlier versions' too) exists and has the sha256 the manifest registered."""
    for f in (*manifest.files, *manifest.earlier_files):
        if not f.path.is_file():
            raise PipelineError("source file listed in manifest.json is missing", f.path)
        actual = sha256_file(f.path)
        if actual != f.sha256:
            raise PipelineError(
                f"sha256 mismatch: the source changed since it was registered "
                f"(manifest {f.sha256[:12]}..., file {actual[:12]}...)",
                f.path,
            )
