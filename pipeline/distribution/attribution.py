"""The attribution every listing carries, in the same words as the books' colophon.

The page, the OPDS 1.2 entry and the OPDS 2.0 publication all render this one list, so
a reader sees the same author, original publication, source, credits and licence
wherever they meet the work, exactly as the master states them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.distribution.works import display_date
from pipeline.master.read import EditionMeta


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None  # the text is a link to this
    rel: str | None = None
    prefix: str = ""  # plain text before the link


@dataclass
class Item:
    term: str
    values: list[Value] = field(default_factory=list)


def attribution(meta: EditionMeta) -> list[Item]:
    items = [Item("Author", [Value(meta.author)])]
    date = display_date(meta)
    if date:
        items.append(Item("Written", [Value(date)]))
    publication = [Value(meta.source_statement)] if meta.source_statement else []
    if meta.first_published:
        publication.append(Value(f"First Published: {meta.first_published}"))
    if publication:
        items.append(Item("Original publication", publication))
    if meta.url:
        source = meta.source_name
        items.append(Item("Source", [Value(meta.url, href=meta.url, prefix=f"{source}: ")]))
    if meta.credits:
        items.append(Item("Credits", [Value(c.line) for c in meta.credits]))
    elif meta.no_credit_statement:
        items.append(Item("Credits", [Value(meta.no_credit_statement)]))
    for lic in meta.licences:
        items.append(Item("Licence", [Value(f"{lic.name}", href=lic.uri, rel="license", prefix=f"{lic.text} ")]))
    if meta.permission:
        items.append(Item("Permission", [Value(meta.permission)]))
    return items


def rights_text(meta: EditionMeta) -> str:
    """The licence statements verbatim, each with its canonical URI (for atom:rights)."""
    parts = [f"{lic.text} ({lic.name}: {lic.uri})" for lic in meta.licences]
    if meta.permission:
        parts.append(f"Permission: {meta.permission}")
    return " ".join(parts)


def summary_text(meta: EditionMeta) -> str:
    """One plain sentence or two a reading app can show under the title."""
    parts = [meta.author]
    date = display_date(meta)
    if date:
        parts[0] += f", {date}"
    if meta.source_statement:
        parts.append(meta.source_statement)
    if meta.first_published:
        parts.append(f"First Published: {meta.first_published}")
    if meta.credits:
        parts.append("; ".join(c.line for c in meta.credits))
    text = ". ".join(p.rstrip(".") for p in parts) + "."
    return text
