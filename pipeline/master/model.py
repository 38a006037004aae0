"""The document model that readers produce and the TEI writer serializes.

It is deliberately close to the TEI the master holds: blocks (paragraphs, headings,
quotations, lists, tables, closers, divisions) made of inlines (text, emphasis, quoted
phrases, editorial insertions, note references). Writers never see this model; they read
the TEI master.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.authors.resolve import Credited

# ---- inlines -------------------------------------------------------------------------


@dataclass
class Hi:
    """Highlighted text: ``rend`` is "italic", "bold", "underline", "smallcaps", "sup"..."""

    rend: str
    children: list[Inline]


@dataclass
class Q:
    """A quoted phrase inside a paragraph."""

    children: list[Inline]


@dataclass
class Supplied:
    """An editorial insertion in the source (MIA's bracketed editor's words, ``span.editorial``).

    The brackets are the source's words and stay as text around the element ("word[s]" is
    ``word[<supplied>s</supplied>]``); so a writer prints the element's words and no
    brackets of its own, else every edition doubles them (issue 20).
    """

    children: list[Inline]


@dataclass
class Link:
    """A hyperlink the work itself makes (not page furniture)."""

    target: str
    children: list[Inline]


@dataclass
class NoteRef:
    """A note marker. ``label`` is the marker as printed ("1", "*", "a")."""

    note_id: str
    label: str


@dataclass
class LineBreak:
    pass


Inline = str | Hi | Q | Supplied | Link | NoteRef | LineBreak

# ---- blocks --------------------------------------------------------------------------


@dataclass
class Para:
    children: list[Inline]
    rend: str | None = None  # "indent", "center", ...


@dataclass
class Head:
    children: list[Inline]
    level: int = 1


@dataclass
class Quote:
    """A block quotation."""

    blocks: list[Block]


@dataclass
class ListBlock:
    items: list[list[Block]]
    ordered: bool = False


@dataclass
class Table:
    rows: list[list[list[Inline]]]
    head_rows: int = 0


@dataclass
class Closer:
    """The closing signature and dateline of a letter or article."""

    signed: list[Inline] | None = None
    dateline: list[Inline] | None = None
    other: list[list[Inline]] = field(default_factory=list)


@dataclass
class Div:
    """A part of a multi-part work, or a section."""

    blocks: list[Block]
    head: list[Inline] | None = None
    type: str = "section"
    n: str | None = None
    xml_id: str | None = None


@dataclass
class Figure:
    """A picture of the work (a chart, a map, a photograph, a facsimile): TEI ``<figure>``.

    ``file`` is the image's file in the source folder (its name there), None when the
    source lacks the image: then ``missing`` says why (not in the copy, refused, on
    another host) and every edition says "[Image not available: ...]" in its place.
    """

    url: str  # where the page has the image (the larger one a thumbnail links to)
    alt: str = ""  # the page's alt text: the figure's description
    caption: list[Inline] = field(default_factory=list)  # the caption the page gives, as its heading
    file: str | None = None
    media_type: str | None = None
    width: int = 0  # pixels
    height: int = 0
    missing: str | None = None


@dataclass
class Milestone:
    """A section break ("* * *", "* * * * * *", a rule between sections): no words and no
    heading, so no contents entry; TEI ``<milestone unit="section"/>``, an ornament in the
    editions. ``rend`` keeps the source's ornament ("* * *"), None for a rule."""

    unit: str = "section"
    rend: str | None = None


Block = Para | Head | Quote | ListBlock | Table | Closer | Div | Figure | Milestone

# ---- notes and header ----------------------------------------------------------------


@dataclass
class Note:
    xml_id: str
    label: str
    blocks: list[Block]
    resp: str | None = None  # "author", "editor", "translator" where the page says so


@dataclass
class InfoLine:
    """One line of the MIA information block, kept verbatim."""

    label: str  # as printed, without the colon
    value: str
    line: int | None = None  # where the source has it, for error messages
    links: list[str] = field(default_factory=list)  # the hrefs the line links (a licence's deed)


@dataclass
class Credit:
    """A person credited by the source, with MARC relator codes."""

    name: str
    roles: list[str]  # "trc", "mrk", "pfr", "trl", "edt"
    date_text: str | None = None  # the source's own words, "February 2005"
    date_iso: str | None = None  # "2005-02" when unambiguous
    statement: str = ""  # the whole information line, verbatim
    role_words: list[str] = field(default_factory=list)  # "Transcribed", "HTML Markup"


@dataclass
class SourceBibl:
    """The original publication, parsed from the Source line (or a "Publisher:" line, a
    prose citation: ``label`` is the label the statement is shown under, none for prose)."""

    statement: str
    title: str | None = None
    place: str | None = None
    publisher: str | None = None
    volume: str | None = None
    issue: str | None = None
    date_text: str | None = None
    date_iso: str | None = None
    pages: str | None = None
    page_from: str | None = None
    page_to: str | None = None
    label: str | None = "Source"


@dataclass
class LicenceStatement:
    label: str  # "Public Domain", "Copyleft"...
    text: str  # verbatim
    uri: str  # canonical licence URI


@dataclass
class Normalization:
    """One cleaning the reader made, recorded in the TEI header."""

    what: str  # a sentence: what was removed or changed, and where
    # "artifact": a cleaning of the web page; "anomaly": a quirk of the source kept as
    # it is and recorded (a note never referenced, a chapter the index lists but the
    # source lacks), so the master is written rather than the work refused.
    kind: str = "artifact"


@dataclass
class Rights:
    """What decided a work's availability beyond its licence lines (issue 21), as the
    master records it in ``availability``: the public-domain rule weighed for a page that
    states no licence (its evidence, or the conditions it missed), and the editor's
    ruling that applies (or the rulings that no longer match the source)."""

    rule: str | None = None  # "Public domain by rule (...), applied in 2026." (None: not weighed)
    public_domain: bool = False  # every condition of the rule holds
    evidence: list[str] = field(default_factory=list)  # one sentence per fact weighed, with where it came from
    unmet: list[tuple[str, str]] = field(default_factory=list)  # (condition key, sentence) of each missed condition
    ruling: tuple[str, str] | None = None  # ("publish" | "withhold", the ruling in words)
    stale_rulings: list[str] = field(default_factory=list)  # rulings made on other sources, in words


@dataclass
class Work:
    slug: str
    url: str
    language: str
    title: list[Inline]
    author: str  # the page's author line as it stands ("J. T. Murphy & R. Page Arnot")
    date_text: str | None = None  # "(December 1923)" as printed, or ""
    date_words: str | None = None  # without a date line: the information block's words the date was read from
    date_iso: str | None = None  # "1923-12"
    date_span: tuple[str, str] | None = None  # no one date but a span: first and last ("1927", "1931")
    info: list[InfoLine] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    licences: list[LicenceStatement] = field(default_factory=list)
    source: SourceBibl | None = None
    first_published: str | None = None
    first_published_iso: str | None = None  # its date, "1916-05" out of "May 1916, The Masses"
    written: str | None = None
    body: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    last_updated: str | None = None
    normalizations: list[Normalization] = field(default_factory=list)
    source_format: str = "mia-text"
    source_files: list[tuple[str, str]] = field(default_factory=list)  # (file name, sha256)
    retrieved: str | None = None
    encoding_declared: str | None = None
    encoding_used: str | None = None
    no_credits_statement: str | None = None  # "the source names no transcriber"
    permission: dict[str, str] | None = None  # granted_by, date, reference, statement (manifest's permission)
    rights: Rights | None = None  # the rule and the editor's rulings (pipeline.rights), when weighed
    # the persons the author line names, resolved by the author authority (issue 21); the
    # reader fills it, and the master's writer resolves ``author`` when it is empty
    authors: list[Credited] = field(default_factory=list)
