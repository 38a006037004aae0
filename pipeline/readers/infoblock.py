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
from pipeline.readers.dates import iso_date

# Role words -> MARC relator codes (https://id.loc.gov/vocabulary/relators).
ROLE_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"transcri\w*", re.I), "trc"),
    (re.compile(r"(html\s*)?mark-?up|html|xhtml|formatting|coding", re.I), "mrk"),
    (re.compile(r"proof-?read\w*|proofing|checked", re.I), "pfr"),
    (re.compile(r"translat\w*", re.I), "trl"),
    (re.compile(r"edit\w*", re.I), "edt"),
    (re.compile(r"scann\w*|digiti[sz]\w*|ocr", re.I), "trc"),
]
CREDIT_LABEL = re.compile(
    r"^(transcri|html|markup|mark-up|proof|translat|edit|scann|digiti|ocr|formatting|coding|checked)", re.I
)
# Labels that name a translator of the text rather than a person credited for the web edition.
SOURCE_LABEL = re.compile(r"^sources?$", re.I)
FIRST_PUBLISHED = re.compile(r"^(first\s+published|published|first\s+printed)$", re.I)
WRITTEN = re.compile(r"^(written|delivered|dated)$", re.I)

_DATE_TAIL = re.compile(
    r",?\s*((?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?"
    r"(?:1[89]\d\d|20\d\d))\.?\s*$",
    re.I,
)


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
    """'Ted Crawford and David Walters' -> two names; 'David Walters' -> one."""
    text = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip()
    parts = re.split(r"\s*(?:,|;|&|\band\b)\s*", text)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def parse_credit(line: InfoLine) -> list[Credit]:
    words = split_label(line.label)
    roles = roles_for(words)
    value = line.value.strip()
    date_text = None
    m = _DATE_TAIL.search(value)
    if m:
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
        elif bibl.place is None and re.fullmatch(r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}", piece) and "press" not in low:
            bibl.place = piece
        elif bibl.publisher is None and re.search(r"press|publish|books|verlag|editions?", low):
            bibl.publisher = piece
    return bibl


def interpret(work: Work, lines: list[InfoLine]) -> None:
    """Fill ``work``'s credits, licences, source, written and first-published fields."""
    work.info = lines
    for line in lines:
        label = line.label.strip().rstrip(":").strip()
        if licences.is_licence_label(label):
            try:
                lic = licences.classify(label, line.value)
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
        elif WRITTEN.match(label) and work.written is None:
            work.written = line.value.strip()
