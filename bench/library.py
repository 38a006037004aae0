"""``make bench-library``: how long writing the library (site, catalogs, search, sums) takes.

Two ways to run it, from the project root:

- ``python bench/library.py --root PATH``: a project already built (for issue 15's
  target, the issue-11 archive build): ``python -m pipeline catalog`` there, timed
  cold (first run: covers drawn, every page written) and warm (nothing changed), then
  ``sha256sum --check --strict SHA256SUMS`` in its editions/.
- ``python bench/library.py --works N`` (default 1,000): the project's own sources
  built once into a temporary folder, then N synthetic works made from them
  (``tests/distribution/synthetic.py``: real editions under new identities), then the
  same measures.

Results: ``bench/results/library.json`` and ``library.md`` (the issue's target: under a
minute for every built work), unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

ENV = {**os.environ, "PYTHONPATH": str(PROJECT), "SOURCE_DATE_EPOCH": "1700000000"}
TARGET_SECONDS = 60.0


def log(message: str) -> None:
    print(f"[bench-library {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def synthetic_root(works: int, scratch: Path) -> Path:
    from tests.distribution.synthetic import make_library

    built = scratch / "built"
    shutil.copytree(PROJECT / "sources", built / "sources")
    log("building the project's own works once (the models of the synthetic ones)")
    seconds, proc = timed([sys.executable, "-m", "pipeline", "build", "--jobs", "2", "-q"], built)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr}")
    log(f"making {works} synthetic works")
    return make_library(built, scratch / "library", works)


def catalog(root: Path, label: str) -> dict:
    log(f"catalog ({label})")
    seconds, proc = timed([sys.executable, "-m", "pipeline", "catalog"], root)
    if proc.returncode != 0:
        raise SystemExit(f"catalog failed:\n{proc.stderr}")
    summary = proc.stderr.strip().splitlines()[-1]
    found = re.search(r"catalog: (\d+) work\(s\) published.*?(\d+) files in SHA256SUMS, largest page (\d+) kB", summary)
    return {
        "seconds": round(seconds, 2),
        "works": int(found[1]) if found else None,
        "files": int(found[2]) if found else None,
        "largest_page_kb": int(found[3]) if found else None,
        "summary": summary,
    }


def mirror_check(editions: Path) -> dict:
    """What a mirror runs on its copy: ``sha256sum --check --strict SHA256SUMS``, timed."""
    if not (editions / "SHA256SUMS").is_file():
        return {"ok": False, "seconds": 0.0, "output": "no SHA256SUMS"}
    seconds, check = timed(["sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS"], editions)
    return {"ok": check.returncode == 0, "seconds": round(seconds, 2), "output": (check.stdout + check.stderr)[-2000:]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", type=Path, help="a built project (sources/ and editions/) to write the library of")
    p.add_argument("--works", type=int, default=1000, help="synthetic works when no --root (default 1000)")
    p.add_argument("--out", type=Path, default=PROJECT / "bench" / "results", help="where to write library.json/.md")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-library-") as scratch:
        root = args.root.resolve() if args.root else synthetic_root(args.works, Path(scratch))
        cold = catalog(root, "cold")
        warm = catalog(root, "warm: nothing changed")
        log("sha256sum --check --strict")
        check = mirror_check(root / "editions" / "site")
        size = sum(f.stat().st_size for f in (root / "editions" / "site").rglob("*") if f.is_file())
        result = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "root": str(args.root) if args.root else f"synthetic ({args.works} works)",
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "cold": cold,
            "warm": warm,
            "sha256sum_check": check,
            "editions_bytes": size,
            "target_seconds": TARGET_SECONDS,
            "target_met": max(cold["seconds"], warm["seconds"]) < TARGET_SECONDS and check["ok"],
        }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "library.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (args.out / "library.md").write_text(
        "# Writing the library (issue 15)\n\n"
        f"{result['date']}, {result['root']}, {result['cpus']} CPUs, load {result['load_average'][0]:.2f}\n\n"
        "| run | seconds | works | files in SHA256SUMS | largest page |\n|---|---|---|---|---|\n"
        + "".join(
            f"| {k} | {r['seconds']} | {r['works']} | {r['files']} | {r['largest_page_kb']} kB |\n"
            for k, r in (("cold", cold), ("warm", warm))
        )
        + f"\n`sha256sum --check --strict`: {'passed' if result['sha256sum_check']['ok'] else 'FAILED'} "
        f"in {result['sha256sum_check']['seconds']} s over {size / 1e6:.0f} MB.\n\n"
        f"Target (under {TARGET_SECONDS:.0f} s, sums check): {'met' if result['target_met'] else 'missed'}.\n",
        encoding="utf-8",
    )
    log(
        f"cold {cold['seconds']} s, warm {warm['seconds']} s, sha256sum {'ok' if check['ok'] else 'FAILED'}; "
        f"written {args.out / 'library.md'}"
    )
    return 0 if check.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
