"""``make bench``: how fast the pipeline is, per stage and for a whole corpus.

1. Per stage and size (1,000 to 100,000 words): wall time and peak memory of ingest,
   validate, EPUB, PDF, TXT and verify in one warm process per size, beside the
   floors measured on the same text in the same run (pandoc markdown->EPUB3,
   WeasyPrint's bare ``write_pdf`` of the PDF writer's HTML): see ``bench/stages.py``.
2. A synthetic corpus (200 works, about 2 million words) built with
   ``python -m pipeline build``: ``--jobs 1`` (the sum of the stages' single-process
   times), then ``--jobs 2`` (wall time, throughput, peak memory per worker), a no-op
   rebuild, a rebuild after one source changed.
3. ``python -m pipeline --help``'s answer time.

Results: ``bench/results/RESULTS.md`` (tables, the targets met or missed, the machine),
``results.json`` and ``stages.png``. ``--quick`` runs a small version in a minute or
two and writes under ``bench/results/tmp/quick/`` instead. Stages whose module is not
on this branch yet are skipped and said so.

Run from the project root: ``python bench/run.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:  # run as a script (make bench): make `bench` and `pipeline` importable
    sys.path.insert(0, str(PROJECT))

from bench import machine, report  # noqa: E402
from bench.corpus import generate, generate_corpus, reregister  # noqa: E402

RESULTS = PROJECT / "bench" / "results"
SDE = "1700000000"  # fixed dates: every run builds the same bytes
ENV = {**os.environ, "PYTHONPATH": str(PROJECT), "SOURCE_DATE_EPOCH": SDE}
SIZES = (1_000, 6_000, 25_000, 100_000)
QUICK_SIZES = (1_000, 6_000)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def stages_available() -> dict[str, bool]:
    """Every stage is part of the pipeline now; kept so older reports' shape holds."""
    return {stage: True for stage in report.STAGES}


def repeats_for(words: int, quick: bool) -> int:
    if quick:
        return 1
    return 3 if words <= 6_000 else 2 if words <= 25_000 else 1


# -- 1. per stage and size ----------------------------------------------------------------
def measure_sizes(work: Path, sizes: tuple[int, ...], quick: bool) -> list[dict[str, Any]]:
    root = work / "sizes"
    warm = generate(root, [1_000], seed=99, start=90_000)[0]
    out = []
    for i, words in enumerate(sizes):
        target = generate(root, [words], seed=1000 + i, start=i)[0]
        log(f"stages on {target.words:,} words ({target.slug})")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.stages",
                str(root),
                target.slug,
                warm.slug,
                "--repeat",
                str(repeats_for(words, quick)),
            ],
            cwd=PROJECT,
            env=ENV,
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            raise SystemExit(f"bench.stages failed on {target.slug}:\n{proc.stderr}")
        entry = json.loads(proc.stdout)
        entry.update(words=target.words, words_target=words)
        out.append(entry)
    return out


# -- 2. the whole corpus ------------------------------------------------------------------
def build(root: Path, *args: str) -> tuple[float, dict[str, Any] | None, str]:
    """Run ``python -m pipeline build`` as a user would; wall time, its JSON report, stderr."""
    report_file = root / "build-report.json"
    report_file.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "-q", "--report", str(report_file), *args],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1) or not report_file.exists():  # 1: some works failed, reported below
        raise SystemExit(f"pipeline build {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    if proc.returncode:
        log("some works failed: " + " | ".join(proc.stderr.strip().splitlines()[:3])[:400])
    data = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else None
    return wall, data, proc.stderr


def failures(data: dict[str, Any]) -> list[str]:
    return [w["message"] for w in data["works"] if w["status"] == "failed"]


def peak_per_worker(data: dict[str, Any]) -> dict[str, float]:
    peaks: dict[str, float] = {}
    for w in data["works"]:
        if w["worker"]:
            peaks[w["worker"]] = max(peaks.get(w["worker"], 0.0), w["peak_rss_mb"])
    return peaks


def stage_sums(data: dict[str, Any], slugs: set[str] | None = None) -> dict[str, float]:
    sums: dict[str, float] = {}
    for w in data["works"]:
        if slugs is None or w["slug"] in slugs:
            for stage, secs in w["stages"].items():
                sums[stage] = sums.get(stage, 0.0) + secs
    return sums


def measure_corpus(
    work: Path, n_works: int, jobs: int, mean: int, serial_share: float, extra: list[str]
) -> dict[str, Any]:
    """The whole-corpus figures. The single-process stage times the scaling target needs
    come from a ``--jobs 1`` build of a sample of the works (all of them when
    ``serial_share`` is 1), scaled to the corpus by the sample's share of the stage time
    in the ``--jobs N`` run: a full serial build would double the benchmark's length."""
    root = work / "corpus"
    log(f"generating {n_works} works")
    works = generate_corpus(root, n_works, mean=mean)
    time.sleep(2.1)  # let the files age past the build's "racy" window, as real sources have
    result: dict[str, Any] = {
        "works": len(works),
        "words": sum(w.words for w in works),
        "bytes": sum(p.stat().st_size for w in works for p in w.path.iterdir()),
    }
    log(f"corpus build, --jobs {jobs}")
    wall, data, _ = build(root, "--jobs", str(jobs), *extra)
    parallel_sums = stage_sums(data)
    result["parallel"] = {
        "jobs": jobs,
        "wall": wall,
        "inside": data["seconds"],
        "per_stage": parallel_sums,
        "work_seconds": sum(w["seconds"] for w in data["works"]),
        "cpu_seconds": sum(w["cpu_seconds"] for w in data["works"]),
        "stage_sum": sum(parallel_sums.values()),
        "peak_mb_per_worker": peak_per_worker(data),
        "failed": failures(data),
    }
    parallel_data = data
    log("no-op rebuilds")
    runs = []
    for _ in range(3):
        wall, data, err = build(root, "--jobs", str(jobs), *extra)
        if any(w["status"] not in ("up-to-date", "failed") for w in data["works"]):
            raise SystemExit(f"the no-op rebuild rebuilt something:\n{err}")
        runs.append(wall)
    result["noop"] = {"best": min(runs), "runs": runs, "failed_retried": len(failures(data))}
    log("one source changed")
    changed = random.Random(5).choice(works)
    text_file = next(changed.path.glob("*.txt"))
    text = text_file.read_text(encoding="utf-8")
    text_file.write_text(text.replace(" the ", " that ", 1), encoding="utf-8")  # a maintainer's correction
    reregister(changed.path)
    wall, data, _ = build(root, "--jobs", str(jobs), *extra)
    result["one_changed"] = {
        "slug": changed.slug,
        "wall": wall,
        "built": sorted(w["slug"] for w in data["works"] if w["status"] not in ("up-to-date", "failed")),
        "failed": failures(data),
    }
    if serial_share > 0:
        ordered = sorted(w.slug for w in works)
        sample = (
            ordered
            if serial_share >= 1
            else random.Random(6).sample(ordered, max(1, round(len(ordered) * serial_share)))
        )
        log(f"--jobs 1 build of {len(sample)} works")
        wall, data, _ = build(root, "--jobs", "1", "--force", *extra, *sample)
        serial_sums = stage_sums(data)
        sample_in_parallel = sum(stage_sums(parallel_data, set(sample)).values())
        scale = result["parallel"]["stage_sum"] / sample_in_parallel if sample_in_parallel else 1.0
        result["serial"] = {
            "works": len(sample),
            "wall": wall,
            "per_stage": serial_sums,
            "cpu_seconds": sum(w["cpu_seconds"] for w in data["works"]),
            "sample_cpu_in_parallel": sum(w["cpu_seconds"] for w in parallel_data["works"] if w["slug"] in set(sample)),
            "sample_stage_sum": sum(serial_sums.values()),
            "sample_stage_sum_in_parallel": sample_in_parallel,
            "stage_sum": sum(serial_sums.values()) * scale,
            "peak_mb_per_worker": peak_per_worker(data),
            "failed": failures(data),
        }
    return result


# -- 3. --help --------------------------------------------------------------------------
def measure_help(runs: int = 7) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pipeline", "--help"], cwd=PROJECT, env=ENV, capture_output=True, check=True
        )
        times.append(time.perf_counter() - start)
    return {"best": min(times), "runs": times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus and two sizes: a minute or two")
    parser.add_argument("--works", type=int, help="works in the corpus (default 200; --quick 20)")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the corpus build (default 2)")
    parser.add_argument(
        "--serial-share",
        type=float,
        help="share of the corpus also built with --jobs 1, for the "
        "single-process stage times (default 0.25; --quick 1; 0 skips it)",
    )
    parser.add_argument("--no-verify", action="store_true", help="build without the fidelity check (if it is broken)")
    parser.add_argument(
        "--sizes", type=lambda s: tuple(int(x) for x in s.split(",")), help="comma-separated word counts"
    )
    parser.add_argument(
        "--out", type=Path, help="results folder (default bench/results, --quick bench/results/tmp/quick)"
    )
    args = parser.parse_args(argv)
    out = args.out or (RESULTS / "tmp" / "quick" if args.quick else RESULTS)
    work = RESULTS / "tmp" / ("quick-work" if args.quick else "work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    results: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "machine": machine.describe(),
        "stages_available": stages_available(),
    }
    missing = [s for s, ok in results["stages_available"].items() if not ok]
    if missing:
        log(f"not on this branch yet, skipped: {', '.join(missing)}")
    results["sizes"] = measure_sizes(work, args.sizes or (QUICK_SIZES if args.quick else SIZES), args.quick)
    share = args.serial_share if args.serial_share is not None else (1.0 if args.quick else 0.25)
    results["corpus"] = measure_corpus(
        work,
        args.works or (20 if args.quick else 200),
        args.jobs,
        4_000 if args.quick else 10_000,
        share,
        ["--no-verify"] if args.no_verify else [],
    )
    results["help"] = measure_help()
    results["elapsed"] = time.perf_counter() - start
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["verify_skipped"] = args.no_verify
    results["finished"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    plotted = report.plot(results, out / "stages.png")
    text = report.markdown(results, "stages.png" if plotted else None)
    (out / "RESULTS.md").write_text(text, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    log(f"done in {results['elapsed']:.0f} s: {out / 'RESULTS.md'}")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
