"""``python -m bench.hostile_fetch``: `fetch` against a hostile local server under ``ulimit -v``
of 2 GB (issue 23's "Done when"): a gzip bomb, an endless body, a work of 40 chapters of
15 MB each (over the 200 MB of one work) and one of 40 chapters of 4.5 MB (fetched). Prints a markdown table: exit status, the one line said, seconds, and the peak
memory of the fetch process (its VmHWM).
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import time
from pathlib import Path

from tests.archive.test_fetch_limits import LIMIT, Hostile, endless, fetch_under_ulimit, forty_chapters, send


def main() -> int:
    server = Hostile()
    bomb = gzip.compress(b"\0" * (LIMIT * 100), compresslevel=9)  # 2 GB of output from 2 MB
    server.routes["/archive/doe/bomb.htm"] = lambda h: send(h, 200, bomb, Content_Encoding="gzip")
    server.routes["/archive/doe/endless.htm"] = endless
    cases = [
        ("gzip bomb (2 MB -> 2 GB)", "archive/doe/bomb.htm"),
        ("endless body", "archive/doe/endless.htm"),
        ("40 chapters of 15 MB (600 MB)", forty_chapters(server, 15 * 1024 * 1024)),
    ]
    long_work = Hostile()  # a second work of 40 chapters, within the 200 MB of one work
    cases.append(("40 chapters of 4.5 MB (180 MB)", forty_chapters(long_work, 9 * 512 * 1024)))
    print("| attack | exit | what fetch said | seconds | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in cases:
            start = time.monotonic()
            proc = fetch_under_ulimit(Path(tmp) / str(len(name)), long_work if "4.5" in name else server, path, 1800)
            seconds = time.monotonic() - start
            peak = int(proc.stdout.split()[-1]) / 1024 if proc.stdout.split() else float("nan")  # VmHWM, kB
            said = " / ".join(proc.stderr.strip().splitlines())
            print(f"| {name} | {proc.returncode} | {said[:150]} | {seconds:.1f} | {peak:.0f} MB |")
    server.httpd.shutdown()
    long_work.httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
