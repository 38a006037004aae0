"""``python -m pipeline serve [--port N] [--bind ADDRESS]``: serve the published library."""

from __future__ import annotations

import argparse
import sys

from pipeline.errors import PipelineError
from pipeline.paths import project_root, site_dir


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="serve the library in editions/site/ over HTTP, its OPDS search answering any words",
        description="Serves editions/site/ as it is (run `make` or `python -m pipeline catalog` first) and answers "
        "an OPDS search of any words (opds/search/<words>.xml or .json) from the site's one-word feeds. "
        "Stop it with Ctrl-C.",
    )
    s.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    s.add_argument(
        "--bind", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)"
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.distribution.server import serve

    site = site_dir(project_root())
    if not (site / "index.html").is_file():
        raise PipelineError("no library to serve; run `make` (or `python -m pipeline catalog`) first", site)
    try:
        server = serve(site, args.bind, args.port)
    except OSError as exc:
        raise PipelineError(f"cannot listen on {args.bind}:{args.port}: {exc.strerror}") from None
    host, port = str(server.server_address[0]), server.server_address[1]
    print(f"serving the library at http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
