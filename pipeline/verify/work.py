"""One work verified: each edition present in ``editions/<slug>/`` against its master."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.formats import ASCII_TXT, NAMES
from pipeline.master.read import load
from pipeline.paths import check_slug, edition_path, master_path
from pipeline.verify.differences import Comparison, Difference, EditionReport
from pipeline.verify.epub import check_epub
from pipeline.verify.figures import check_figures
from pipeline.verify.master import read_master
from pipeline.verify.pdf import check_pdf
from pipeline.verify.source import check_source
from pipeline.verify.txt import check_txt


def edition_files(slug: str, root: Path) -> list[Path]:
    candidates = [edition_path(slug, ext, root) for ext in (*NAMES, ASCII_TXT)]
    return [p for p in candidates if p.is_file()]


def check_work(slug: str, root: Path, against_source: bool = True) -> list[EditionReport]:
    """One report per edition present, then (``against_source``) one for the master against its
    source pages; a build leaves that one out, its ingest having just made the same check."""
    check_slug(slug)
    master_file = master_path(slug, root)
    if not master_file.is_file():
        raise PipelineError(
            f"no master for work {slug!r} (build it first: python -m pipeline build {slug})", master_file
        )
    tei, meta = load(master_file)
    master = read_master(tei)
    words = len(master.body.tokens(refs=False)) + len(master.note_tokens(boundaries=False))
    reports = []
    for path in edition_files(slug, root):
        cmp = Comparison(slug, path.name)
        try:
            if path.suffix == ".epub":
                check_epub(path, master, cmp)
            elif path.suffix == ".pdf":
                check_pdf(path, master, meta, cmp)
            else:
                check_txt(path, master, cmp)
        except PipelineError as exc:
            cmp.add(Difference(slug, path.name, "unreadable", "file", detail=str(exc)))
        for difference in check_figures(slug, tei, master_file, [path]):
            cmp.add(difference)
        reports.append(
            EditionReport(
                slug, path.name, str(path), words, len(master.notes), cmp.differences, dict(sorted(cmp.rules.items()))
            )
        )
    source = check_source(slug, root, tei, words, len(master.notes)) if against_source else None
    if source is not None:  # the master against its source
        reports.append(source)
    return reports


def verify_work(slug: str, root: Path, against_source: bool = True) -> list[Difference]:
    """Every difference between the editions of ``slug`` under ``root`` and its master."""
    return [d for report in check_work(slug, root, against_source) for d in report.differences]
