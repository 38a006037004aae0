"""Dates as the MIA writes them, turned into ISO 8601 only where unambiguous.

"December 1923" -> 1923-12; "January 1935" -> 1935-01; "1923." -> 1923;
"18 January 2009" -> 2009-01-18. Numeric forms such as "7.1.2007" are ambiguous
(7 January or July 1?) and are kept verbatim with no ISO reading.
"""

from __future__ import annotations

import re

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_YEAR = r"(1[5-9]\d\d|20\d\d)"
_ANY_MONTH = re.compile(rf"\b{_MONTH}(?![a-z])")
# Rule *two dates in turn*: a date line "(April 1985/March 1987)", "(October 1988/July
# 1996)" (archive/hallas/works/1985/04/sectar.htm and five more pages) names the first
# publication and a later one, each with its month and year: the work's date is the first.
# Two dates a month or two apart ("(December 1968/January 1969)", a double issue) are a
# span, with no one date, like "(February/March 1970)".
_TWO_DATES = re.compile(rf"\(?((?:\d{{1,2}}\s+)?{_MONTH}\s+{_YEAR})\s*/\s*((?:\d{{1,2}}\s+)?{_MONTH}\s+{_YEAR})\)?\.?")


def _months(iso: str) -> int:
    return int(iso[:4]) * 12 + int(iso[5:7] or 1) - 1


def iso_date(text: str | None) -> str | None:
    """The one ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) the text unambiguously names."""
    if not text:
        return None
    t = text.lower()
    first = _first_of_two_dates(t)
    if first:
        return first
    months = {MONTHS[m.group(1).rstrip(".")] for m in _ANY_MONTH.finditer(t)}
    if len(months) > 1:  # a span of months ("April–June 1938", "March-April 1913"): only the year is sure
        return _only_year(t)
    spelled = _spelled_date(t)
    if spelled:
        return spelled
    if re.fullmatch(r"\W*(?:\d{4}-\d{2}(?:-\d{2})?)\W*", t):
        return _numeric_iso_date(t)
    if re.search(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", t):
        return None  # numeric day/month forms are ambiguous
    return _only_year(t)


def _first_of_two_dates(t: str) -> str | None:
    """Rule *two dates in turn*: the first of two dates more than two months apart, else None."""
    turns = _TWO_DATES.fullmatch(t.strip())
    if not turns:
        return None
    first, then = iso_date(turns.group(1)), iso_date(turns.group(4))
    if first and then and _months(then) - _months(first) > 2:
        return first
    return None


def _spelled_date(t: str) -> str | None:
    """A date with its month in words: "18 january 2009", "january 18, 2009", "january 2009"."""
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s*{_YEAR}\b", t)
    if m:
        return f"{m.group(3)}-{MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
    m = re.search(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", t)
    if m:
        return f"{m.group(3)}-{MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}"
    m = re.search(rf"\b{_MONTH},?\s+{_YEAR}\b", t)
    if m:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    return None


def _numeric_iso_date(t: str) -> str | None:
    """A text that is an ISO date already ("1923-12", "2009-01-18"), checked as one: "1961-64"
    and "1925-27" are spans of years, no one date."""
    found = re.search(r"(\d{4})-(\d{2})(?:-(\d{2}))?", t)
    if found is None:
        return None
    if 1 <= int(found.group(2)) <= 12 and (found.group(3) is None or 1 <= int(found.group(3)) <= 31):
        return found.group(0)
    return None


def _only_year(t: str) -> str | None:
    """The year the text names, when it names exactly one."""
    years: list[str] = re.findall(rf"\b{_YEAR}\b", t)
    return years[0] if len(set(years)) == 1 else None


# Rule *a later edition is no date of the work*: "1971 (1975 reprint)", "1887, revised in
# 1903", "First published in Russian in 1973. English version: Moscow, Progress Publishers
# 1978" (archive/grant/*, archive/kautsky/1903/*, archive/lenin/*): what follows a
# reprint, revision or translation word, or the line's first sentence, dates another edition.
_LATER_EDITION = re.compile(
    r"\([^()]*\b(?:reprint\w*|republi\w*|edition|ed\.|revised|translat\w*)[^()]*\)"
    r"|[,;]?\s*\b(?:revised|reprinted|republished|re-?issued|translated|this\s+translation|english\s+version)\b.*$"
    r"|(?<![A-Z][a-z])(?<!\b[A-Za-z])\.\s+(?=[A-Z]).*$",
    re.I | re.S,
)
# Rule *a span of dates*: "1927-1931", "December 1956-January 1957", "December 1966–January
# 1967" (a double issue), "1918 to 1921": no one date, but a first and a last. Not a slash:
# "(1955/1974)" (archive/cliff/*, archive/mandel/*) is a first date and a later edition's.
# Not more than MAX_SPAN_YEARS: "(1930 – 2003)", "(1901-1988)" under a title are a life.
MAX_SPAN_YEARS = 10
# A line that says when the work was written ("Written: 1948-66", archive/history/gatt) may
# name a longer span than a citation's line, where two years far apart are rather two dates.
MAX_WRITTEN_SPAN_YEARS = 25
_SPAN = re.compile(
    rf"((?:{_MONTH}\s+)?{_YEAR})\s*(?:[-–—]|\bto\b)\s*((?:{_MONTH}\s+)?{_YEAR}|\d\d(?![\d/.]))\b",
    re.I,
)


def work_date(text: str | None) -> str | None:
    """The date of the work a dated line names: :func:`iso_date`, else rule *a later edition is
    no date of the work* (the date before a reprint, revision or translation, or the first
    sentence's)."""
    found = iso_date(text)
    if found or not text:
        return found
    first = _LATER_EDITION.sub("", text).strip()
    return iso_date(first) if first and first != text.strip() else None


def date_span(text: str | None, longest: int = MAX_SPAN_YEARS) -> tuple[str, str, str] | None:
    """Rule *a span of dates*: the first and last ISO dates of the one span the text names
    (when it names no one date), and the span's words as printed; an end year in two
    digits ("1948-66") is in the first year's century."""
    if not text or iso_date(text):
        return None
    spans = list(_SPAN.finditer(text))
    if len(spans) != 1:
        return None
    end = spans[0].group(4)
    first = iso_date(spans[0].group(1))
    if first and re.fullmatch(r"\d\d", end):
        end = first[:2] + end
    last = iso_date(end)
    if first and last and first < last and int(last[:4]) - int(first[:4]) <= longest:
        return first, last, spans[0].group(0)
    return None


def date_phrase(text: str | None) -> str | None:
    """The words of ``text`` that name its date, as printed ("January 9, 1909" out of
    "Justice, January 9, 1909 p. 5"), for a date read from a longer line."""
    if not text or not work_date(text):
        return None
    for pattern in (
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s*{_YEAR}\b",
        rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}\b",
        rf"\b{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_YEAR}\b",
    ):
        m = re.search(pattern, text, re.I)
        if m:
            return m.group(0)
    return None
