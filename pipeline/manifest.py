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
    role: str = "main"
    url: str | None = None


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
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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
        files.append(SourceFile(file_path, entry["sha256"], entry.get("role", "main"), entry.get("url")))
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
