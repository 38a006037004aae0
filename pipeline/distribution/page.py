"""``editions/index.html``: the static library page.

One self-contained HTML file (the stylesheet inlined, no script, nothing fetched from
elsewhere) that works from a web server, a USB stick or ``file://``. Each work is an
``article`` with its cover, title, author and the same attribution as the books'
colophon, then its downloads with their sizes. Built with lxml so every text is escaped
by the serializer rather than by hand.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources

from lxml import etree, html

from pipeline import __version__
from pipeline.distribution.attribution import Item, attribution
from pipeline.distribution.works import PublishedFile, Work, human_size

PAGE_TITLE = "Editions from the Marxists Internet Archive"
OPDS_ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"


def stylesheet() -> str:
    return resources.files("pipeline").joinpath("data/library.css").read_text(encoding="utf-8")


def el(tag: str, text: str | None = None, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    """An HTML element; ``class_`` for class, ``aria_label`` for aria-label and so on."""
    attrib = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v is not None}
    node = etree.SubElement(parent, tag, attrib) if parent is not None else etree.Element(tag, attrib)
    if text is not None:
        node.text = text
    return node


def tail(node: etree._Element, text: str) -> None:
    node.tail = (node.tail or "") + text


def render_items(items: list[Item], parent: etree._Element) -> None:
    dl = el("dl", parent=parent, class_="attribution")
    for item in items:
        el("dt", item.term, parent=dl)
        for value in item.values:
            dd = el("dd", value.prefix or None, parent=dl)
            if value.href:
                a = el("a", value.text, parent=dd, href=value.href, rel=value.rel)
                if value.rel == "license":
                    a.text = f"{value.text}: {value.href}"
            else:
                dd.text = (dd.text or "") + value.text


def download_item(file: PublishedFile, work: Work, parent: etree._Element) -> None:
    li = el("li", parent=parent)
    a = el("a", file.label, parent=li, href=file.href, type=file.media_type, download="")
    el("span", f" of {work.meta.title}", parent=a, class_="visually-hidden")
    detail = el("span", f"{file.description}, {human_size(file.size)}", parent=li, class_="detail")
    detail.set("title", f"{file.size} bytes")


def render_work(work: Work, parent: etree._Element, eager: bool = False) -> None:
    meta = work.meta
    heading_id = f"title-{meta.slug}"
    article = el("article", parent=parent, class_="work", id=meta.slug, lang=meta.language)
    article.set("aria-labelledby", heading_id)
    if work.cover:
        image = work.cover.image
        figure = el("figure", parent=article, class_="cover")
        el(
            "img",
            parent=figure,
            src=image.href,
            alt=f"Cover: {meta.title}, by {meta.author}" + (f", {meta.year}" if meta.year else ""),
            width=str(image.width) if image.width else None,
            height=str(image.height) if image.height else None,
            loading=None if eager else "lazy",  # the first covers are in view at once
            decoding="async",
        )
    body = el("div", parent=article, class_="details")
    el("h2", meta.title, parent=body, id=heading_id)
    el("p", meta.author, parent=body, class_="author")
    # The author is already under the title; the rest is the colophon's attribution.
    render_items([item for item in attribution(meta) if item.term != "Author"], body)
    downloads_id = f"downloads-{meta.slug}"
    el("h3", "Download", parent=body, id=downloads_id)
    ul = el("ul", parent=body, class_="downloads")
    ul.set("aria-labelledby", downloads_id)
    for file in work.files:
        download_item(file, work, ul)


def render_page(works: list[Work], build_date: datetime, has_opds2: bool = True) -> bytes:
    root = el("html", lang="en")
    head = el("head", parent=root)
    el("meta", parent=head, charset="utf-8")
    el("meta", parent=head, name="viewport", content="width=device-width, initial-scale=1")
    el("title", PAGE_TITLE, parent=head)
    el("meta", parent=head, name="description", content="Free e-book, PDF, plain-text and TEI editions of works from the Marxists Internet Archive.")
    el("meta", parent=head, name="generator", content=f"mia-pipeline {__version__}")
    el("link", parent=head, rel="alternate", type=OPDS_ACQUISITION, href="catalog.xml", title="OPDS catalog")
    if has_opds2:
        el("link", parent=head, rel="alternate", type="application/opds+json", href="catalog.json", title="OPDS 2.0 catalog")
    el("style", "\n" + stylesheet(), parent=head)

    body = el("body", parent=root)
    el("a", "Skip to the works", parent=body, href="#main", class_="skip-link")
    header = el("header", parent=body, class_="site-header")
    el("h1", PAGE_TITLE, parent=header)
    el(
        "p",
        f"{len(works)} work{'s' if len(works) != 1 else ''}, free to read, copy and share under the licence each one states. "
        "Every edition credits its transcribers and links to its source.",
        parent=header,
    )
    if len(works) > 1:
        nav = el("nav", parent=header, class_="contents", aria_labelledby="contents-heading")
        el("h2", "Works", parent=nav, id="contents-heading")
        ol = el("ol", parent=nav)
        for work in works:
            li = el("li", parent=ol)
            a = el("a", work.meta.title, parent=li, href=f"#{work.slug}")
            tail(a, f" ({work.meta.author})")

    main = el("main", parent=body, id="main", tabindex="-1")
    el("h2", "The works", parent=main, class_="visually-hidden")
    if not works:
        el("p", "No works are published yet.", parent=main)
    for index, work in enumerate(works):
        render_work(work, main, eager=index < 2)

    footer = el("footer", parent=body, class_="site-footer")
    p = el("p", "For reading apps (KOReader, Thorium, Calibre, Moon+ Reader): subscribe to the ", parent=footer)
    el("a", "OPDS catalog", parent=p, href="catalog.xml", type=OPDS_ACQUISITION)
    if has_opds2:
        tail(p[-1], " (also as ")
        tail(el("a", "OPDS 2.0", parent=p, href="catalog.json", type="application/opds+json"), ").")
    else:
        tail(p[-1], ".")
    p = el("p", "To check a copy: ", parent=footer)
    tail(el("a", "SHA256SUMS", parent=p, href="SHA256SUMS", type="text/plain"), " lists the SHA-256 of every file here (")
    tail(el("code", "sha256sum -c SHA256SUMS", parent=p), ").")
    el("p", f"Built {build_date.date().isoformat()} by mia-pipeline {__version__} from the TEI masters.", parent=footer)

    out = html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html", pretty_print=True)
    return out.encode("utf-8")
