"""``editions/catalog.json``: the same catalog as an OPDS 2.0 feed.

Newer reading apps (Thorium, the Readium toolkits) prefer OPDS 2.0. Each publication
carries the metadata of the OPDS 1.2 entry; the credits become Readium contributors
with their MARC relator codes as roles. ``published`` is given only when the master's
date is a full calendar date, because the Readium schema requires an ISO date there and
the pipeline does not invent a day for "December 1923".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import urljoin

from pipeline.distribution.attribution import rights_text, summary_text
from pipeline.distribution.opds import REL_ACQUISITION, atom_date, entry_id, entry_updated, feed_updated
from pipeline.distribution.page import PAGE_TITLE
from pipeline.distribution.works import PublishedFile, Work

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def link_object(file: PublishedFile, href: str, rel: str | None = None, title: str | None = None) -> dict:
    obj: dict = {"href": href, "type": file.media_type}
    if rel:
        obj["rel"] = rel
    obj["title"] = title or file.label
    obj["size"] = file.size
    if file.width and file.height:
        obj["width"], obj["height"] = file.width, file.height
    return obj


def publication(work: Work, link: Callable[[str], str]) -> dict:
    meta = work.meta
    metadata: dict = {
        "@type": "http://schema.org/Book",
        "identifier": entry_id(work),
        "title": meta.title,
        "author": {"name": meta.author, "sortAs": meta.file_as},
        "language": meta.language,
        "modified": atom_date(entry_updated(work)),
        "description": summary_text(meta),
    }
    if meta.date_iso and FULL_DATE.match(meta.date_iso):
        metadata["published"] = meta.date_iso
    if meta.credits:
        metadata["contributor"] = [{"name": c.name, "role": c.roles} if c.roles else {"name": c.name} for c in meta.credits]
    rights = rights_text(meta)
    if rights:  # OPDS 2.0 has no rights field: the licence goes into the description
        metadata["description"] += f" Licence: {rights}"
    links: list[dict] = [link_object(f, link(f.href), REL_ACQUISITION) for f in work.files]
    links.append({"rel": "alternate", "href": link(f"index.html#{work.slug}"), "type": "text/html", "title": "On the library page"})
    if meta.url:
        links.append({"rel": "related", "href": meta.url, "type": "text/html", "title": f"The work on the {meta.source_name}"})
    for lic in meta.licences:
        links.append({"rel": "license", "href": lic.uri, "title": lic.name})
    pub: dict = {"metadata": metadata, "links": links}
    if work.cover:
        images = [link_object(work.cover.image, link(work.cover.image.href), title="Cover")]
        images.append(link_object(work.cover.thumbnail, link(work.cover.thumbnail.href), title="Cover thumbnail"))
        if work.cover.vector:
            images.append(link_object(work.cover.vector, link(work.cover.vector.href), title="Cover (vector)"))
        pub["images"] = images
    return pub


def render_feed(works: list[Work], base_url: str = "") -> bytes:
    def link(href: str) -> str:
        return urljoin(base_url, href) if base_url else href

    feed: dict = {
        "metadata": {"title": PAGE_TITLE, "modified": atom_date(feed_updated(works)), "numberOfItems": len(works)},
        "links": [
            {"rel": "self", "href": link("catalog.json"), "type": "application/opds+json"},
            {"rel": "alternate", "href": link("catalog.xml"), "type": "application/atom+xml;profile=opds-catalog;kind=acquisition"},
            {"rel": "alternate", "href": link("index.html"), "type": "text/html"},
        ],
    }
    if works:
        feed["publications"] = [publication(w, link) for w in works]
    else:  # OPDS 2.0 wants publications, navigation or groups: point to the page
        feed["navigation"] = [{"href": link("index.html"), "type": "text/html", "title": "The library page (no works published yet)"}]
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
