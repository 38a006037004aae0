"""Validate a source manifest: JSON, its JSON Schema, then what load_manifest checks
(slug, paths) and the fixity of every file it lists.

Unlike :func:`pipeline.manifest.load_manifest`, which stops at the first fault (an ingest
cannot go on), this lists every fault, each at the line of the JSON value at fault
(``json_source_map`` maps JSON Pointers to lines and columns).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from json_source_map import calculate as source_map

from pipeline import jsonschemas
from pipeline.errors import PipelineError
from pipeline.manifest import MANIFEST_NAME, check_files, load_manifest, parse_json, read_limited
from pipeline.validation.problems import Layer, Problem
from pipeline.validation.schemas import MANIFEST_SCHEMA


class JsonLocator:
    """Line and column (1-based) of any value of a JSON text, by its path."""

    def __init__(self, text: str) -> None:
        try:
            self._map = source_map(text)
        except Exception:  # the library raises its own errors on texts json accepts oddly
            self._map = {}

    def at(self, path: Sequence[str | int], key: bool = False) -> tuple[int, int]:
        parts = list(path)
        while True:
            pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
            entry = self._map.get(pointer)
            if entry is not None:
                loc = entry.key_start if key and entry.key_start is not None else entry.value_start
                return loc.line + 1, loc.column + 1
            if not parts:
                return 1, 1
            parts.pop()  # the value is missing: point at its parent


def check_manifest(path: str | Path) -> list[Problem]:
    """Every problem of ``path`` (a manifest.json, or a source folder holding one)."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    shown = str(path)
    try:
        text = read_limited(path).decode("utf-8")
    except PipelineError as exc:
        return [Problem(shown, 1, 1, "file-unreadable", exc.message, Layer.FILE)]
    except UnicodeDecodeError as exc:
        return [Problem(shown, 1, 1, "manifest-json", f"not UTF-8 JSON ({exc.reason} at byte {exc.start})", Layer.FILE)]
    try:
        data = parse_json(text, path)
    except PipelineError as exc:
        return [Problem(shown, exc.line or 1, exc.column or 1, "manifest-json", exc.message, Layer.FILE)]
    locate = JsonLocator(text)
    problems = schema_problems(data, locate, shown)
    if problems:
        return problems  # load_manifest would only repeat the first of them
    return manifest_problems(path, data, locate, shown)


def schema_problems(data: Any, locate: JsonLocator, shown: str) -> list[Problem]:
    validator = jsonschemas.validator(MANIFEST_SCHEMA)
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        where = "/".join(str(p) for p in path)
        key = False
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
            path, key = path + extra[:1], True  # point at the unexpected key itself
        line, col = locate.at(path, key=key)
        message = f"{where or '(top level)'}: {err.message} (schemas/{MANIFEST_SCHEMA})"
        problems.append(Problem(shown, line, col, "manifest-schema", message, Layer.JSON_SCHEMA))
    return problems


def manifest_problems(path: Path, data: dict[str, Any], locate: JsonLocator, shown: str) -> list[Problem]:
    """What load_manifest refuses (slug, paths), then fixity, file by file."""
    try:
        manifest = load_manifest(path.parent, check_fixity=False)
    except PipelineError as exc:
        where: list[str | int] = ["slug"] if "slug" in exc.message else ["files"]
        for i, entry in enumerate(data.get("files", [])):
            if exc.path is not None and Path(exc.path) == path.parent / entry.get("path", ""):
                where = ["files", i, "path"]  # the file entry at fault
        line, col = locate.at(where)
        return [Problem(shown, line, col, "manifest-invalid", exc.message, Layer.JSON_SCHEMA)]
    problems = []
    for i, entry in enumerate(manifest.files):
        try:
            check_files(dataclasses.replace(manifest, files=(entry,)))
        except PipelineError as exc:
            key = "sha256" if "sha256" in exc.message else "path"
            line, col = locate.at(["files", i, key])
            rel = data["files"][i]["path"]
            problems.append(Problem(shown, line, col, "manifest-fixity", f"{rel}: {exc.message}", Layer.FIXITY))
    return problems
