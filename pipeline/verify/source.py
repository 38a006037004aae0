"""The master against its source: the other half of verify's claim.

The editions are compared with the master (``epub``, ``pdf``, ``txt``); here the master
is compared with the source pages it was made from (``sources/<slug>/``), by the same
check every ``ingest`` runs (:mod:`pipeline.fidelity.source`). ``pipeline verify`` runs it
(a master may be older than its sources, or edited by hand); a build does not, since its
own ingest has just run it on the very master (once per build, not twice). A word a source page
shows that the master lacks, and whose removal the master's header does not record, is
one ``missing`` difference located on the source page (file and line) with the words
around it, reported in verify's own format: the edition column names the master.

A work with no source folder (a master copied in by hand) or a plain-text source has
nothing to compare here and gets no report; a source folder that cannot be read is an
``unreadable`` difference, as an unreadable edition is.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.errors import PipelineError
from pipeline.fidelity.source import losses
from pipeline.manifest import MANIFEST_NAME, load_manifest
from pipeline.paths import master_path, sources_dir
from pipeline.verify.differences import Difference, EditionReport

HTML_FORMAT = "mia-html"  # the check reads pages as a browser shows them


def check_source(slug: str, root: Path, master: etree._Element, words: int, notes: int) -> EditionReport | None:
    """The master of ``slug`` against its source pages, or None when there is no source to compare."""
    folder = sources_dir(root) / slug
    if not (folder / MANIFEST_NAME).is_file():
        return None
    name = master_path(slug, root).name
    report = EditionReport(slug, name, str(folder), words, notes, [])
    try:
        manifest = load_manifest(folder)
    except PipelineError as exc:
        report.differences.append(Difference(slug, name, "unreadable", "source", detail=str(exc)))
        return report
    if manifest.format != HTML_FORMAT:
        return None
    for loss in losses([f.path for f in manifest.pages], master):
        where = f"source {loss.file.name}" + (f" line {loss.line}" if loss.line else "")
        report.differences.append(
            Difference(
                slug,
                name,
                "missing",
                where,
                words=loss.words,
                context=loss.context,
                detail="from the master (the source page shows it)",
            )
        )
    return report
