"""What one page of a site copy looks like, in the few facts triage needs.

Reading a page is the costly step of an import (parsing 8,914 pages is most of its
time), so it runs in worker processes and returns a small, picklable :class:`PageFacts`:
the page's title, whether it carries an MIA information block, how many words of
prose it holds outside links, and the pages it links to on the same site. Triage
(:mod:`pipeline.archive.triage`) then decides from these facts alone, over the whole
site at once, because whether a page is a chapter depends on the index that links to it.

The notions are the HTML reader's (``pipeline/readers/mia_html/page.py``): an information
block is a ``p``/``div`` of class ``information``/``info``/``infoblock``, or labelled
``span.info`` lines. The site's conventions come from :mod:`pipeline.mia`, which the
reader shares; the reading is re-stated here, not imported, because triage must stay
cheap (no full conversion of the page) and the reader is a separate concern.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from lxml import etree, html

from pipeline.mia import INFO_CLASSES, PAGE_FILE

PAGE_EXT = PAGE_FILE  # the site's page files (pipeline.mia), by the name site.py and triage.py import
MAX_PAGE_BYTES = 20 * 1024 * 1024  # the limit: a larger "page" is not an MIA page
# Elements whose text is not prose of the page.
NOT_PROSE = frozenset({"script", "style", "head", "title", "noscript"})
WORD = re.compile(r"[^\W\d_]{2,}", re.U)
HTML_SIGNS = re.compile(rb"<\s*(!doctype\s+html|html|head|body|title|p|div|h[1-6]|table|br)\b", re.I)
NUMBERED_STEM = re.compile(
    r"^(ch|chap|chapter|part|pt|sec|section|app|appendix|x|v|vol|book|lect|letter|art)?[-_]?\d+[a-z]?$", re.I
)


@dataclass
class Link:
    """A link to a page of the same site, as the site path it resolves to."""

    path: str  # posix path below ROOT, e.g. "archive/bax/1879/04/religion.htm"
    same_folder: bool


@dataclass
class PageFacts:
    path: str  # posix path below ROOT
    size: int
    sha256: str
    title: str = ""
    h1: str = ""
    info: bool = False  # an information block (p/div.information, span.info labels)
    info_free: bool = False  # its information block states a free licence
    words: int = 0  # words of prose outside links and outside the information block
    link_words: int = 0  # words inside links
    links: list[Link] = field(default_factory=list)  # same-site pages, in document order, no repeats
    index_css: bool = False  # the page uses the MIA's index stylesheets (works_index.css, ...)
    index_paras: int = 0  # p.index/p.indexb/p.toc paragraphs (the MIA's contents/listing classes)
    error: str | None = None  # why the page is unreadable, in words; None if it was read
    mtime: float = 0.0  # the file's modification time (the default retrieval date)


def unreadable(path: str, size: int, sha: str, why: str) -> PageFacts:
    return PageFacts(path=path, size=size, sha256=sha, error=why)


def looks_like_html(data: bytes) -> bool:
    """True for bytes that are a web page: no NUL bytes (binary), and HTML tags at the start."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return HTML_SIGNS.search(head) is not None


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").lower().split())


def _words(text: str | None) -> int:
    return len(WORD.findall(text)) if text else 0


def _resolve(page_path: str, href: str) -> str | None:
    """The site path a relative link points at, or None for other sites, anchors, non-pages."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        host = parts.netloc.lower()
        if parts.scheme not in ("http", "https") or host not in ("www.marxists.org", "marxists.org"):
            return None
        target = parts.path.lstrip("/")
    else:
        if not parts.path:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
    target = unquote(target)
    if target.startswith("../") or target == ".." or not PAGE_EXT.search(target):
        return None
    return target


def read_facts(path: str, data: bytes) -> PageFacts:
    """The facts of one page from its bytes (never raises for bad HTML: says so in ``error``)."""
    sha = hashlib.sha256(data).hexdigest()
    problem = _not_a_page(data)
    if problem:
        return unreadable(path, len(data), sha, problem)
    try:
        root = html.document_fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        return unreadable(path, len(data), sha, f"not parseable as HTML ({exc})")
    facts = PageFacts(path=path, size=len(data), sha256=sha)
    facts.title = _first_text(root, ".//title")
    facts.h1 = _first_text(root, ".//h1")
    facts.index_css = _uses_index_css(root)
    body = root.find("body")
    if body is None:
        body = root
    info_text = _scan_body(body, facts)
    _count_words(body, info_text, facts)
    facts.info_free = _states_free_licence(body, info_text)
    return facts


def _not_a_page(data: bytes) -> str | None:
    """Why these bytes are no web page to parse (empty, or not HTML), else None."""
    if not data.strip():
        return "empty file"
    if not looks_like_html(data):
        return "not HTML (no HTML tags at its start)"
    return None


def _first_text(root: etree._Element, xpath: str) -> str:
    """The whitespace-normalized text of the first element found, cut at 300 characters
    (a title is a hint for triage, and a runaway one must not bloat the report)."""
    found = root.find(xpath)
    return " ".join((found.text_content() if found is not None else "").split())[:300]


def _uses_index_css(root: etree._Element) -> bool:
    """The page links one of the MIA's index stylesheets (``works_index.css``, ...)."""
    for link in root.iter("link"):
        href = (link.get("href") or "").lower()
        if "index" in href.rsplit("/", 1)[-1] and href.endswith(".css"):
            return True
    return False


def _scan_body(body: etree._Element, facts: PageFacts) -> list[str]:
    """One walk over the body: the information block (``facts.info``), the contents
    paragraphs, the same-site links in document order. Returns the information block's
    text, whose words are not the page's prose."""
    info_spans = 0
    seen: set[str] = set()
    info_text: list[str] = []
    for el in body.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in NOT_PROSE or not tag:
            continue
        cls = _classes(el)
        if tag in ("p", "div") and cls & INFO_CLASSES:
            facts.info = True
            info_text.append(el.text_content())
        elif tag == "span" and "info" in cls:
            info_spans += 1
        if tag == "p" and cls & {"index", "indexb", "toc", "index2", "indexc"}:
            facts.index_paras += 1
        if tag == "a":
            _add_link(facts, seen, el.get("href"))
    if info_spans >= 2:  # labelled span.info lines make an information block too
        facts.info = True
    return info_text


def _add_link(facts: PageFacts, seen: set[str], href: str | None) -> None:
    """Record the same-site page ``href`` points at, once, unless it is the page itself."""
    target = _resolve(facts.path, href) if href else None
    if target and target != facts.path and target not in seen:
        seen.add(target)
        facts.links.append(Link(target, posixpath.dirname(target) == posixpath.dirname(facts.path)))


def _count_words(body: etree._Element, info_text: list[str], facts: PageFacts) -> None:
    """Words inside links, and the prose words: those outside links and the information block."""
    total = _words(body.text_content())
    facts.link_words = sum(_words(a.text_content()) for a in body.iter("a") if a.get("href"))  # not <a name>
    info_words = sum(_words(t) for t in info_text)
    facts.words = max(0, total - facts.link_words - info_words)


def _states_free_licence(body: etree._Element, info_text: list[str]) -> bool:
    """The information block (or, without one, the page's start) names a free licence."""
    licence_text = " ".join(info_text).lower() if info_text else body.text_content()[:4000].lower()
    return any(s in licence_text for s in ("public domain", "creative commons", "copyleft", "gnu free"))


def numbered_stem(path: str) -> bool:
    """A file name like ``ch03.htm``, ``07.htm``, ``part2.htm``: the name of a chapter."""
    stem = PAGE_EXT.sub("", posixpath.basename(path))
    if re.fullmatch(r"(1[5-9]|20)\d\d", stem):  # "1917.htm" is a year's listing, not a chapter
        return False
    return NUMBERED_STEM.match(stem) is not None
