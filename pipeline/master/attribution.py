"""The attribution of a work: one model every edition and every listing renders.

The MIA's terms ask every copy to name the author, the original publication, the
transcribers and proofreaders, the licence as the source states it, and the MIA with
the work's URL. The EPUB and PDF colophon, the text edition's "About this edition", the
library page and both OPDS feeds all show these facts; this module is the one place that
says which facts there are, in which words and in which order, built from the master's
header (:class:`~pipeline.master.read.EditionMeta`) only. Renderers lay the items out
(a definition list, ``label: value`` lines) and add nothing of their own.

Each fact is one function below, with every wording it has; a *form* selects the facts
and their order for one kind of output:

- ``colophon``: the EPUB's and PDF's colophon (with the credits as the source states
  them, the editorial changes and how the edition was made);
- ``text``: the text edition's block, one ``label: value`` line per value, so its labels
  are singular and a link is written out in full;
- ``listing``: the library page and the feeds (what a reader needs before downloading:
  no title, which the listing shows on its own, and nothing about one file).

The forms still differ in some words (``Date`` and ``Written``, the licence link's
text) because every published edition and page must stay byte for byte what it was;
they differ here, side by side, and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pipeline import APP_NAME, __version__
from pipeline.master.read import EditionMeta, LicenceInfo

Form = Literal["colophon", "text", "listing"]


@dataclass(frozen=True)
class Value:
    """One value of an item: plain text, or a link (``href``) after plain ``prefix`` text."""

    text: str
    href: str | None = None  # the text is a link to this
    rel: str | None = None  # the link's relation ("license", RFC 4946)
    prefix: str = ""  # plain text before the link

    @property
    def plain(self) -> str:
        """The value as plain text (a link written out), for outputs without links."""
        return self.prefix + self.text


@dataclass(frozen=True)
class Item:
    """One labelled fact: ``key`` names the fact (for selecting it), ``term`` is its label."""

    key: str
    term: str
    values: tuple[Value, ...]


def item(key: str, term: str, *values: Value | str | None) -> Item:
    """An item of its values; a text that is None or empty is a fact the master lacks
    and is left out (a :class:`Value` is always kept), so a missing fact yields an item
    without values, which :func:`attribution` drops."""
    return Item(key, term, tuple(v if isinstance(v, Value) else Value(v) for v in values if v))


# ---- the facts, each in every wording it has -------------------------------------------------


def author(meta: EditionMeta, form: Form) -> list[Item]:
    return [item("author", "Author", Value(meta.author))]


def title(meta: EditionMeta, form: Form) -> list[Item]:
    return [item("title", "Title", Value(meta.title))]


def display_date(meta: EditionMeta) -> str | None:
    """The master's date as the source words it, without the MIA's enclosing brackets."""
    text = meta.date_text or meta.date_iso
    if not text:
        return None
    return re.sub(r"^\((.*)\)$", r"\1", text.strip()).strip() or None


def date(meta: EditionMeta, form: Form) -> list[Item]:
    # The editions print the date exactly as the master has it; a listing, read among
    # other works, drops the MIA's brackets and falls back to the ISO date.
    if form == "listing":
        return [item("date", "Written", display_date(meta))]
    return [item("date", "Date", meta.date_text)]


def publication(meta: EditionMeta, form: Form) -> list[Item]:
    first_published = f"First Published: {meta.first_published}" if meta.first_published else None
    if form == "text":  # one line each
        return [
            item("publication", "Original publication", meta.source_statement),
            item("first-published", "First published", meta.first_published),
        ]
    return [item("publication", "Original publication", meta.source_statement, first_published)]


def source(meta: EditionMeta, form: Form) -> list[Item]:
    if form == "text":
        return [item("source", "Source", Value(meta.url, href=meta.url, prefix=f"{meta.source_name} (marxists.org), "))]
    if form == "listing" and not meta.url:
        return []
    return [item("source", "Source", Value(meta.url, href=meta.url, prefix=f"{meta.source_name}: "))]


def credits(meta: EditionMeta, form: Form) -> list[Item]:
    """The credits as every edition prints them; the editions add the source's own words."""
    if not meta.credits:
        return [item("no-credit", "Credits", meta.no_credit_statement)]
    lines = [c.line for c in meta.credits]
    if form == "listing":
        return [item("credits", "Credits", *lines)]
    if form == "text":
        statements = list(dict.fromkeys(c.statement for c in meta.credits))
        return [
            item("credits", "Credit", *lines),
            item("credit-statements", "Credit as the source states it", *statements),
        ]
    statements = sorted({c.statement: None for c in meta.credits})
    return [
        item("credits", "Credits", *lines),
        item("credit-statements", "Credits as the source states them", *statements),
    ]


def licence_value(lic: LicenceInfo, form: Form) -> Value:
    """The licence statement verbatim, then a link to its canonical URI."""
    if form == "listing":
        return Value(f"{lic.name}: {lic.uri}", href=lic.uri, rel="license", prefix=f"{lic.text} ")
    return Value(f"({lic.name}: {lic.uri})", href=lic.uri, rel="license", prefix=f"{lic.text} ")


def licence(meta: EditionMeta, form: Form) -> list[Item]:
    if form == "text":  # the name and URI, then the statement on a line of its own
        return [
            it
            for lic in meta.licences
            for it in (
                item("licence", "Licence", Value(lic.uri, href=lic.uri, rel="license", prefix=f"{lic.name}, ")),
                item("licence-statement", "Licence statement", Value(lic.text)),
            )
        ]
    return [item("licence", "Licence", licence_value(lic, form)) for lic in meta.licences]


def permission(meta: EditionMeta, form: Form) -> list[Item]:
    return [item("permission", "Permission", meta.permission)]


# A normalization's sentence without its particulars: its count ("4 x "), the words it
# quotes ('return', "Notes"), its places in the source ("(index.htm line 67, ...)").
COUNTED = re.compile(r"^\d+ x ")
QUOTED = re.compile(r"(?<=\s)(['\u2018\u201c\"]).*?(['\u2019\u201d\"])(?=[\s.,;:)]|$)")
PARTICULARS = re.compile(r"\s*(\(|:|,|;).*$", re.S)
TECHNICAL = (
    "Read from the MIA ",
    "Character encoding:",
    "Opened the part's first section ",
)  # the reading itself: the master's record only


def change_phrases(normalizations: list[str]) -> list[str]:
    """Each kind of change once, without its count, quotations and places, in the order
    the master records them: "removed spacer paragraphs", "dropped horizontal rules"."""
    phrases: list[str] = []
    for sentence in normalizations:
        if sentence.startswith(TECHNICAL):
            continue
        phrase = COUNTED.sub("", sentence.strip()).replace("(s)", "s")  # "link(s)": a plural, not particulars
        phrase = " ".join(QUOTED.sub("", phrase).split())
        phrase = PARTICULARS.sub("", phrase).rstrip(" .")
        phrase = phrase[:1].lower() + phrase[1:] if phrase[1:2].islower() else phrase
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def change_summary(meta: EditionMeta) -> str:
    """The editorial changes in a sentence or two, as a reader wants them (issue 20): the
    full log, each change with its place in the source, stays in the TEI master."""
    summary = "The words of the work are kept as the source gives them."
    anomalies = set(meta.anomalies)
    cleaned = change_phrases([n for n in meta.normalizations if n not in anomalies])
    kept = change_phrases(meta.anomalies)
    if cleaned:
        summary += f" From the web page: {'; '.join(cleaned)}."
    if kept:
        summary += f" Kept as the source has it: {'; '.join(kept)}."
    return summary + " The TEI master records each change and where the source had it."


def changes(meta: EditionMeta, form: Form) -> list[Item]:
    """The normalizations the master records, summarised (editions only: the listing has no text)."""
    if not meta.normalizations:
        return []  # no record of how the master was read: nothing to summarise
    return [item("changes", "Editorial changes", change_summary(meta))]


def mia_updated(meta: EditionMeta, form: Form) -> list[Item]:
    return [item("mia-updated", "At the MIA", meta.last_updated)]


Fact = Callable[[EditionMeta, Form], list[Item]]

# Which facts each form shows, in its order.
FACTS: dict[Form, tuple[Fact, ...]] = {
    "colophon": (author, title, date, publication, source, credits, licence, permission, changes),
    "text": (title, author, date, publication, source, credits, licence, permission, changes, mia_updated),
    "listing": (author, date, publication, source, credits, licence, permission),
}


def made(meta: EditionMeta, form: Form, build_date: str | None, kind: str = "") -> str:
    """How this edition was made: the pipeline's version, and each date for what it is.

    A build is reproducible, so without SOURCE_DATE_EPOCH (``build_date`` None) the
    edition carries no date of its own, only the date its source was retrieved: calling
    that the build date would misdate the edition. The colophon names the version that
    built it (and the one that ingested the master when they differ); the text edition
    names ``kind`` (plain text and its encoding) and the master's version.
    """
    version = (meta.pipeline_version or __version__) if form == "text" else __version__
    sentence = f"built {build_date} by" if build_date else "made by"
    sentence += f" {APP_NAME} {version} from the TEI master"
    if form != "text" and meta.pipeline_version and meta.pipeline_version != __version__:
        sentence += f" (ingested by {APP_NAME} {meta.pipeline_version})"
    if meta.retrieved:
        sentence += f"; source retrieved {meta.retrieved}"
    return f"{kind}; {sentence}." if form == "text" else sentence[0].upper() + sentence[1:] + "."


def attribution(meta: EditionMeta, form: Form, edition: str | None = None) -> list[Item]:
    """The items ``form`` shows, in order, each with at least one value; ``edition``
    (from :func:`made`) closes an edition's list as "This edition"."""
    items = [it for fact in FACTS[form] for it in fact(meta, form)]
    if edition is not None:
        items.append(item("edition", "This edition", edition))
    return [it for it in items if it.values]
