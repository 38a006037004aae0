"""`make archive`: the shared MIA archive through the whole pipeline, measured.

Five phases, each the pipeline's own command in a scratch project (``.archive/root``,
git-ignored: never the project's ``sources/`` or ``editions/``), with
``MIA_PIPELINE_ROOT`` pointing at it:

1. ``import`` of the site copy (an unpacked folder, or the tarball unpacked once into
   ``.archive/site``);
2. ``build --masters-only``: every imported work's TEI master (ingest + validate), or a
   seeded sample of them with ``--masters N``;
3. ``build`` (every edition, then verify) of a seeded random sample of imported works;
4. ``catalog``: the library of every built work, timed, and ``sha256sum --check --strict`` on it;
5. the figures as a Markdown table (:mod:`bench.archive_table`), with the sample's seed
   and list, so that one command reproduces them.

Each build's stderr is passed through (progress) and kept in ``.archive/*.log``, where
tracebacks are counted: the pipeline promises none.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import machine  # noqa: E402
from bench.archive_table import markdown, phase  # noqa: E402
from bench.library import mirror_check  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
TRACEBACK = b"Traceback (most recent call last)"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--site", type=Path, default=Path("/tmp/mia"), help="an unpacked copy of the site (if it holds archive/)"
    )
    p.add_argument(
        "--tarball",
        type=Path,
        default=PROJECT.parent / "shared/mia-archive/mia-site.tar.xz",
        help="else unpack this into SCRATCH/site (once)",
    )
    p.add_argument("--scratch", type=Path, default=PROJECT / ".archive", help="scratch folder (default: .archive/)")
    p.add_argument("--paths", nargs="*", default=[], metavar="PATH", help="import only these paths under the site")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument(
        "--sample",
        type=int,
        default=0,
        help="build the editions of a seeded sample of N works (default 0: every work, so every free work's editions)",
    )
    p.add_argument(
        "--masters", type=int, default=0, help="build the masters of a seeded sample of N works (default: all)"
    )
    p.add_argument("--out", type=Path, default=PROJECT / "bench/results/ARCHIVE.md")
    return p.parse_args(argv)


def site_copy(site: Path, tarball: Path, scratch: Path) -> Path:
    """The site folder: ``site`` if it is a copy, else the tarball unpacked into scratch once."""
    if (site / "archive").is_dir():
        return site
    unpacked = scratch / "site"
    if not (unpacked / "archive").is_dir():
        if not tarball.is_file():
            sys.exit(f"no site copy: {site} holds no archive/ and {tarball} is missing")
        print(f"unpacking {tarball} into {unpacked}", file=sys.stderr, flush=True)
        partial = scratch / "site.part"
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(tarball) as tar:
            tar.extractall(partial, filter="data")
        partial.rename(unpacked)
    return unpacked


def run_logged(cmd: list[str], root: Path, log: Path) -> dict[str, Any]:
    """Run a pipeline command in the scratch project; its stderr to the screen and ``log``.

    Returns its wall seconds, exit status and the tracebacks it printed.
    """
    print(
        "$ " + " ".join(cmd[:12]) + (f" ... ({len(cmd) - 12} more)" if len(cmd) > 12 else ""),
        file=sys.stderr,
        flush=True,
    )
    env = dict(os.environ, MIA_PIPELINE_ROOT=str(root))
    start = time.perf_counter()
    kept = bytearray()
    with subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as proc:
        assert proc.stdout is not None
        while chunk := proc.stdout.read1(65536):
            sys.stderr.buffer.write(chunk)
            sys.stderr.flush()
            kept += chunk
    log.write_bytes(bytes(kept))
    return {
        "seconds": time.perf_counter() - start,
        "status": proc.returncode,
        "tracebacks": bytes(kept).count(TRACEBACK),
        "command": " ".join(cmd[:12]),
    }


def catalog(py: str, root: Path, scratch: Path) -> dict[str, Any]:
    """Phase 4: the library of every built work, written and checked as ``make bench-library``
    does it (:mod:`bench.library`), its output kept in ``catalog.log``."""
    ran = run_logged([py, "-m", "pipeline", "catalog"], root, scratch / "catalog.log")
    lines = [l for l in (scratch / "catalog.log").read_text(errors="replace").splitlines() if l.startswith("catalog: ")]
    summary = lines[-1] if lines else "(none)"
    found = re.search(r"catalog: (\d+) work\(s\) published.*?(\d+) files in SHA256SUMS", summary)
    check = mirror_check(root / "editions" / "site")
    return {
        **ran,
        "summary": summary,
        "published": int(found[1]) if found else 0,
        "files": int(found[2]) if found else 0,
        "sums_ok": check["ok"],
        "sums_output": check["output"].strip()[:200],
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scratch = args.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    site = site_copy(args.site, args.tarball, scratch)
    root = scratch / "root"  # a fresh scratch project each run: every figure is a cold, full build
    shutil.rmtree(root, ignore_errors=True)
    (root / "sources").mkdir(parents=True)
    py = sys.executable
    started = time.time()
    facts: dict[str, Any] = {"machine": machine.describe(), "jobs": args.jobs, "seed": args.seed, "paths": args.paths}

    imported = run_logged(
        [
            py,
            "-m",
            "pipeline",
            "import",
            str(site),
            *args.paths,
            "--sources",
            str(root / "sources"),
            "--jobs",
            str(args.jobs),
            "--report",
            str(scratch / "import.json"),
        ],
        root,
        scratch / "import.log",
    )
    report = json.loads((scratch / "import.json").read_text())
    facts["import"] = {
        **imported,
        "pages": report["summary"]["pages"],
        "summary": report["summary"],
        "import_seconds": report["seconds"],
    }
    slugs = sorted(w["slug"] for w in report["works"])
    facts["works_imported"] = len(slugs)

    rng = random.Random(args.seed)
    chosen = sorted(rng.sample(slugs, args.masters)) if 0 < args.masters < len(slugs) else []
    masters = run_logged(
        [
            py,
            "-m",
            "pipeline",
            "build",
            "--masters-only",
            "--jobs",
            str(args.jobs),
            "--report",
            str(scratch / "masters.json"),
            *chosen,
        ],
        root,
        scratch / "masters.log",
    )
    facts["masters"] = {
        **masters,
        **phase(json.loads((scratch / "masters.json").read_text()), root),
        "sampled": bool(chosen),
    }

    everything = not 0 < args.sample < len(slugs)
    sample = slugs if everything else sorted(random.Random(args.seed).sample(slugs, args.sample))
    sample_file = args.out.parent / "archive-sample.txt"
    sample_file.write_text(
        f"# make archive: every one of the {len(slugs)} imported works\n"
        if everything
        else f"# make archive: seed {args.seed}, {len(sample)} of {len(slugs)} imported works "
        "(random.Random(seed).sample of the sorted slugs)\n" + "\n".join(sample) + "\n"
    )
    editions = run_logged(
        [
            py,
            "-m",
            "pipeline",
            "build",
            "--jobs",
            str(args.jobs),
            "--report",
            str(scratch / "editions.json"),
            *([] if everything else sample),
        ],
        root,
        scratch / "editions.log",
    )
    facts["editions"] = {**editions, **phase(json.loads((scratch / "editions.json").read_text()), root)}
    facts["catalog"] = catalog(py, root, scratch)
    facts["elapsed"] = time.time() - started
    facts["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    facts["command"] = (
        "make archive"
        + (f" MASTERS={args.masters}" if args.masters else "")
        + (f" PATHS='{' '.join(args.paths)}'" if args.paths else "")
        + (f" SAMPLE={args.sample}" if args.sample else "")
    )
    facts["sample_file"] = sample_file.name
    (args.out.with_suffix(".json")).write_text(json.dumps(facts, indent=1) + "\n")
    args.out.write_text(markdown(facts), encoding="utf-8")
    print(f"wrote {args.out} and {sample_file} ({facts['elapsed']:.0f} s in all)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
