"""Serialize the document model as the TEI P5 master.

The header carries everything an edition needs to attribute the work (titleStmt with
MARC-coded credits, publicationStmt with the MIA, the URL and the licence, sourceDesc
with the original publication, encodingDesc with every normalization, revisionDesc),
and the text carries the work. The output is canonical for a given model: same input,
same bytes.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from lxml import etree

from pipeline import APP_NAME, __version__, licences
from pipeline.authors.resolve import Credited, resolve
from pipeline.master import model as m
from pipeline.master.tei import LANGUAGE_NAMES, MARC, MIA_CREDIT_PATTERN, MIA_NAME, MIA_URL, ROLE_LABELS, TEI_NS, T, X
from pipeline.xmlindent import indent

# Added to the availability when no licence statement carries the MIA's credit request
# (Schematron rule mia-credit, schemas/mia-tei.sch): the MIA distributes every master.
MIA_CREDIT_STATEMENT = (
    "Please credit the Marxists Internet Archive as your source, include the URL to this work, "
    "and note its transcribers and proofreaders."
)


def asks_mia_credit(text: str) -> bool:
    """Does a statement carry the MIA's credit request? Same test as rule mia-credit."""
    plain = " ".join(re.sub("[\"'\u201c\u201d\u2018\u2019]", "", text).lower().split())
    return MIA_CREDIT_PATTERN in plain or "credit marxists internet archive" in plain


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    """A TEI child element; an attribute given None is left out, ``xml_`` names are in the XML namespace."""
    el = etree.SubElement(parent, T(tag))
    for key, value in attrs.items():
        if value is None:
            continue
        key = X(key[4:]) if key.startswith("xml_") else key
        el.set(key, value)
    if text is not None:
        el.text = text
    return el


def add_inlines(parent: etree._Element, items: list[m.Inline]) -> None:
    """Append inline content to ``parent``, keeping text in .text/.tail as lxml wants."""
    last: etree._Element | None = None

    def add_text(s: str) -> None:
        if last is None:
            parent.text = (parent.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    for item in items:
        if isinstance(item, str):
            add_text(item)
            continue
        if isinstance(item, m.NoteRef):
            el = sub(parent, "ref", item.label, type="noteref", target=f"#{item.note_id}")
        elif isinstance(item, m.Hi):
            el = sub(parent, "hi", rend=item.rend)
            add_inlines(el, item.children)
        elif isinstance(item, m.Q):
            el = sub(parent, "q")
            add_inlines(el, item.children)
        elif isinstance(item, m.Supplied):
            el = sub(parent, "supplied", reason="editorial")
            add_inlines(el, item.children)
        elif isinstance(item, m.Link):
            el = sub(parent, "ref", target=uri_safe(item.target))
            add_inlines(el, item.children)
        elif isinstance(item, m.LineBreak):
            el = sub(parent, "lb")
        else:  # pragma: no cover - the model is closed
            raise TypeError(item)
        last = el


def uri_safe(target: str) -> str:
    """Percent-encode what a URI may not hold (spaces, stray '%'), keeping the rest as given."""
    target = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", target.strip())
    return quote(target, safe=":/?#[]@!$&'()*+,;=%~")


# --- shaping the model into what TEI allows --------------------------------------------
# TEI's content models are stricter than web pages: a div is head*, then paragraphs and
# the like, then sub-divisions, then its closer; notes, quotations and list items hold no
# headings, closers or divisions. Pages break these rules (a heading after text, a
# postscript after a signature), so the model is re-shaped here, once, for every reader,
# moving no word: misplaced runs become sections, misplaced headings become paragraphs.


def _is_empty(block: m.Block) -> bool:
    if isinstance(block, m.ListBlock):
        return not block.items
    if isinstance(block, m.Table):
        return not any(row for row in block.rows)
    return False


def _flatten(blocks: list[m.Block]) -> list[m.Block]:
    """For notes, quotations, list items: no heads, closers or divisions, only their words."""
    out: list[m.Block] = []
    for block in blocks:
        if _is_empty(block):
            continue
        if isinstance(block, m.Head):
            out.append(m.Para(block.children, rend="heading"))
        elif isinstance(block, m.Closer):
            for line in [*block.other, block.signed, block.dateline]:
                if line:
                    out.append(m.Para(line, rend="closer"))
        elif isinstance(block, m.Div):
            if block.head:
                out.append(m.Para(block.head, rend="heading"))
            out.extend(_flatten(block.blocks))
        else:
            out.append(block)
    return out


def _rank(block: m.Block) -> int:
    return {m.Head: 0, m.Div: 2, m.Closer: 3}.get(type(block), 1)


def shape_div(blocks: list[m.Block]) -> list[m.Block]:
    """Blocks in TEI div order: head*, common+, div*, closer*; else split into sections."""
    blocks = [b for b in blocks if not _is_empty(b)]
    ranks = [_rank(b) for b in blocks]
    if not any(r in (1, 2) for r in ranks):  # no text at all: only headings and/or closers
        return _flatten(blocks)
    if ranks == sorted(ranks):
        return blocks
    segments: list[list[m.Block]] = []
    for block in blocks:
        rank = _rank(block)
        current = segments[-1] if segments else None
        if (
            current is None
            or rank == 2
            or _rank(current[-1]) == 2
            or (rank == 0 and any(_rank(b) > 0 for b in current))
            or (rank < 3 and _rank(current[-1]) == 3)
        ):
            segments.append([block])
        else:
            current.append(block)
    out: list[m.Block] = []
    for segment in segments:
        if len(segment) == 1 and isinstance(segment[0], m.Div):
            out.append(segment[0])
        else:
            out.append(m.Div(shape_div(segment), type="section"))
    return out


def add_blocks(parent: etree._Element, blocks: list[m.Block]) -> None:
    local = etree.QName(parent).localname
    if local in ("note", "quote", "item"):
        blocks = _flatten(blocks)
    elif local == "div":
        blocks = shape_div(blocks)
    for block in blocks:
        if isinstance(block, m.Para):
            add_inlines(sub(parent, "p", rend=block.rend), block.children)
        elif isinstance(block, m.Head):
            add_inlines(sub(parent, "head", rend=None if block.level <= 1 else f"h{block.level}"), block.children)
        elif isinstance(block, m.Quote):
            q = sub(parent, "quote")
            add_blocks(q, block.blocks or [m.Para([""])])
        elif isinstance(block, m.ListBlock):
            add_list(parent, block)
        elif isinstance(block, m.Table):
            add_table(parent, block)
        elif isinstance(block, m.Closer):
            add_closer(parent, block)
        elif isinstance(block, m.Figure):
            add_figure(parent, block)
        elif isinstance(block, m.Milestone):
            sub(parent, "milestone", unit=block.unit, rend=block.rend)
        elif isinstance(block, m.Div):
            div = sub(parent, "div", type=block.type, n=block.n, xml_id=block.xml_id)
            if block.head:
                add_inlines(sub(div, "head"), block.head)
            add_blocks(div, block.blocks)
        else:  # pragma: no cover
            raise TypeError(block)


def add_list(parent: etree._Element, block: m.ListBlock) -> None:
    """A list; an item of one plain paragraph holds its words directly, without a <p>."""
    lst = sub(parent, "list", rend="numbered" if block.ordered else "bulleted")
    for item in block.items:
        it = sub(lst, "item")
        if len(item) == 1 and isinstance(item[0], m.Para) and not item[0].rend:
            add_inlines(it, item[0].children)
        else:
            add_blocks(it, item)


def add_table(parent: etree._Element, block: m.Table) -> None:
    """A table, its head rows marked role="label"; an empty row is left out."""
    table = sub(parent, "table")
    for r, row in enumerate(block.rows):
        if not row:
            continue
        row_el = sub(table, "row", role="label" if r < block.head_rows else None)
        for cell in row:
            add_inlines(sub(row_el, "cell"), cell)


FIGURES_FOLDER = "figures"  # beside the master: the figures' image files (``ingest`` copies them there)
EXTERNAL = "an image on another host"


def add_figure(parent: etree._Element, block: m.Figure) -> None:
    """A figure: its graphic (the image file beside the master, with media type and pixel
    size; for a missing image its URL and why it is missing), the caption as its head,
    the alt text as its figDesc."""
    if block.file is None:
        kind = "external" if (block.missing or "").startswith(EXTERNAL) else "missing"
        fig = sub(parent, "figure", type=kind)
        graphic = sub(fig, "graphic", url=uri_safe(block.url))
        sub(graphic, "desc", block.missing or "not in the source")
    else:
        fig = sub(parent, "figure")
        sub(
            fig,
            "graphic",
            url=uri_safe(f"{FIGURES_FOLDER}/{block.file}"),
            mimeType=block.media_type,
            width=f"{block.width}px" if block.width else None,
            height=f"{block.height}px" if block.height else None,
        )
    if block.caption:
        add_inlines(sub(fig, "head"), block.caption)
    if block.alt:
        sub(fig, "figDesc", block.alt)


def add_closer(parent: etree._Element, block: m.Closer) -> None:
    """A letter's closing: salutations, then the signature, then the dateline."""
    closer = sub(parent, "closer")
    for extra in block.other:
        add_inlines(sub(closer, "salute"), extra)
    if block.signed is not None:
        add_inlines(sub(closer, "signed"), block.signed)
    if block.dateline is not None:
        add_inlines(sub(closer, "dateline"), block.dateline)


def build_date(work: m.Work, epoch: int | None) -> str:
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")
    return work.retrieved or "1970-01-01"


def header(tei: etree._Element, work: m.Work, epoch: int | None) -> None:
    """The teiHeader: file description, encoding, profile and revisions, in the TEI's order."""
    hdr = sub(tei, "teiHeader")
    fd = sub(hdr, "fileDesc")
    title_statement(sub(fd, "titleStmt"), work)
    publication_statement(sub(fd, "publicationStmt"), work)
    if work.info:
        ns = sub(fd, "notesStmt")
        for line in work.info:
            sub(ns, "note", f"{line.label}: {line.value}", type="mia-info", n=line.label)
    source_description(sub(fd, "sourceDesc"), work)
    encoding_description(sub(hdr, "encodingDesc"), work)
    profile_description(sub(hdr, "profileDesc"), work)
    revision_description(sub(hdr, "revisionDesc"), work, build_date(work, epoch))


def authors_of(work: m.Work) -> list[Credited]:
    """The persons the work names: the reader's, else its author line resolved."""
    return work.authors or resolve(work.author, work.url)


def author_element(author: etree._Element, person: Credited) -> None:
    """One person as the page names them: the name as written, the role, the pen name and
    the life dates the line gives; ``@key`` (set by the caller) names the authority's person."""
    sub(author, "persName", person.wording)
    if person.role:
        sub(author, "roleName", person.role)
    if person.pen_name:
        sub(author, "persName", person.pen_name, type="pseudonym")
    if person.dates:
        born, _, died = person.dates.partition("-")
        date = sub(author, "date", person.dates)
        for attr, year in (("from", born), ("to", died)):
            if year:
                date.set(attr, year)


def title_statement(ts: etree._Element, work: m.Work) -> None:
    """Title, author, and one respStmt per credit (MARC relator codes), a transcriber always."""
    add_inlines(sub(ts, "title", type="main"), work.title)
    for person in authors_of(work):
        author_element(sub(ts, "author", key=person.key), person)
    for credit in work.credits:
        rs = sub(ts, "respStmt")
        words = credit.role_words or [ROLE_LABELS[r] for r in credit.roles]
        for code in credit.roles:
            resp = sub(rs, "resp", ROLE_LABELS[code], key=code, ref=f"{MARC}{code}")
            if credit.date_iso:
                resp.set("when", credit.date_iso)
        if not credit.roles:
            sub(rs, "resp", " / ".join(words))
        sub(rs, "persName", credit.name)
        sub(rs, "note", credit.statement, type="statement")
    if not any("trc" in c.roles for c in work.credits):
        # The source credits others (markup, proofreading) but names no transcriber:
        # the header says so rather than leave the transcription uncredited.
        rs = sub(ts, "respStmt")
        sub(rs, "resp", "Transcription", key="trc", ref=f"{MARC}trc")
        sub(rs, "name", "unknown")
        sub(rs, "note", work.no_credits_statement or "The source names no transcriber.", type="no-credit")


# The licence line of a work the public-domain rule publishes (pipeline/rights/rule.py):
# the source states none, so the words say where the Public Domain Mark comes from.
BY_RULE_STATEMENT = (
    "Public domain by rule: the source states no licence; every condition of the rule holds (the evidence follows)."
)


def publication_statement(ps: etree._Element, work: m.Work) -> None:
    """The MIA as distributor, the work's URL, and its availability: free only if every
    licence is, or the public-domain rule holds, or an editor's ruling publishes it."""
    dist = sub(ps, "distributor")
    sub(dist, "orgName", MIA_NAME, ref=MIA_URL)
    sub(ps, "idno", work.url, type="URI")
    rights = work.rights
    by_rule = rights is not None and rights.public_domain and not work.licences
    free = all((licences.by_uri(l.uri) or licences.UNDETERMINED).distributable for l in work.licences)
    free = (free and bool(work.licences)) or by_rule
    if rights is not None and rights.ruling is not None:
        free = rights.ruling[0] == "publish"
    av = sub(ps, "availability", status="free" if free else "restricted")
    if work.licences:
        for lic in work.licences:
            sub(av, "licence", lic.text, target=lic.uri)
    elif by_rule:
        sub(av, "licence", BY_RULE_STATEMENT, target=licences.PUBLIC_DOMAIN_MARK.uri)
    else:
        sub(av, "licence", "The source states no licence.", target=licences.UNDETERMINED.uri)
    if rights is not None:
        rights_paragraphs(av, rights)
    if work.permission:
        p = work.permission
        text = p.get("statement") or (
            f"Distributed with the permission of {p['granted_by']}, granted {p['date']} ({p['reference']})."
        )
        sub(av, "p", text, n="permission")
    if not any(asks_mia_credit(lic.text) for lic in work.licences):
        sub(av, "p", MIA_CREDIT_STATEMENT, n="mia-credit")


def rights_paragraphs(av: etree._Element, rights: m.Rights) -> None:
    """The rule's determination and the rulings, one ``<p n="...">`` each, in words
    (master/read.py reads them back by their @n): ``rights-rule``, ``rights-evidence``,
    ``rights-unmet-<condition>``, ``ruling-publish`` or ``ruling-withhold``, ``ruling-stale``."""
    if rights.rule:
        sub(av, "p", rights.rule, n="rights-rule")
    for fact in rights.evidence:
        sub(av, "p", fact, n="rights-evidence")
    for key, words in rights.unmet:
        sub(av, "p", words, n=f"rights-unmet-{key}")
    if rights.ruling is not None:
        sub(av, "p", rights.ruling[1], n=f"ruling-{rights.ruling[0]}")
    for words in rights.stale_rulings:
        sub(av, "p", words, n="ruling-stale")


def source_description(sd: etree._Element, work: m.Work) -> None:
    """The printed original (when known), the first publication, and the MIA page read."""
    if work.source is not None:
        original_source(sub(sd, "bibl", type="original"), work.source)
    if work.first_published:
        fp = sub(sd, "bibl", type="first-published")
        # the publication date as precisely as the reader read it, else the one year named
        when = work.first_published_iso or _year_only(work.first_published)
        sub(fp, "date", work.first_published, when=when)
    online = sub(sd, "bibl", type="digital")
    add_inlines(sub(online, "title", level="m"), work.title)
    sub(online, "publisher", MIA_NAME)
    sub(online, "ref", work.url, target=work.url)
    if work.retrieved:
        sub(online, "date", work.retrieved, when=work.retrieved, type="retrieved")
    for name, digest in work.source_files:
        sub(online, "idno", f"{name} sha256:{digest}", type="sha256")


def original_source(bibl: etree._Element, src: m.SourceBibl) -> None:
    """The source's bibliographic statement, part by part, and the statement as the source words it."""
    if src.title:
        sub(bibl, "title", src.title, level="j" if (src.volume or src.issue) else "m")
    if src.place:
        sub(bibl, "pubPlace", src.place)
    if src.publisher:
        sub(bibl, "publisher", src.publisher)
    if src.volume:
        sub(bibl, "biblScope", src.volume, unit="volume")
    if src.issue:
        sub(bibl, "biblScope", src.issue, unit="issue")
    if src.date_text:
        sub(bibl, "date", src.date_text, when=src.date_iso)
    if src.pages:
        sub(bibl, "biblScope", src.pages, unit="page", **{"from": src.page_from, "to": src.page_to or src.page_from})
    sub(bibl, "note", f"{src.label}: {src.statement}" if src.label else src.statement, type="statement")


def encoding_description(ed: etree._Element, work: m.Work) -> None:
    """The application that wrote the master and what it normalized on the way."""
    ai = sub(ed, "appInfo")
    app = sub(ai, "application", ident=APP_NAME, version=__version__)
    sub(app, "label", "MIA edition pipeline")
    decl = sub(ed, "editorialDecl")
    norm = sub(decl, "normalization")
    sub(
        norm,
        "p",
        f"Read from the MIA {work.source_format} source; the words of the work are kept as the source gives them.",
    )
    if work.encoding_declared or work.encoding_used:
        sub(
            norm,
            "p",
            f"Character encoding: declared {work.encoding_declared or 'none'}, decoded as {work.encoding_used or 'utf-8'}.",
            n="encoding",
        )
    for n in work.normalizations:
        sub(norm, "p", n.what, n=n.kind)
    sub(sub(decl, "interpretation"), "p", 'Note markers in the text are linked to their notes (ref type="noteref").')


def profile_description(pd: etree._Element, work: m.Work) -> None:
    """When the work was written or dated ("undated" when the source says nothing), and its language."""
    creation = sub(pd, "creation")
    date_words = (work.date_text or work.written or work.date_words or "").strip()
    if date_words and work.date_span and not work.date_iso:
        sub(creation, "date", date_words, **{"from": work.date_span[0], "to": work.date_span[1]})
    elif date_words:
        sub(creation, "date", date_words, when=work.date_iso)
    else:
        sub(creation, "date", "undated")
    lu = sub(pd, "langUsage")
    sub(lu, "language", LANGUAGE_NAMES.get(work.language, work.language), ident=work.language)


def revision_description(rd: etree._Element, work: m.Work, ingested: str) -> None:
    """The ingest (dated by the build date), and the MIA's own last update when the page gives one."""
    sub(rd, "change", f"Ingested from {work.url} by {APP_NAME} {__version__}.", when=ingested, type="ingest")
    if work.last_updated:
        sub(rd, "change", f"Last updated on: {work.last_updated}", type="mia-last-updated")


def _year_only(text: str) -> str | None:
    years = re.findall(r"\b(1[5-9]\d\d|20\d\d)\b", text)
    return years[0] if len(set(years)) == 1 else None


def to_tei(work: m.Work, epoch: int | None = None) -> etree._Element:
    tei = etree.Element(T("TEI"), nsmap={None: TEI_NS})
    tei.set(X("lang"), work.language)
    header(tei, work, epoch)
    text = sub(tei, "text")
    front = sub(text, "front")
    tp = sub(front, "titlePage")
    if work.author:  # the page's author line word for word (none: no named author); titleStmt has the persons
        sub(tp, "docAuthor", work.author)
    add_inlines(sub(sub(tp, "docTitle"), "titlePart", type="main"), work.title)
    if work.date_text:
        sub(tp, "docDate", work.date_text, when=work.date_iso)
    body = sub(text, "body")
    if any(isinstance(b, m.Div) for b in work.body):
        add_blocks(body, work.body)
    else:
        add_blocks(sub(body, "div", type="work"), work.body)
    if work.notes:
        back = sub(text, "back")
        div = sub(back, "div", type="notes")
        sub(div, "head", "Notes")
        for note in work.notes:
            el = sub(div, "note", xml_id=note.xml_id, n=note.label, place="end", resp=None)
            if note.resp:
                el.set("type", note.resp)
            add_blocks(el, note.blocks)
    return tei


# Elements whose content is only other elements: safe to indent (pipeline.xmlindent).
STRUCTURAL = {
    T(t)
    for t in (
        "TEI teiHeader fileDesc titleStmt respStmt publicationStmt distributor availability notesStmt "
        "sourceDesc bibl encodingDesc appInfo application editorialDecl normalization interpretation "
        "profileDesc creation langUsage revisionDesc text front titlePage docTitle body back div quote "
        "list table row closer note author"
    ).split()
}


def serialize(work: m.Work, epoch: int | None = None) -> bytes:
    tei = to_tei(work, epoch)
    indent(tei, lambda el: el.tag in STRUCTURAL)
    document: bytes = etree.tostring(tei, xml_declaration=True, encoding="UTF-8")
    return document + b"\n"
