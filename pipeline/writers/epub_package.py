"""EPUB 3 packaging: the package document (OPF), the NCX, the container and the zip.

Written with lxml and zipfile rather than EbookLib 0.20 because EbookLib would have to be
overridden at nearly every step to give a valid, reproducible book: it re-parses every
content document through an HTML parser and pretty-prints it (changing the exact XHTML
the shared transform made), writes the wall-clock time into ``dcterms:modified`` and
into every zip entry, sets no ``xml:lang`` on the package (DAISY Ace reports that),
refines ``file-as`` with the MARC relator scheme, and has no way to add a text
alternative or ARIA labels to the navigation. What is left is small: this module.

Reproducibility: entries are written in a fixed order (``mimetype`` first, stored,
without extra fields, as OCF requires), with one fixed timestamp (the build date,
clamped to 1980, the earliest the zip format can hold), fixed permissions and a fixed
compression level, so the same inputs always give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from pipeline import xmlindent
from pipeline.xmlindent import localname

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

PACKAGE_DIR = "EPUB"
OPF_NAME = "package.opf"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass
class Item:
    """One publication resource: a manifest entry, and a spine entry when ``spine``."""

    id: str
    href: str  # relative to the package document
    media_type: str
    data: bytes
    properties: str | None = None
    spine: bool = False
    linear: bool = True


@dataclass
class NavPoint:
    label: str
    href: str
    children: list[NavPoint] = field(default_factory=list)


class Metadata:
    """The package's ``<metadata>``, in the order entries are added (so output is stable)."""

    def __init__(self) -> None:
        self.root = etree.Element(f"{{{OPF_NS}}}metadata", nsmap={"dc": DC_NS})

    def dc(self, name: str, text: str, id: str | None = None) -> etree._Element:
        el = etree.SubElement(self.root, f"{{{DC_NS}}}{name}")
        el.text = text
        if id:
            el.set("id", id)
        return el

    def meta(self, prop: str, text: str, refines: str | None = None, scheme: str | None = None) -> etree._Element:
        el = etree.SubElement(self.root, f"{{{OPF_NS}}}meta", property=prop)
        if refines:
            el.set("refines", f"#{refines}")
        if scheme:
            el.set("scheme", scheme)
        el.text = text
        return el

    def legacy(self, name: str, content: str) -> etree._Element:
        """An OPF 2 ``<meta name content>``, for reading systems that predate EPUB 3."""
        return etree.SubElement(self.root, f"{{{OPF_NS}}}meta", name=name, content=content)


def serialize(root: etree._Element, doctype: str | None = None) -> bytes:
    document: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype=doctype)
    return document + b"\n"


def indent(root: etree._Element, block_tags: frozenset[str]) -> None:
    """Indent elements whose children are all ``block_tags`` (see pipeline.xmlindent)."""
    xmlindent.indent(root, lambda el: all(localname(c) in block_tags for c in el))


OPF_BLOCKS = frozenset(
    {
        "package",
        "metadata",
        "manifest",
        "spine",
        "item",
        "itemref",
        "meta",
        "link",
        "identifier",
        "title",
        "creator",
        "contributor",
        "language",
        "date",
        "source",
        "rights",
        "description",
        "publisher",
        "subject",
    }
)


def package_document(metadata: Metadata, items: list[Item], lang: str, uid_id: str, ncx_id: str | None) -> bytes:
    package = etree.Element(f"{{{OPF_NS}}}package", nsmap={None: OPF_NS}, version="3.0")
    package.set("unique-identifier", uid_id)
    package.set(XML_LANG, lang)
    package.append(metadata.root)
    manifest = etree.SubElement(package, f"{{{OPF_NS}}}manifest")
    for item in items:
        el = etree.SubElement(manifest, f"{{{OPF_NS}}}item", id=item.id, href=item.href)
        el.set("media-type", item.media_type)
        if item.properties:
            el.set("properties", item.properties)
    spine = etree.SubElement(package, f"{{{OPF_NS}}}spine")
    if ncx_id:
        spine.set("toc", ncx_id)
    for item in items:
        if item.spine:
            ref = etree.SubElement(spine, f"{{{OPF_NS}}}itemref", idref=item.id)
            if not item.linear:
                ref.set("linear", "no")
    indent(package, OPF_BLOCKS)
    return serialize(package)


def ncx_document(uid: str, title: str, author: str, points: list[NavPoint], lang: str) -> bytes:
    """An NCX table of contents for EPUB 2 reading systems (EPUB 3 ones read the nav)."""
    ncx = etree.Element(f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS}, version="2005-1")
    ncx.set(XML_LANG, lang)
    head = etree.SubElement(ncx, f"{{{NCX_NS}}}head")

    def depth(ps: list[NavPoint]) -> int:
        return 1 + max((depth(p.children) for p in ps), default=0) if ps else 0

    for name, content in (
        ("dtb:uid", uid),
        ("dtb:depth", str(max(1, depth(points)))),
        ("dtb:totalPageCount", "0"),
        ("dtb:maxPageNumber", "0"),
    ):
        etree.SubElement(head, f"{{{NCX_NS}}}meta", name=name, content=content)
    etree.SubElement(etree.SubElement(ncx, f"{{{NCX_NS}}}docTitle"), f"{{{NCX_NS}}}text").text = title
    etree.SubElement(etree.SubElement(ncx, f"{{{NCX_NS}}}docAuthor"), f"{{{NCX_NS}}}text").text = author
    nav_map = etree.SubElement(ncx, f"{{{NCX_NS}}}navMap")
    order = 0

    def add(parent: etree._Element, ps: list[NavPoint]) -> None:
        nonlocal order
        for p in ps:
            order += 1
            np = etree.SubElement(parent, f"{{{NCX_NS}}}navPoint", id=f"nav-{order}", playOrder=str(order))
            etree.SubElement(etree.SubElement(np, f"{{{NCX_NS}}}navLabel"), f"{{{NCX_NS}}}text").text = p.label
            etree.SubElement(np, f"{{{NCX_NS}}}content", src=p.href)
            add(np, p.children)

    add(nav_map, points)
    indent(
        ncx, frozenset({"ncx", "head", "meta", "docTitle", "docAuthor", "navMap", "navPoint", "navLabel", "content"})
    )
    return serialize(ncx)


def container_document() -> bytes:
    container = etree.Element(f"{{{CONTAINER_NS}}}container", nsmap={None: CONTAINER_NS}, version="1.0")
    rootfiles = etree.SubElement(container, f"{{{CONTAINER_NS}}}rootfiles")
    rootfile = etree.SubElement(rootfiles, f"{{{CONTAINER_NS}}}rootfile")
    rootfile.set("full-path", f"{PACKAGE_DIR}/{OPF_NAME}")
    rootfile.set("media-type", "application/oebps-package+xml")
    indent(container, frozenset({"container", "rootfiles", "rootfile"}))
    return serialize(container)


def zip_time(when: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    return max(stamp, ZIP_EPOCH)


def ocf_zip(items: list[Item], opf: bytes, when: datetime) -> bytes:
    """The OCF container as bytes: mimetype, container.xml, the OPF, then ``items`` in order."""
    stamp = zip_time(when)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:

        def add(name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compress
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compress_type=compress, compresslevel=9 if compress else None)

        add("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        add("META-INF/container.xml", container_document())
        add(f"{PACKAGE_DIR}/{OPF_NAME}", opf)
        for item in items:
            add(f"{PACKAGE_DIR}/{item.href}", item.data)
    return buffer.getvalue()
