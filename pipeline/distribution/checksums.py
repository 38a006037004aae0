"""``editions/SHA256SUMS``: what a mirror checks its copy against.

The format is GNU coreutils' (``<hex digest>  <path>``, text mode), so
``cd editions && sha256sum -c SHA256SUMS`` verifies a copy with no other tool. Paths
are relative to ``editions/`` and sorted, so the file is the same for the same files.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pipeline.errors import PipelineError
from pipeline.fixity import sha256_file

def render_sums(editions: Path, files: list[Path]) -> bytes:
    lines = []
    for path in sorted(set(files), key=lambda p: PurePosixPath(p.relative_to(editions)).as_posix()):
        rel = PurePosixPath(path.relative_to(editions)).as_posix()
        if any(ch in rel for ch in "\n\\"):  # sha256sum would escape these; slugs never contain them
            raise PipelineError("file name not allowed in SHA256SUMS", path)
        lines.append(f"{sha256_file(path)}  {rel}\n")
    return "".join(lines).encode("utf-8")
