"""TEI namespace constants and the safe XML parser every stage uses.

The parser never resolves entities, never loads a DTD and never touches the network, so
any XML a user hands the pipeline is parsed safely (no XXE, no entity-expansion bombs).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from pipeline.errors import PipelineError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}
MARC = "http://id.loc.gov/vocabulary/relators/"
MIA_NAME = "Marxists Internet Archive"
MIA_URL = "https://www.marxists.org/"
MIA_CREDIT_PATTERN = "credit the marxists internet archive"


def T(local: str) -> str:
    return f"{{{TEI_NS}}}{local}"


def X(local: str) -> str:
    return f"{{{XML_NS}}}{local}"


def safe_parser(**kwargs) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=kwargs.pop("remove_blank_text", False),
        **kwargs,
    )


def parse_file(path: str | Path, *, collect_ids: bool = True) -> etree._ElementTree:
    """Parse an XML file safely; a DOCTYPE with entity declarations is refused.

    ``collect_ids=False`` leaves duplicate ``xml:id``s to the caller (the validator
    reports them by rule) instead of failing the parse."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PipelineError("no such file", path) from None
    except IsADirectoryError:
        raise PipelineError("is a directory, not an XML file", path) from None
    return parse_bytes(data, path, collect_ids=collect_ids)


def parse_bytes(data: bytes, path: str | Path = "<input>", *, collect_ids: bool = True) -> etree._ElementTree:
    if not data.strip():
        raise PipelineError("empty file", path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser(collect_ids=collect_ids)))
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
