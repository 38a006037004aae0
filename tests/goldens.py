"""Golden masters and editions: what the pipeline makes of every source, kept byte for byte.

Two sets, each rebuilt from scratch in a temporary project:

- ``works``: every folder of the project's ``sources/`` (the six HTML sources and the
  plain-text one), built with ``pipeline build``;
- ``pages``: a few real pages of the shared archive (``../shared/mia-archive``; the paths in
  ``tests/golden/pages/PAGES``), brought in with ``pipeline import --retrieved`` and built the
  same way, so the import's manifests are golden too.

For each work the golden folder holds its TEI master and text edition (text files, so a
change reads as a diff), and ``SHA256SUMS`` for its EPUB and PDF (binary files: the sums say
whether a byte changed; the master and the text say what). A restructuring must keep every
golden file as it is. A change meant to alter the output regenerates them on purpose and
commits the diff with it::

    make golden            # or: .venv/bin/python -m tests.goldens
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.shared_archive import SHARED_ARCHIVE, gather, pages_matching

PROJECT = Path(__file__).resolve().parent.parent
GOLDEN = PROJECT / "tests" / "golden"
SHARED_SITE = SHARED_ARCHIVE
PAGE_LIST = GOLDEN / "pages" / "PAGES"
RETRIEVED = "2021-03-01"  # the imported pages' retrieval date: fixed, so the masters are too
TEXT_OUTPUTS = (".tei.xml", ".txt")
BINARY_OUTPUTS = (".epub", ".pdf")


def pipeline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(PROJECT)
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True, text=True)


def build(root: Path) -> None:
    """Build every work of ``root/sources`` (a failed work keeps what it made: its master)."""
    (root / "editions").mkdir(exist_ok=True)
    proc = pipeline("build", "--jobs", "2", "--quiet", cwd=root)
    if proc.returncode != 0 and " work(s) in " not in proc.stdout + proc.stderr:  # a failed work is recorded as it is
        raise RuntimeError(f"pipeline build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def page_paths() -> list[str]:
    return [line.strip() for line in PAGE_LIST.read_text().splitlines() if line.strip() and not line.startswith("#")]


def listed(path: str, wanted: list[str]) -> bool:
    return any(path == w or path.startswith(w + "/") for w in wanted)


def page_files() -> list[str]:
    """Every page of the tarball that the page list names (a folder brings its pages)."""
    wanted = page_paths()
    return pages_matching(lambda path: listed(path, wanted))


def import_pages(root: Path, whole_site: Path | None = None) -> None:
    """Gather the listed pages (a folder brings its pages) into a site of their own and import
    them into ``root/sources``. The pages come from the unpacked copy when it holds them as the
    tarball has them, else from ``whole_site`` (the whole tarball unpacked), else from the tarball."""
    wanted = page_paths()
    site = gather(page_files(), root / "site", whole_site)
    proc = pipeline(
        "import", str(site), *wanted, "--sources", str(root / "sources"), "--retrieved", RETRIEVED, "--quiet", cwd=root
    )
    if proc.returncode != 0:
        raise RuntimeError(f"pipeline import failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


def outputs(root: Path, with_manifests: bool) -> dict[str, bytes]:
    """The golden files of a built project, by path relative to the golden folder."""
    files: dict[str, bytes] = {}
    for work in sorted(p for p in (root / "editions").iterdir() if p.is_dir()):
        sums = []
        for suffix in TEXT_OUTPUTS:
            out = work / f"{work.name}{suffix}"
            if out.exists():
                files[f"{work.name}/{out.name}"] = out.read_bytes()
        for suffix in BINARY_OUTPUTS:
            out = work / f"{work.name}{suffix}"
            if out.exists():
                sums.append(f"{hashlib.sha256(out.read_bytes()).hexdigest()}  {out.name}\n")
        files[f"{work.name}/SHA256SUMS"] = "".join(sums).encode()
        if with_manifests:
            files[f"{work.name}/manifest.json"] = (root / "sources" / work.name / "manifest.json").read_bytes()
    return files


def works_outputs(root: Path) -> dict[str, bytes]:
    """Build a copy of the project's sources in ``root``; its golden files."""
    shutil.copytree(PROJECT / "sources", root / "sources")
    build(root)
    return outputs(root, with_manifests=False)


def pages_outputs(root: Path, whole_site: Path | None = None) -> dict[str, bytes]:
    """Import and build the listed real pages in ``root``; their golden files."""
    import_pages(root, whole_site)
    build(root)
    return outputs(root, with_manifests=True)


def stored(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.parent != folder
    }


def write(folder: Path, files: dict[str, bytes]) -> None:
    for old in [p for p in folder.iterdir() if p.is_dir()] if folder.exists() else []:
        shutil.rmtree(old)
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def main() -> int:
    """Regenerate every golden file (``make golden``); review the diff before committing it."""
    with tempfile.TemporaryDirectory() as tmp:
        write(GOLDEN / "works", works_outputs(Path(tmp) / "works"))
        if SHARED_SITE.exists():
            write(GOLDEN / "pages", pages_outputs(Path(tmp) / "pages"))
        else:
            print(f"{SHARED_SITE} is absent: the pages' goldens are left as they are", file=sys.stderr)
    print(f"golden files written under {GOLDEN.relative_to(PROJECT)}/: review them with git diff")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
