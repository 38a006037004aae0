"""TEI namespace constants and the safe XML parser every stage uses.

The parser never resolves entities, never loads a DTD and never touches the network, so
any XML a user hands the pipeline is parsed safely (no XXE, no entity-expansion bombs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline import mia
from pipeline.errors import PipelineError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
MARC = "http://id.loc.gov/vocabulary/relators/"
MIA_NAME, MIA_URL = mia.NAME, mia.SITE_URL
MIA_CREDIT_PATTERN = "credit the marxists internet archive"
# The elements of a master's text, as its schema allows them (schemas/mia-tei.rnc; issue 19:
# one list, for every stage that walks the text). BLOCKS may stand wherever a paragraph
# may (in divisions, quotations, list items and notes); TEXT_BLOCKS are all the elements
# of the text that begin a line of their own (headings, divisions, closers and their
# lines, notes, list items, table rows and cells). TEI's lg, opener, trailer, byline...
# are not in the schema: a master never holds them. A figure (issue 25) and a section
# break (milestone, issue 20) are blocks.
BLOCKS = frozenset({"p", "quote", "list", "table", "figure", "milestone"})
TEXT_BLOCKS = BLOCKS | {"head", "div", "closer", "salute", "signed", "dateline", "note", "item", "row", "cell"}
# The MARC relator codes the pipeline credits, with the label the master and every edition print.
ROLE_LABELS = {"trc": "Transcription", "mrk": "Markup", "pfr": "Proofreading", "trl": "Translation", "edt": "Editing"}


# Characters XML 1.0 cannot hold at all (C0 controls other than tab/LF/CR, surrogates,
# U+FFFE/U+FFFF). A source holding one cannot become a master without losing it.
XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_chars(text: str, path: str | Path) -> None:
    """Refuse text with characters XML cannot represent, naming the first one and its line."""
    m = XML_INCOMPATIBLE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise PipelineError(
            f"control character U+{ord(m.group(0)):04X} cannot be kept in XML; fix the source or register a cleaned copy",
            path,
            line,
        )


def T(local: str) -> str:
    return f"{{{TEI_NS}}}{local}"


def X(local: str) -> str:
    return f"{{{XML_NS}}}{local}"


def safe_parser(**kwargs: Any) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=kwargs.pop("remove_blank_text", False),
        **kwargs,
    )


def parse_file(path: str | Path) -> etree._ElementTree:
    """Parse an XML file safely; a DOCTYPE with entity declarations is refused."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PipelineError("no such file", path) from None
    except IsADirectoryError:
        raise PipelineError("is a directory, not an XML file", path) from None
    return parse_bytes(data, path)


def parse_bytes(data: bytes, path: str | Path = "<input>") -> etree._ElementTree:
    if not data.strip():
        raise PipelineError("empty file", path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        msg = exc.msg or "not well-formed XML"
        raise PipelineError(f"not well-formed XML: {msg}", path, line, col) from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        dtd = docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            raise PipelineError("DOCTYPE declares entities; refused (possible XXE or entity-expansion bomb)", path, 1)
        raise PipelineError("DOCTYPE declarations are not allowed in a TEI master", path, 1)
    return tree


# The languages the TEI header names (``langUsage``), and the readers name in their
# messages; any other code is written as it is.
LANGUAGE_NAMES = {
    "en": "English",
    "es": "Spanish",
    "it": "Italian",
    "eo": "Esperanto",
    "et": "Estonian",
    "is": "Icelandic",
    "sq": "Albanian",
    "fi": "Finnish",
    "de": "German",
    "fr": "French",
}
