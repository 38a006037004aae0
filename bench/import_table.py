"""Write the triage table of an `import --report` JSON as Markdown (for `make archive-import`)."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path


def table(report: dict, command: str) -> str:
    s = report["summary"]
    w = s["works"]
    pages = s["pages"]
    rows = [
        "# `import` over the whole shared archive",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} "
        f"({os.cpu_count()} CPUs): **{pages} pages in {report['seconds']:.1f} s** "
        f"({pages / max(report['seconds'], 1e-9):.0f} pages/s), reading and writing every work.",
        "",
        f"Command: `{command}`",
        "",
        "| verdict | reason | pages |",
        "| --- | --- | ---: |",
        f"| work | single-page work | {w['single']} |",
        f"| work | index of a multi-part work | {w['multi-part']} |",
        f"| part | chapter of a multi-part work | {s['parts']} |",
    ]
    rows += [f"| not a work | {reason} | {n} |" for reason, n in s["not_works"].items()]
    rows += [f"| unreadable | {reason} | {n} |" for reason, n in s["unreadable"].items()]
    total = w["single"] + w["multi-part"] + s["parts"] + sum(s["not_works"].values()) + sum(s["unreadable"].values())
    rows += [f"| **all** | | **{total}** |", ""]
    rows += [
        f"Works: {w['single'] + w['multi-part']} ({w['single']} single-page, {w['multi-part']} multi-part); "
        f"{w['incomplete']} incomplete (parts the copy lacks, named in their manifests); "
        f"{w['orphan-parts']} chapters whose index the copy lacks, imported as works of their own.",
        "",
        "Written: " + ", ".join(f"{n} {k}" for k, n in s["written"].items()) + ".",
        "",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    report_path, out, command = sys.argv[1], sys.argv[2], sys.argv[3]
    Path(out).write_text(table(json.loads(Path(report_path).read_text()), command), encoding="utf-8")
    print(f"wrote {out}")
