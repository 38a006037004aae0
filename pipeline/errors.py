"""The pipeline's one error type.

Every input problem the pipeline detects is raised as a :class:`PipelineError`, which
the command line prints as a single ``path:line:col: error: message`` line (no
traceback) and turns into a non-zero exit. Anything else escaping to the top level is
a bug in the pipeline, reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class PipelineError(Exception):
    """A problem with the user's input, located as precisely as we can."""

    message: str
    path: str | Path | None = None
    line: int | None = None
    column: int | None = None
    code: str = "error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def location(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(str(self.path))
            if self.line is not None:
                parts.append(str(self.line))
                if self.column is not None:
                    parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = " ".join(self.message.split())  # always one line
        return f"{where}: error: {text}" if where else f"error: {text}"
