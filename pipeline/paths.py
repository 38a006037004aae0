"""Where things are: the project's folders, work slugs, and safe paths.

Slug scheme (documented in README.md): from the work's MIA URL, the path below
``/archive/`` gives ``<author>-<year>-<name>``: the first path segment (the author's
folder), the first four-digit year segment if any, and the file's stem, or the folder's
name when the file is an ``index.htm``. ``.../archive/trotsky/1923/12/faction.htm``
becomes ``trotsky-1923-faction``. Slugs are lowercase ASCII letters, digits and hyphens,
so a slug can never name a path outside ``sources/`` or ``editions/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

from pipeline.errors import PipelineError

# The package's own data (stylesheets, the search script, the MIA's author folders),
# shipped in the wheel by pyproject.toml's package-data ("data/*"). Found next to this
# file, as a plain path, rather than through the standard library's resource readers:
# the package is always installed as files (pip, editable or not), never run from a
# zip, and the package imports nothing by name but pipeline.cli's command table (issue 16).
DATA_DIR = Path(__file__).resolve().parent / "data"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def project_root() -> Path:
    """The project root: $MIA_PIPELINE_ROOT, else the current directory."""
    return Path(os.environ.get("MIA_PIPELINE_ROOT", ".")).resolve()


def sources_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "sources"


def editions_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "editions"


SITE = "site"  # editions/site/: the published library; no work may take its name


def site_dir(root: Path | None = None) -> Path:
    """The library as published (``editions/site/``): only what the catalog publishes, so
    serving it never serves a withheld work's files (``editions/`` holds every master)."""
    return editions_dir(root) / SITE


def slug_from_url(url: str) -> str:
    """Derive a work's slug from its MIA URL (see the module docstring)."""
    path = urlparse(url).path
    parts = [p for p in path.split("/") if p]
    if "archive" in parts[:-1]:  # also ".../reference/archive/kerensky/...": the path below /archive/
        parts = parts[parts.index("archive") + 1 :]
    if not parts:
        raise PipelineError(f"cannot derive a slug from URL {url!r}")
    stem = re.sub(r"\.html?$", "", parts[-1])
    if stem in ("index", "") and len(parts) >= 2:
        stem = parts[-2]
    author = parts[0]
    year = next((p for p in parts[1:-1] if re.fullmatch(r"1[5-9]\d\d|20\d\d", p)), None)
    pieces = [author] + ([year] if year and year != stem else [])
    if stem.isdigit() and year:  # ".../1908/08/01.htm": keep the month so the day is not alone
        pieces += [p for p in parts[parts.index(year) + 1 : -1] if p.isdigit()]
    pieces += [stem] if stem != author else []
    slug = "-".join(pieces).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")
    check_slug(slug)
    return slug


def check_slug(slug: str, where: str | Path | None = None) -> str:
    """Refuse any slug that is not plain lowercase ASCII words joined by hyphens."""
    if not SLUG_RE.fullmatch(slug or ""):
        raise PipelineError(
            f"invalid work slug {slug!r}: use lowercase letters, digits and single hyphens "
            "(a slug may not contain '/', '..' or other path characters)",
            where,
        )
    if slug == SITE:
        raise PipelineError(f"invalid work slug {slug!r}: editions/{SITE}/ is the published library", where)
    return slug


def inside(base: Path, candidate: Path, what: str = "path") -> Path:
    """Return ``candidate`` resolved, refusing anything that escapes ``base``."""
    base_r = base.resolve()
    cand_r = candidate.resolve()
    if cand_r != base_r and base_r not in cand_r.parents:
        raise PipelineError(f"{what} escapes {base}: {candidate}", candidate)
    return cand_r


def master_path(slug: str, root: Path | None = None) -> Path:
    check_slug(slug)
    return editions_dir(root) / slug / f"{slug}.tei.xml"


def edition_path(slug: str, ext: str, root: Path | None = None) -> Path:
    check_slug(slug)
    return editions_dir(root) / slug / f"{slug}.{ext}"
