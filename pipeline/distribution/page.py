"""The HTML every page of the library site shares: skeleton, navigation, pagination.

Each page is a static, self-standing HTML file that works from a web server, a USB stick
or ``file://``: it links one local stylesheet (``library.css``) and nothing from
elsewhere, and needs no script (only the search page has one, for Pagefind). Links are
relative, so a mirror can serve the folder anywhere. Built with lxml so every text is
escaped by the serializer rather than by hand.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from urllib.parse import quote

from lxml import etree, html

from pipeline import __version__
from pipeline.distribution.attribution import listing
from pipeline.distribution.works import PublishedFile, Work, human_size
from pipeline.master.attribution import Item, Value, display_date
from pipeline.master.read import EditionMeta
from pipeline.paths import DATA_DIR
from pipeline.reproducible import edition_date

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


# The site's icon: an open book in the library's red, inline (a data: URL) so that no page
# needs one more file and a page saved alone keeps it.
FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#8c1515"/>'
    '<path d="M5 9c4-1.5 7.5-1 11 1.5C19.5 8 23 7.5 27 9v15c-4-1.5-7.5-1-11 1.5C12.5 23 9 22.5 5 24z" fill="#fbf8f1"/>'
    '<path d="M16 10.5v15" stroke="#8c1515" stroke-width="1.5"/></svg>'
)
FAVICON = "data:image/svg+xml," + quote(FAVICON_SVG, safe=":/=.")
WORDS_PER_MINUTE = 238  # silent reading of non-fiction by adults (Brysbaert 2019)


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
        el("link", parent=head, rel="icon", type="image/svg+xml", href=FAVICON)
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
        day = build_date.date().isoformat()
        made = (  # a reproducible build has a date of its own only under SOURCE_DATE_EPOCH
            f"Built {day} by mia-pipeline {__version__} from the TEI masters."
            if edition_date()
            else f"Made by mia-pipeline {__version__} from the TEI masters of sources retrieved up to {day}."
        )
        el("p", made, parent=footer)

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


# ---- the work page's facts as a reader reads them -----------------------------------------

MONTHS = "january february march april may june july august september october november december".split()
DATE_WORD = re.compile(
    r"\d{1,4}(st|nd|rd|th)?s?|c\.?|ca\.?|circa|early|late|mid|spring|summer|autumn|fall|winter|end|beginning|"
    r"of|and|or|to|between|about|around|approximately|the|n\.?d\.?|"
    + "|".join(f"{m}|{m[:3]}\\.?|{m[:4]}\\.?" for m in MONTHS)
)
UNDATED = frozenset(("undated", "unknown", "date unknown", "not dated", "n.d.", "n. d."))
# "Source: ", "First Published: ": the MIA's labels, which the page's own terms replace
SOURCE_LABEL = re.compile(r"^(source|first published|published|originally published)\s*:\s*", re.IGNORECASE)


def is_date(text: str) -> bool:
    """Only a date: numbers, month names, "circa", "early"... and punctuation, a year at
    least; or the source's word for no date ("undated")."""
    if text.strip().casefold() in UNDATED:
        return True
    tokens = re.findall(r"[^\W_]+\.?|[^\w\s]", text)
    return any(t[:1].isdigit() for t in tokens) and all(
        DATE_WORD.fullmatch(t.casefold()) or not t[:1].isalnum() for t in tokens
    )


def readable_date(iso: str) -> str:
    """``1922-03-27`` -> ``27 March 1922``; ``1922-03`` -> ``March 1922``; a year as it is."""
    parts = iso.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = MONTHS[int(parts[1]) - 1].capitalize()
        day = f"{int(parts[2])} " if len(parts) > 2 and parts[2].isdigit() else ""
        return f"{day}{month} {parts[0]}"
    return parts[0]


def reader_items(meta: EditionMeta) -> list[Item]:
    """The listing's facts for the work page, labelled once: the source's own labels
    ("Source:", "First Published:") give way to the page's terms, and a "Written" line that
    describes rather than dates the work ("Speech to the 11th Party Congress, 1922") is
    shown as the source's words after the date itself."""
    out: list[Item] = []
    for item in listing(meta):
        if item.key == "author":
            continue  # the author heads the page
        if item.key == "date":
            text = display_date(meta) or ""
            if is_date(text):
                out.append(item)
                continue
            if meta.date_iso:
                out.append(Item("date", "Written", (Value(readable_date(meta.date_iso)),)))
            out.append(Item("date-note", "As the source dates it", (Value(text),)))
        elif item.key == "publication":
            first: list[Value] = []
            rest: list[Value] = []
            for value in item.values:
                label = SOURCE_LABEL.match(value.text)
                plain = Value(value.text[label.end() :] if label else value.text)
                (first if label and label.group(1).casefold() == "first published" else rest).append(plain)
            out += [Item("publication", item.term, tuple(rest))] if rest else []
            out += [Item("first-published", "First published", tuple(first))] if first else []
        else:
            out.append(item)
    return out


def extent(words: int) -> str:
    """``12,345 words, about 52 minutes to read``."""
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
    if minutes < 60:
        time = f"{minutes} minute{'s' if minutes > 1 else ''}"
    else:
        hours, rest = divmod(minutes, 60)
        time = f"{hours} h {rest:02d} min"
    return f"{words:,} word{'s' if words != 1 else ''}, about {time} to read"
