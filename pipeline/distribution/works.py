"""Which works are published, and which of their files.

The catalog reads only what ``editions/`` holds: each work's TEI master (for every
piece of metadata, through :func:`pipeline.master.read.load`) and whichever edition
files exist beside it. A work whose licence does not allow distribution is withheld
entirely, its master included: the master carries the whole text, so publishing it
would be distributing the work. So is a work whose last build failed or was not
verified, or one of whose files changed since it was verified (:mod:`.verified`): none
of its files, old or new, is published.

A work the import found incomplete lists its missing parts in its source manifest
(``missing``, issue 11); the catalog reads them defensively, as strings or objects
with a title, and names them wherever the work is listed.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from pipeline import verified
from pipeline.distribution.memo import Memo, signature
from pipeline.errors import PipelineError
from pipeline.master.read import EditionMeta, load, load_header
from pipeline.master.tei import TEI_NS
from pipeline.paths import SLUG_RE, editions_dir, sources_dir


@dataclass(frozen=True)
class Format:
    """One kind of edition file: how it is named, typed and described to readers."""

    suffix: str  # file name after "<slug>."
    media_type: str
    label: str  # short name on the page and in the feed
    description: str


# In the order readers most often want them. The TEI master is listed last: it is the
# archival source of the other three, for people who want to re-use the text.
FORMATS: tuple[Format, ...] = (
    Format("epub", "application/epub+zip", "EPUB", "e-book for reading apps and e-readers"),
    Format("pdf", "application/pdf", "PDF", "printable book, A5"),
    Format("txt", "text/plain", "Plain text", "UTF-8 text"),
    Format("tei.xml", "application/tei+xml", "TEI master", "archival XML (TEI P5), the source of the editions"),
)


@dataclass(frozen=True)
class PublishedFile:
    """A file a mirror copies: where it is, its link from editions/, its type and size."""

    path: Path
    href: str  # relative to editions/, POSIX separators
    media_type: str
    label: str
    description: str = ""
    width: int | None = None
    height: int | None = None
    sha256: str | None = None  # as recorded at verify time (None: hashed when the sums are written)
    known_size: int | None = None

    @property
    def size(self) -> int:
        if self.known_size is None:
            object.__setattr__(self, "known_size", self.path.stat().st_size)
        return self.known_size  # type: ignore[return-value]


@dataclass
class Cover:
    image: PublishedFile  # raster (PNG/JPEG/GIF): OPDS requires one
    thumbnail: PublishedFile
    vector: PublishedFile | None = None  # the EPUB's own SVG cover, when it has one


@dataclass
class Work:
    meta: EditionMeta
    master: Path
    files: list[PublishedFile]  # the editions, in FORMATS order; the master among them
    cover: Cover | None = None
    missing: list[str] = field(default_factory=list)  # parts the source lacks (incomplete work)
    word_count: int = 0  # the work's own words (:func:`words_in`: text and notes, no header)
    # What the feeds rendered of the work in this run, by format and link base: a work is
    # listed in about nine feeds (all, by author, year, language, new...), rendered once.
    fragments: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def slug(self) -> str:
        return self.meta.slug

    def published_files(self) -> list[PublishedFile]:
        out = list(self.files)
        if self.cover:
            out += [self.cover.image, self.cover.thumbnail] + ([self.cover.vector] if self.cover.vector else [])
        return out


# The master's elements whose words a reader reads as a block: a line break after each
# keeps "end of one paragraph" and "start of the next" two words in the index.
BLOCKS = frozenset(
    f"{{{TEI_NS}}}{name}"
    for name in (
        "p head l item cell row note quote closer signed dateline salute opener trailer byline epigraph "
        "titlePart docAuthor docDate docImprint label lg list table figDesc"
    ).split()
)
NOTE_MARKER = f"{{{TEI_NS}}}ref"


def work_key(work: Work) -> str:
    """A digest of all a page or feed shows of the work: its master's metadata, files,
    cover, missing parts and length (from the catalog's memo when it has them)."""
    key = work.fragments.get("key")
    if key is None:
        read = work.fragments.get("read") or pickle.dumps((work.meta, work.files, work.missing, work.word_count))
        cover = work.fragments.get("cover") or pickle.dumps(work.cover)
        key = work.fragments["key"] = hashlib.sha1(repr((read, cover)).encode()).hexdigest()
    return str(key)


def words_in(root: etree._Element) -> str:
    """The work's own words: the text of the master's ``<text>``, block by block.

    Note markers (``<ref type="noteref">1</ref>``) are left out: they are numbers, and the
    notes themselves (in ``<back>``) are counted. The header (credits, licence, the
    editorial changes) is not: it is the colophon, the same few words in every work."""
    parts: list[str] = []
    element = root.find(f"{{{TEI_NS}}}text")
    if element is None:
        return ""
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        skip = node.tag == NOTE_MARKER and node.get("type") == "noteref"
        if event == "start" and node.text and not skip:
            parts.append(node.text)
        elif event == "end":
            if node.tag in BLOCKS:
                parts.append("\n")
            if node.tail and node is not element:
                parts.append(node.tail)
    return " ".join("".join(parts).split())


def words_of(master: Path) -> str:
    """:func:`words_in` the master at ``master``."""
    root, _ = load(master)
    return words_in(root)


LICENCE, FAILED, UNVERIFIED, CHANGED = "licence", "failed", "unverified", "changed"


@dataclass
class Withheld:
    slug: str
    reason: str
    kind: str = LICENCE  # licence, failed, unverified, changed
    meta: EditionMeta | None = None


def href_of(path: Path, editions: Path) -> str:
    return PurePosixPath(path.relative_to(editions)).as_posix()


def find_masters(editions: Path) -> list[Path]:
    """Every ``editions/<slug>/<slug>.tei.xml``, in slug order."""
    if not editions.is_dir():
        raise PipelineError(
            "no editions/ folder here; run from the project root, after `python -m pipeline build`", editions
        )
    masters = []
    for folder in sorted(p for p in editions.iterdir() if p.is_dir()):
        if not SLUG_RE.fullmatch(folder.name):
            continue  # not a work folder (a mirror's own files, a hidden folder)
        master = folder / f"{folder.name}.tei.xml"
        if master.is_file():
            masters.append(master)
    return masters


def sort_key(meta: EditionMeta) -> tuple[str, str, str, str]:
    """Author (family name first), then date, then title: stable whatever the disk order."""
    return (meta.file_as.casefold(), meta.date_iso or "", meta.title.casefold(), meta.slug)


def missing_parts(root: Path, slug: str) -> list[str]:
    """The parts the source manifest names as missing, as readable one-liners ([] if none)."""
    try:
        data = json.loads((sources_dir(root) / slug / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    missing = data.get("missing") if isinstance(data, dict) else None
    if not isinstance(missing, list):
        return []
    out = []
    for item in missing:
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif isinstance(item, dict):
            words = [str(item[k]) for k in ("title", "label", "href", "url", "path") if item.get(k)]
            reason = item.get("reason")
            text = (words[0] if words else "a part") + (f" ({reason})" if reason else "")
            out.append(text)
    return out


def collect(root: Path, memo: Memo | None = None) -> tuple[list[Work], list[Withheld]]:
    """Read every master; return the published works (sorted) and the withheld ones.

    A work is published only when its licence allows it, its last build was verified
    and every file it would list still has the sha256 recorded at verify time. What a
    work gave last time is taken from ``memo`` when none of its files changed since.
    """
    editions = editions_dir(root)
    works: list[Work] = []
    withheld: list[Withheld] = []
    for master in find_masters(editions):
        inputs = [master, verified.record_path(master.parent), sources_dir(root) / master.parent.name / "manifest.json"]
        inputs += [master.parent / f"{master.parent.name}.{fmt.suffix}" for fmt in FORMATS[:-1]]
        sig = signature(inputs)
        if memo:
            memo.watch(master.parent.name, inputs)
        found = memo.get(master.parent.name, sig) if memo else None
        if not isinstance(found, Work | Withheld):
            found = read_work(root, editions, master)
            if memo:
                memo.put(master.parent.name, sig, found)
        if isinstance(found, Work):
            found.fragments["read"] = memo.digest(master.parent.name) if memo else None
            works.append(found)
        else:
            withheld.append(found)
    works.sort(key=lambda w: sort_key(w.meta))
    return works, withheld


def read_work(root: Path, editions: Path, master: Path) -> Work | Withheld:
    """One master read: the work as published, or why it is withheld."""
    meta = load_header(master)  # the header decides; only a published work's text is read
    if not meta.distributable:
        return Withheld(meta.slug, meta.refusal_reason or "licence does not allow distribution", LICENCE, meta)
    rec = verified.read(master.parent)
    if rec.status != verified.VERIFIED:
        return Withheld(meta.slug, rec.reason, FAILED if rec.status == verified.FAILED else UNVERIFIED, meta)
    tree, meta = load(master)
    word_count = len(words_in(tree).split())
    files, changed = [], []
    for fmt in FORMATS:
        path = master.parent / f"{meta.slug}.{fmt.suffix}"
        if not path.is_file():
            continue
        digest = verified.check_file(path, rec)
        if digest is None:
            changed.append(path.name)
            continue
        size = rec.files[path.name]["size"]
        files.append(
            PublishedFile(
                path,
                href_of(path, editions),
                fmt.media_type,
                fmt.label,
                fmt.description,
                sha256=digest,
                known_size=size,
            )
        )
    if changed:
        reason = f"{', '.join(changed)} changed after verify (or was never verified); run `make` to rebuild it"
        return Withheld(meta.slug, reason, CHANGED, meta)
    return Work(meta, master, files, missing=missing_parts(root, meta.slug), word_count=word_count)


def human_size(size: int) -> str:
    """Decimal units, as file managers and browsers show them."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        value = size / scale
        if value < 1000 or unit == "GB":
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    raise AssertionError("unreachable")
