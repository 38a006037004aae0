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

Then, as issue 24 asks at the whole MIA's scale (``make bench-library WORKS=30000``): the
catalog again after one work changed (its title, as a rebuild would change it), each
run's CPU seconds and peak memory (the catalog process's, from ``wait4``), and a search
in Chromium served from the written library (:mod:`bench.library_search`).

Results: ``bench/results/library.json`` and ``library.md`` with the targets (cold under
10 minutes and 4 GB, one change under 30 s, a search under 1 s), unless ``--out`` says
otherwise.
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
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

ENV = {**os.environ, "PYTHONPATH": str(PROJECT), "SOURCE_DATE_EPOCH": "1700000000"}
TARGETS = {"cold_seconds": 600.0, "peak_mb": 4096.0, "one_change_seconds": 30.0, "search_seconds": 1.0}


def log(message: str) -> None:
    print(f"[bench-library {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    seconds, proc, _ = measured(cmd, cwd)
    return seconds, proc


class TreeMemory:
    """The peak of the summed resident memory of a process and its descendants (the
    catalog forks workers for covers), sampled every 0.2 s: what the machine must hold."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        import psutil

        while not self.done.wait(0.2):
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak


def measured(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess, dict[str, float]]:
    """Wall seconds, the finished process, its CPU seconds (its workers' included) and the
    peak resident MB of it and its workers together.

    ``wait4`` gives the one process tree's CPU time (RUSAGE_CHILDREN would mix in earlier
    runs'); stderr goes to a file so that a long run's progress cannot fill a pipe.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=err, text=True)
        memory = TreeMemory(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        tree_peak = memory.stop()
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(cmd, child.returncode, out.read(), err.read())
    peak = max(tree_peak, usage.ru_maxrss * 1024)  # a run shorter than one sample: its own peak
    cost = {"cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1), "peak_mb": round(peak / 2**20)}
    return seconds, proc, cost


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
    seconds, proc, cost = measured([sys.executable, "-m", "pipeline", "catalog"], root)
    if proc.returncode != 0:
        raise SystemExit(f"catalog failed:\n{proc.stderr}")
    summary = proc.stderr.strip().splitlines()[-1]
    found = re.search(r"catalog: (\d+) work\(s\) published.*?(\d+) files in SHA256SUMS, largest page (\d+) kB", summary)
    log(f"  {seconds:.1f} s, {cost['cpu_seconds']} CPU s, peak {cost['peak_mb']} MB")
    return {
        "seconds": round(seconds, 2),
        **cost,
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


def change_one_work(root: Path) -> str:
    """Give one published work a new title and record it verified again, as a rebuild would."""
    from lxml import etree

    from pipeline import verified

    folder = next(p for p in sorted((root / "editions").iterdir()) if (p / f"{p.name}.epub").is_file())
    master = folder / f"{folder.name}.tei.xml"
    tree = etree.parse(str(master))
    title = tree.find(".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title")
    assert title is not None, master
    title.text = f"{title.text} (revised)"
    tree.write(str(master), xml_declaration=True, encoding="UTF-8")
    outputs = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    verified.record(folder, outputs)
    return folder.name


SEARCHES = ["quokkaphrase number 17 lanternfish", "revolution", "xyzzyqq", "Luxemburg"]


def measure(root: Path, label: str, *, change: bool) -> dict:
    """The three catalog runs (the third only on a synthetic library: never change a real project)."""
    cold = catalog(root, "cold")
    warm = catalog(root, "warm: nothing changed")
    one = catalog(root, f"one work changed: {change_one_work(root)}") if change else None
    log("sha256sum --check --strict")
    site = root / "editions" / "site"
    check = mirror_check(site)
    log("searching in Chromium")
    from bench.library_search import search_seconds

    searches = search_seconds(site, SEARCHES)
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "root": label,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "cold": cold,
        "warm": warm,
        "one_change": one,
        "sha256sum_check": check,
        "editions_bytes": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()),
        "searches": searches,
        "targets": TARGETS,
    }


def verdicts(result: dict) -> dict[str, bool]:
    """Each target of issue 24, met or not."""
    slowest_search = max((s["seconds"] for s in result["searches"]), default=float("inf"))
    return {
        "cold_seconds": result["cold"]["seconds"] < TARGETS["cold_seconds"],
        "peak_mb": max(r["peak_mb"] for r in (result["cold"], result["warm"], result["one_change"]) if r)
        < TARGETS["peak_mb"],
        "one_change_seconds": bool(result["one_change"])
        and result["one_change"]["seconds"] < TARGETS["one_change_seconds"],
        "search_seconds": slowest_search < TARGETS["search_seconds"],
        "sha256sum": result["sha256sum_check"]["ok"],
    }


def table(result: dict) -> str:
    met = verdicts(result)
    runs = (("cold", "cold"), ("warm: nothing changed", "warm"), ("one work changed", "one_change"))
    lines = [
        "# Writing the library (issues 15 and 24)",
        "",
        f"Command: `make bench-library WORKS=N` (here: {result['root']}); {result['date']}, "
        f"{result['cpus']} CPUs, load average at the end {result['load_average'][0]:.2f} "
        "(above 2, other work competed for the cores: the CPU seconds are the fairer figure).",
        "",
        "| catalog run | wall s | CPU s (with its workers) | peak MB (with its workers) | works | files in SHA256SUMS | largest page |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, key in runs:
        r = result[key] or {k: "–" for k in result["cold"]}  # no one-change run over a real project
        lines.append(
            f"| {name} | {r['seconds']} | {r['cpu_seconds']} | {r['peak_mb']} | {r['works']} | {r['files']} "
            f"| {r['largest_page_kb']} kB |"
        )
    check = result["sha256sum_check"]
    lines += [
        "",
        f"`sha256sum --check --strict`: {'passed' if check['ok'] else 'FAILED'} in {check['seconds']} s "
        f"over {result['editions_bytes'] / 1e6:,.0f} MB.",
        "",
        "Search in Chromium, served over HTTP: from pressing Search to the status line, the query typed",
        "as a reader types it (ten characters a second: the page looks its words up while they are typed),",
        "and pasted (pressed at once); and how long the search page took to load its index:",
        "",
        "| query | typed: s | pasted: s | page ready: s | status |",
        "|---|---:|---:|---:|---|",
        *(
            f"| {s['query']} | {s['seconds']} | {s.get('pasted_seconds', '–')} | {s.get('ready_seconds', '–')} "
            f"| {s['status']} |"
            for s in result["searches"]
        ),
        "",
        "Targets: "
        + "; ".join(
            f"{name} {'met' if ok else 'MISSED'}"
            for name, ok in (
                (f"cold under {TARGETS['cold_seconds'] / 60:.0f} min", met["cold_seconds"]),
                (f"peak under {TARGETS['peak_mb'] / 1024:.0f} GB", met["peak_mb"]),
                (f"one change under {TARGETS['one_change_seconds']:.0f} s", met["one_change_seconds"]),
                (f"a search under {TARGETS['search_seconds']:.0f} s", met["search_seconds"]),
                ("sums check", met["sha256sum"]),
            )
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", type=Path, help="a built project (sources/ and editions/) to write the library of")
    p.add_argument("--works", type=int, default=1000, help="synthetic works when no --root (default 1000)")
    p.add_argument("--out", type=Path, default=PROJECT / "bench" / "results", help="where to write library.json/.md")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-library-") as scratch:
        root = args.root.resolve() if args.root else synthetic_root(args.works, Path(scratch))
        label = str(args.root) if args.root else f"synthetic ({args.works:,} works)"
        result = measure(root, label, change=not args.root)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "library.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (args.out / "library.md").write_text(table(result), encoding="utf-8")
    met = verdicts(result)
    log(f"targets: {', '.join(k for k, ok in met.items() if ok)} met; written {args.out / 'library.md'}")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
