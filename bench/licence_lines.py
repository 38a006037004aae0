"""Every imported work's licence evidence, read the way the pipeline reads it (issue 23).

For each source folder (``python -m pipeline import SITE --sources DIR`` makes them),
the work is read by its reader with the licence table of a given version of
:mod:`pipeline.licences` (``--table``, a copy of that module: main's, to learn what the
old reader decided), and what the licence decision rests on is written as JSON lines:
every licence call the reader made (label, words, links, the old table's URI or its
error), every information-block line, and the text of the page's footer
(``p.footer``, which the HTML reader drops before the information block is read).
:mod:`bench.licence_reclassification` then classifies the same evidence with the
current table and lists every change of class.

    python bench/licence_lines.py /tmp/lic-src --table /tmp/old_licences.py --out lines.jsonl
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_TABLE: ModuleType | None = None


def load_table(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_licences", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_licences"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def footer_texts(files: list[Path]) -> list[str]:
    """The text of every ``p.footer``/``div.footer`` of the work's HTML files."""
    from lxml import html

    texts = []
    for path in files:
        if path.suffix.lower() not in (".htm", ".html"):
            continue
        try:
            root = html.fromstring(path.read_bytes())
        except Exception:  # noqa: BLE001 - an unreadable page has no footer to report
            continue
        for el in root.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' footer ')]"):
            text = " ".join(el.text_content().split())
            if text:
                texts.append(text)
    return texts


def evidence(folder: str) -> dict[str, Any]:
    """One work's licence calls, information lines and footer text."""
    from pipeline import licences
    from pipeline.ingest import read_work
    from pipeline.manifest import load_manifest

    assert _TABLE is not None
    calls: list[dict[str, Any]] = []

    def recording(label: str, statement: str, links: Any = ()) -> Any:
        call: dict[str, Any] = {"label": label, "statement": statement, "links": list(links)}
        calls.append(call)
        try:
            call["old"] = _TABLE.classify(label, statement, links).uri
        except Exception as exc:  # noqa: BLE001 - the old table's refusal is a result too
            call["old"] = f"error: {exc}"
        return licences.UNDETERMINED

    licences.classify = recording
    licences.is_licence_label = _TABLE.is_licence_label
    out: dict[str, Any] = {"slug": Path(folder).name}
    try:
        manifest = load_manifest(Path(folder))
        out["footer"] = footer_texts([f.path for f in manifest.files])
        work = read_work(manifest)
        out["url"] = work.url
        out["info"] = [{"label": i.label, "value": i.value, "links": i.links} for i in work.info]
    except Exception as exc:  # noqa: BLE001 - a work the reader refuses is reported, not fatal
        out["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    out["calls"] = calls
    return out


def init(table: str) -> None:
    global _TABLE
    _TABLE = load_table(Path(table))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("sources", type=Path)
    p.add_argument("--table", type=Path, required=True, help="the licences.py whose decisions are 'old'")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args(argv)
    folders = sorted(str(d) for d in args.sources.iterdir() if (d / "manifest.json").is_file())
    with (
        ProcessPoolExecutor(args.jobs, initializer=init, initargs=(str(args.table),)) as pool,
        args.out.open("w", encoding="utf-8") as out,
    ):
        for row in pool.map(evidence, folders, chunksize=20):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
