"""``pipeline ingest``: one source folder in, one TEI master out.

Checks the manifest and the fixity of every source file, picks the reader the manifest
names, fills in what only the manifest knows (URL, retrieval date, sha256s, permission)
and writes the master atomically. The source folder is only ever read.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import atomic, licences
from pipeline.manifest import Manifest, load_manifest
from pipeline.master import model
from pipeline.master.write import FIGURES_FOLDER, serialize
from pipeline.paths import master_path, project_root
from pipeline.readers.read import read, source_format
from pipeline.reproducible import source_date_epoch
from pipeline.rights import decide


def read_work(manifest: Manifest, root: Path | None = None) -> model.Work:
    """The work, read by its format's reader, with what only the manifest knows, and the
    rights the project's rule and rulings give it (``root``: the project, else the current one)."""
    work = read(manifest)
    weigh_licences(work)
    work.url = manifest.url
    work.slug = manifest.slug
    work.retrieved = manifest.retrieved
    work.source_files = [(f.path.name, f.sha256) for f in manifest.files]
    if manifest.permission is not None:
        p = manifest.permission
        work.permission = {
            "granted_by": p.granted_by,
            "date": p.date,
            "reference": p.reference,
            **({"statement": p.statement} if p.statement else {}),
        }
    # a page without a licence weighed by the public-domain rule; the editor's rulings (issue 21)
    decide.weigh(work, root or project_root())
    return work


def weigh_licences(work: model.Work) -> None:
    """Each licence the reader read, weighed against the information block's other lines
    (issue 23: a "©... all rights reserved" in a "Translated:" or "Note:" line withholds
    a free licence); :func:`pipeline.licences.in_context` decides."""
    for lic in work.licences:
        others = [f"{line.label}: {line.value}" for line in work.info if line.value not in lic.text]
        lic.uri = licences.in_context(lic.uri, lic.text, others)


def ingest(source_dir: Path, output: Path | None = None, root: Path | None = None) -> Path:
    """Ingest ``source_dir`` and write its master; return the master's path. ``root`` is
    the project whose editorial files (rulings, authors) weigh the rights."""
    manifest = load_manifest(Path(source_dir))
    work = read_work(manifest, root)
    data = serialize(work, source_date_epoch())
    if source_format(manifest).source_check:  # the master says what the source says (issue 14)
        from pipeline.fidelity import source as source_fidelity

        source_fidelity.check([f.path for f in manifest.pages], data)
    out = output or master_path(manifest.slug)
    copy_figures(manifest, out.parent)
    atomic.write_bytes(out, data)
    return out


def copy_figures(manifest: Manifest, folder: Path) -> None:
    """The figures' image files, byte for byte, in ``figures/`` beside the master (its
    ``graphic/@url`` points there), so the master and that folder are all an edition
    needs. Written before the master, each atomically; the sha256 was checked by
    ``load_manifest``."""
    for f in manifest.figures:
        target = folder / FIGURES_FOLDER / f.name
        data = f.path.read_bytes()
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(target, data)
