"""How the ``--ascii`` text edition is compared: the judge's own fold, not the writer's.

The ASCII edition promises 7-bit text that keeps every word: letters lose their accents
(NFKD), the letters and signs with no decomposition are spelled out, and any character
with no ASCII form is escaped ``<U+XXXX>``, never dropped. The judge reads that promise
independently of the writer's code: it decodes the escapes in the edition back into the
characters they stand for (:func:`unescape`) and folds the master's text the same way
the promise says (:func:`fold`), so a word lost, added or changed by the transliteration
is still a difference. Punctuation is not compared (words are), so only the characters
that become or carry letters need a rule here.
"""

from __future__ import annotations

import re
import unicodedata

# Letters and signs with no NFKD decomposition to ASCII, as the ASCII edition spells them.
SPELLED: dict[str, str] = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ł": "l",
    "Ł": "L",
    "þ": "th",
    "Þ": "Th",
    "ð": "d",
    "Ð": "D",
    "ı": "i",
    "×": "x",
    "°": " deg",
    "§": "S.",
    "¶": "P.",
    "©": "(c)",
    "®": "(R)",
    "™": "(TM)",
    "£": "L",
    "€": "EUR",
}
ESCAPE_RE = re.compile(r"<U\+([0-9A-F]{4,6})>")


def unescape(text: str) -> str:
    """The edition's ``<U+XXXX>`` escapes back into their characters."""
    return ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def fold_char(ch: str) -> str:
    if ch < "\x80":
        return ch
    if ch in SPELLED:
        return SPELLED[ch]
    plain = "".join(sign(c) for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return plain if plain and plain.isascii() else ch  # escaped in the edition; unescape() restores it


def sign(c: str) -> str:
    """A character of a decomposition, as far as words go: dashes and quotes may join a
    word (``don't``, ``self-made``), other punctuation, spaces and symbols separate words."""
    if c < "\x80":
        return c
    if c in SPELLED:
        return SPELLED[c]
    category = unicodedata.category(c)
    if category == "Pd":
        return "-"
    if category in ("Pi", "Pf"):
        return "'"
    return " " if category[0] in "PZS" else c


def fold(text: str) -> str:
    """The master's text as the ASCII edition must carry its words."""
    return text if text.isascii() else "".join(fold_char(ch) for ch in text)
