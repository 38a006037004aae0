"""The language of a page: what it declares, checked against its words.

The archive holds Spanish, Esperanto, Italian, Estonian, Icelandic, Albanian and Finnish
pages besides English, and their templates often keep the English ``lang="en"`` of the
page they were copied from. So the words decide: the share of each language's
commonest function words among the page's words. A declaration (``<html lang>``,
``<meta http-equiv="content-language">``) is taken when the words do not contradict it.
Written here rather than with a detector library because seven languages and a few
hundred words per page need no model, and the result must be explainable in one line.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.master.tei import LANGUAGE_NAMES

# The commonest short function words of each language (none shared with English's).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    # words each language has and its neighbours here do not (Spanish and Esperanto
    # share "la", "de", "en"; Finnish and Estonian "ja", "on", "ei"): only those count
    "en": frozenset("the and of to that it was for with as his on be by which this are not".split()),
    "es": frozenset("el los las del que y por con una para se su lo como más pero sus le ya".split()),
    "it": frozenset("il di che è per sono della nel alla gli come anche più questo dei delle".split()),
    "eo": frozenset("kaj estas ke kun sed ili tiu kiu ankaŭ oni estis pli ĉi ĉe tio kiel".split()),
    "et": frozenset("et see kui ka mis oma nii aga kõik või seda veel ning".split()),
    "is": frozenset("og að er í á sem til um með það ekki var af við hann".split()),
    "sq": frozenset("të dhe në që për me një nga si është së janë ka do por".split()),
    "fi": frozenset("se että oli mutta kun niin myös tai joka ovat kuin vain ole".split()),
}
WORD = re.compile(r"[^\W\d_]+")


def detect(text: str) -> tuple[str | None, float]:
    """The language whose function words make the largest share of ``text`` (and that share)."""
    words = [w.casefold() for w in WORD.findall(text)]
    if len(words) < 40:
        return None, 0.0
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in vocab) / len(words) for lang, vocab in FUNCTION_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best, scores[best]


def decide(declared: str | None, manifest: str, text: str) -> tuple[str, str | None]:
    """The work's language and, when it is not simply the manifest's, why (a sentence)."""
    found, share = detect(text)
    base = (declared or "").split("-")[0].lower() or None
    if found is None or share < 0.08:
        return manifest, None
    if found == manifest:
        return manifest, None
    if base == found or manifest == "en":
        reason = f"the page's words are {LANGUAGE_NAMES.get(found, found)}" + (
            f" (it declares {declared})" if declared else ""
        )
        return found, f"Language: {reason}; the manifest said {manifest}."
    return manifest, None
