"""The machine a benchmark ran on: figures mean little without it.

Includes the load average, because this project's machines are shared: a loaded
machine explains a slow run better than any code change.
"""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LIBRARIES = ("lxml", "weasyprint", "EbookLib", "pydyf", "fonttools", "dask", "distributed", "matplotlib")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def command_output(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def describe() -> dict[str, object]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    pandoc = command_output("pandoc", "--version").splitlines()
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(memory_gb() or 0, 1),
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "libraries": versions,
        "pandoc": pandoc[0] if pandoc else "absent",
        "git": f"{command_output('git', 'rev-parse', '--abbrev-ref', 'HEAD')} @ {command_output('git', 'rev-parse', '--short', 'HEAD')}"
        + (
            " (with uncommitted changes)"
            if command_output("git", "status", "--porcelain", "--untracked-files=no")
            else ""
        ),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
