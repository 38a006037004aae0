"""The OPDS 1.2 catalog (Atom): ``editions/site/catalog.xml`` and the feeds under ``opds/``.

``catalog.xml`` is the root navigation feed; the feeds it leads to are described in
:mod:`.catalogs`. Acquisition feeds page at 50 entries with ``first``/``previous``/
``next``/``last`` links (RFC 5005) and carry OPDS 1.2 facets (order, language).

One entry per work, carrying the page's metadata: title, author, language, date of
writing (``dc:issued``), the licence verbatim (``atom:rights``, plus a ``license`` link,
RFC 4946), the credits (``atom:contributor`` and, with their roles, in the XHTML
content), the MIA page (``dc:source`` and a ``related`` link), the cover and thumbnail
(``http://opds-spec.org/image`` and ``.../image/thumbnail``), and one open-access
acquisition link per edition file, typed and sized. Entry ids are UUIDs derived from
the work's MIA URL, so they survive the feed being moved or mirrored (RFC 4287 4.2.6).
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from pipeline.distribution.attribution import listing, render_items, rights_text, summary_text
from pipeline.distribution.catalogs import Feed, facets, quote_href
from pipeline.distribution.library import Library
from pipeline.distribution.page import OPDS_ACQUISITION, OPDS_NAVIGATION
from pipeline.distribution.works import PublishedFile, Work
from pipeline.master.attribution import item
from pipeline.master.tei import MIA_NAME, MIA_URL
from pipeline.reproducible import build_datetime

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
XHTML = "http://www.w3.org/1999/xhtml"
NSMAP = {None: ATOM, "dc": DC, "opds": OPDS, "thr": "http://purl.org/syndication/thread/1.0"}

REL_ACQUISITION = "http://opds-spec.org/acquisition/open-access"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
REL_FACET = "http://opds-spec.org/facet"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
KIND_TYPE = {"navigation": OPDS_NAVIGATION, "acquisition": OPDS_ACQUISITION}
CATALOG_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.marxists.org/#mia-pipeline-opds-catalog")


def atom_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(work: Work) -> str:
    key = work.meta.url or f"mia-pipeline:work:{work.slug}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def entry_updated(work: Work) -> datetime:
    return build_datetime(work.meta.ingest_date)


def feed_updated(works: list[Work]) -> datetime:
    dates = [w.meta.ingest_date for w in works if w.meta.ingest_date]
    return build_datetime(max(dates) if dates else None)


def sub(
    parent: etree._Element, tag: str, text: str | None = None, ns: str = ATOM, **attrs: str | None
) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


class Linker:
    """Turns a path relative to editions/ into an href from the feed at ``at``
    (absolute with --base-url, else relative to the feed's own folder)."""

    def __init__(self, base_url: str = "", at: str = "catalog.xml") -> None:
        self.base_url = base_url
        self.prefix = "../" * at.count("/")

    def __call__(self, href: str) -> str:
        href = quote_href(href)
        return urljoin(self.base_url, href) if self.base_url else self.prefix + href


def file_link(parent: etree._Element, rel: str, file: PublishedFile, link: Linker, title: str | None = None) -> None:
    sub(
        parent,
        "link",
        rel=rel,
        href=link(file.href),
        type=file.media_type,
        title=title or file.label,
        length=str(file.size),
    )


def xhtml_content(parent: etree._Element, work: Work) -> None:
    """The attribution as an XHTML definition list, as on the page."""
    content = sub(parent, "content", type="xhtml")
    div = etree.SubElement(content, f"{{{XHTML}}}div", nsmap={None: XHTML})
    dl = sub(div, "dl", ns=XHTML)
    items = listing(work.meta)
    if work.missing:
        items.append(item("incomplete", "Incomplete", f"The source lacks: {'; '.join(work.missing)}"))

    def make(tag: str, text: str | None = None, parent: etree._Element = dl, **attrs: str | None) -> etree._Element:
        return sub(parent, tag, text, ns=XHTML, **attrs)

    render_items(items, dl, make)


def render_entry(feed: etree._Element, work: Work, link: Linker) -> None:
    """The work's entry, built once per run and link base (the same in every feed)."""
    key = f"atom {link.base_url} {link.prefix}"
    if key not in work.fragments:
        holder = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
        build_entry(holder, work, link)
        work.fragments[key] = holder[0]
    feed.append(copy.deepcopy(work.fragments[key]))


def build_entry(feed: etree._Element, work: Work, link: Linker) -> None:
    meta = work.meta
    entry = sub(feed, "entry")
    sub(entry, "title", meta.title)
    sub(entry, "id", entry_id(work))
    sub(entry, "updated", atom_date(entry_updated(work)))
    for person in meta.people:  # one atom:author per person
        author = sub(entry, "author")
        sub(author, "name", person.name)
    for credit in meta.credits:
        contributor = sub(entry, "contributor")
        sub(contributor, "name", credit.name)
    sub(entry, "language", meta.language, ns=DC)
    if meta.date_iso:
        sub(entry, "issued", meta.date_iso, ns=DC)
    if meta.url:
        sub(entry, "source", meta.url, ns=DC)
    rights = rights_text(meta)
    if rights:
        sub(entry, "rights", rights)
    summary = summary_text(meta)
    if work.missing:
        summary += f" Incomplete: the source lacks {len(work.missing)} part(s)."
    sub(entry, "summary", summary, type="text")
    xhtml_content(entry, work)
    if work.cover:
        file_link(entry, REL_IMAGE, work.cover.image, link, "Cover")
        file_link(entry, REL_THUMBNAIL, work.cover.thumbnail, link, "Cover thumbnail")
        if work.cover.vector:
            file_link(entry, REL_IMAGE, work.cover.vector, link, "Cover (vector)")
    for file in work.files:
        file_link(entry, REL_ACQUISITION, file, link)
    sub(entry, "link", rel="alternate", href=link(f"{work.slug}/index.html"), type="text/html", title="The work's page")
    if meta.url:
        sub(entry, "link", rel="related", href=meta.url, type="text/html", title=f"The work on the {meta.source_name}")
    for lic in meta.licences:
        sub(entry, "link", rel="license", href=lic.uri, title=lic.name)


def feed_id(base: str, number: int) -> str:
    return (
        f"urn:uuid:{uuid.uuid5(CATALOG_ID, f'{base}#{number}')}"
        if base != "catalog" or number != 1
        else f"urn:uuid:{CATALOG_ID}"
    )


def render_page(feed: Feed, number: int, count: int, library: Library, base_url: str, updated: datetime) -> bytes:
    """One page of ``feed`` as an Atom document."""
    at = feed.href(number, "xml")
    link = Linker(base_url, at)
    root = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
    sub(root, "id", feed_id(feed.base, number))
    sub(root, "title", feed.title if count == 1 else f"{feed.title} ({number}/{count})")
    sub(root, "updated", atom_date(updated))
    author = sub(root, "author")
    sub(author, "name", MIA_NAME)
    sub(author, "uri", MIA_URL)
    kind_type = KIND_TYPE[feed.kind]
    sub(root, "link", rel="self", href=link(at), type=kind_type)
    sub(
        root,
        "link",
        rel="start",
        href=link("catalog.xml"),
        type=OPDS_NAVIGATION,
        title="Editions from the Marxists Internet Archive",
    )
    if feed.up:
        sub(root, "link", rel="up", href=link(f"{feed.up}.xml"), type=OPDS_NAVIGATION)
    sub(
        root, "link", rel="search", href=link("opensearch.xml"), type=OPENSEARCH_TYPE, title="Search titles and authors"
    )
    if feed.base == "catalog":
        sub(root, "link", rel="alternate", href=link("index.html"), type="text/html", title="The library site")
        sub(
            root,
            "link",
            rel="alternate",
            href=link("catalog.json"),
            type="application/opds+json",
            title="OPDS 2.0 catalog",
        )
        sub(
            root,
            "link",
            rel="http://opds-spec.org/sort/new",
            href=link("opds/new.xml"),
            type=OPDS_ACQUISITION,
            title="New",
        )
    if count > 1:
        sub(root, "link", rel="first", href=link(feed.href(1, "xml")), type=kind_type)
        if number > 1:
            sub(root, "link", rel="previous", href=link(feed.href(number - 1, "xml")), type=kind_type)
        if number < count:
            sub(root, "link", rel="next", href=link(feed.href(number + 1, "xml")), type=kind_type)
        sub(root, "link", rel="last", href=link(feed.href(count, "xml")), type=kind_type)
    if feed.kind == "acquisition":
        for facet in facets(library, feed.facet_key):
            node = sub(
                root, "link", rel=REL_FACET, href=link(f"{facet.base}.xml"), type=OPDS_ACQUISITION, title=facet.title
            )
            node.set(f"{{{OPDS}}}facetGroup", facet.group)
            if facet.active:
                node.set(f"{{{OPDS}}}activeFacet", "true")
            node.set("{http://purl.org/syndication/thread/1.0}count", str(facet.count))
    if feed.kind == "acquisition":
        for work in feed.works_on(number):
            render_entry(root, work, link)
    else:
        for entry in feed.entries_on(number):
            node = sub(root, "entry")
            sub(node, "title", entry.title)
            sub(node, "id", f"urn:uuid:{uuid.uuid5(CATALOG_ID, entry.base)}")
            sub(node, "updated", atom_date(updated))
            sub(node, "content", entry.summary, type="text")
            sub(node, "link", rel=entry.rel or "subsection", href=link(f"{entry.base}.xml"), type=KIND_TYPE[entry.kind])
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return document


def opensearch(base_url: str) -> bytes:
    """The OpenSearch description: Atom results from the pre-built word feeds
    (:mod:`.catalogs`), HTML results from the site's search page."""
    link = Linker(base_url, "opensearch.xml")
    ns = "http://a9.com/-/spec/opensearch/1.1/"
    root = etree.Element(f"{{{ns}}}OpenSearchDescription", nsmap={None: ns})
    for tag, text in (
        ("ShortName", "MIA Editions"),
        ("Description", "Search the titles and authors of the MIA Editions library (one word)."),
        ("InputEncoding", "UTF-8"),
        ("OutputEncoding", "UTF-8"),
        ("Language", "*"),
    ):
        etree.SubElement(root, f"{{{ns}}}{tag}").text = text
    etree.SubElement(root, f"{{{ns}}}Url", type=OPDS_ACQUISITION, template=link("opds/search/") + "{searchTerms}.xml")
    etree.SubElement(
        root, f"{{{ns}}}Url", type="application/opds+json", template=link("opds/search/") + "{searchTerms}.json"
    )
    etree.SubElement(root, f"{{{ns}}}Url", type="text/html", template=link("search.html") + "?q={searchTerms}")
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return document
