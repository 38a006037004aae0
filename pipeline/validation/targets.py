"""What ``validate PATH...`` validates: masters, manifests, and the folders holding them.

- a file named ``manifest.json``: that manifest (JSON Schema, then fixity);
- any other ``*.xml`` file: a TEI master;
- a folder holding ``manifest.json`` (one source): that manifest;
- any other folder (``sources/``, ``editions/``, the project): every ``manifest.json``
  and every ``*.tei.xml`` below it.

Anything else is a usage error (exit status 2), found before anything is validated: a
path that does not exist, a file of another kind, a folder with nothing to validate.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.manifest import MANIFEST_NAME

MASTER = "master"
MANIFEST = "manifest"


class UsageError(Exception):
    """A path the command cannot validate (exit status 2)."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: error: {message}")


@dataclass(frozen=True)
class Target:
    path: Path
    kind: str  # MASTER or MANIFEST


def collect(paths: list[Path]) -> list[Target]:
    targets: list[Target] = []
    seen: set[Path] = set()

    def add(path: Path, kind: str) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            targets.append(Target(path, kind))

    for path in paths:
        if path.is_file():
            if path.name == MANIFEST_NAME:
                add(path, MANIFEST)
            elif path.suffix.lower() == ".xml":
                add(path, MASTER)
            else:
                raise UsageError(
                    path, f"cannot validate this file: expected a TEI master (*.xml), a {MANIFEST_NAME}, or a folder"
                )
        elif path.is_dir():
            if (path / MANIFEST_NAME).is_file():
                add(path / MANIFEST_NAME, MANIFEST)
                continue
            found = sorted(path.rglob(MANIFEST_NAME)) + sorted(path.rglob("*.tei.xml"))
            if not found:
                raise UsageError(
                    path, f"nothing to validate in this folder (no {MANIFEST_NAME}, no *.tei.xml below it)"
                )
            for f in found:
                add(f, MANIFEST if f.name == MANIFEST_NAME else MASTER)
        elif path.exists():
            raise UsageError(path, "not a file or folder")
        else:
            raise UsageError(path, "no such file or folder")
    return targets
