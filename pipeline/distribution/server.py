"""``python -m pipeline serve``: the published library over HTTP, with searches of any words.

The site is static: its OpenSearch description (``opensearch.xml``) points reading apps to
pre-built feeds of one word each, ``opds/search/<word>.xml`` and ``.json`` (every word of
the works' titles and authors, :func:`pipeline.distribution.catalogs.search_words`). A
static server can answer nothing else: "rosa luxemburg" or "Luxemburg" (a capital)
found nothing. This server serves the folder as it is and answers any other search URL
of that form from those feeds: the works in the feed of every word of the query (in the
order of the rarest word's feed, by author), as one feed of the same format. It reads only what it
serves (any mirror of ``editions/site/`` can run it); it never writes.

For a reader's own machine or a small library (Python's threaded HTTP server); a public
mirror serves the folder with its web server, and its searches keep to single words.
"""

from __future__ import annotations

import copy
import functools
import http.server
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from pipeline.distribution.catalogs import search_base, search_words
from pipeline.distribution.library import page_name

ATOM = "http://www.w3.org/2005/Atom"
SEARCH = re.compile(r"/opds/search/(?P<query>[^/]+)\.(?P<ext>xml|json)")
TYPES = {"xml": "application/atom+xml;profile=opds-catalog;kind=acquisition", "json": "application/opds+json"}


def feed_pages(site: Path, word: str, ext: str) -> list[Path]:
    """The pages of the pre-built feed of ``word`` (none when no work has the word)."""
    pages: list[Path] = []
    while (site / page_name(search_base(word), len(pages) + 1, ext)).is_file():
        pages.append(site / page_name(search_base(word), len(pages) + 1, ext))
    return pages


def atom_answer(site: Path, query: str, words: list[str]) -> bytes:
    """One Atom feed of the works every word's feed lists."""
    entries = [
        [e for page in feed_pages(site, w, "xml") for e in etree.parse(str(page)).getroot().iter(f"{{{ATOM}}}entry")]
        for w in words
    ]
    ids = [{e.findtext(f"{{{ATOM}}}id") for e in each} for each in entries]
    root = etree.parse(str(site / "catalog.xml")).getroot()  # its namespaces, id, author and links
    for child in list(root):
        if child.tag in (f"{{{ATOM}}}entry", f"{{{ATOM}}}link") and child.get("rel") != "start":
            root.remove(child)
    root.find(f"{{{ATOM}}}id").text = f"urn:search:{'+'.join(words)}"
    root.find(f"{{{ATOM}}}title").text = f"Search: {query}"
    for entry in entries[0] if entries else []:
        if all(entry.findtext(f"{{{ATOM}}}id") in found for found in ids[1:]):
            root.append(copy.deepcopy(entry))
    relative = "../../"  # the feeds' links are relative to opds/search/
    for link in root.iter(f"{{{ATOM}}}link"):
        href = link.get("href", "")
        if link.getparent() is root and not re.match(r"[a-z]+:", href):
            link.set("href", relative + href)
    answer: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return answer


def json_answer(site: Path, query: str, words: list[str]) -> bytes:
    """One OPDS 2.0 feed of the works every word's feed lists."""
    found: list[list[dict[str, Any]]] = []
    for word in words:
        pages = [json.loads(page.read_bytes()) for page in feed_pages(site, word, "json")]
        found.append([p for page in pages for p in page.get("publications", [])])
    ids = [{p["metadata"]["identifier"] for p in each} for each in found]
    publications = [p for p in (found[0] if found else []) if all(p["metadata"]["identifier"] in i for i in ids[1:])]
    out: dict[str, Any] = {
        "metadata": {"title": f"Search: {query}", "numberOfItems": len(publications)},
        "links": [
            {"rel": "self", "href": quote(f"{query}.json"), "type": "application/opds+json"},
            {"rel": "start", "href": "../../catalog.json", "type": "application/opds+json"},
        ],
    }
    if publications:
        out["publications"] = publications
    else:  # OPDS 2.0 wants publications, navigation or groups
        out["navigation"] = [{"href": "../../index.html", "type": "text/html", "title": "The library site"}]
    return (json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class LibraryHandler(http.server.SimpleHTTPRequestHandler):
    """The site's files as they are; a search feed not on disk made from the word feeds."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        """Quiet: a request log line each would bury what the command says."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        found = SEARCH.fullmatch(urlsplit(self.path).path)
        site = Path(self.directory)
        if found is None or (site / urlsplit(self.path).path.lstrip("/")).is_file():
            super().do_GET()
            return
        query = unquote(found["query"])
        words = sorted(search_words(query), key=lambda w: (len(feed_pages(site, w, found["ext"])), w))
        make = atom_answer if found["ext"] == "xml" else json_answer
        body = make(site, query, words)
        self.send_response(200)
        self.send_header("Content-Type", TYPES[found["ext"]])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(site: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server of ``site`` bound to ``host:port`` (port 0: any free one); not started."""
    handler = functools.partial(LibraryHandler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)
