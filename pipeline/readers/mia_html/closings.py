"""Headings that are no heading: a letter's closing, a signature, a byline (issue 20).

Pages set a letter's "Sincerely," and its signer, or the author's name under a title
inside the text, in a heading's tag or class (``p.sub``, ``h4``): the editions would list
"Sincerely," and "Albert Weisbord" among the work's contents. Each rule below reads the
converted blocks of one page, turns such a heading into what it is, and records it with
its words. The words and their order never change.
"""

from __future__ import annotations

import re

from pipeline.master.model import Block, Closer, Head, Para
from pipeline.readers.mia_html.dom import Recorder
from pipeline.readers.mia_html.structure import key, words_of

VALEDICTION = re.compile(
    r"^(?:(?:very\s+)?(?:sincerely|sincerly|cordially|fraternally|faithfully|truly|respectfully|comradely)"
    r"(?:\s+yours)?|yours(?:\s+(?:sincerely|fraternally|faithfully|truly|comradely|for\s+\w+(?:\s+\w+)?))?|"
    r"with\s+(?:\w+\s+)?(?:greetings|regards)|(?:best|warm|kind|comradely|fraternal)\s+(?:regards|greetings))"
    r"\s*[,.!]?$",
    re.I,
)
NAME = re.compile(r"^[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4}\.?$")
AUTHORS = re.compile(r"\s*(?:&|\band\b|,)\s*")


def closings(blocks: list[Block], author: str, rec: Recorder) -> list[Block]:
    """Rule *a letter's closing in a heading*: a heading that is a valediction ("Sincerely,",
    "Cordially,", "Sincerely yours,", archive/weisbord/Draper.htm) closes a letter, and a
    heading of a name right after it is the letter's signer: one closer. Rule *the author's
    name as a heading after text*: under a heading it is the text's byline ("Rosa Luxemburg
    or Lenin?" / "August Thalheimer" after the translator's introduction,
    archive/thalheimer/works/rosa.htm), else it signs what precedes it; a heading of the
    author's name before any text is left to the head's rules (a running head), and in a
    work of several authors (a debate) a name heading a contribution is the work's own."""
    # one author only: in a debate ("Chris Harman & Meghnad Desai") a name heads a contribution
    names = {key(author)} if key(author) and len([a for a in AUTHORS.split(author) if key(a)]) == 1 else set()
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        text = words_of(b.children) if isinstance(b, Head) else ""
        if isinstance(b, Head) and VALEDICTION.match(text):
            rec.add(f"Read the heading {text!r} as a letter's closing, not a heading")
            out.append(Closer(other=[b.children]))
        elif (
            isinstance(b, Head) and isinstance(prev, Closer) and prev.other and prev.signed is None and NAME.match(text)
        ):
            rec.add(f"Read the heading {text!r}, after a letter's closing, as its signature")
            prev.signed = b.children
        elif isinstance(b, Head) and key(text) in names and any(not isinstance(x, Head) for x in out):
            if isinstance(prev, Head):
                rec.add(f"Read the heading {text!r}, the author's name under a heading, as the text's byline")
                out.append(Para(b.children, rend="author"))
            else:
                rec.add(f"Read the heading {text!r}, the author's name after the text, as a signature")
                out.append(Closer(signed=b.children))
        else:
            out.append(b)
    return out
