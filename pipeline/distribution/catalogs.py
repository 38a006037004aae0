"""The structure both catalogs share: which feeds exist, what they list, how they page.

OPDS 1.2 (:mod:`.opds`) and OPDS 2.0 (:mod:`.opds2`) render the same specs, so the two
catalogs always mirror each other: the root navigation feed (by author, by year, by
language, new, all), navigation feeds of authors, years and languages, and paged
acquisition feeds (50 entries a page) for each author, year, language, the newest
works, all works and each search word.

Search, for reading apps: a static site cannot answer a query, so the OpenSearch
template points at pre-built result feeds, one per word of the titles and authors
(``opds/search/<word>.xml``, the word case-folded). This serves the search apps make
most (an author's name, a word of a title) with no server and no JavaScript, which
reading apps do not run; a full-text search would need an index per phrase, so full
text is left to the site's Pagefind search. A word not in any title or author gives a
404, which apps show as "no results".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from pipeline.distribution.library import WORKS_PER_PAGE, Library, Page, page_name, paginate
from pipeline.distribution.works import Work

MIN_WORD = 3
STOP_WORDS = frozenset("the and for with from that this into its our their his her are was were not but".split())


@dataclass
class NavEntry:
    title: str
    base: str  # feed base path (without .xml/.json), relative to editions/
    summary: str
    kind: str  # "navigation" or "acquisition"
    rel: str | None = None  # e.g. http://opds-spec.org/sort/new


@dataclass
class Facet:
    group: str
    title: str
    base: str
    count: int
    active: bool = False


@dataclass
class Feed:
    """One logical feed; ``pages`` gives its pages (1 for a navigation feed)."""

    base: str
    title: str
    kind: str  # "navigation" or "acquisition"
    works: list[Work] = field(default_factory=list)
    entries: list[NavEntry] = field(default_factory=list)
    facet_key: str = ""  # which facet is active on it
    up: str = "catalog"

    def pages(self) -> list[Page[Work | NavEntry]]:
        """Its pages: of works (an acquisition feed) or of entries (a navigation feed)."""
        items: list[Work | NavEntry] = [*self.works] if self.kind == "acquisition" else [*self.entries]
        return paginate(items, WORKS_PER_PAGE)

    def works_on(self, number: int) -> list[Work]:
        """The works on page ``number`` (1-based) of an acquisition feed."""
        return paginate(self.works, WORKS_PER_PAGE)[number - 1].items

    def entries_on(self, number: int) -> list[NavEntry]:
        """The entries on page ``number`` (1-based) of a navigation feed."""
        return paginate(self.entries, WORKS_PER_PAGE)[number - 1].items

    def href(self, number: int, ext: str) -> str:
        return page_name(self.base, number, ext)


def search_words(text: str) -> set[str]:
    """The words a search feed is made for: case-folded, NFC, letters and digits only."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())
    return {w for w in words if len(w) >= MIN_WORD and w not in STOP_WORDS and not w.isdigit()}


def search_base(word: str) -> str:
    """The feed base of a search word; non-ASCII letters are percent-encoded in links only."""
    return f"opds/search/{word}"


def quote_href(href: str) -> str:
    return quote(href, safe="/:#?=&%-._~")


def facets(library: Library, active: str) -> list[Facet]:
    """OPDS 1.2 section 4.3 facets offered on every acquisition feed: order and language."""
    out = [
        Facet("Order", "By author", "opds/all", len(library.works), active == "all"),
        Facet("Order", "Newest first", "opds/new", len(library.works), active == "new"),
    ]
    out += [
        Facet("Language", g.label, f"opds/language/{g.key}", len(g.works), active == f"language/{g.key}")
        for g in library.languages
    ]
    return out


def feeds(library: Library) -> Iterator[Feed]:
    n = len(library.works)
    yield Feed(
        "catalog",
        "Editions from the Marxists Internet Archive",
        "navigation",
        entries=[
            NavEntry("By author", "opds/authors", f"{len(library.authors)} authors", "navigation"),
            NavEntry("By year", "opds/years", f"{len(library.years)} years", "navigation"),
            NavEntry("By language", "opds/languages", f"{len(library.languages)} languages", "navigation"),
            NavEntry(
                "New",
                "opds/new",
                "The works most recently added, newest first",
                "acquisition",
                "http://opds-spec.org/sort/new",
            ),
            NavEntry("All", "opds/all", f"All {n} works, by author", "acquisition"),
        ],
        up="",
    )
    yield Feed(
        "opds/authors",
        "Authors",
        "navigation",
        entries=[
            NavEntry(
                g.label,
                f"opds/author/{g.key}",
                f"{len(g.works)} works" + (f", {g.years}" if g.years else ""),
                "acquisition",
            )
            for g in library.authors
        ],
    )
    yield Feed(
        "opds/years",
        "Years",
        "navigation",
        entries=[
            NavEntry(g.label, f"opds/year/{g.key}", f"{len(g.works)} works", "acquisition") for g in library.years
        ],
    )
    yield Feed(
        "opds/languages",
        "Languages",
        "navigation",
        entries=[
            NavEntry(g.label, f"opds/language/{g.key}", f"{len(g.works)} works", "acquisition")
            for g in library.languages
        ],
    )
    yield Feed("opds/all", "All works", "acquisition", works=library.works, facet_key="all")
    yield Feed("opds/new", "New", "acquisition", works=library.newest, facet_key="new")
    for g in library.authors:
        yield Feed(f"opds/author/{g.key}", g.label, "acquisition", works=g.works, up="opds/authors")
    for g in library.years:
        yield Feed(f"opds/year/{g.key}", f"Written in {g.label}", "acquisition", works=g.works, up="opds/years")
    for g in library.languages:
        yield Feed(
            f"opds/language/{g.key}",
            f"In {g.label}",
            "acquisition",
            works=g.works,
            facet_key=f"language/{g.key}",
            up="opds/languages",
        )
    index: dict[str, list[Work]] = {}
    for work in library.works:
        for word in search_words(f"{work.meta.title} {work.meta.author}"):
            index.setdefault(word, []).append(work)
    for word in sorted(index):
        yield Feed(search_base(word), f"Search: {word}", "acquisition", works=index[word])
