"""Source manifests: ``sources/<slug>/manifest.json``.

The manifest records what the MIA page itself lacks: the canonical URL, the retrieval
date, the format and each file's sha256. The sha256 is checked before every ingest
(fixity): a source that changed since it was registered is an error, never silently
re-ingested. Sources are only ever opened for reading.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import jsonschemas
from pipeline.errors import PipelineError
from pipeline.fixity import sha256_file
from pipeline.paths import check_slug, inside

MANIFEST_NAME = "manifest.json"


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


def load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PipelineError("no such file", path) from None
    except UnicodeDecodeError as exc:
        raise PipelineError(f"not UTF-8 JSON ({exc.reason} at byte {exc.start})", path) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise PipelineError(f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None


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
    if slug != folder.name:
        raise PipelineError(f"slug {slug!r} does not match the folder name {folder.name!r}", path)
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
    for version in data.get("versions", []):
        for entry in version["files"]:
            file_path = inside(folder, folder / entry["path"], "earlier version's file path")
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
