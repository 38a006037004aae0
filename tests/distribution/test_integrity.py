"""Nothing unverified is published (issue 15's defect).

- One work's verify fails (a fault put into the text writer for that work only, through
  a ``sitecustomize`` on the build's PYTHONPATH: the build and verify themselves run
  unchanged): the work disappears from the site, the feeds and SHA256SUMS, old
  editions included, and both the build and the catalog say why; a build without the
  fault brings it back.
- A built edition edited by hand: the next ``build`` + ``catalog`` (what ``make`` runs)
  rebuilds it; edited with its mtime put back (as bit rot would leave it), the build
  does not notice but the catalog withholds the work rather than publish the change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.jsonschemas import errors
from tests.conftest import run_pipeline
from tests.distribution.helpers import mirror_check

# The work each test breaks: a real work of sources/, and of those the quickest to build (its PDF
# is two pages), since each test rebuilds it once or twice; what is proven holds for any work.
SUBJECT = "rakovsky-1908-08-01"
FAULT = """
import os
slug = os.environ.get("MIA_TEST_DROP_WORD")
if slug:
    import pipeline.writers.txt as txt
    real = txt.write_txt
    def write_txt(master, out, *args, **kwargs):
        result = real(master, out, *args, **kwargs)
        if os.path.basename(str(out)) == slug + ".txt":
            with open(out, encoding="utf-8") as handle:
                text = handle.read()
            words = text.split(" ")
            middle = len(words) // 2
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(" ".join(words[:middle] + words[middle + 1:]))
        return result
    txt.write_txt = write_txt
"""


@pytest.fixture(scope="module")
def catalogued(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built project (sources and editions) whose catalog is written, once."""
    root = tmp_path_factory.mktemp("catalogued") / "project"
    shutil.copytree(built / "sources", root / "sources")
    shutil.copytree(built / "editions", root / "editions", symlinks=True)
    run_pipeline("catalog", "--no-search", cwd=root, check=True)
    return root


@pytest.fixture
def project(catalogued: Path, tmp_path: Path) -> Path:
    """The test's own copy of ``catalogued``, as the catalog left it: ``cp -a`` keeps the mtimes
    (which the verified records hold) and the hard links between the site and the editions."""
    root = tmp_path / "project"
    subprocess.run(["cp", "-a", str(catalogued), str(root)], check=True)
    return root


def listed(root: Path, slug: str) -> dict[str, bool]:
    eds = root / "editions" / "site"
    sums = (eds / "SHA256SUMS").read_text(encoding="utf-8")
    feeds = "".join(
        p.read_text(encoding="utf-8") for p in [eds / "catalog.xml", eds / "catalog.json", *(eds / "opds").rglob("*.*")]
    )
    pages = "".join(p.read_text(encoding="utf-8") for p in eds.rglob("*.html"))
    return {
        "sums": f"{slug}/" in sums,
        "feeds": f"{slug}/" in feeds,
        "pages": f"{slug}/" in pages,
        "page": (eds / slug / "index.html").exists(),
    }


def build(root: Path, *slugs: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {}
    if fault:
        hook = root.parent / "fault"
        hook.mkdir(exist_ok=True)
        (hook / "sitecustomize.py").write_text(FAULT, encoding="utf-8")
        env = {"PYTHONPATH": f"{hook}{os.pathsep}{Path(__file__).resolve().parents[2]}", "MIA_TEST_DROP_WORD": fault}
    return run_pipeline("build", "--verbose", "--jobs", "1", *slugs, cwd=root, env=env)


def test_failed_verify_unpublishes_the_work_until_fixed(project: Path) -> None:
    assert listed(project, SUBJECT) == {"sums": True, "feeds": True, "pages": True, "page": True}
    proc = build(project, SUBJECT, "--force", fault=SUBJECT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1].startswith(f"{SUBJECT}: verify:"), proc.stderr  # failures last
    cat = run_pipeline("catalog", "--no-search", "--verbose", cwd=project, check=True)
    assert f"{SUBJECT}: not published: its last build failed: {SUBJECT}: verify:" in cat.stderr
    record = json.loads((project / "editions" / SUBJECT / ".verified").read_text(encoding="utf-8"))
    assert record["status"] == "failed" and errors("verified.schema.json", record) == []
    assert "failed 1" in cat.stderr
    assert listed(project, SUBJECT) == {"sums": False, "feeds": False, "pages": False, "page": False}
    assert (project / "editions" / SUBJECT / f"{SUBJECT}.txt").exists(), (
        "the files stay on disk (nothing is lost), unlisted"
    )
    assert not (project / "editions" / "site" / SUBJECT).exists(), "the site serves none of its files"
    # the other works are untouched
    others = [
        p.name
        for p in (project / "editions").iterdir()
        if (p / ".verified").is_file() and p.name != SUBJECT and (p / f"{p.name}.epub").exists()
    ]
    assert others and all(listed(project, s)["sums"] for s in others)
    # fixed: a build that tries it again rebuilds it and it is back (the fault lived outside the
    # code digest, so the build would remember the failure: a real fix changes the code, and retries)
    proc = build(project, "--retry-failed")
    assert proc.returncode == 0 and f"{SUBJECT}: built" in proc.stderr + proc.stdout, proc.stderr
    run_pipeline("catalog", "--no-search", cwd=project, check=True)
    assert listed(project, SUBJECT) == {"sums": True, "feeds": True, "pages": True, "page": True}
    assert mirror_check(project / "editions" / "site") is None


def test_hand_edited_edition_is_rebuilt_by_the_next_make(project: Path) -> None:
    txt = project / "editions" / SUBJECT / f"{SUBJECT}.txt"
    original = txt.read_bytes()
    txt.write_bytes(original + b"\nA sentence nobody wrote.\n")
    proc = build(project)  # what `make` runs: build, then catalog
    assert proc.returncode == 0 and f"{SUBJECT}: built" in proc.stderr + proc.stdout, proc.stderr
    run_pipeline("catalog", "--no-search", cwd=project, check=True)
    assert txt.read_bytes() == original
    assert listed(project, SUBJECT)["sums"]
    assert mirror_check(project / "editions" / "site") is None


def test_edition_changed_without_a_trace_is_withheld_not_published(project: Path) -> None:
    pdf = project / "editions" / SUBJECT / f"{SUBJECT}.pdf"
    st = pdf.stat()
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit flipped, size and mtime as before: bit rot
    pdf.write_bytes(bytes(data))
    os.utime(pdf, ns=(st.st_atime_ns, st.st_mtime_ns))
    proc = build(project)
    assert proc.returncode == 0
    cat = run_pipeline("catalog", "--no-search", cwd=project, check=True)
    assert f"{SUBJECT}: not published: {SUBJECT}.pdf changed after verify" in cat.stderr
    assert listed(project, SUBJECT) == {"sums": False, "feeds": False, "pages": False, "page": False}
    # a forced rebuild (or any change that moves the mtime) restores it
    build(project, SUBJECT, "--force")
    run_pipeline("catalog", "--no-search", cwd=project, check=True)
    assert listed(project, SUBJECT)["sums"]


def test_unverified_build_is_not_published(project: Path) -> None:
    proc = run_pipeline("build", "--jobs", "1", "--no-verify", "--force", SUBJECT, cwd=project)
    assert proc.returncode == 0, proc.stderr
    cat = run_pipeline("catalog", "--no-search", cwd=project, check=True)
    assert f"{SUBJECT}: not published: built without verify" in cat.stderr
    assert not listed(project, SUBJECT)["sums"]


def test_verify_command_finding_a_difference_unpublishes_until_rebuilt(project: Path) -> None:
    txt = project / "editions" / SUBJECT / f"{SUBJECT}.txt"
    text = txt.read_text(encoding="utf-8")
    txt.write_text(text.replace(" the ", " a ", 1), encoding="utf-8")
    proc = run_pipeline("verify", SUBJECT, cwd=project)
    assert proc.returncode == 1, proc.stderr
    cat = run_pipeline("catalog", "--no-search", "--verbose", cwd=project, check=True)
    assert f"{SUBJECT}: not published: its last build failed: {SUBJECT}: verify: 1 difference(s)" in cat.stderr
    assert not listed(project, SUBJECT)["sums"]
    assert build(project).returncode == 0
    run_pipeline("catalog", "--no-search", cwd=project, check=True)
    assert listed(project, SUBJECT)["sums"] and txt.read_text(encoding="utf-8") == text
