"""One validation problem, located, with the id of the rule it breaks.

Printed as ONE line a person (or an editor's quickfix list) can act on:
``path:line:col: error: [rule-id] message``. Lines and columns are 1-based; a problem
that belongs to a whole file is reported at 1:1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class Layer(str, Enum):
    """Which check found the problem (the three layers, plus reading the file at all)."""

    FILE = "file"  # the file cannot be read or parsed
    PROFILE = "profile"  # RelaxNG: the project's TEI profile
    SCHEMATRON = "schematron"  # ISO Schematron: rules a grammar cannot say
    JSON_SCHEMA = "json-schema"  # JSON Schema (manifests, reports, stamps)
    FIXITY = "fixity"  # a manifest's files and their sha256
    TEI_ALL = "tei-all"  # the official TEI schema, when the command line runs it


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    rule: str
    message: str
    layer: Layer = field(default=Layer.PROFILE, compare=False)
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        text = " ".join(self.message.split())  # always one line
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: [{self.rule}] {text}"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["layer"] = self.layer.value
        data["message"] = " ".join(self.message.split())
        del data["path"]  # the report groups problems by file
        return data
