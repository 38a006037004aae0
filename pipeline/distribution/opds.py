"""``editions/catalog.xml``: an OPDS 1.2 acquisition feed (Atom) of the published works.

One entry per work, carrying the page's metadata: title, author, language, date of
writing (``dc:issued``), the licence verbatim (``atom:rights``, plus a ``license`` link,
RFC 4946), the credits (``atom:contributor`` and, with their roles, in the XHTML
content), the MIA page (``dc:source`` and a ``related`` link), the cover and thumbnail
(``http://opds-spec.org/image`` and ``.../image/thumbnail``), and one open-access
acquisition link per edition file, typed and sized. Entry ids are UUIDs derived from
the work's MIA URL, so they survive the feed being moved or mirrored (RFC 4287 4.2.6).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from pipeline.distribution.attribution import attribution, rights_text, summary_text
from pipeline.distribution.page import OPDS_ACQUISITION, PAGE_TITLE
from pipeline.distribution.works import PublishedFile, Work
from pipeline.master.tei import MIA_NAME, MIA_URL
from pipeline.reproducible import build_datetime

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
XHTML = "http://www.w3.org/1999/xhtml"
NSMAP = {None: ATOM, "dc": DC, "opds": OPDS}

REL_ACQUISITION = "http://opds-spec.org/acquisition/open-access"
REL_IMAGE = "http://opds-spec.org/image"
REL_THUMBNAIL = "http://opds-spec.org/image/thumbnail"
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


def sub(parent: etree._Element, tag: str, text: str | None = None, ns: str = ATOM, **attrs: str | None) -> etree._Element:
    node = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


class Linker:
    """Turns a path relative to editions/ into the feed's href (absolute with --base-url)."""

    def __init__(self, base_url: str = "") -> None:
        self.base_url = base_url

    def __call__(self, href: str) -> str:
        return urljoin(self.base_url, href) if self.base_url else href


def file_link(parent: etree._Element, rel: str, file: PublishedFile, link: Linker, title: str | None = None) -> None:
    sub(parent, "link", rel=rel, href=link(file.href), type=file.media_type, title=title or file.label, length=str(file.size))


def xhtml_content(parent: etree._Element, work: Work) -> None:
    """The attribution as an XHTML definition list, as on the page."""
    content = sub(parent, "content", type="xhtml")
    div = etree.SubElement(content, f"{{{XHTML}}}div", nsmap={None: XHTML})
    dl = sub(div, "dl", ns=XHTML)
    for item in attribution(work.meta):
        sub(dl, "dt", item.term, ns=XHTML)
        for value in item.values:
            dd = sub(dl, "dd", value.prefix or None, ns=XHTML)
            if value.href:
                text = f"{value.text}: {value.href}" if value.rel == "license" else value.text
                sub(dd, "a", text, ns=XHTML, href=value.href, rel=value.rel)
            else:
                dd.text = (dd.text or "") + value.text


def render_entry(feed: etree._Element, work: Work, link: Linker) -> None:
    meta = work.meta
    entry = sub(feed, "entry")
    sub(entry, "title", meta.title)
    sub(entry, "id", entry_id(work))
    sub(entry, "updated", atom_date(entry_updated(work)))
    author = sub(entry, "author")
    sub(author, "name", meta.author)
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
    sub(entry, "summary", summary_text(meta), type="text")
    xhtml_content(entry, work)
    if work.cover:
        file_link(entry, REL_IMAGE, work.cover.image, link, "Cover")
        file_link(entry, REL_THUMBNAIL, work.cover.thumbnail, link, "Cover thumbnail")
        if work.cover.vector:
            file_link(entry, REL_IMAGE, work.cover.vector, link, "Cover (vector)")
    for file in work.files:
        file_link(entry, REL_ACQUISITION, file, link)
    sub(entry, "link", rel="alternate", href=link(f"index.html#{work.slug}"), type="text/html", title="On the library page")
    if meta.url:
        sub(entry, "link", rel="related", href=meta.url, type="text/html", title=f"The work on the {meta.source_name}")
    for lic in meta.licences:
        sub(entry, "link", rel="license", href=lic.uri, title=lic.name)


def render_feed(works: list[Work], base_url: str = "", has_opds2: bool = True) -> bytes:
    link = Linker(base_url)
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
    sub(feed, "id", f"urn:uuid:{CATALOG_ID}")
    sub(feed, "title", PAGE_TITLE)
    sub(feed, "updated", atom_date(feed_updated(works)))
    author = sub(feed, "author")
    sub(author, "name", MIA_NAME)
    sub(author, "uri", MIA_URL)
    sub(feed, "link", rel="self", href=link("catalog.xml"), type=OPDS_ACQUISITION)
    sub(feed, "link", rel="start", href=link("catalog.xml"), type=OPDS_ACQUISITION, title=PAGE_TITLE)
    sub(feed, "link", rel="alternate", href=link("index.html"), type="text/html", title="The library page")
    if has_opds2:
        sub(feed, "link", rel="alternate", href=link("catalog.json"), type="application/opds+json", title="OPDS 2.0 catalog")
    for work in works:
        render_entry(feed, work, link)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
