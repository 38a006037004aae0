"""``python -m pipeline build [WORK...] [--jobs N]``: every work of sources/, incrementally, in parallel.

The work is done by :mod:`pipeline.builder.build`; this module turns the options into
:class:`~pipeline.builder.build.BuildOptions`. The exit status is 1 if any work failed, in this
build or (unchanged since, so not tried again) in an earlier one.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from pipeline.commands import bounded
from pipeline.errors import PipelineError

# The defaults of pipeline.builder.pool (WORK_SECONDS, WORK_MEMORY_MB), not imported: a
# command module imports nothing heavy before its command runs.
WORK_TIME_DEFAULT, WORK_MEMORY_DEFAULT = 900.0, 3072


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name, help="build every work in sources/ (or the named ones), incrementally"
    )
    s.add_argument("works", nargs="*", metavar="WORK", help="slugs (default: every folder of sources/)")
    s.add_argument(
        "-j",
        "--jobs",
        type=bounded(int, 1, 1024),
        default=None,
        help="parallel workers, 1 to 1024 (default: CPU count; make: 2 or -jN)",
    )
    s.add_argument(
        "--work-time",
        type=bounded(float, 0, 7 * 86400, low_open=True),
        default=WORK_TIME_DEFAULT,
        metavar="SECONDS",
        help=f"stop a work (it fails, the build goes on) after this many seconds (default {WORK_TIME_DEFAULT:g})",
    )
    s.add_argument(
        "--work-memory",
        type=bounded(int, 256, 1024 * 1024),
        default=WORK_MEMORY_DEFAULT,
        metavar="MB",
        help=f"a worker's memory (address space) for one work, at least 256 (default {WORK_MEMORY_DEFAULT})",
    )
    s.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    s.add_argument(
        "--retry-failed",
        action="store_true",
        help="try again the works that failed with the same sources and code (by default such a "
        "work is reported failed again, with the date and reason, without a rebuild)",
    )
    s.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the tasks on a Dask distributed cluster")
    s.add_argument("--no-verify", action="store_true", help="skip the fidelity check after building")
    s.add_argument(
        "--masters-only",
        action="store_true",
        help="ingest and validate only: write each work's TEI master, no editions (a work so built "
        "is rebuilt in full by the next plain build)",
    )
    s.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")
    s.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="also a line per work built, and every work without editions or failed by name "
        "(by default they are counted by reason, the failures named up to 10)",
    )
    s.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="also write a JSON report: per work its status, seconds per stage, worker and peak memory",
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.builder.build import BuildOptions, build, discover, write_report
    from pipeline.paths import project_root

    root = project_root()
    slugs = discover(root, args.works)
    jobs = args.jobs or os.cpu_count() or 1
    if jobs < 1:
        raise PipelineError(f"--jobs must be at least 1, not {jobs}")
    options = BuildOptions(
        jobs=jobs,
        force=args.force,
        retry_failed=args.retry_failed,
        verify=not args.no_verify,
        masters_only=args.masters_only,
        scheduler=args.scheduler,
        quiet=args.quiet,
        work_seconds=args.work_time,
        work_memory_mb=args.work_memory,
        verbose=args.verbose,
    )
    results, seconds = build(root, slugs, options)
    if args.report:
        write_report(args.report, results, seconds, options)
    return 1 if any(r.status == "failed" for r in results) else 0
