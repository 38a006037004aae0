"""What a copy of the MIA site says about its authors: the evidence the authority is built from.

Three kinds of line, read with plain patterns from each page's first bytes (the head is
all that names an author; no page is parsed as a work here):

- the author index page ``archive/<folder>/index.htm``: its ``<title>`` ("Otto Bauer
  Internet Archive") and the first life dates in its text ("1881-1938", "1854 – 1925");
- every page's ``<meta name="author">``;
- every page's author line, the ``h2`` or ``p.title`` right above its ``h1``.

Each line is split into people (:func:`pipeline.authors.credits.split_line`) and each
name is counted with the page's folder and language (a page that mentions a translation
is no evidence of the language its author wrote in).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.authors.credits import YEAR, Credit, split_line
from pipeline.mia import LANGUAGE_FOLDERS, PAGE_FILE

HEAD_BYTES = 8000
META_AUTHOR = re.compile(rb"<meta\s+name=[\"']?author[\"']?[^>]*?content=[\"']([^\"']+)", re.I)
# the h2, h3 or p above the h1, with nothing between but tags, blank space ("<p>&#160;</p>",
# the archive's spacer paragraph) and lower headings (a column's or a series' name, "Obituary")
LINE_ABOVE_H1 = re.compile(
    rb"<(h2|h3|p)(?:\s[^>]*)?>((?:(?!</?\1\b).)*?)</\1>\s*"
    rb"(?:(?:<h([3-6])\b[^>]*>(?:(?!</?h\d).){0,200}</h\3>|<(?!h1)[^>]+>|&(?:nbsp|#160);)\s*)*<h1",
    re.I | re.S,
)
HTML_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.I)
TITLE = re.compile(rb"<title>(.*?)</title>", re.I | re.S)
TAG = re.compile(r"<[^>]+>")
BREAK = re.compile(rb"<br\s*/?>", re.I)
TRANSLATED = re.compile(rb"translat", re.I)
INDEX_SUFFIX = re.compile(
    r"\s*(?:Internet\s+)?(?:Reference\s+)?Archives?\s*$|^(?:The|MIA Library:|Marxist Writers:)\s+", re.I
)
# "(as Max Turov)", "(review, as John Liang)", "(written as Colin Humphreys)"
PEN_NAME_AS = re.compile(r"\((?:[^()]*?,\s*|(?:written|writing|wrote)\s+)?as ([A-Z][^(),]{1,40}?)\)")
INDEX_DATES = re.compile(rf"\(?\b({YEAR})\s*(?:-|–|—)\s*({YEAR})\b\)?")


@dataclass
class Seen:
    """One spelling of one person's name, as the site uses it."""

    count: int = 0
    folders: Counter[str] = field(default_factory=Counter)
    languages: set[str] = field(default_factory=set)
    born: int | None = None
    died: int | None = None
    dates_source: str | None = None
    pen_names: set[str] = field(default_factory=set)
    bylines: int = 0  # of them in an author line (a meta may name the transcriber)


@dataclass
class IndexPage:
    """An author index page: the name its title gives, the life dates its text gives."""

    folder: str
    name: str
    born: int | None
    died: int | None
    path: str
    pen_names: list[str] = field(default_factory=list)  # "(as Max Turov)", "(review, as John Liang)"


@dataclass
class Survey:
    names: dict[str, Seen] = field(default_factory=dict)
    index_pages: dict[str, IndexPage] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)


def text(raw: bytes) -> str:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("cp1252", errors="replace")
    return " ".join(html.unescape(TAG.sub(" ", decoded)).split())


def page_language(rel: Path, head: bytes) -> str:
    folder_language = LANGUAGE_FOLDERS.get(rel.parts[0])
    if folder_language:
        return folder_language
    m = HTML_LANG.search(head)
    return m.group(1).decode().lower() if m else "en"


def read_index_page(site: Path, folder: str) -> IndexPage | None:
    path = site / "archive" / folder / "index.htm"
    if not path.is_file():
        return None
    data = path.read_bytes()
    m = TITLE.search(data)
    name = INDEX_SUFFIX.sub("", INDEX_SUFFIX.sub("", text(m.group(1)))) if m else ""
    name = re.sub(r"\s*\(.*?\)\s*", " ", name).strip(' -"')
    body = text(data[data.lower().find(b"<body") :][:6000])
    born = died = None
    surname = name.split()[-1] if name.split() else ""
    start = body.find(surname) if surname else -1
    d = INDEX_DATES.search(body, max(start, 0), max(start, 0) + len(surname) + 160) if start >= 0 else None
    if d and 20 <= int(d.group(2)) - int(d.group(1)) <= 105:  # a life's span, not a range of works
        born, died = int(d.group(1)), int(d.group(2))
    pen_names = sorted({" ".join(m.group(1).split()) for m in PEN_NAME_AS.finditer(text(data))})
    return IndexPage(folder, name, born, died, f"archive/{folder}/index.htm", pen_names)


def _count(survey: Survey, credit: Credit, folder: str | None, language: str | None, where: str, byline: bool) -> None:
    seen = survey.names.setdefault(credit.name, Seen())
    seen.count += 1
    seen.bylines += byline
    if folder:
        seen.folders[folder] += 1
    if language:
        seen.languages.add(language)
    if credit.died and seen.died is None:
        seen.born, seen.died, seen.dates_source = credit.born, credit.died, where
    if credit.pen_name:
        seen.pen_names.add(credit.pen_name)


def survey_site(site: Path) -> Survey:
    """Every author line of every page of ``site`` (an unpacked copy of the MIA), counted."""
    survey = Survey()
    archive = site / "archive"
    for name in sorted(p.name for p in archive.iterdir() if p.is_dir()) if archive.is_dir() else []:
        survey.folders.add(name)
        index = read_index_page(site, name)
        if index:
            survey.index_pages[name] = index
    for path in sorted(site.rglob("*")):
        if not PAGE_FILE.search(path.name) or not path.is_file():
            continue
        rel = path.relative_to(site)
        head = path.read_bytes()[:HEAD_BYTES]
        folder = rel.parts[1] if rel.parts[0] == "archive" and len(rel.parts) > 2 else None
        language = None if TRANSLATED.search(head) else page_language(rel, head)
        lines = [(m.group(1), False) for m in META_AUTHOR.finditer(head)]
        lines += [(m.group(2), True) for m in LINE_ABOVE_H1.finditer(head)]
        for raw, byline in lines:
            for piece in BREAK.split(raw):  # "James Burnham<br>John West": two lines
                line = text(piece)
                if len(line) > 120 or line.count(",") > 3:  # a keywords list, not a byline
                    continue
                for credit in split_line(line):
                    _count(survey, credit, folder, language, rel.as_posix(), byline)
    return survey
