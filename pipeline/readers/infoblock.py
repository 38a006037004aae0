"""The MIA information block: ``Label: value`` lines, turned into credits, the source
bibliography and the licence, the same way for every reader.

The census of 9,237 MIA pages counted 422 distinct labels; the ones that carry meaning
are matched by the patterns below (spelling variants and typos included). Every line
is also kept verbatim in the master (``notesStmt``), so an unknown label is never lost.
"""

from __future__ import annotations

import re

from pipeline import licences
from pipeline.errors import PipelineError
from pipeline.master.model import Credit, InfoLine, LicenceStatement, SourceBibl, Work
from pipeline.readers.dates import MAX_SPAN_YEARS, MAX_WRITTEN_SPAN_YEARS, date_phrase, date_span, iso_date, work_date

# Role words -> MARC relator codes (https://id.loc.gov/vocabulary/relators).
ROLE_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"transcri\w*|transc?ri?p?t\w*", re.I), "trc"),  # typos: "Transciption", "Transcritpion"
    (re.compile(r"(x?html\s*)?mark(?:ed)?[\s-]*up|html|xhtml|formatting|coding|reformat\w*", re.I), "mrk"),
    (re.compile(r"proof-?read\w*|proofing|proofed|profread\w*|checked|(?:second\s+)?proof\w*", re.I), "pfr"),
    (re.compile(r"(?:english\s+)?translat\w*", re.I), "trl"),
    (re.compile(r"(?:copy-?)?edit\w*", re.I), "edt"),
    (re.compile(r"scann\w*|digiti[sz]\w*|digitali[sz]\w*|ocr", re.I), "trc"),
    # Other languages of the archive (issue 14): Spanish, Italian, Icelandic, Estonian.
    (re.compile(r"digitalizaci\w*|transcripci\w*|trascrizion\w*|trascritt\w*|stafr\w*\s+texti|ümber\w*", re.I), "trc"),
    (re.compile(r"edici\w*\s+digital|edizione\s+digitale|marcado|maquetaci\w*", re.I), "mrk"),
    (re.compile(r"traducci\w*|traduzion\w*|tradott\w*|versi\w*\s+al\s+castellano|þýð\w*|tõlk\w*|tõlge", re.I), "trl"),
    (re.compile(r"revisi\w*|correcci\w*|corretto|prófarkalestur", re.I), "pfr"),
]
# Credit labels, with the variants and typos the census of 9,237 MIA pages counted
# ("Transciption", "Profreader", "Mark up", "Marked-up", "Copyedited", "Reformatted"...).
CREDIT_LABEL = re.compile(
    r"^(transcri|transci|transcrit|html|x?html|markup|mark-up|mark\s+up|marked|proof|profread|translat|english\s+translat|"
    r"edit|copy-?edit|scann|digiti|digitali|ocr|formatting|reformat|coding|checked|second\s+proof|"
    r"digitalizaci|transcripci|trascri|stafr|edici[oó]n\s+digital|edizione\s+digitale|marcado|traducci|traduzion|"
    r"versi[oó]n\s+al\s+castellano|þýð|tõlk|tõlge|revisi[oó]n|correcci)",
    re.I,
)
# Labels that name a translator of the text rather than a person credited for the web edition.
SOURCE_LABEL = re.compile(r"^(?:sources?|fuentes?(?:\s+de\s+la\s+presente\s+edici[oó]n)?|fonte|heimild|allikas)$", re.I)
FIRST_PUBLISHED = re.compile(
    r"^(first\s+publi?s?hed(?:\s+in\s+english|\s+as)?|originally\s+published|published|first\s+printed|"
    r"primera\s+vez\s+publicado|publicado|pubblicato|prima\s+pubblicazione|fyrstur\s+útgefandi|esmakordselt\s+avaldatud)$",
    re.I,
)
# Rule *a publisher line* (issue 20): "Publisher: George Routledge and Sons, Ltd., London",
# "Publisher: The Communist Party of Great Britain" (archive/murphy-jt/*, archive/pollitt/*,
# pamphlets and books the MIA lists without a Source line) names the original publication.
PUBLISHER = re.compile(r"^(publishers?|published\s+by|publishing\s+house)$", re.I)
# The labels that date the work itself; rule *a date label* (issue 20): "Date: September
# 1926", "Date: 1941" (archive/murphy-jt/*, archive/pollitt/*, archive/dunne/*), "Sent: ..."
# date the work as "Written:" does.
WRITTEN = re.compile(
    r"^(written|delivered|dated?|sent|spoken|discussed|recorded|escrito|fecha|scritto|skrifaður|kirjutatud)$", re.I
)

# "2006 by Einde O'Callaghan", "by Andy Blunden": a year and "by" before the names.
_YEAR_BY = re.compile(r"^(?:\(?((?:1[89]|20)\d\d)\)?[,:]?\s+)?by:?\s+", re.I)
# "Damon Maxwell in 2009": rule *a year after "in"* (archive/james-clr/works/1943/07/hook.htm).
_DATE_TAIL = re.compile(
    r",?\s*(?:\bin\s+)?\(?((?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+)?"
    r"(?:1[89]\d\d|20\d\d))\)?\.?\s*$",
    re.I,
)
# Rule *the language before the translator*: "Translated: From the German by A.M. Simons",
# "from the French by the Ted Crawford and Harry Ratner" (archive/kautsky/1909/power/,
# archive/maclean/1917/07/letter.htm; some 15 pages of the archive): the language the text
# was translated from is no name; the line stays verbatim in the master.
_FROM_LANGUAGE = re.compile(r"^(?i:from)\s+(?:(?i:the)\s+)?[A-Za-z]+\s+(?i:by):?\s+(?:the\s+(?=[A-Z]))?")
# Rule *a phrase before "by"*: "Proofed: and corrected by Paul Germanotta in 2011",
# "Translated: First translated by Angela Clifford in Dec 1975" (archive/castoriadis/*,
# archive/kautsky/1907/colonial/): lower-case words (the first may be capitalised) and "by"
# before the name are no part of it.
_PHRASE_BY = re.compile(r"^(?:[A-Za-z]+\s+)?(?:[a-z]+\s+){0,3}by:?\s+(?=[A-Z])")
# Rule *a web address for a name*: "Transcription: prole.info", "zabalaza.net",
# "kurasje.org" (archive/brinton/1974/11/malaise.htm): a site that transcribed the text is
# credited by its address, which has no capital letter.
_WEB_ADDRESS = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}$")
# "Martin Fahlgren and David Walters for the Trotsky Internet Archive": the names end at "for".
_FOR_CLAUSE = re.compile(r"\s+for\s+(?:the\s+|a\s+)?[A-Z\w].*$")
# A note marker printed after a name in the information block ("Steve Palmer *", "Zdravko [1]").
_TRAILING_MARKER = re.compile(r"\s*(?:\[\d{1,3}\]|\*{1,4}|[†‡]+)\s*$")


def split_label(label: str) -> list[str]:
    """'Transcribed/HTML Markup' -> ['Transcribed', 'HTML Markup'] (also '\\', '&', 'and')."""
    return [p.strip() for p in re.split(r"\s*(?:/|\\|&|,|\band\b)\s*", label) if p.strip()]


def roles_for(words: list[str]) -> list[str]:
    roles: list[str] = []
    for word in words:
        for pattern, code in ROLE_WORDS:
            if pattern.fullmatch(word.strip()) or pattern.match(word.strip()):
                if code not in roles:
                    roles.append(code)
                break
    return roles


def split_names(text: str) -> list[str]:
    """'Ted Crawford and David Walters' -> two names; 'David Walters' -> one.

    A "for <organisation>" clause ends the names, note markers after a name are not part
    of it, and a piece holding digits or no capital letter is not a name ("1977 for ...").
    """
    text = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip()
    text = _FOR_CLAUSE.sub("", text)
    parts = re.split(r"\s*(?:,|;|&|\band\b)\s*", text)
    names = [_TRAILING_MARKER.sub("", p).strip(" .") for p in parts]
    # a phrase is no name: "Primera vez publicado en castellano en Argentina en"
    return [
        n
        for n in names
        if n
        and not re.search(r"\d", n)
        and (re.search(r"[A-ZÀ-Þ]", n) or _WEB_ADDRESS.match(n))
        and sum(1 for w in n.split() if w[:1].islower()) <= 2
        and len(n.split()) <= 6
    ]


def parse_credit(line: InfoLine) -> list[Credit]:
    words = split_label(line.label)
    roles = roles_for(words)
    value = line.value.strip()
    date_text = None
    lead = _YEAR_BY.match(value)
    if lead:  # rule *year before the name*: "Transcription/Markup: 2006 by Einde O'Callaghan"
        date_text = lead.group(1)
        value = value[lead.end() :].strip()
    if "trl" in roles:
        value = _FROM_LANGUAGE.sub("", value, count=1)
    value = _PHRASE_BY.sub("", value, count=1)
    m = _DATE_TAIL.search(value)
    if m and date_text is None:
        date_text = m.group(1).strip()
        value = value[: m.start()].strip()
    value = value.rstrip(".").strip()
    names = split_names(value) if value else []
    statement = f"{line.label}: {line.value}".strip()
    return [
        Credit(
            name=name,
            roles=list(roles),
            date_text=date_text,
            date_iso=iso_date(date_text),
            statement=statement,
            role_words=words,
        )
        for name in names
    ]


def parse_source(statement: str) -> SourceBibl:
    """Parse an MIA Source line into a bibliography.

    "New International, New York, Vol.2 No.1, January 1935, pages 16-19." ->
    title New International, place New York, volume 2, issue 1, date 1935-01, pages 16-19.
    Pieces that fit no field stay in the verbatim statement only.
    """
    bibl = SourceBibl(statement=statement.strip())
    text = statement.strip().rstrip(".")
    pieces = [p.strip() for p in re.split(r",\s*(?![^()]*\))", text) if p.strip()]
    for i, piece in enumerate(pieces):
        low = piece.lower()
        vol = re.search(r"\bvol(?:ume)?\.?\s*([\w.-]+)", piece, re.I)
        num = re.search(r"\b(?:no|number|issue|nr)\.?\s*(\d[\w-]*)", piece, re.I)
        pages = re.search(r"\b(?:pages?|pp?\.)\s*(\d+)(?:\s*[-–]\s*(\d+))?", piece, re.I)
        if vol or num:
            if vol:
                bibl.volume = vol.group(1).rstrip(".")
            if num:
                bibl.issue = num.group(1)
            continue
        if pages:
            bibl.pages = piece
            bibl.page_from = pages.group(1)
            bibl.page_to = pages.group(2)
            continue
        date = iso_date(piece)
        if date and bibl.date_text is None and re.search(r"\d{4}", piece):
            bibl.date_text = piece
            bibl.date_iso = date
            continue
        if i == 0:
            bibl.title = piece
        elif (
            bibl.place is None and re.fullmatch(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}", piece) and "press" not in low
        ):
            bibl.place = piece
        elif bibl.publisher is None and re.search(r"press|publish|books|verlag|editions?", low):
            bibl.publisher = piece
    return bibl


def publisher_bibl(value: str) -> SourceBibl:
    """The original publication a "Publisher:" line names: the publisher, and the year
    when the line gives one ("The Socialist League, 3 Victoria Street, London, 1935")."""
    bibl = SourceBibl(statement=value.strip(), publisher=value.strip().rstrip(".").strip(), label="Publisher")
    for piece in reversed([p.strip() for p in value.split(",")]):
        if re.search(r"\b(1[6-9]\d\d|20[0-2]\d)\b", piece) and (date := iso_date(piece)):
            bibl.date_text, bibl.date_iso = piece.rstrip("."), date
            break
    return bibl


def interpret(work: Work, lines: list[InfoLine]) -> None:
    """Fill ``work``'s credits, licences, source, written and first-published fields;
    a "Publisher:" line is the source when no "Source:" line gives one."""
    work.info = lines
    publisher: str | None = None
    for line in lines:
        label = line.label.strip().rstrip(":").strip()
        if licences.is_licence_label(label):
            try:
                lic = licences.classify(label, line.value, line.links)
            except PipelineError as exc:
                exc.line = exc.line or line.line
                raise
            work.licences.append(LicenceStatement(label=label, text=f"{label}: {line.value}".strip(), uri=lic.uri))
        elif CREDIT_LABEL.match(label):
            work.credits.extend(parse_credit(line))
        elif SOURCE_LABEL.match(label) and work.source is None:
            work.source = parse_source(line.value)
        elif FIRST_PUBLISHED.match(label) and work.first_published is None:
            work.first_published = line.value.strip()
            work.first_published_iso = work_date(work.first_published)
        elif WRITTEN.match(label) and work.written is None:
            work.written = line.value.strip()
        elif PUBLISHER.match(label) and publisher is None and re.search(r"[^\W\d_]", line.value):
            publisher = line.value
    if work.source is None and publisher is not None:
        work.source = publisher_bibl(publisher)


# Licence wording in an information block written as prose (no label): the first
# licence word names the kind, ``licences.classify`` reads the rest.
PROSE_LICENCE = re.compile(
    r"\b(public\s+domain|pubic\s+domain|copyleft|copyright|copright|gnu\s+free\s+documentation\s+licen[cs]e|creative\s+commons)\b|©",
    re.I,
)
_CREDIT_WORD = r"(?:transcri\w*|proof-?read\w*|proofed|x?html(?:\s+mark-?up)?|mark(?:ed)?[- ]?up|translat\w*|edit(?:ed|ing)|digiti[sz]\w*|scann\w*)"
PROSE_CREDIT = re.compile(
    rf"\b(?P<role>{_CREDIT_WORD}(?:\s*(?:,|/|&|and)\s*{_CREDIT_WORD})*)"
    # rule *credit in prose*: "Scanned and prepared for the Marxist Internet Archive by Paul Flewers"
    rf"(?:\s+and\s+prepared)?(?:\s+for\s+(?:the\s+)?(?:MIA|[\w’'-]+(?:\s+[\w’'-]+){{0,4}}))?"
    rf"\s+(?:by:?|:)\s+(?P<names>[^.;]+)",
    re.I,
)


# Rule *a prose citation* (issue 20): an unlabelled line of the block that cites the
# original publication, "From Justice, 8th March 1884, p.4.", "From International Press
# Correspondence, Vol. 2 No. 72, 25 August 1922, p. 543.", "First published in Macmillan's
# Magazine no.57, November 1887." (the Encyclopedia of Trotskyism On-Line's layout:
# archive/bax/*, archive/harman/*, archive/cliff/*, history/etol/* ... some 2,900 works):
# the sentence is the source's statement, read as a Source line is, when it gives a year or
# a volume or number; "From the German by ..." is a translator's line, not a citation.
PROSE_CITATION = re.compile(
    r"^(?:from|(?:first|originally)\s+(?:published|printed|appeared)\s+(?:in|as|by)|published\s+(?:in|by|as)|"
    r"reprinted\s+from)\s+(?!(?:the\s+)?(?:german|french|russian|spanish|italian|yiddish|polish|original)\s+(?:by|edition|original|text|translation|version)\b)"
    r"(?P<cited>.+)",
    re.I,
)
_CITES = re.compile(r"\b(?:1[6-9]\d\d|20[0-2]\d)\b|\b(?:vol|no)\.?\s*\d", re.I)
# A sentence ends at a full stop before a capital, not after an abbreviation ("Vol.", "No.",
# "p.", "pp.", "St.", an initial).
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Za-z])(?<!\bVol)(?<!\bvol)(?<!\bNo)(?<!\bno)(?<!\bpp)(?<!\bSt)(?<!\bMr)(?<!\beds)(?<!\bed)"
    r"\.\s+(?=[A-Z\[])(?![^()]*\))"
)


def prose_citation(value: str) -> SourceBibl | None:
    """The original publication an unlabelled line cites (see :data:`PROSE_CITATION`)."""
    sentences = _SENTENCE_END.split(value.strip())
    # a title with a full stop in it ("Analyzing Marxism. New essays ..."): the citation
    # runs on to the sentence that gives its year, three at most
    n = next((i + 1 for i in range(min(3, len(sentences))) if _CITES.search(sentences[i])), 1)
    sentence = ". ".join(x.strip() for x in sentences[:n])
    m = PROSE_CITATION.match(sentence)
    if not m or not _CITES.search(sentence):
        return None
    bibl = parse_source(m.group("cited"))
    bibl.statement, bibl.label = sentence, None
    return bibl


def interpret_prose(work: Work, line: InfoLine) -> None:
    """Credits and licence from an unlabelled line ("Transcribed by X. This work is in
    the Public Domain."), and the original publication it cites when no line names one;
    the line itself is kept verbatim in ``work.info`` already."""
    if work.source is None and work.first_published is None:
        work.source = prose_citation(line.value)
    m = PROSE_LICENCE.search(line.value)
    if m:
        kind = " ".join((m.group(1) or "copyright").split()).title()
        try:
            lic = licences.classify(kind, line.value, line.links)
        except PipelineError as exc:
            exc.line = exc.line or line.line
            raise
        if not any(l.text == line.value for l in work.licences):
            work.licences.append(LicenceStatement(label=kind, text=line.value, uri=lic.uri))
    for c in PROSE_CREDIT.finditer(line.value):
        for credit in parse_credit(InfoLine(c.group("role"), c.group("names"), line.line)):
            credit.statement = line.value
            work.credits.append(credit)


def date_of_work(work: Work, byline_year: bool = False) -> None:
    """Rule *date from the information block*: the head's date line, else "Written:" (or
    "Date:", "Sent:", "Delivered:"), else "First Published:", else the date inside the
    "Source:" line; else rule *a span of dates* in the same order.

    Layout: pages without a date line under the title (archive/mcclatchie/*,
    archive/lawrence/*: "Source: Socialist Standard, September 1949"; archive/reed/*:
    "First Published: May 1916, The Masses"). An edition must not say "undated" when
    the page gives a date; the date's words are the line's own.
    """
    work.date_iso = iso_date(work.date_text) or work_date(work.written)
    found: list[tuple[str, str]] = [
        (iso, w)
        for w in (work.first_published, *((work.source.date_text, work.source.statement) if work.source else ()))
        if w and (iso := work_date(w))
    ]
    if work.date_iso and byline_year:
        # rule *the byline's year, the block's day*: "Dora B. Montefiore 1917" over "Source:
        # Justice, 12 April 1917" (archive/montefiore/*, archive/maclean/*): the most precise
        # date of the block in that year; a later one ("First published: in English
        # translation, 31 August 2011") dates another edition, not the work.
        year = work.date_iso
        agreeing = [iso for iso, _ in [(work_date(work.written), work.written), *found] if iso and iso.startswith(year)]
        work.date_iso = max(agreeing, key=len, default=work.date_iso)
        return
    if work.date_iso:
        return
    if found:
        first = found[0][0]
        # the most precise reading that agrees with the first ("1927" and "July 15, 1927")
        iso, words = max((f for f in found if f[0].startswith(first)), key=lambda f: len(f[0]))
        work.date_iso = iso
        work.date_words = date_phrase(words) or words
        return
    _span_of_work(work)


def _span_of_work(work: Work) -> None:
    """Rule *a span of dates*: a work dated by no one date but by a span ("Written: 1927-1931",
    "Source: Militant, No. 22, December 1966–January 1967") has the span's first and last."""
    statement = work.source.statement if work.source else None
    for n, words in enumerate((work.date_text, work.written, work.first_published, statement)):
        span = date_span(words, MAX_WRITTEN_SPAN_YEARS if n < 2 else MAX_SPAN_YEARS)
        if span and words:
            work.date_span = span[:2]
            if not (work.date_text or work.written):
                work.date_words = span[2]
            return
