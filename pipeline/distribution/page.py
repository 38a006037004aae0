"""The HTML every page of the library site shares: skeleton, navigation, pagination.

Each page is a static, self-standing HTML file that works from a web server, a USB stick
or ``file://``: it links one local stylesheet (``library.css``) and nothing from
elsewhere, and needs no script (only the search page has one, for Pagefind). Links are
relative, so a mirror can serve the folder anywhere. Built with lxml so every text is
escaped by the serializer rather than by hand.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree, html

from pipeline import __version__
from pipeline.distribution.works import PublishedFile, Work, human_size
from pipeline.paths import DATA_DIR

PAGE_TITLE = "Editions from the Marxists Internet Archive"
SITE_NAME = "MIA Editions"
OPDS_ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS_NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
STYLESHEET = "library.css"

# The site's sections, in the order of the navigation bar: (href from editions/, label).
SECTIONS = (
    ("authors/index.html", "Authors"),
    ("years/index.html", "Years"),
    ("languages/index.html", "Languages"),
    ("works/index.html", "All works"),
    ("search.html", "Search"),
)


def stylesheet() -> bytes:
    return (DATA_DIR / "library.css").read_bytes()


def el(tag: str, text: str | None = None, parent: etree._Element | None = None, **attrs: str | None) -> etree._Element:
    """An HTML element; ``class_`` for class, ``aria_label`` for aria-label and so on."""
    attrib = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v is not None}
    node = etree.SubElement(parent, tag, attrib) if parent is not None else etree.Element(tag, attrib)
    if text is not None:
        node.text = text
    return node


def tail(node: etree._Element, text: str) -> None:
    node.tail = (node.tail or "") + text


def up(path: str) -> str:
    """The prefix from the page at ``path`` (relative to editions/) back to editions/."""
    return "../" * path.count("/")


def download_item(file: PublishedFile, work: Work, parent: etree._Element, prefix: str = "") -> None:
    li = el("li", parent=parent)
    a = el("a", file.label, parent=li, href=prefix + file.href, type=file.media_type, download="")
    el("span", f" of {work.meta.title}", parent=a, class_="visually-hidden")
    detail = el("span", f"{file.description}, {human_size(file.size)}", parent=li, class_="detail")
    detail.set("title", f"{file.size} bytes")


class Document:
    """One page of the site: ``body`` and ``main`` to fill, then :meth:`render`."""

    def __init__(self, path: str, title: str, build_date: datetime, description: str = "") -> None:
        self.path, self.prefix = path, up(path)
        self.root = el("html", lang="en")
        head = el("head", parent=self.root)
        el("meta", parent=head, charset="utf-8")
        el("meta", parent=head, name="viewport", content="width=device-width, initial-scale=1")
        el("title", title if title == PAGE_TITLE else f"{title} · {SITE_NAME}", parent=head)
        el(
            "meta",
            parent=head,
            name="description",
            content=description
            or "Free e-book, PDF, plain-text and TEI editions of works from the Marxists Internet Archive.",
        )
        el("meta", parent=head, name="generator", content=f"mia-pipeline {__version__}")
        el("link", parent=head, rel="stylesheet", href=self.prefix + STYLESHEET)
        el(
            "link",
            parent=head,
            rel="start",
            type=OPDS_NAVIGATION,
            href=self.prefix + "catalog.xml",
            title="OPDS catalog",
        )
        el(
            "link",
            parent=head,
            rel="search",
            type="application/opensearchdescription+xml",
            href=self.prefix + "opensearch.xml",
            title=SITE_NAME,
        )
        self.head = head
        self.body = el("body", parent=self.root)
        el("a", "Skip to the content", parent=self.body, href="#main", class_="skip-link")
        header = el("header", parent=self.body, class_="site-header")
        p = el("p", parent=header, class_="site-name")
        el("a", PAGE_TITLE, parent=p, href=self.prefix + "index.html")
        nav = el("nav", parent=header, class_="site-nav", aria_label="Sections")
        ul = el("ul", parent=nav)
        for href, label in SECTIONS:
            a = el("a", label, parent=el("li", parent=ul), href=self.prefix + href)
            if href == path:
                a.set("aria-current", "page")
        self.main = el("main", parent=self.body, id="main", tabindex="-1")
        self.footer(build_date)

    def footer(self, build_date: datetime) -> None:
        footer = el("footer", parent=self.body, class_="site-footer")
        p = el("p", "For reading apps (KOReader, Thorium, Calibre, Moon+ Reader): the ", parent=footer)
        tail(el("a", "OPDS catalog", parent=p, href=self.prefix + "catalog.xml", type=OPDS_NAVIGATION), " (also as ")
        tail(el("a", "OPDS 2.0", parent=p, href=self.prefix + "catalog.json", type="application/opds+json"), ").")
        p = el("p", "To check a copy: ", parent=footer)
        tail(
            el("a", "SHA256SUMS", parent=p, href=self.prefix + "SHA256SUMS", type="text/plain"),
            " lists the SHA-256 of every file here (",
        )
        tail(el("code", "sha256sum -c SHA256SUMS", parent=p), "); ")
        tail(
            el("a", "library.json", parent=p, href=self.prefix + "library.json", type="application/json"),
            " says which build this is.",
        )
        el(
            "p",
            f"Built {build_date.date().isoformat()} by mia-pipeline {__version__} from the TEI masters.",
            parent=footer,
        )

    def render(self) -> bytes:
        # the footer was built first; keep header, main, footer in document order
        footer = self.body.find("footer")
        self.body.remove(footer)
        self.body.append(footer)
        out: str = html.tostring(
            self.root, doctype="<!DOCTYPE html>", encoding="unicode", method="html", pretty_print=True
        )
        return out.encode("utf-8")


def pagination(doc: Document, base: str, number: int, count: int, label: str = "Pages") -> None:
    """First/previous/next/last links of a paged list (nothing when it has one page)."""
    if count <= 1:
        return
    from pipeline.distribution.library import page_name

    nav = el("nav", parent=doc.main, class_="pages", aria_label=label)
    ul = el("ul", parent=nav)

    def link(text: str, n: int, rel: str | None = None) -> None:
        el("a", text, parent=el("li", parent=ul), href=doc.prefix + page_name(base, n, "html"), rel=rel)

    if number > 1:
        link("« First", 1)
        link("‹ Previous", number - 1, "prev")
    el("li", f"Page {number} of {count}", parent=ul, aria_current="page")
    if number < count:
        link("Next ›", number + 1, "next")
        link("Last »", count)
