"""The build's output for people (issue 24): counted where it would repeat, failures last,
an estimate of the time left that never climbs, and a no-op ``make`` of a few lines.

The summary is checked on results as the build makes them (a hundred works withheld for
their licence and a few failures, the shape of an author imported from the MIA, most of
whose pages state no licence); the no-op ``make`` runs the Makefile's own ``build`` target
in a copy of the built test project.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.builder.results import MAX_NAMED, WorkResult, summary
from pipeline.progress import Progress
from tests.conftest import PROJECT

NO_LICENCE = "no editions: the source states no licence (rule: no licence statement, no recorded permission)"
NOT_FREE = "no editions: licence not free (In Copyright): Copyright: the publisher, {n}. (rule: a copyright notice)"


def author_import(withheld: int, not_free: int, failed: int, built: int) -> list[WorkResult]:
    results = [WorkResult(f"nolicence-{n:03d}", "skipped-editions", NO_LICENCE, worker="h:1") for n in range(withheld)]
    results += [
        WorkResult(f"copyright-{n:03d}", "skipped-editions", NOT_FREE.format(n=n), worker="h:2")
        for n in range(not_free)
    ]
    results += [WorkResult(f"broken-{n:03d}", "failed", f"broken-{n:03d}: verify: a word lost") for n in range(failed)]
    results += [WorkResult(f"fine-{n:03d}", "built", seconds=1.0, worker=f"h:{n % 2 + 1}") for n in range(built)]
    return results


def test_a_mostly_unlicensed_author_is_counted_by_reason_failures_last() -> None:
    results = author_import(withheld=94, not_free=3, failed=2, built=12)
    lines = summary(results, 88.0).splitlines()
    assert len(lines) <= 15, lines
    assert lines[0].startswith("111 work(s) in 88.0s: 12 built, 0 up to date, 97 without editions (licence), 2 failed")
    assert lines[0].endswith("(2 workers)")
    assert "94 works: the source states no licence: masters only, no editions; see editions/site/withheld.html" in lines
    assert (
        "3 works: licence not free (In Copyright): masters only, no editions; see editions/site/withheld.html" in lines
    )
    assert [line.split(":")[0] for line in lines[-2:]] == ["broken-000", "broken-001"]  # the failures last
    for result in results:  # each work at most once
        assert sum(result.slug in line for line in lines) <= 1, result.slug


def test_many_failures_are_capped_and_verbose_lists_everything() -> None:
    results = author_import(withheld=20, not_free=0, failed=MAX_NAMED + 5, built=0)
    lines = summary(results, 10.0).splitlines()
    assert len(lines) <= 15 and lines[-1] == "... and 5 more failed works (`--verbose` names them all)"
    verbose = summary(results, 10.0, verbose=True).splitlines()
    assert len(verbose) == 1 + 20 + MAX_NAMED + 5
    assert all(sum(r.slug + ":" in line for line in verbose) == 1 for r in results)


def test_throughput_says_seconds_per_work_when_slow() -> None:
    results = author_import(withheld=0, not_free=0, failed=0, built=8)
    assert "; 11.0 s per work, peak memory per worker 0 MB (2 workers)" in summary(results, 88.0)
    assert "; 2.0 works/s" in summary(results, 4.0)


def test_the_time_left_never_climbs_while_work_is_done() -> None:
    """Works of very different sizes finishing at random times, with redraws in between: the
    estimate shown only falls (the rate-so-far estimate alone rose between completions)."""
    rng = random.Random(24)
    sizes = [rng.choice([1, 1, 2, 5, 40]) for _ in range(30)]
    progress = Progress(len(sizes), float(sum(sizes)), stream=io.StringIO(), tty=False)
    progress.start = 0.0
    now, shown = 0.0, []
    for size in sizes:
        for _ in range(3):  # the clock moves on while the work is built
            now += size * rng.uniform(0.3, 3.0) / 3
            eta = progress.eta(now)
            if eta is not None:
                shown.append(eta)
        progress.done += 1
        progress.weight_done += size
        eta = progress.eta(now)
        assert eta is not None
        shown.append(eta)
    assert all(later <= earlier + 1e-9 for earlier, later in zip(shown, shown[1:])), shown
    assert progress.status(now).endswith("finishing")


def test_the_status_line_says_almost_done_rather_than_zero() -> None:
    progress = Progress(2, 2.0, stream=io.StringIO(), tty=True)
    progress.start = 0.0
    progress.done, progress.weight_done = 1, 1.0
    assert progress.status(10.0).endswith("~10s left")
    assert progress.status(30.0).endswith("almost done")


def make_build(root: Path) -> subprocess.CompletedProcess:
    """The Makefile's ``build`` target in ``root``, with this environment's Python (``-o setup``:
    the set-up is this checkout's)."""
    return subprocess.run(
        ["make", "-s", "-f", str(PROJECT / "Makefile"), "-o", "setup", "build", f"PY={sys.executable}"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # in the order a user sees them
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT), "HOME": str(root)},
    )


def test_a_no_op_make_prints_at_most_five_lines(built: Path, tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    first = make_build(root)
    assert first.returncode == 0, first.stdout
    again = make_build(root)
    assert again.returncode == 0, again.stdout
    lines = again.stdout.splitlines()
    assert len(lines) <= 5, lines
    assert lines[-1].startswith("the library: editions/site/index.html; serve it with: ")
    assert any(" up to date, " in line for line in lines) and any(line.startswith("catalog: ") for line in lines)
