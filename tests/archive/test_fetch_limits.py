"""`fetch` against a hostile HTTP server on 127.0.0.1 (issue 23): every answer is read within
hard limits, refused in one line past them, and nothing is written that should not be.

The server is real (http.server, a thread); each route misbehaves in one way: a gzip bomb, an
endless body, a body trickling a byte at a time, a robots.txt that fails or redirects, a
Retry-After as an HTTP date or far in the future, an instalment link climbing out with ``..``.
"""

from __future__ import annotations

import email.utils
import gzip
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.archive.fetch import retry_after_seconds
from pipeline.cli import main
from pipeline.manifest import load_manifest
from tests.archive.conftest import SITE
from tests.conftest import PROJECT

PAGE_PATH = "archive/murphy-jt/1935/08/unemployed.htm"
PAGE = (SITE / PAGE_PATH).read_bytes()
LIMIT = 20 * 1024 * 1024
Route = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    if "Content_Length" not in headers:
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on a hostile answer is the point, not an error


class Hostile:
    """A server whose routes (path -> a function answering the request) misbehave on purpose."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {"/robots.txt": lambda h: send(h, 200, b"User-agent: *\nAllow: /\n")}
        self.requests: list[str] = []
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                hostile.requests.append(self.path)
                route = hostile.routes.get(self.path)
                try:
                    route(self) if route else send(self, 404, b"")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: what a bounded client does

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def pages(self) -> list[str]:
        return [p for p in self.requests if p != "/robots.txt"]


@pytest.fixture
def hostile():
    server = Hostile()
    yield server
    server.httpd.shutdown()


def fetch(tmp_path: Path, server: Hostile, capsys, *extra: str, path: str = PAGE_PATH) -> tuple[int, list[str]]:
    code = main(
        ["fetch", f"https://www.marxists.org/{path}", "--server", server.url]
        + ["--sources", str(tmp_path / "sources"), "--cache", str(tmp_path / "cache")]
        + ["--delay", "0", "--timeout", "1", "--retries", "1", "--retrieved", "2026-12-01", *extra]
    )
    return code, capsys.readouterr().err.strip().splitlines()


def nothing_written(tmp_path: Path) -> bool:
    sources = tmp_path / "sources"
    return not sources.exists() or not [p for p in sources.rglob("*") if p.name != ".lock"]


def test_a_gzip_bomb_is_refused_after_the_page_limit(tmp_path, hostile, capsys):
    bomb = gzip.compress(b"\0" * (LIMIT * 5), compresslevel=9)  # 100 MB of output from ~100 kB
    hostile.routes["/" + PAGE_PATH] = lambda h: send(h, 200, bomb, Content_Type="text/html", Content_Encoding="gzip")
    start = time.monotonic()
    code, err = fetch(tmp_path, hostile, capsys)
    assert code == 1 and len(err) == 1 and "page limit (decompressed)" in err[0], err
    assert time.monotonic() - start < 60 and nothing_written(tmp_path)  # generous: a loaded machine


def endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    block = b"<p>" + b"word " * 20000 + b"</p>\n"
    while True:
        handler.wfile.write(block)


def test_an_endless_body_is_refused_at_the_page_limit(tmp_path, hostile, capsys):
    hostile.routes["/" + PAGE_PATH] = endless
    code, err = fetch(tmp_path, hostile, capsys)
    assert code == 1 and len(err) == 1 and "page limit (sent)" in err[0], err
    assert nothing_written(tmp_path)


def test_a_body_announced_too_large_is_refused_before_it_is_read(tmp_path, hostile, capsys):
    hostile.routes["/" + PAGE_PATH] = lambda h: send(h, 200, PAGE, Content_Length=str(10**12))
    code, err = fetch(tmp_path, hostile, capsys)
    assert code == 1 and len(err) == 1 and "announces 1,000,000,000,000 bytes" in err[0], err
    assert hostile.pages() == ["/" + PAGE_PATH]  # refused at once, not retried


def trickle(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(PAGE)))
    handler.end_headers()
    for byte in PAGE:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)  # each read gets a byte well within --timeout: only the page's wall time stops it


def test_a_trickling_server_is_stopped_by_the_page_time(tmp_path, hostile, capsys):
    hostile.routes["/" + PAGE_PATH] = trickle
    start = time.monotonic()
    code, err = fetch(tmp_path, hostile, capsys, "--page-time", "1.5")
    assert code == 1 and len(err) == 1 and "time limit" in err[0], err
    assert time.monotonic() - start < 15 and nothing_written(tmp_path)


@pytest.mark.parametrize(
    ("robots", "reason"),
    [
        (lambda h: send(h, 500, b""), "HTTP 500"),
        (lambda h: send(h, 503, b"", Retry_After="0"), "HTTP 503"),
        (lambda h: send(h, 301, b"", Location="https://elsewhere.example/robots.txt"), "redirects"),
    ],
)
def test_a_robots_txt_that_fails_or_redirects_disallows_everything(tmp_path, hostile, capsys, robots, reason):
    hostile.routes["/robots.txt"] = robots
    code, err = fetch(tmp_path, hostile, capsys)
    assert code == 1 and len(err) == 1 and "RFC 9309" in err[0] and reason in err[0], err
    assert not hostile.pages() and nothing_written(tmp_path)


def test_a_missing_robots_txt_allows_and_an_endless_one_is_read_to_its_limit(tmp_path, hostile, capsys):
    hostile.routes["/" + PAGE_PATH] = lambda h: send(h, 200, PAGE, Content_Type="text/html")
    hostile.routes["/robots.txt"] = lambda h: send(h, 404, b"")
    assert fetch(tmp_path, hostile, capsys)[0] == 0
    hostile.routes["/robots.txt"] = endless  # RFC 9309 2.5: parse the first 500 KiB, then stop
    code, err = fetch(tmp_path / "again", hostile, capsys)
    assert code == 0, err


def test_retry_after_as_an_http_date_is_honoured(tmp_path, hostile, capsys):
    answers = iter(["429", "ok"])

    def busy_then_ok(h: BaseHTTPRequestHandler) -> None:
        if next(answers) == "429":
            send(h, 429, b"", Retry_After=email.utils.formatdate(time.time() + 2, usegmt=True))
        else:
            send(h, 200, PAGE, Content_Type="text/html")

    hostile.routes["/" + PAGE_PATH] = busy_then_ok
    start = time.monotonic()
    code, err = fetch(tmp_path, hostile, capsys)
    assert code == 0, err
    assert time.monotonic() - start >= 0.9  # waited for the date (to the second), not the 0 s backoff


def test_a_retry_after_beyond_the_limit_is_a_refusal_not_a_cut_wait(tmp_path, hostile, capsys):
    hostile.routes["/" + PAGE_PATH] = lambda h: send(h, 503, b"", Retry_After="86400")
    code, err = fetch(tmp_path, hostile, capsys)
    assert code == 1 and len(err) == 1 and "retry after 86,400 s" in err[0], err
    assert hostile.pages() == ["/" + PAGE_PATH]  # asked once, not again after a shortened wait


def test_retry_after_values():
    now = 1_000_000_000.0
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds(email.utils.formatdate(now + 30, usegmt=True), now) == pytest.approx(30)
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True), now) == 0
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


CHINA = b"""<html><head><title>China</title></head><body><h1>On China</h1>
<p class="information">Source: The Worker, 1920. Transcribed: J. Doe.</p>
<p><a href="china1.htm">First part of the series</a><br>
<a href="https://www.marxists.org/archive/doe/1920/../china2.htm">Part 2</a></p></body></html>"""
PART = (
    b"""<html><head><title>China, part 1</title></head><body><h1>On China, part 1</h1>
<p>"""
    + b"The workers of the world, their unions and their papers. " * 40
    + b"</p></body></html>"
)


def test_an_instalment_link_climbing_out_is_refused_in_one_line(tmp_path, hostile, capsys):
    hostile.routes["/archive/doe/1920/09/china.html"] = lambda h: send(h, 200, CHINA, Content_Type="text/html")
    hostile.routes["/archive/doe/1920/09/china1.htm"] = lambda h: send(h, 200, PART, Content_Type="text/html")
    hostile.routes["/archive/doe/china2.htm"] = lambda h: send(h, 200, PART, Content_Type="text/html")
    code, err = fetch(tmp_path, hostile, capsys, path="archive/doe/1920/09/china.html")
    assert code == 0 and len([e for e in err if "leaves the site" in e]) == 1, err
    sources = tmp_path / "sources"
    (work,) = [p for p in sources.iterdir() if p.is_dir()]
    manifest = load_manifest(work)  # the project's own schema and fixity hold
    assert [f.path.name for f in manifest.files] == ["china.html", "china1.htm"]
    assert all(".." not in f["path"] for f in manifest.raw["files"])
    assert sorted(p.name for p in sources.iterdir()) == [".lock", work.name] or sorted(
        p.name for p in sources.iterdir()
    ) == [work.name]
    assert any("china2.htm" in note for note in manifest.raw["notes"])


def chapter(n: int, size: int) -> bytes:
    words = b"The workers of the world and their papers, chapter %d. " % n
    return (
        b"<html><head><title>Chapter %d</title></head><body><h1>Chapter %d</h1><p>" % (n, n)
        + words * (size // len(words))
        + b"</p></body></html>"
    )


def forty_chapters(server: Hostile, size: int) -> str:
    """A multi-part work of 40 chapters of ``size`` bytes each; its index's site path."""
    links = b"".join(b'<a href="ch%02d.htm">Chapter %d</a><br>\n' % (n, n) for n in range(1, 41))
    index = (
        b"<html><head><title>A Long Work</title></head><body><h1>A Long Work</h1>"
        b'<p class="information">Source: The Review, 1920. Transcribed: J. Doe.</p><p>' + links + b"</p></body></html>"
    )
    server.routes["/archive/doe/1920/long/index.htm"] = lambda h: send(h, 200, index, Content_Type="text/html")
    for n in range(1, 41):
        page = chapter(n, size)
        server.routes[f"/archive/doe/1920/long/ch{n:02d}.htm"] = lambda h, page=page: send(h, 200, page)
    return "archive/doe/1920/long/index.htm"


# ``python -m pipeline ARGS``, then the process's peak resident memory (VmHWM) on stdout.
REPORT_PEAK = """
import sys
from pipeline.cli import main
code = main(sys.argv[1:])
print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))
sys.exit(code)
"""


def fetch_under_ulimit(tmp_path: Path, server: Hostile, path: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m pipeline fetch`` in a process whose address space is capped at 2 GB (``ulimit -v``)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    return subprocess.run(
        [sys.executable, "-c", REPORT_PEAK, "fetch", f"https://www.marxists.org/{path}", "--server", server.url]
        + ["--sources", str(tmp_path / "sources"), "--cache", str(tmp_path / "cache"), "--delay", "0"]
        + ["--timeout", "2", "--retries", "0", "--retrieved", "2026-12-01"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        preexec_fn=cap,
        timeout=timeout,
    )


def test_under_a_2_gb_ulimit_a_40_chapter_work_is_fetched_one_page_in_memory_at_a_time(tmp_path, hostile):
    """The gzip bomb and the endless body under the same ulimit, and 40 chapters of 15 MB:
    ``python -m bench.hostile_fetch`` (too slow for the suite)."""
    proc = fetch_under_ulimit(tmp_path, hostile, forty_chapters(hostile, 200_000))
    assert proc.returncode == 0 and proc.stderr.strip().splitlines() == ["doe-1920-long: new (multi-part, 41 pages)"], (
        proc.stderr
    )
    assert len(list((tmp_path / "sources" / "doe-1920-long").glob("ch*.htm"))) == 40
    assert not (tmp_path / "sources" / ".import-staging").exists()  # the spool is gone
