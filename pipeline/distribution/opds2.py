"""``editions/site/catalog.json`` and ``opds/*.json``: the same catalog as OPDS 2.0.

Every OPDS 1.2 feed page has its OPDS 2.0 twin at the same path with ``.json``: the
same entries, pages, paging links and facets (:mod:`.catalogs`).

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
from datetime import datetime
from typing import Any

from pipeline.distribution.attribution import rights_text, summary_text
from pipeline.distribution.catalogs import Feed, facets
from pipeline.distribution.library import WORKS_PER_PAGE, Library
from pipeline.distribution.opds import KIND_TYPE, REL_ACQUISITION, Linker, atom_date, entry_id, entry_updated
from pipeline.distribution.works import PublishedFile, Work

OPDS2 = "application/opds+json"

FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

JsonObject = dict[str, Any]  # a JSON object of the feed, as json.dumps writes it


def link_object(file: PublishedFile, href: str, rel: str | None = None, title: str | None = None) -> JsonObject:
    obj: JsonObject = {"href": href, "type": file.media_type}
    if rel:
        obj["rel"] = rel
    obj["title"] = title or file.label
    obj["size"] = file.size
    if file.width and file.height:
        obj["width"], obj["height"] = file.width, file.height
    return obj


def publication(work: Work, link: Callable[[str], str]) -> JsonObject:
    meta = work.meta
    metadata: JsonObject = {
        "@type": "http://schema.org/Book",
        "identifier": entry_id(work),
        "title": meta.title,
        "author": [{"name": p.name, "sortAs": p.file_as} for p in meta.people],
        "language": meta.language,
        "modified": atom_date(entry_updated(work)),
        "description": summary_text(meta),
    }
    if meta.date_iso and FULL_DATE.match(meta.date_iso):
        metadata["published"] = meta.date_iso
    if meta.credits:
        metadata["contributor"] = [
            {"name": c.name, "role": c.roles} if c.roles else {"name": c.name} for c in meta.credits
        ]
    rights = rights_text(meta)
    if rights:  # OPDS 2.0 has no rights field: the licence goes into the description
        metadata["description"] += f" Licence: {rights}"
    if work.missing:
        metadata["description"] += f" Incomplete: the source lacks {'; '.join(work.missing)}."
    links: list[JsonObject] = [link_object(f, link(f.href), REL_ACQUISITION) for f in work.files]
    links.append(
        {"rel": "alternate", "href": link(f"{work.slug}/index.html"), "type": "text/html", "title": "The work's page"}
    )
    if meta.url:
        links.append(
            {"rel": "related", "href": meta.url, "type": "text/html", "title": f"The work on the {meta.source_name}"}
        )
    for lic in meta.licences:
        links.append({"rel": "license", "href": lic.uri, "title": lic.name})
    pub: JsonObject = {"metadata": metadata, "links": links}
    if work.cover:
        images = [link_object(work.cover.image, link(work.cover.image.href), title="Cover")]
        images.append(link_object(work.cover.thumbnail, link(work.cover.thumbnail.href), title="Cover thumbnail"))
        if work.cover.vector:
            images.append(link_object(work.cover.vector, link(work.cover.vector.href), title="Cover (vector)"))
        pub["images"] = images
    return pub


def publication_once(work: Work, link: Linker) -> JsonObject:
    """The work's publication object, built once per run and link base (the same in every feed)."""
    key = f"opds2 {link.base_url} {link.prefix}"
    if key not in work.fragments:
        work.fragments[key] = publication(work, link)
    found: JsonObject = work.fragments[key]
    return found


def render_page(feed: Feed, number: int, count: int, library: Library, base_url: str, updated: datetime) -> bytes:
    """One page of ``feed`` as OPDS 2.0, mirroring the OPDS 1.2 page of the same name."""
    at = feed.href(number, "json")
    link = Linker(base_url, at)
    total = len(feed.works) if feed.kind == "acquisition" else len(feed.entries)
    metadata: JsonObject = {"title": feed.title, "modified": atom_date(updated), "numberOfItems": total}
    if count > 1:
        metadata["itemsPerPage"] = WORKS_PER_PAGE
        metadata["currentPage"] = number
    links: list[JsonObject] = [
        {"rel": "self", "href": link(at), "type": OPDS2},
        {"rel": "start", "href": link("catalog.json"), "type": OPDS2},
        {"rel": "search", "href": link("opds/search/") + "{searchTerms}.json", "type": OPDS2, "templated": True},
        {"rel": "alternate", "href": link(feed.href(number, "xml")), "type": KIND_TYPE[feed.kind]},
    ]
    if feed.up:
        links.append({"rel": "up", "href": link(f"{feed.up}.json"), "type": OPDS2})
    if feed.base == "catalog":
        links.append({"rel": "alternate", "href": link("index.html"), "type": "text/html"})
    if count > 1:
        links.append({"rel": "first", "href": link(feed.href(1, "json")), "type": OPDS2})
        if number > 1:
            links.append({"rel": "previous", "href": link(feed.href(number - 1, "json")), "type": OPDS2})
        if number < count:
            links.append({"rel": "next", "href": link(feed.href(number + 1, "json")), "type": OPDS2})
        links.append({"rel": "last", "href": link(feed.href(count, "json")), "type": OPDS2})
    out: JsonObject = {"metadata": metadata, "links": links}
    if feed.kind == "acquisition":
        groups: dict[str, list[JsonObject]] = {}
        for facet in facets(library, feed.facet_key):
            obj = {
                "href": link(f"{facet.base}.json"),
                "type": OPDS2,
                "title": facet.title,
                "properties": {"numberOfItems": facet.count},
            }
            if facet.active:
                obj["rel"] = "self"
            groups.setdefault(facet.group, []).append(obj)
        out["facets"] = [{"metadata": {"title": group}, "links": objs} for group, objs in groups.items()]
        works = feed.works_on(number)
        if works:
            out["publications"] = [publication_once(w, link) for w in works]
        else:  # OPDS 2.0 wants publications, navigation or groups
            out["navigation"] = [
                {"href": link("index.html"), "type": "text/html", "title": "The library site (no works published yet)"}
            ]
    else:
        entries = feed.entries_on(number)
        out["navigation"] = [
            {"href": link(f"{e.base}.json"), "type": OPDS2, "title": e.title, "rel": e.rel or "subsection"}
            for e in entries
        ]
        if not entries:
            out["navigation"] = [{"href": link("index.html"), "type": "text/html", "title": "The library site"}]
    # Compact: with an indent, Python's json module falls back to its pure-Python encoder,
    # which cost most of the feeds' time on a large library.
    return (json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
