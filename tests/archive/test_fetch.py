"""`fetch` against a real HTTP server on 127.0.0.1 serving a copy of the fixture site."""

from __future__ import annotations

import functools
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.manifest import load_manifest
from tests.archive.conftest import tree_state

KERENSKY = "reference/archive/kerensky/1919/prelude/index.htm"
SINGLE = "archive/murphy-jt/1935/08/unemployed.htm"


class Server:
    """A real server: records every request; `faults[path]` is a list of misbehaviours, one per request."""

    def __init__(self, root: Path) -> None:
        self.requests: list[tuple[float, str, dict]] = []
        self.faults: dict[str, list[str]] = {}
        self.robots = "User-agent: *\nDisallow: /archive/fitzgerald/\n"
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                server.requests.append((time.monotonic(), self.path, dict(self.headers)))
                if self.path == "/robots.txt":
                    body = server.robots.encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                queue = server.faults.get(self.path.lstrip("/"))
                fault = queue.pop(0) if queue else None
                if fault in ("500", "404", "429"):
                    self.send_response(int(fault))
                    if fault == "429":
                        self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if fault == "slow":
                    time.sleep(1.0)
                if fault in ("short", "reset"):
                    data = (root / self.path.lstrip("/")).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    if fault == "reset":
                        self.connection.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                        )
                    self.close_connection = True
                    return
                if fault == "redirect":
                    self.send_response(301)
                    self.send_header("Location", "/archive/elsewhere.htm")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if fault == "error-page":
                    body = b"<html><head><title>File not found</title></head><body><p>Sorry.</p></body></html>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                super().do_GET()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def page_requests(self) -> list[tuple[float, str, dict]]:
        return [r for r in self.requests if r[1] != "/robots.txt"]


@pytest.fixture
def server(site):
    s = Server(site)
    yield s
    s.httpd.shutdown()


def fetch(tmp_path: Path, server: Server, *urls: str, extra: tuple[str, ...] = (), capsys=None) -> tuple[int, str]:
    code = main(
        [
            "fetch",
            *[f"https://www.marxists.org/{u}" for u in urls],
            "--server",
            server.url,
            "--sources",
            str(tmp_path / "sources"),
            "--cache",
            str(tmp_path / "cache"),
            "--delay",
            "0.2",
            "--timeout",
            "1",
            "--retries",
            "2",
            "--retrieved",
            "2026-12-01",
            *extra,
        ]
    )
    err = capsys.readouterr().err if capsys else ""
    return code, err


def test_multipart_work_fetched_with_canonical_urls(tmp_path, server, capsys):
    code, err = fetch(tmp_path, server, KERENSKY, capsys=capsys)
    assert code == 0, err
    m = load_manifest(tmp_path / "sources" / "kerensky-1919-prelude")
    assert m.url == "https://www.marxists.org/" + KERENSKY
    assert [(f.path.name, f.role) for f in m.files] == [
        ("index.htm", "index"),
        ("intro.htm", "part"),
        ("ch04.htm", "part"),
    ]
    assert [p.path for p in m.missing] == ["preface.htm"]  # the server answered 404
    assert server.url in m.raw["origin"]
    assert m.raw["files"][0]["declared_charset"]
    # the rate at the server never above one request per --delay
    times = [t for t, _, _ in server.requests]
    assert all(b - a >= 0.19 for a, b in zip(times, times[1:]))
    assert all("mia-pipeline" in h.get("User-Agent", "") for _, _, h in server.requests)


def test_second_fetch_is_conditional_and_changes_nothing(tmp_path, server, capsys):
    assert fetch(tmp_path, server, SINGLE, capsys=capsys)[0] == 0
    before = tree_state(tmp_path / "sources")
    server.requests.clear()
    code, err = fetch(tmp_path, server, SINGLE, capsys=capsys)
    assert code == 0 and "unchanged" in err
    (req,) = server.page_requests()
    assert "If-Modified-Since" in req[2] or "If-None-Match" in req[2]
    assert tree_state(tmp_path / "sources") == before


def test_robots_disallow_is_obeyed(tmp_path, server, capsys):
    code, err = fetch(tmp_path, server, "archive/fitzgerald/1925/economics_marx.htm", capsys=capsys)
    assert code == 1 and "robots.txt" in err and len(err.strip().splitlines()) == 1
    assert not server.page_requests()
    assert not (tmp_path / "sources").exists() or not any((tmp_path / "sources").iterdir())


@pytest.mark.parametrize(
    ("faults", "ok", "message"),
    [
        (["500"], True, None),
        (["429"], True, None),
        (["short"], True, None),
        (["slow"], True, None),
        (["reset"], True, None),
        (["404"], False, "HTTP 404"),
        (["500", "500", "500"], False, "HTTP 500 after 3 tries"),
        (["short", "short", "short"], False, "body cut short"),
        (["redirect"], False, "redirects it to"),
        (["error-page"], False, "not a work (error page)"),
    ],
)
def test_faults_retry_or_fail_in_one_line_never_a_partial_source(tmp_path, server, capsys, faults, ok, message):
    server.faults[SINGLE] = list(faults)
    start = time.monotonic()
    code, err = fetch(tmp_path, server, SINGLE, extra=("--delay", "0.05", "--timeout", "0.6"), capsys=capsys)
    sources = tmp_path / "sources"
    if ok:
        assert code == 0, err
        m = load_manifest(sources / "murphy-jt-1935-unemployed")
        assert m.files[0].path.read_bytes() == (server_root(server) / SINGLE).read_bytes()
        if faults == ["429"]:
            assert time.monotonic() - start >= 1.0  # Retry-After honoured
    else:
        assert code == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1 and message in lines[0]
        assert not sources.exists() or not [p for p in sources.iterdir()]


def server_root(server: Server) -> Path:
    return Path(server.httpd.RequestHandlerClass.keywords["directory"])


def test_url_outside_the_site_is_refused(tmp_path, capsys):
    code = main(["fetch", "https://example.org/a.htm", "--sources", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 1 and "not a page of https://www.marxists.org/" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s").exists()


def test_multipart_work_fetched_then_built(tmp_path, server, capsys):
    """With the chapter the fixture copy lacks served too (the project's own copy), the fetched work ingests."""
    project = Path(__file__).resolve().parents[2]
    prelude = server_root(server) / "reference/archive/kerensky/1919/prelude"
    (prelude / "preface.htm").write_bytes((project / "sources/kerensky-1919-prelude/preface.htm").read_bytes())
    code, err = fetch(tmp_path, server, KERENSKY, capsys=capsys)
    assert code == 0, err
    out = tmp_path / "kerensky.tei.xml"
    assert main(["ingest", str(tmp_path / "sources" / "kerensky-1919-prelude"), "-o", str(out)]) == 0
    assert main(["validate", "--no-tei-all", str(out)]) == 0
    assert b"Kerensky" in out.read_bytes()


def test_a_failed_download_never_replaces_a_good_source(tmp_path, server, capsys):
    assert fetch(tmp_path, server, SINGLE, capsys=capsys)[0] == 0
    before = tree_state(tmp_path / "sources")
    page = server_root(server) / SINGLE
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>Changed on the server.</p></body>"))
    server.faults[SINGLE] = ["short", "short", "short"]
    code, err = fetch(tmp_path, server, SINGLE, extra=("--update", "--delay", "0.05"), capsys=capsys)
    assert code == 1 and "body cut short" in err
    assert tree_state(tmp_path / "sources") == before
    # once the server answers whole, --update brings the new version in and keeps the old one
    code, err = fetch(tmp_path, server, SINGLE, extra=("--update", "--delay", "0.05"), capsys=capsys)
    assert code == 0 and "updated" in err
    folder = tmp_path / "sources" / "murphy-jt-1935-unemployed"
    assert load_manifest(folder).raw["versions"][0]["files"][0]["path"] == "versions/v1/unemployed.htm"
    assert (folder / "unemployed.htm").read_bytes() == page.read_bytes()
