"""The read side of the TEI master: what every edition writer needs from the header.

Writers get attribution only from here, so every edition names the same author,
publication, credits, licence, source and URL, exactly as the master states them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline import licences
from pipeline.authors.credits import file_as as sort_name
from pipeline.authors.credits import looks_like_name
from pipeline.authors.resolve import authority
from pipeline.errors import PipelineError
from pipeline.master.tei import MARC, MIA_NAME, NS, ROLE_LABELS, X, parse_bytes, parse_file


@dataclass
class CreditInfo:
    name: str
    roles: list[str]  # MARC codes
    when: str | None
    statement: str  # the source's own words

    @property
    def role_text(self) -> str:
        return ", ".join(ROLE_LABELS.get(r, r) for r in self.roles)

    @property
    def line(self) -> str:
        """ "Transcription, Markup: David Walters (2004)": the credit as every edition prints it."""
        return f"{self.role_text}: {self.name}" + (f" ({self.when})" if self.when else "")


NO_LICENCE = "The source states no licence."  # the master's licence line when the source has none (master/write.py)


@dataclass
class LicenceInfo:
    text: str  # verbatim
    uri: str
    category: str  # licences.Category value
    name: str


def _distributable(lic: LicenceInfo) -> bool:
    """What pipeline/licences.py decides for the URI (a non-commercial licence is not)."""
    return (licences.by_uri(lic.uri) or licences.UNDETERMINED).distributable


@dataclass(frozen=True)
class AuthorInfo:
    """One author of the master: the authority's person (``key``, display and sort name,
    life dates) and the master's words for them (``wording``, ``role``)."""

    key: str
    name: str
    file_as: str
    wording: str
    role: str | None = None
    born: int | None = None
    died: int | None = None


@dataclass
class RightsInfo:
    """What ``availability`` records beside the licence lines (master/write.py,
    ``rights_paragraphs``): the public-domain rule, the editor's rulings."""

    rule: str | None = None
    evidence: list[str] = field(default_factory=list)
    unmet: list[tuple[str, str]] = field(default_factory=list)  # (condition key, sentence)
    ruling: tuple[str, str] | None = None  # ("publish" | "withhold", the ruling in words)
    stale_rulings: list[str] = field(default_factory=list)

    @property
    def by_rule(self) -> bool:
        return self.rule is not None and not self.unmet


def read_rights(hdr: etree._Element) -> RightsInfo:
    """The rule's determination and the rulings, from their ``<p n="...">``."""
    info = RightsInfo()
    for p in find(hdr, "tei:fileDesc/tei:publicationStmt/tei:availability/tei:p[@n]"):
        n, words = p.get("n", ""), text_of(p) or ""
        if n == "rights-rule":
            info.rule = words
        elif n == "rights-evidence":
            info.evidence.append(words)
        elif n.startswith("rights-unmet-"):
            info.unmet.append((n.removeprefix("rights-unmet-"), words))
        elif n in ("ruling-publish", "ruling-withhold"):
            info.ruling = (n.removeprefix("ruling-"), words)
        elif n == "ruling-stale":
            info.stale_rulings.append(words)
    return info


@dataclass
class EditionMeta:
    slug: str
    title: str
    author: str  # the authors' display names as one line: what editions print
    language: str
    url: str
    date_text: str | None
    date_iso: str | None  # the creation date's @when, or the first of its span (@from)
    credits: list[CreditInfo]
    no_credit_statement: str | None
    licences: list[LicenceInfo]
    permission: str | None
    source_statement: str | None  # "Source: New International, ..." verbatim
    source_title: str | None
    first_published: str | None
    info_lines: list[str]
    normalizations: list[str]
    last_updated: str | None
    ingest_date: str | None
    pipeline_version: str | None
    distributor: str
    notes: int = 0
    parts: list[str] = field(default_factory=list)
    rights: RightsInfo = field(default_factory=lambda: RightsInfo())
    authors: list[AuthorInfo] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)  # the normalizations that record a quirk kept
    retrieved: str | None = None  # when the MIA page was retrieved (the source's date, not the edition's)

    @property
    def distributable(self) -> bool:
        """An editor's ruling decides; else free licence(s) (the Public Domain Mark of the
        public-domain rule among them), or an explicit recorded permission."""
        if self.rights.ruling is not None:
            return self.rights.ruling[0] == "publish"
        if self.permission:
            return True
        return bool(self.licences) and all(_distributable(l) for l in self.licences)

    @property
    def refusal_reason(self) -> str | None:
        if self.distributable:
            return None
        if self.rights.ruling is not None:
            return f"withheld by the editor's ruling: {self.rights.ruling[1]}"
        if self.rights.unmet and all(l.text == NO_LICENCE for l in self.licences):
            misses = "; ".join(words for _, words in self.rights.unmet)
            return f"the source states no licence, and the work is not public domain by rule: {misses}"
        if not self.licences or all(l.uri == licences.UNDETERMINED.uri for l in self.licences):
            if any(l.text != NO_LICENCE for l in self.licences):  # words the table could not grant
                l = next(l for l in self.licences if l.text != NO_LICENCE)
                words = l.text if len(l.text) <= 80 else l.text[:80].rsplit(" ", 1)[0] + " …"
                return f"licence undetermined: {words} (rule: {licences.withholding_rule(l.text, l.uri)})"
            return "the source states no licence (rule: no licence statement, no recorded permission)"
        bad = next(l for l in self.licences if not _distributable(l))
        words = bad.text if len(bad.text) <= 80 else bad.text[:80].rsplit(" ", 1)[0] + " …"
        return f"licence not free ({bad.name}): {words} (rule: {licences.withholding_rule(bad.text, bad.uri)})"

    @property
    def year(self) -> str | None:
        return self.date_iso[:4] if self.date_iso else None

    @property
    def people(self) -> list[AuthorInfo]:
        """The authors, at least one: a master without ``author/@key`` is its author line's."""
        return self.authors or [AuthorInfo("", self.author, file_as(self.author), self.author)]

    @property
    def file_as(self) -> str:
        """The first author's sort name, as catalogues file the work."""
        return self.authors[0].file_as if self.authors else file_as(self.author)

    @property
    def source_name(self) -> str:
        """Who distributes the source: the master's distributor, else the MIA."""
        return self.distributor or MIA_NAME


def file_as(name: str) -> str:
    """'Leon Trotsky' -> 'Trotsky, Leon' (names of one word stay as they are)."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def text_of(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    return " ".join("".join(el.itertext()).split())


@functools.cache
def compiled(path: str) -> etree.XPath:
    """An XPath compiled once: the catalog reads the header of every master of the project."""
    return etree.XPath(path, namespaces=NS)


def find(root: etree._Element, path: str) -> list[etree._Element]:
    found: list[etree._Element] = compiled(path)(root)  # the header paths select elements only
    return found


def first(root: etree._Element, path: str) -> etree._Element | None:
    found = find(root, path)
    return found[0] if found else None


def attr(el: etree._Element | None, name: str) -> str | None:
    return None if el is None else el.get(name)


def read_credits(hdr: etree._Element) -> tuple[list[CreditInfo], str | None]:
    """The credits of the title statement, and the header's words when it names no transcriber."""
    credits = []
    no_credit = None
    for rs in find(hdr, "tei:fileDesc/tei:titleStmt/tei:respStmt"):
        note = first(rs, "tei:note[@type='no-credit']")
        if note is not None:
            no_credit = text_of(note)
            continue
        name = text_of(first(rs, "tei:persName|tei:name|tei:orgName")) or ""
        roles = [r.get("key") or (r.get("ref") or "").replace(MARC, "") for r in find(rs, "tei:resp")]
        when = next((r.get("when") for r in find(rs, "tei:resp[@when]")), None)
        stmt = text_of(first(rs, "tei:note[@type='statement']")) or f"{', '.join(roles)}: {name}"
        credits.append(CreditInfo(name, [r for r in roles if r], when, stmt))
    return credits, no_credit


def read_licences(hdr: etree._Element) -> list[LicenceInfo]:
    """The licences as the source words them, each with the category and name of its URI."""
    lic_infos = []
    for lic in find(hdr, "tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence"):
        uri = lic.get("target", "")
        known = licences.by_uri(uri) or licences.UNDETERMINED
        lic_infos.append(LicenceInfo(text_of(lic) or "", uri, known.category.value, known.name))
    return lic_infos


def read_authors(hdr: etree._Element) -> list[AuthorInfo]:
    """The titleStmt's authors, each named as the authority names the person of its
    ``@key``; an author the authority does not know keeps the master's words."""
    known = authority()
    people = []
    for el in find(hdr, "tei:fileDesc/tei:titleStmt/tei:author"):
        wording = text_of(first(el, "tei:persName[not(@type)]")) or text_of(el) or ""
        person = known.person(el.get("key") or "")
        role = text_of(first(el, "tei:roleName"))
        if person:
            people.append(AuthorInfo(person.key, person.name, person.file_as, wording, role, person.born, person.died))
        else:
            sort_as = sort_name(wording) if looks_like_name(wording) else wording  # a body's name is filed as written
            people.append(AuthorInfo(el.get("key") or "", wording, sort_as, wording, role))
    return people


def author_line(people: list[AuthorInfo]) -> str:
    """The display names as one line: "A", "A and B", "A, B and C"."""
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def read_meta(tei: etree._Element, slug: str) -> EditionMeta:
    """What the editions need of a master: its header, its parts' heads, its notes' count."""
    hdr = first(tei, "tei:teiHeader")
    if hdr is None:
        raise PipelineError("not a TEI master: no teiHeader")
    credits, no_credit = read_credits(hdr)
    people = read_authors(hdr)
    created = first(hdr, "tei:profileDesc/tei:creation/tei:date")
    parts = [text_of(h) or "" for h in find(tei, "tei:text/tei:body/tei:div[@type='part']/tei:head[1]")]
    return EditionMeta(
        slug=slug,
        title=text_of(first(hdr, "tei:fileDesc/tei:titleStmt/tei:title")) or "",
        author=author_line(people),
        authors=people,
        language=tei.get(X("lang")) or "en",
        url=text_of(first(hdr, "tei:fileDesc/tei:publicationStmt/tei:idno[@type='URI']")) or "",
        date_text=text_of(created),
        date_iso=(created.get("when") or created.get("from")) if created is not None else None,
        credits=credits,
        no_credit_statement=no_credit,
        licences=read_licences(hdr),
        permission=text_of(first(hdr, "tei:fileDesc/tei:publicationStmt/tei:availability/tei:p[@n='permission']")),
        source_statement=text_of(
            first(hdr, "tei:fileDesc/tei:sourceDesc/tei:bibl[@type='original']/tei:note[@type='statement']")
        ),
        source_title=text_of(first(hdr, "tei:fileDesc/tei:sourceDesc/tei:bibl[@type='original']/tei:title")),
        first_published=text_of(first(hdr, "tei:fileDesc/tei:sourceDesc/tei:bibl[@type='first-published']")),
        info_lines=[text_of(n) or "" for n in find(hdr, "tei:fileDesc/tei:notesStmt/tei:note")],
        normalizations=[
            text_of(p) or "" for p in find(hdr, "tei:encodingDesc/tei:editorialDecl/tei:normalization/tei:p")
        ],
        last_updated=text_of(first(hdr, "tei:revisionDesc/tei:change[@type='mia-last-updated']")),
        ingest_date=attr(first(hdr, "tei:revisionDesc/tei:change[@type='ingest']"), "when"),
        pipeline_version=attr(first(hdr, "tei:encodingDesc/tei:appInfo/tei:application"), "version"),
        distributor=text_of(first(hdr, "tei:fileDesc/tei:publicationStmt/tei:distributor")) or "",
        notes=len(find(tei, "tei:text//tei:note[@xml:id]")),
        parts=parts,
        rights=read_rights(hdr),
        anomalies=[
            text_of(p) or ""
            for p in find(hdr, "tei:encodingDesc/tei:editorialDecl/tei:normalization/tei:p[@n='anomaly']")
        ],
        retrieved=attr(
            first(hdr, "tei:fileDesc/tei:sourceDesc/tei:bibl[@type='digital']/tei:date[@type='retrieved']"), "when"
        ),
    )


def slug_of(path: Path) -> str:
    name = Path(path).name
    return name[: -len(".tei.xml")] if name.endswith(".tei.xml") else Path(path).stem


def load(path: str | Path) -> tuple[etree._Element, EditionMeta]:
    """Parse a master safely and read its header."""
    path = Path(path)
    tree = parse_file(path)
    root = tree.getroot()
    if root.tag != "{http://www.tei-c.org/ns/1.0}TEI":
        raise PipelineError(f"not a TEI master: root element is {root.tag!r}", path, root.sourceline)
    try:
        meta = read_meta(root, slug_of(path))
    except PipelineError as exc:
        exc.path = path
        raise
    return root, meta


HEADER_END = b"</teiHeader>"
HEADER_CHUNK = 1 << 16


def load_header(path: str | Path) -> EditionMeta:
    """The header of a master without its text: what listing or withholding a work needs.

    The catalog decides about every master of the project (thousands, once the archive is
    imported) but needs the text of the published ones only; parsing just the bytes up to
    ``</teiHeader>`` (with the root closed after it) costs a fraction of a whole master. The
    meta then counts no notes and no parts (they live in the text). A master whose header
    cannot be cut out so (hand-edited, a prefix on the tag) is read whole.
    """
    path = Path(path)
    data = bytearray()
    try:
        with open(path, "rb") as handle:  # the header only: a large master is not read whole
            while block := handle.read(HEADER_CHUNK):
                seen = max(0, len(data) - len(HEADER_END))
                data += block
                if data.find(HEADER_END, seen) >= 0:
                    break
    except FileNotFoundError:
        raise PipelineError("no such file", path) from None
    except IsADirectoryError:
        raise PipelineError("is a directory, not an XML file", path) from None
    end = data.find(HEADER_END)
    if end < 0:
        return load(path)[1]
    try:
        root = parse_bytes(bytes(data[: end + len(HEADER_END)]) + b"</TEI>", path).getroot()
    except PipelineError:
        return load(path)[1]
    if root.tag != "{http://www.tei-c.org/ns/1.0}TEI":
        return load(path)[1]
    try:
        return read_meta(root, slug_of(path))
    except PipelineError as exc:
        exc.path = path
        raise
