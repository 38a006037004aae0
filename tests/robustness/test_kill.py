"""A build killed mid-way (SIGKILL during the PDF stage) leaves no partial file, and the
next build completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from lxml import etree

from bench.corpus import generate
from tests.conftest import PROJECT, run_pipeline


def test_sigkill_during_pdf_stage_leaves_nothing_partial(tmp_path: Path) -> None:
    (work,) = generate(tmp_path, [10_000], seed=5)  # its PDF stage: seconds (fonts, then the layout)
    folder = tmp_path / "editions" / work.slug
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--jobs", "1", "--no-verify"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    epub, pdf = folder / f"{work.slug}.epub", folder / f"{work.slug}.pdf"
    deadline = time.monotonic() + 120
    while not epub.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert epub.exists() and proc.poll() is None, "the build did not reach the PDF stage"
    time.sleep(0.5)  # well inside WeasyPrint's start and layout of a 10,000-word book
    assert not pdf.exists(), "the PDF stage finished before the kill; use a larger work"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.2)

    left = sorted(p.name for p in folder.iterdir())
    assert left == [f"{work.slug}.epub", f"{work.slug}.tei.xml"] or left == [
        ".source-state",
        f"{work.slug}.epub",
        f"{work.slug}.tei.xml",
    ], left
    # what is there is complete, and nothing says the work is done
    etree.parse(str(folder / f"{work.slug}.tei.xml"))
    with zipfile.ZipFile(epub) as z:
        assert z.testzip() is None
    assert not (folder / ".stamp").exists()

    again = run_pipeline("build", "--jobs", "1", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "1 built" in again.stderr
    for ext in ("epub", "pdf", "txt"):
        assert (folder / f"{work.slug}.{ext}").stat().st_size > 0
    assert run_pipeline("verify", cwd=tmp_path).returncode == 0
