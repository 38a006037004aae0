"""The published works grouped the ways readers look for them, and cut into pages.

One model for the site and both catalogs, so the HTML pages, the OPDS 1.2 feeds and
the OPDS 2.0 feeds always list the same works in the same order on the same pages:
by author (family name first), by year of writing, by language, newest additions, all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pipeline.authors.authority import UNSIGNED
from pipeline.distribution.works import Work, sort_key
from pipeline.master.read import AuthorInfo

T = TypeVar("T")
WORKS_PER_PAGE = 50  # the page size for acquisition feeds; the HTML lists page alike
NAMES_PER_PAGE = 200  # authors per index page: about 20 kB of HTML
WITHHELD_PER_PAGE = 100  # withheld works per page, each with its reason: about 30 kB of HTML
UNDATED = "undated"

# ISO 639 codes the MIA's works are written in, named in English for the browse pages;
# any other code is shown as it is (no external lookup, no extra dependency).
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "zh": "Chinese",
    "ja": "Japanese",
    "nl": "Dutch",
    "sv": "Swedish",
    "pl": "Polish",
    "el": "Greek",
    "tr": "Turkish",
    "ar": "Arabic",
    "fa": "Persian",
    "he": "Hebrew",
    "yi": "Yiddish",
    "cs": "Czech",
    "hu": "Hungarian",
    "ro": "Romanian",
    "bg": "Bulgarian",
    "sr": "Serbian",
    "hr": "Croatian",
    "uk": "Ukrainian",
    "fi": "Finnish",
    "da": "Danish",
    "no": "Norwegian",
    "ko": "Korean",
    "vi": "Vietnamese",
    "id": "Indonesian",
    "hi": "Hindi",
    "bn": "Bengali",
    "ta": "Tamil",
    "ca": "Catalan",
    "eo": "Esperanto",
    "sq": "Albanian",
    "ku": "Kurdish",
    "tl": "Tagalog",
    "ur": "Urdu",
    "mk": "Macedonian",
    "sl": "Slovenian",
}


def language_name(code: str) -> str:
    base = code.split("-")[0].lower()
    return LANGUAGE_NAMES.get(base, code)


def slugify(text: str) -> str:
    """ASCII slug of a name for a file name ('Роза Люксембург' keeps its letters' code points)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if not slug:  # a name in a non-Latin script: its code points, stable and unique
        slug = "u" + "-".join(f"{ord(c):x}" for c in text if c.isalnum())[:60]
    return slug


@dataclass
class Page(Generic[T]):
    """One page of a paged list: its items, its number (1-based) and the page count."""

    items: list[T]
    number: int
    count: int


def paginate(items: Sequence[T], size: int) -> list[Page[T]]:
    """Always at least one page, so an empty list still has a (valid, empty) page."""
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]
    return [Page(chunk, n + 1, len(chunks)) for n, chunk in enumerate(chunks)]


def page_name(base: str, number: int, ext: str) -> str:
    """``authors/trotsky-leon`` page 1 -> ``authors/trotsky-leon.html``, page 2 -> ``...-2.html``."""
    return f"{base}.{ext}" if number == 1 else f"{base}-{number}.{ext}"


@dataclass
class Group:
    """Works sharing an author, a year or a language; ``key`` names its files."""

    key: str
    label: str
    works: list[Work] = field(default_factory=list)
    sort_as: str = ""
    life: str = ""  # an author's life dates, "1854–1925", from the author authority

    @property
    def years(self) -> str:
        """The span of the years its works were written, e.g. '1905–1940'."""
        years = sorted({w.meta.year for w in self.works if w.meta.year})
        if not years:
            return ""
        return years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


@dataclass
class Library:
    works: list[Work]  # by author, then date, then title
    authors: list[Group]
    years: list[Group]  # oldest first; undated last
    languages: list[Group]
    newest: list[Work]  # most recently ingested first
    author_of: dict[str, list[Group]]  # work slug -> its authors' groups, in the page's order

    @property
    def by_title(self) -> list[Work]:
        return sorted(self.works, key=lambda w: (w.meta.title.casefold(), w.slug))


def work_year_key(work: Work) -> tuple[str, str, str]:
    return (work.meta.date_iso or "9999", work.meta.title.casefold(), work.slug)


def life_dates(person: AuthorInfo) -> str:
    """ "1854–1925", "died 1925", or "" when the authority knows no dates."""
    if person.born and person.died:
        return f"{person.born}–{person.died}"
    return f"died {person.died}" if person.died else ""


def build_library(works: list[Work]) -> Library:
    works = sorted(works, key=lambda w: sort_key(w.meta))
    authors: dict[str, Group] = {}  # one per person of the author authority, by key
    author_of: dict[str, list[Group]] = {}
    for work in works:
        for person in work.meta.people:
            if person.key == UNSIGNED:  # a breadcrumb or a periodical in the author's place: no author page
                continue
            key = slugify(person.key or person.file_as)
            group = authors.get(key)
            if group is None:
                group = authors[key] = Group(key, person.name, sort_as=person.file_as, life=life_dates(person))
            group.works.append(work)
            author_of.setdefault(work.slug, []).append(group)
    for group in authors.values():
        group.works.sort(key=work_year_key)
    years: dict[str, Group] = {}
    languages: dict[str, Group] = {}
    for work in works:
        year = work.meta.year or UNDATED
        years.setdefault(year, Group(year, year if year != UNDATED else "Undated")).works.append(work)
        code = work.meta.language or "und"
        languages.setdefault(code, Group(slugify(code), language_name(code), sort_as=language_name(code))).works.append(
            work
        )
    for group in list(years.values()) + list(languages.values()):
        group.works.sort(key=lambda w: sort_key(w.meta))
    newest = sorted(works, key=lambda w: (w.meta.ingest_date or "", w.slug), reverse=True)
    return Library(
        works=works,
        authors=sorted(authors.values(), key=lambda g: (g.sort_as.casefold(), g.key)),
        years=sorted(years.values(), key=lambda g: (g.key == UNDATED, g.key)),
        languages=sorted(languages.values(), key=lambda g: (g.sort_as.casefold(), g.key)),
        newest=newest,
        author_of=author_of,
    )
