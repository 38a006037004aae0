"""How long validating a master takes in a running process (a benchmark of validation).

The schemas are compiled once per process, so the figure that matters for a build
worker is a warm run. ``large_master`` makes a valid master of any size from a real one
(its body paragraphs and notes repeated, with fresh note ids), so the benchmark needs
no large source::

    python -m bench.validation editions/trotsky-1923-faction/trotsky-1923-faction.tei.xml --size 1000000

prints the size, the cold time (compiling the schemas included) and the best and
median of the warm runs. From code: ``time_validation(path, repeat=5)``.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

from pipeline.master.tei import NS, X, parse_file
from pipeline.validation.master import check_master


def large_master(master: Path, size: int) -> bytes:
    """A valid master of at least ``size`` bytes: ``master``'s body paragraphs (with
    their note references) and notes copied over and over, each copy's notes renamed."""
    tree = parse_file(master)
    root = tree.getroot()
    body_div = root.xpath("//tei:body/tei:div[tei:p][1]", namespaces=NS)[0]
    notes_div = root.xpath("//tei:back/tei:div[@type='notes']", namespaces=NS)
    paras = body_div.xpath("tei:p", namespaces=NS)
    notes = notes_div[0].xpath("tei:note", namespaces=NS) if notes_div else []
    closer = body_div.xpath("tei:closer", namespaces=NS)
    anchor = closer[0] if closer else None
    n = 0
    while len(etree.tostring(tree, xml_declaration=True, encoding="UTF-8")) < size:
        n += 1
        for p in paras:
            clone = copy.deepcopy(p)
            for ref in clone.xpath(".//tei:ref[@type='noteref']", namespaces=NS):
                ref.set("target", f"{ref.get('target')}-copy{n}")
            if anchor is not None:
                anchor.addprevious(clone)
            else:
                body_div.append(clone)
        for note in notes:
            clone = copy.deepcopy(note)
            clone.set(X("id"), f"{note.get(X('id'))}-copy{n}")
            notes_div[0].append(clone)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"


def time_validation(path: Path, repeat: int = 5) -> dict[str, float]:
    """Seconds to validate ``path``: the first run in this process, then warm runs."""
    start = time.perf_counter()
    problems = check_master(path)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(repeat):
        start = time.perf_counter()
        check_master(path)
        warm.append(time.perf_counter() - start)
    return {
        "bytes": Path(path).stat().st_size,
        "problems": len(problems),
        "cold_s": cold,
        "warm_best_s": min(warm) if warm else cold,
        "warm_median_s": statistics.median(warm) if warm else cold,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.validation", description=__doc__.split("\n\n")[0])
    p.add_argument("master", type=Path)
    p.add_argument("--size", type=int, default=0, help="first grow the master to this many bytes (a temporary copy)")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    path = args.master
    with tempfile.TemporaryDirectory() as tmp:
        if args.size:
            path = Path(tmp) / "large.tei.xml"
            path.write_bytes(large_master(args.master, args.size))
        result = time_validation(path, args.repeat)
    print(
        f"{result['bytes']} bytes, {result['problems']} problem(s): cold {result['cold_s']:.3f} s, "
        f"warm best {result['warm_best_s']:.3f} s, median {result['warm_median_s']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
