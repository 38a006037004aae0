"""What the tests expect of published files, said once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pipeline.master.read import load
from tests.conftest import SHARED

# suffix of a published file -> the media type every listing must give it
EXPECTED_TYPES = {
    ".epub": "application/epub+zip",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".tei.xml": "application/tei+xml",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".html": "text/html",
}


def expected_type(path: Path) -> str | None:
    name = path.name
    for suffix, media_type in EXPECTED_TYPES.items():
        if name.endswith(suffix):
            return media_type
    return None


def resolve_local(href: str, base: Path) -> Path | None:
    """The file a relative href names (None for an absolute http(s) URL)."""
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        return None
    assert not parts.scheme and not parts.netloc, f"unexpected link {href!r}"
    return (base / unquote(parts.path)).resolve() if parts.path else None


def master_uris(editions: Path) -> set[str]:
    """Every external URI the masters of the published works state (work URL, licences)."""
    uris: set[str] = set()
    for master in editions.glob("*/*.tei.xml"):
        _, meta = load(master)
        if meta.distributable:
            uris.add(meta.url)
            uris.update(lic.uri for lic in meta.licences)
    return uris


def mirror_check(editions: Path) -> str | None:
    """What a mirror runs on its copy, ``sha256sum --check --strict`` of SHA256SUMS in
    ``editions``: None when it passes, else what it printed."""
    proc = subprocess.run(
        ["sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS"], cwd=editions, capture_output=True, text=True
    )
    return None if proc.returncode == 0 else (proc.stdout + proc.stderr) or f"exit {proc.returncode}"


def opds_1_2_schema() -> Path:
    """The OPDS 1.2 RELAX NG schema of ../shared/opds (its upstream states no licence, so
    the project does not ship a copy); the test is skipped, saying why, where it is absent."""
    schema = SHARED / "opds" / "opds-1.2.rng"
    if not schema.is_file():
        pytest.skip(f"{schema} is absent (../shared is not beside the project)")
    return schema


# ---- the W3C Nu HTML Checker (v.Nu) -------------------------------------------------------

VNU_JAR = Path(
    os.environ.get("VNU_JAR", Path(__file__).resolve().parents[2] / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)
# v.Nu checks HTML, not EPUB: it does not know the EPUB namespace's attributes (epub:type,
# reported as "Attribute “type” not allowed ...") and says so for each; those messages are
# dropped by what they quote, as Standard Ebooks' tools drop them. Nothing else is.
# The JVM's options: its quick (C1) compiler only, as for EPUBCheck (tests/writers/conftest.py):
# a run of a few hundred pages then costs half the CPU (2.5 s, not 5.6 s, for the 300-work
# library), with the same messages; C1's code needs a deeper stack than the checker's 512 kB.
VNU_JVM = ["-XX:TieredStopAtLevel=1", "-Xss16m"]
EPUB_ATTRIBUTE = re.compile(r"Attribute “([\w-]+)” not allowed on element “[\w-]+” at this point\.$")


def vnu_errors(paths: list[Path], epub: bool = False, epub_documents: list[Path] | None = None) -> list[str]:
    """v.Nu's errors for ``paths`` (and ``epub_documents``: XHTML documents of EPUBs, their
    epub: attributes aside; ``epub``: ``paths`` are such documents), in one Java run, as
    ``file:line: message`` lines."""
    if shutil.which("java") is None:
        pytest.skip("v.Nu needs Java (default-jre-headless; make test-setup installs it)")
    if not VNU_JAR.is_file():
        pytest.skip(f"v.Nu is not installed at {VNU_JAR} (make test-setup installs it)")
    in_epubs = {str(p.resolve()) for p in (paths if epub else []) + (epub_documents or [])}
    proc = subprocess.run(
        ["java", *VNU_JVM, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
        + [str(p) for p in paths + (epub_documents or [])],
        capture_output=True,
        text=True,
    )
    messages = json.loads(proc.stderr or "{}").get("messages", [])
    errors = []
    for m in messages:
        attribute = EPUB_ATTRIBUTE.match(m.get("message", ""))
        from_epub = str(Path(unquote(urlsplit(m.get("url", "")).path)).resolve()) in in_epubs
        if from_epub and attribute and f"epub:{attribute.group(1)}=" in m.get("extract", ""):
            continue
        errors.append(f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('message', '')}")
    return errors


def epub_xhtml(epubs: list[Path], dest: Path) -> list[Path]:
    """Every XHTML document of ``epubs``, unpacked under ``dest``."""
    out = []
    for epub in epubs:
        with zipfile.ZipFile(epub) as zf:
            for name in zf.namelist():
                if name.endswith(".xhtml"):
                    target = dest / epub.stem / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(name))
                    out.append(target)
    return out
