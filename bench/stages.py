"""Per-stage wall time and peak memory for one work, in one warm process, beside the floors.

Run by ``bench/run.py`` as ``python -m bench.stages ROOT SLUG WARMUP_SLUG --repeat R``
(one fresh process per size, so one size's memory never inflates another's) and prints
one JSON object. The process first runs every stage on a small work ("warm": imports,
font loading and caches paid once, as in a build's worker), then times each stage
``R`` times on the measured work and keeps the fastest run.

Peak memory per stage: Linux lets a process reset its own peak resident set size
(writing 5 to ``/proc/self/clear_refs``), so ``VmHWM`` read after a stage is that
stage's peak: the warm process's resident baseline plus what the stage added.

The floors, on the same text:
- pandoc (``-f markdown -t epub3``) on markdown written from the same document model
  the text reader produced: title, author, headings, paragraphs, footnotes;
- WeasyPrint's bare ``HTML(...).write_pdf()`` of the very HTML (and stylesheets and
  fonts) the PDF writer renders, captured while it runs, without the writer's extras
  (PDF/A variant, metadata, attachments). Before the PDF writer exists, the shared
  XHTML transform's output with footnotes stands in, without a stylesheet.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.builder import stages as build
from pipeline.formats import FORMATS
from pipeline.paths import edition_path, master_path, sources_dir
from pipeline.writers.write import WRITERS

MB = 1024 * 1024


# -- memory -----------------------------------------------------------------------------
def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(func: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Fastest of ``repeat`` runs (wall and CPU time), and the peak resident memory.

    CPU time is kept beside wall time because the machines are shared: when another
    job steals the cores, wall time grows and CPU time does not.
    """
    runs = []
    reset_peak()
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        func()
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, cpu = min(runs)
    return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": status_mb("VmHWM"), "runs": len(runs)}


def run_child(cmd: list[str], repeat: int) -> dict[str, float]:
    """A program's fastest wall time, its CPU time and its own peak memory.

    Through GNU ``time``: a child forked from this (large) process would count this
    process's pages in its own peak until it execs, so ``wait4``'s figure would lie.
    """
    runs, peaks = [], []
    timer = ["/usr/bin/time", "-f", "@@ %M %U %S"] if Path("/usr/bin/time").exists() else []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(timer + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if proc.returncode:
            raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-500:]}")
        found = re.search(r"^@@ (\d+) ([\d.]+) ([\d.]+)$", proc.stderr, re.M)
        cpu = float(found.group(2)) + float(found.group(3)) if found else float("nan")
        runs.append((wall, cpu))
        peaks.append(int(found.group(1)) / 1024 if found else float("nan"))
    wall, cpu = min(runs)
    return {"seconds": wall, "cpu_seconds": cpu, "peak_mb": max(peaks), "runs": len(runs)}


# -- the stages, through the same calls a build makes ------------------------------------
def stage_calls(root: Path, slug: str) -> dict[str, Callable[[], Any] | None]:
    """Each stage as a zero-argument call, or None when its module is not here yet."""
    from pipeline.ingest import ingest

    master = master_path(slug, root)
    calls: dict[str, Callable[[], Any] | None] = {
        "ingest": lambda: ingest(sources_dir(root) / slug, master),
        "validate": lambda: build.validate_master(master),
    }
    for fmt in FORMATS:
        out = edition_path(slug, fmt.name, root)
        calls[fmt.name] = lambda writer=WRITERS[fmt], out=out: writer(master, out)
    calls["verify"] = lambda: build.verify_work(slug, root)
    return calls


def run_stages(root: Path, slug: str, repeat: int) -> dict[str, dict[str, float] | None]:
    return {name: (measure(call, repeat) if call else None) for name, call in stage_calls(root, slug).items()}


# -- floors -----------------------------------------------------------------------------
def markdown_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]#<>|])", r"\\\1", text)


def markdown_of(root: Path, slug: str) -> str:
    """Pandoc markdown from the same document model the text reader gives the master."""
    from pipeline.ingest import read_work
    from pipeline.manifest import load_manifest
    from pipeline.master import model

    work = read_work(load_manifest(sources_dir(root) / slug))

    def inline(items: list) -> str:
        out = []
        for item in items:
            if isinstance(item, str):
                out.append(markdown_escape(item))
            elif isinstance(item, model.NoteRef):
                out.append(f"[^{item.label}]")
            elif hasattr(item, "children"):
                out.append(inline(item.children))
        return "".join(out)

    def blocks(items: list) -> list[str]:
        out = []
        for block in items:
            if isinstance(block, model.Head):
                out.append("## " + inline(block.children))
            elif isinstance(block, model.Para):
                out.append(inline(block.children))
            elif isinstance(block, model.Closer):
                out += [inline(x) for x in (block.signed, block.dateline) if x]
            elif hasattr(block, "blocks"):
                out += blocks(block.blocks)
        return out

    title = inline(work.title)
    lines = [
        "---",
        f"title: {json.dumps(title)}",
        f"author: {json.dumps(work.author)}",
        f"lang: {work.language}",
        "---",
        "",
    ]
    lines += [b + "\n" for b in blocks(work.body)]
    for note in work.notes:
        text = " ".join(blocks(note.blocks))
        lines.append(f"[^{note.label}]: {text}\n")
    return "\n".join(lines)


def pandoc_floor(root: Path, slug: str, repeat: int, scratch: Path) -> dict[str, float] | None:
    md = scratch / f"{slug}.md"
    md.write_text(markdown_of(root, slug), encoding="utf-8")
    try:
        return run_child(
            ["pandoc", "-f", "markdown", "-t", "epub3", "-o", str(scratch / f"{slug}.pandoc.epub"), str(md)], repeat
        )
    except FileNotFoundError:
        return None


class Capture:
    """Records how the PDF writer calls WeasyPrint, to replay the same input bare."""

    def __init__(self) -> None:
        self.init: tuple[tuple, dict] | None = None
        self.render: dict[str, Any] = {}

    def __enter__(self) -> Capture:
        import weasyprint

        self.cls = weasyprint.HTML
        self.orig_init, self.orig_write, self.orig_render = self.cls.__init__, self.cls.write_pdf, self.cls.render
        capture = self

        def init(html, *args, **kwargs):
            capture.init = (args, kwargs)
            return capture.orig_init(html, *args, **kwargs)

        def keep(kwargs: dict) -> None:
            capture.render = {k: v for k, v in kwargs.items() if k in ("stylesheets", "font_config", "counter_style")}

        def write_pdf(html, target=None, *args, **kwargs):
            keep(kwargs)
            return capture.orig_write(html, target, *args, **kwargs)

        def render(html, *args, **kwargs):
            keep(kwargs)
            return capture.orig_render(html, *args, **kwargs)

        self.cls.__init__, self.cls.write_pdf, self.cls.render = init, write_pdf, render
        return self

    def __exit__(self, *exc: object) -> None:
        self.cls.__init__, self.cls.write_pdf, self.cls.render = self.orig_init, self.orig_write, self.orig_render


def weasyprint_floor(root: Path, slug: str, repeat: int) -> tuple[dict[str, float] | None, str]:
    import weasyprint

    from pipeline.writers.pdf import write_pdf

    with Capture() as capture, tempfile.TemporaryDirectory() as tmp:
        write_pdf(master_path(slug, root), Path(tmp) / "capture.pdf")
    if capture.init is not None:
        args, kwargs = capture.init
        return measure(
            lambda: weasyprint.HTML(*args, **kwargs).write_pdf(**capture.render), repeat
        ), "the PDF writer's own HTML, stylesheets and fonts, written bare"
    raise RuntimeError("the PDF writer made no WeasyPrint HTML to measure")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("slug")
    parser.add_argument("warmup_slug")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    baseline_cold = status_mb("VmRSS")
    run_stages(args.root, args.warmup_slug, 1)  # warm: first-use costs paid on another work
    weasyprint_floor(args.root, args.warmup_slug, 1)
    result: dict[str, Any] = {
        "slug": args.slug,
        "rss_after_imports_mb": baseline_cold,
        "rss_warm_mb": status_mb("VmRSS"),
    }
    result["peak_reset"] = reset_peak()
    result["stages"] = run_stages(args.root, args.slug, args.repeat)
    with tempfile.TemporaryDirectory() as scratch:
        result["pandoc_epub"] = pandoc_floor(args.root, args.slug, args.repeat, Path(scratch))
    result["weasyprint_pdf"], result["weasyprint_input"] = weasyprint_floor(args.root, args.slug, args.repeat)
    sizes = {}
    for ext in ("epub", "pdf", "txt"):
        path = edition_path(args.slug, ext, args.root)
        if path.exists():
            sizes[ext] = path.stat().st_size
    result["output_bytes"] = sizes
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
