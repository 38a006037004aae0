"""The validation report, as text lines or as JSON (schemas/validation-report.schema.json).

The JSON carries no time or host, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pipeline import APP_NAME, __version__
from pipeline.validation.problems import Problem

REPORT_FORMAT = 1


@dataclass
class FileResult:
    path: str
    kind: str  # "master" or "manifest"
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class Report:
    files: list[FileResult]
    checks: list[str]  # the layers that ran
    notes: list[str] = field(default_factory=list)  # e.g. a check skipped, and why

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    @property
    def problem_count(self) -> int:
        return sum(len(f.problems) for f in self.files)

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for f in self.files:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        what = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(kinds.items()))
        n = len(self.files)
        head = f"validated {n} file{'s' if n != 1 else ''} ({what})"
        if self.valid:
            return f"{head}: all valid"
        bad = sum(1 for f in self.files if not f.valid)
        p = self.problem_count
        return f"{head}: {p} problem{'s' if p != 1 else ''} in {bad} file{'s' if bad != 1 else ''}"

    def text(self) -> str:
        lines = [str(p) for f in self.files for p in f.problems]
        lines += [f"note: {n}" for n in self.notes]
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "tool": {"name": APP_NAME, "version": __version__},
            "valid": self.valid,
            "checks": self.checks,
            "notes": self.notes,
            "summary": {
                "files": len(self.files),
                "invalid_files": sum(1 for f in self.files if not f.valid),
                "problems": self.problem_count,
                "text": self.summary(),
            },
            "files": [
                {"path": f.path, "kind": f.kind, "valid": f.valid, "problems": [p.to_json() for p in f.problems]}
                for f in self.files
            ],
        }

    def json_text(self) -> str:
        return json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n"
