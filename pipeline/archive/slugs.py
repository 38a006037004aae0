"""Unique, deterministic slugs for imported works.

The collision rule (also in README.md, "Adding a source"):

1. A work whose URL ``sources/`` already holds keeps the slug it has there.
2. Otherwise its slug is :func:`pipeline.paths.slug_from_url` of its main page's URL
   (``archive/trotsky/1923/12/faction.htm`` -> ``trotsky-1923-faction``), if no work in
   ``sources/`` holds it and no other work of this run with an earlier URL (in plain
   sorted order) takes it.
3. Else the long slug: every segment of the path below ``archive/`` (or below the site
   root), the extension dropped and ``index.htm`` standing for its folder
   (``trotsky-works-1923-faction``), under the same two conditions.
4. Else the long slug followed by ``-2``, ``-3``, ... the first that is free.

A slug longer than 100 characters is cut and ends with 8 hex digits of its URL's
sha256, so two long URLs never share one. The outcome depends only on the URLs imported
and on what ``sources/`` already holds, never on the order pages were read in.
"""

from __future__ import annotations

import hashlib
import re

from pipeline.errors import PipelineError
from pipeline.paths import check_slug, slug_from_url

MAX_SLUG = 100


def _fit(slug: str, url: str) -> str:
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}"


def _clean(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def long_slug(site_path: str) -> str:
    """Every path segment below ``archive/`` (or the site root), joined by hyphens."""
    parts = [p for p in site_path.split("/") if p]
    if "archive" in parts[:-1]:
        parts = parts[parts.index("archive") + 1 :]
    last = re.sub(r"\.html?$", "", parts[-1], flags=re.I)
    parts = parts[:-1] + ([] if last.lower() == "index" and len(parts) > 1 else [last])
    return _clean("-".join(parts)) or "work"


def base_slug(url: str, site_path: str) -> str:
    try:
        slug = slug_from_url(url)
    except PipelineError:
        slug = long_slug(site_path)
    return _fit(_clean(slug) or "work", url)


def assign(works: list[tuple[str, str]], existing: dict[str, str], occupied: set[str] | None = None) -> dict[str, str]:
    """Slugs for ``works`` (pairs of URL and site path): URL -> slug.

    ``existing`` maps the URLs ``sources/`` holds to their slugs (rule 1); ``occupied``
    names every folder of ``sources/``, manifest or not, which no new work may take.
    """
    taken: dict[str, str] = {name: "" for name in occupied or ()}
    taken.update({slug: url for url, slug in existing.items()})
    out: dict[str, str] = {}
    for url, site_path in sorted(works):
        if url in existing:
            out[url] = existing[url]
            continue
        candidates = [base_slug(url, site_path), _fit(long_slug(site_path), url)]
        slug = next((c for c in candidates if c not in taken), None)
        n = 2
        while slug is None:
            c = _fit(f"{candidates[1]}-{n}", f"{url}#{n}")
            slug = c if c not in taken else None
            n += 1
        check_slug(slug)
        taken[slug] = url
        out[url] = slug
    return out
