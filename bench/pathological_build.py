"""``python -m bench.pathological_build [SECONDS]``: a build with a pathological page (issue 23):
two of the project's own works and a 150 kB page whose heading is 12,000 words (which took
138 s and 919 MB before the per-work limits), built with ``--work-time SECONDS`` (default
60). Prints the build's lines: the pathological work fails naming the limit, the others build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import PROJECT
from tests.robustness.cases import write_work

WORKS = ("trotsky-1923-faction", "rakovsky-1908-08-01")


def heading_page(words: int) -> bytes:
    heading = " ".join(f"word{n % 97}" for n in range(words)).encode()
    return (
        b'<html><head><title>A Heading</title><meta name="author" content="Karl Example"></head><body>'
        b"<h1>" + heading + b'</h1><p class="information">Source: The Review, 1920.<br>'
        b"Public Domain: Marxists Internet Archive 2010. Please credit the Marxists Internet Archive as your "
        b"source, include the url to this work, and note the transcribers &amp; proofreaders above.</p>"
        b"<p>The only paragraph of the work.</p></body></html>"
    )


def main() -> int:
    seconds = sys.argv[1] if len(sys.argv) > 1 else "60"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for slug in WORKS:
            shutil.copytree(PROJECT / "sources" / slug, root / "sources" / slug)
        write_work(root, "example-1920-heading", heading_page(12_000), {"format": "mia-html"}, "heading.htm")
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "build", "--jobs", "2", "--work-time", seconds],
            cwd=root,
            capture_output=True,
            text=True,
        )
        print(proc.stderr.strip())
        print(f"exit {proc.returncode} after {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
