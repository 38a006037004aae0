"""``editions/site/SHA256SUMS``: what a mirror checks its copy against.

The format is GNU coreutils' (``<hex digest>  <path>``, text mode), so
``cd editions/site && sha256sum --check --strict SHA256SUMS`` verifies a copy with no other
tool. Paths are relative to the site folder and sorted, so the file is the same for the
same files. The digests of editions are the ones recorded when ``verify`` passed (the
catalog checked the files still have them); those of the pages and feeds are taken
from the bytes just written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.fixity import sha256_file

__all__ = ["sha256_file", "sha256_bytes", "render_sums", "listed"]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_sums(digests: dict[str, str], where: Path | None = None) -> bytes:
    """``digests``: path relative to the site folder (POSIX) -> sha256."""
    lines = []
    for rel in sorted(digests):
        if any(ch in rel for ch in "\n\\"):  # sha256sum would escape these; slugs never contain them
            raise PipelineError("file name not allowed in SHA256SUMS", where / rel if where else rel)
        lines.append(f"{digests[rel]}  {rel}\n")
    return "".join(lines).encode("utf-8")


def listed(sums: Path) -> set[str]:
    """The paths an earlier ``SHA256SUMS`` lists (none when there is none)."""
    try:
        text = sums.read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    return {line.split("  ", 1)[1] for line in text.splitlines() if "  " in line}
