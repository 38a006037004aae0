"""The figures of `make archive` (:mod:`bench.archive`) from the build's ``--report`` JSON, as Markdown."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from lxml import etree

from bench.report import STAGES

MIA_DOCUMENTS = 180_000  # the MIA's own count of its documents (issue 13)
CLUSTER_SIZES = (1, 4, 16, 64)
CLUSTER_EFFICIENCY = 0.9  # assumed share of linear speed-up a Dask cluster keeps (see the notes under the table)
CLIENT_MB_S = 110.0  # the client's network (1 Gbit/s): every source and output passes through it
TEI = "{http://www.tei-c.org/ns/1.0}"
READ_FAILURES = (
    Path(__file__).resolve().parent / "results" / "ARCHIVE-failures.md"
)  # each failure, as reading it showed


def master_words(path: Path) -> int:
    """Words of a master's text (whitespace-separated, notes included): the work's size."""
    try:
        text = etree.parse(str(path)).find(f"{TEI}text")
    except (OSError, etree.XMLSyntaxError):
        return 0
    return len(" ".join(text.itertext()).split()) if text is not None else 0


def reason(result: dict[str, Any]) -> str:
    """A failure's kind: the stage it stopped at and the first words of its one-line message.

    Paths, line numbers, quoted names and numbers are dropped, so that the same kind of
    failure in two works counts once.
    """
    message = (result.get("message") or "").strip().splitlines()[0] if result.get("message") else "(no message)"
    message = re.sub(r"\s*\(\d+ (problem|difference)\(s\)[^)]*\)\s*$", "", message)
    message = re.sub(r"^\S+?:(\d+:)?(\d+:)?\s+", "", message)  # "path:line:col: " or "slug: "
    message = re.sub(r"^(error|verify):\s+", "", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”", "…", message)
    message = re.sub(r"\b\d+\b", "N", message)
    ran = result.get("stages", {})
    if "internal error" in message:
        stage = "internal error"
    elif "validate" not in ran:
        stage = "ingest refused"
    elif not ({"epub", "pdf", "txt"} & set(ran)):
        stage = "validate rejected (an ingest bug)"
    else:
        stage = [s for s in STAGES if s in ran][-1]
    first = " ".join(message.split()[:8]).replace("`", "'")
    return f"{stage}: `{first}`"


def phase(report: dict[str, Any], root: Path) -> dict[str, Any]:
    """One build's figures: outcomes, stage times and words, memory per worker, failures."""
    works = [w for w in report["works"] if w["status"] != "up-to-date"]
    words = {w["slug"]: master_words(root / "editions" / w["slug"] / f"{w['slug']}.tei.xml") for w in works}
    stages: dict[str, dict[str, float]] = {}
    for w in works:
        for stage, seconds in w["stages"].items():
            entry = stages.setdefault(stage, {"works": 0, "words": 0, "seconds": 0.0})
            entry["works"] += 1
            entry["words"] += words[w["slug"]]
            entry["seconds"] += seconds
    peaks: dict[str, float] = {}
    for w in works:
        if w["worker"]:
            peaks[w["worker"]] = max(peaks.get(w["worker"], 0.0), w["peak_rss_mb"])
    done = [w for w in works if w["status"] in ("built", "skipped-editions")]
    out_bytes = sum(f.stat().st_size for w in done for f in (root / "editions" / w["slug"]).glob(f"{w['slug']}.*"))
    failed = [w for w in works if w["status"] == "failed"]
    verified = [w for w in works if "verify" in w["stages"]]
    return {
        # verify's part of the build of the works it ran on: its seconds over all their stages' seconds
        "verify_share": sum(w["stages"]["verify"] for w in verified) / sum(sum(w["stages"].values()) for w in verified)
        if verified
        else 0.0,
        "wall": report["seconds"],
        "works": len(works),
        "status": dict(Counter(w["status"] for w in works)),
        "words_done": sum(words[w["slug"]] for w in done),
        "stages": {s: stages[s] for s in STAGES if s in stages},
        "peak_mb_per_worker": peaks,
        "cpu_seconds": sum(w["cpu_seconds"] for w in works),
        "output_bytes": out_bytes,
        "reasons": Counter(reason(w) for w in failed).most_common(),
        "internal_errors": sum(1 for w in failed if "internal error" in (w.get("message") or "")),
    }


def rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.1f}" if seconds > 0 else "n/a"


def hours(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds / 3600:,.1f} h" if seconds >= 3600 else f"{seconds / 60:,.0f} min"


def failures(p: dict[str, Any], title: str) -> list[str]:
    rows = [
        "",
        f"{title} ({sum(n for _, n in p['reasons'])}), by kind, top 15:",
        "",
        "| kind: first words of the one-line error | works |",
        "| --- | ---: |",
    ]
    rows += [f"| {r.replace('|', '/')} | {n} |" for r, n in p["reasons"][:15]]
    if len(p["reasons"]) > 15:
        rows.append(f"| ({len(p['reasons']) - 15} other kinds) | {sum(n for _, n in p['reasons'][15:])} |")
    return rows


def estimate(f: dict[str, Any]) -> list[str]:
    """The whole MIA's build, scaled by pages from this run (see the assumptions printed)."""
    imp, mas, edi = f["import"], f["masters"], f["editions"]
    pages, works = imp["pages"], f["works_imported"]
    scale = MIA_DOCUMENTS / pages
    t_import = imp["import_seconds"]
    t_masters = mas["wall"] * works / max(mas["works"], 1)
    done = edi["status"].get("built", 0) + edi["status"].get("skipped-editions", 0)
    t_editions = edi["wall"] * works / max(done or edi["works"], 1)  # as if every work built: see below
    per_master = mas["words_done"] / max(mas["status"].get("built", 0), 1)  # words of a master written
    words = per_master * works * scale
    out_gb = edi["output_bytes"] / max(done or edi["works"], 1) * works * scale / 1e9
    floor = out_gb * 1000 / CLIENT_MB_S
    rows = [
        "",
        "## The whole MIA: an estimate",
        "",
        f"Scaled by pages: the MIA's about {MIA_DOCUMENTS:,} documents are taken as {MIA_DOCUMENTS:,} pages like this "
        f"copy's {pages:,} (x{scale:.1f}): {works * scale:,.0f} works, about {words / 1e6:,.0f} million words "
        f"({per_master:,.0f} words per master written here, times all works), "
        f"{out_gb:,.0f} GB of editions. Every work's master, and every work's editions: the editions' wall time "
        f"per work done in the sample ({done} of {edi['works']}; failed works cost little) times all works, "
        "as if the readers built every work (an upper bound for today's readers).",
        "",
        "| Machines (2 cores each) | import | masters | editions | all |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in CLUSTER_SIZES:
        speed = 1 if n == 1 else n * CLUSTER_EFFICIENCY
        parts = [scale * t / speed for t in (t_import, t_masters, t_editions)]
        total = max(sum(parts), floor if n > 1 else 0)
        rows.append(
            f"| {n} | {hours(parts[0])} | {hours(parts[1])} | {hours(parts[2])} | **{hours(total)}**"
            + (" (network floor)" if n > 1 and floor > sum(parts) else "")
            + " |"
        )
    rows += [
        "",
        "Assumptions: the shared copy's pages are like the MIA's in size and kind (it was drawn from the "
        "site; the MIA's long books may be over- or under-represented); time grows linearly with pages "
        "(a work's cost grows with its words, and the stages run work by work with no global step but "
        "the plan, which is a few stats per work); one machine is this one, with `--jobs 2`. A cluster runs "
        "`import --scheduler` and `build --scheduler` on N machines like this one, at "
        f"{CLUSTER_EFFICIENCY:.0%} of linear speed-up (Dask's per-task overhead is milliseconds against tasks of "
        "tens of milliseconds to seconds; the loss is the last works' tail and the client's planning), and "
        f"is never faster than the client's network: every source and every edition passes through the "
        f"client (1 Gbit/s, about {CLIENT_MB_S:.0f} MB/s: {hours(floor)} for the editions alone).",
    ]
    return rows


def library(cat: dict[str, Any] | None) -> list[str]:
    """The library of every built work: how long ``catalog`` took, and the mirror's check."""
    if not cat:
        return []
    return [
        "",
        "## The library of every built work",
        "",
        f"`python -m pipeline catalog` over the scratch project after both builds: **{cat['seconds']:.1f} s** "
        f"(exit {cat['status']}), {cat['published']:,} works published, {cat['files']:,} files in SHA256SUMS; "
        f"its summary line: `{cat['summary']}`.",
        "",
        f"`cd editions/site && sha256sum --check --strict --quiet SHA256SUMS`: "
        f"**{'passes' if cat['sums_ok'] else 'FAILS'}**"
        + (f" ({cat['sums_output']})" if not cat["sums_ok"] else "")
        + ".",
    ]


def markdown(f: dict[str, Any]) -> str:
    m, imp, mas, edi = f["machine"], f["import"], f["masters"], f["editions"]
    subset = f"the paths {', '.join(f['paths'])} of the shared archive" if f["paths"] else "the whole shared archive"
    lines = [
        "# `make archive`: the shared archive through import, masters and editions",
        "",
        f"Command: `{f['command']}` ({f['elapsed'] / 60:.1f} min in all). Seed {f['seed']}; the editions sample is "
        f"`bench/results/{f['sample_file']}`; raw figures in `ARCHIVE.json`, logs in `.archive/`.",
        "",
        f"Run on {subset}: {imp['pages']:,} pages, {f['works_imported']:,} works imported; masters of "
        + (f"a seeded sample of {mas['works']:,} works" if mas["sampled"] else f"all {mas['works']:,} works")
        + f"; editions of a seeded sample of {edi['works']} works.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}; code {m['git']}. "
        f"`--jobs {f['jobs']}`. Load average at start {', '.join(map(str, m['load_average_at_start']))}, at the end "
        f"{', '.join(map(str, f['load_average_at_end']))} (the machine is shared: a load above {f['jobs']} means "
        "other work competed for the cores).",
        "",
        "## Throughput (wall time, the whole phase)",
        "",
        "| Phase | items | wall | per second | words/s | peak memory per worker |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| import | {imp['pages']:,} pages | {imp['import_seconds']:.1f} s | {rate(imp['pages'], imp['import_seconds'])} pages/s | | |",
    ]
    for name, p in (("masters (ingest + validate)", mas), ("editions (ingest ... verify)", edi)):
        ok = p["status"].get("built", 0) + p["status"].get("skipped-editions", 0)
        lines.append(
            f"| {name} | {p['works']:,} works ({ok:,} done) | {p['wall']:.1f} s | {rate(p['works'], p['wall'])} works/s "
            f"| {rate(p['words_done'], p['wall']).split('.')[0]} | "
            + ", ".join(f"{v:.0f} MB" for v in sorted(p["peak_mb_per_worker"].values()))
            + " |"
        )
    lines += [
        "",
        "## Per stage (stage seconds summed over the workers: one core's throughput)",
        "",
        "| Phase | stage | works | words | seconds | works/s | words/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, p in (("masters", mas), ("editions", edi)):
        for stage, e in p["stages"].items():
            lines.append(
                f"| {name} | {stage} | {e['works']:,} | {e['words']:,} | {e['seconds']:.1f} | "
                f"{rate(e['works'], e['seconds'])} | {rate(e['words'], e['seconds']).split('.')[0]} |"
            )
    if edi.get("verify_share"):
        lines += [
            "",
            f"Verify's share of the build time of the works it verified (its stage seconds over all their stages' "
            f"seconds, ingest to verify): **{100 * edi['verify_share']:.1f} %** (the limit is 20 %).",
        ]
    lines += [
        "",
        "Words: of the work's TEI master text (whitespace-separated); a work that stopped at a stage "
        "counts in the stages it completed. Peak memory: each worker process's peak resident set (forked from the "
        "build, so it includes the parent's imports).",
    ]
    lines += [
        "",
        "## Masters",
        "",
        f"Masters written and valid: **{mas['status'].get('built', 0):,}** of {mas['works']:,} "
        f"({100 * mas['status'].get('built', 0) / max(mas['works'], 1):.1f}%). Internal errors: "
        f"**{mas['internal_errors']}**. Tracebacks printed: **{mas['tracebacks']}** (import: {imp['tracebacks']}).",
    ]
    lines += failures(mas, "Not written or not valid")
    built, skipped = edi["status"].get("built", 0), edi["status"].get("skipped-editions", 0)
    lines += [
        "",
        "## Editions of the sample",
        "",
        f"Built (EPUB, PDF, TXT, verified): **{built}**; without editions because the licence does not allow "
        f"distribution: {skipped}; failed: {edi['status'].get('failed', 0)} of {edi['works']}. Internal errors: "
        f"**{edi['internal_errors']}**. Tracebacks printed: **{edi['tracebacks']}**.",
    ]
    lines += failures(edi, "Failed")
    if READ_FAILURES.is_file():  # the failures read by hand: kept beside the figures, not generated
        lines += ["", READ_FAILURES.read_text(encoding="utf-8").rstrip()]
    lines += library(f.get("catalog"))
    lines += estimate(f)
    return "\n".join(lines) + "\n"
