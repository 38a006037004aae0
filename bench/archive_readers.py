"""The readers against the real archive: how many work pages become valid masters.

Over an unpacked copy of the MIA site (``../shared/mia-archive/mia-site.tar.xz``,
unpacked at /tmp/mia by default; only ever read), this makes a throwaway source
folder per work (a single page: its manifest with role ``main``; an ``index.htm`` whose
folder holds chapters it links to: ``index`` plus those ``part`` files), runs
``ingest`` and then ``validate`` (profile and Schematron in-process; tei_all with one
jing run over all masters written, when jing and tei_all.rng are at hand), and
tabulates: work pages, masters written, masters valid, refusals by reason (the first
words of the one-line error), tracebacks.

    python bench/archive_readers.py --sample 300 --seed 14          # a seeded sample
    python bench/archive_readers.py                                  # every work page
    python bench/archive_readers.py --sample 300 --seed 14 --show refused

What a "work page" is lives in one function, :func:`is_work_page`, a crude stand-in
until the import (issue 11) provides the real triage.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.mia import LANGUAGE_FOLDERS  # noqa: E402

DEFAULT_SITE = Path(os.environ.get("MIA_SITE", "/tmp/mia"))
SHARED_TEI_ALL = ROOT.parent / "shared" / "tei" / "tei_all.rng"
if SHARED_TEI_ALL.is_file():  # the worktrees sit beside ../shared, not inside it
    os.environ.setdefault("MIA_TEI_ALL", str(SHARED_TEI_ALL))
INFO_MARK = re.compile(rb"class\s*=\s*[\"']?(?:info|information)\b", re.I)
HREF = re.compile(rb"href\s*=\s*[\"']?([^\"'\s>#]+\.html?)", re.I)
TAGS = re.compile(rb"<[^>]*>")


def is_work_page(rel: str, data: bytes) -> bool:
    """Crude triage: a page under a works folder with an information block and some text.

    Author, subject and year index pages (``archive/<author>/index.htm``, ``subject/``,
    ``admin/``, ``works/<year>/index.htm`` listings) are not works; chapters and
    single-page works are. Swap this function for the import's triage when it lands.
    """
    parts = rel.split("/")
    if parts[0] in ("admin", "subject") or rel.endswith(("/index.htm", "/index.html")) and len(parts) <= 3:
        return False
    if not INFO_MARK.search(data):
        return False
    words = len(TAGS.sub(b" ", data).split())
    return words >= 150


def language_of(rel: str) -> str:
    return LANGUAGE_FOLDERS.get(rel.split("/")[0], "en")


def slug_of(rel: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", re.sub(r"\.html?$", "", rel.lower())).strip("-")
    return (s[:90].strip("-") or "page") + "-" + hashlib.sha1(rel.encode()).hexdigest()[:6]


@dataclass
class Work:
    rel: str  # the main (or index) page, relative to the site
    parts: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    rel: str
    status: str  # written | refused | traceback
    message: str = ""
    master: str = ""
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def find_works(site: Path) -> list[Work]:
    """Every work page of the site, chapters of a present index grouped under it."""
    works: list[Work] = []
    pages = sorted(p for p in site.rglob("*") if p.suffix.lower() in (".htm", ".html") and p.is_file())
    for p in pages:
        rel = p.relative_to(site).as_posix()
        data = p.read_bytes()
        if p.name.lower() in ("index.htm", "index.html") and len(rel.split("/")) > 3:
            linked = []
            for m in HREF.finditer(data):
                name = m.group(1).decode("latin-1")
                if "/" in name or name.lower().startswith(("index.", "http")):
                    continue
                if (p.parent / name).is_file() and name not in linked:
                    linked.append(name)
            if linked:
                works.append(Work(rel, [f"{p.parent.relative_to(site).as_posix()}/{n}" for n in linked]))
                continue
        if is_work_page(rel, data):
            works.append(Work(rel))
    return works


def make_source(site: Path, work: Work, into: Path) -> Path:
    slug = slug_of(work.rel)
    folder = into / slug
    folder.mkdir(parents=True)
    url = f"https://www.marxists.org/{work.rel}"
    files = []
    for rel, role in [(work.rel, "index" if work.parts else "main")] + [(r, "part") for r in work.parts]:
        src = site / rel
        shutil.copyfile(src, folder / src.name)
        entry = {"path": src.name, "sha256": hashlib.sha256(src.read_bytes()).hexdigest(), "role": role}
        if role == "part":
            entry["url"] = f"https://www.marxists.org/{rel}"
        files.append(entry)
    manifest = {
        "slug": slug,
        "url": url,
        "retrieved": "2021-03-01",
        "format": "mia-html",
        "language": language_of(work.rel),
        "files": files,
        "origin": f"bench/archive_readers.py: {work.rel} from the shared archive",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def run_one(args: tuple[str, Work, str]) -> Outcome:
    site, work, tmp = Path(args[0]), args[1], Path(args[2])
    from pipeline.errors import PipelineError
    from pipeline.ingest import ingest
    from pipeline.validation.master import check_master

    start = time.perf_counter()
    folder = make_source(site, work, tmp / "sources")
    out = tmp / "masters" / f"{folder.name}.xml"
    try:
        ingest(folder, out)
    except PipelineError as exc:
        return Outcome(work.rel, "refused", str(exc).splitlines()[0], seconds=time.perf_counter() - start)
    except Exception:  # noqa: BLE001 - a traceback is what this harness counts
        return Outcome(
            work.rel, "traceback", traceback.format_exc(limit=6)[-1500:], seconds=time.perf_counter() - start
        )
    problems = [str(p) for p in check_master(out)]
    return Outcome(work.rel, "written", master=str(out), problems=problems, seconds=time.perf_counter() - start)


def reason_key(message: str, words: int = 7) -> str:
    """The first words of a refusal, past the 'path:line:' prefix, numbers and quotes masked."""
    text = re.sub(r"^\S+?:(?:\d+:)*\s*(?:error:\s*)?", "", message)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"\d+", "N", text)
    return " ".join(text.split()[:words])


def tei_all(outcomes: list[Outcome]) -> None:
    from pipeline.validation import tei_all as judge

    masters = [o for o in outcomes if o.status == "written"]
    if judge.unavailable_reason():
        print(f"tei_all skipped: {judge.unavailable_reason()}", file=sys.stderr)
        return
    by_path = {str(Path(o.master)): o for o in masters}
    for i in range(0, len(masters), 400):
        for problem in judge.check_tei_all([Path(o.master) for o in masters[i : i + 400]]):
            o = by_path.get(problem.path)
            if o is not None:
                o.problems.append(str(problem))


def table(outcomes: list[Outcome], label: str) -> str:
    n = len(outcomes)
    written = [o for o in outcomes if o.status == "written"]
    valid = [o for o in written if not o.problems]
    refused = [o for o in outcomes if o.status == "refused"]
    tracebacks = [o for o in outcomes if o.status == "traceback"]
    pct = lambda k: f"{100 * k / n:.1f} %" if n else "-"  # noqa: E731
    lines = [
        f"| {label} | count | share |",
        "|---|---:|---:|",
        f"| work pages | {n} | |",
        f"| masters written | {len(written)} | {pct(len(written))} |",
        f"| masters valid (profile, Schematron, tei_all) | {len(valid)} | {pct(len(valid))} |",
        f"| masters that fail validate | {len(written) - len(valid)} | {pct(len(written) - len(valid))} |",
        f"| refused | {len(refused)} | {pct(len(refused))} |",
        f"| tracebacks | {len(tracebacks)} | {pct(len(tracebacks))} |",
        "",
        "Refusals by reason:",
    ]
    for reason, k in collections.Counter(reason_key(o.message) for o in refused).most_common():
        lines.append(f"- {k} x {reason}")
    lines += ["", "Invalid masters by first problem:"]
    for reason, k in collections.Counter(reason_key(o.problems[0], 10) for o in written if o.problems).most_common():
        lines.append(f"- {k} x {reason}")
    lines += ["", "Tracebacks by last line:"]
    for reason, k in collections.Counter(o.message.strip().splitlines()[-1][:100] for o in tracebacks).most_common():
        lines.append(f"- {k} x {reason}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, default=DEFAULT_SITE, help="the unpacked site (default /tmp/mia)")
    ap.add_argument("--sample", type=int, default=0, help="a seeded random sample of this many works (default: all)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="write every outcome here")
    ap.add_argument(
        "--show",
        choices=["refused", "traceback", "invalid"],
        action="append",
        default=[],
        help="list the works of this outcome with their message",
    )
    ap.add_argument("--only", nargs="*", help="just these site paths")
    args = ap.parse_args(argv)
    if not args.site.is_dir():
        print(f"{args.site}: no unpacked site (tar -xJf ../shared/mia-archive/mia-site.tar.xz -C DIR)", file=sys.stderr)
        return 2
    works = find_works(args.site)
    if args.only:
        works = [w for w in works if w.rel in set(args.only)] or [Work(r) for r in args.only]
    if args.sample and args.sample < len(works):
        works = random.Random(args.seed).sample(works, args.sample)
    print(f"{len(works)} works ({sum(1 for w in works if w.parts)} multi-part)", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="archive-readers-"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    try:
        with ProcessPoolExecutor(args.jobs) as pool:
            outcomes = []
            for i, o in enumerate(pool.map(run_one, [(str(args.site), w, str(tmp)) for w in works], chunksize=4), 1):
                outcomes.append(o)
                if i % 100 == 0:
                    print(f"  {i}/{len(works)}", file=sys.stderr)
        tei_all(outcomes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    label = f"sample of {len(works)} (seed {args.seed})" if args.sample else f"all {len(works)} works"
    print(table(outcomes, label))
    for kind in args.show:
        print(f"\n{kind}:")
        for o in outcomes:
            if (kind == "invalid" and o.status == "written" and o.problems) or o.status == kind:
                print(
                    f"- {o.rel}: {(o.problems[0] if kind == 'invalid' else o.message).strip().splitlines()[-1 if kind == 'traceback' else 0][:300]}"
                )
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
