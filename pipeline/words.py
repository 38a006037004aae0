"""Words, as the fidelity check compares them, and an order-keeping alignment of word lists.

A *word* is a run of letters and digits, possibly joined by hyphens or apostrophes
("Brest-Litovsk", "workers’", "There’s"). Before comparison a word is normalized for
exactly what rendering may legitimately change and nothing else:

- Unicode NFKC, so ligatures a PDF font produces ("ﬁ") read as their letters;
- soft hyphens and zero-width characters removed (hyphenation hints);
- the joining hyphens and apostrophes removed, so that a PDF line broken after a hyphen
  ("short-" / "sighted") and a word hyphenated by the typesetter ("consti-" / "tution")
  both compare equal to the master's "short-sighted" and "constitution", and the ASCII
  edition's straight apostrophe equals the master's curly one;
- case folded (a typeface may set a signature in small capitals).

Punctuation is not a word: the check proves that no *word* is lost, added or moved.

Note markers are not words either: an edition that shows them recognisably (the EPUB's
``noteref`` links, the text edition's ``[1]``) contributes a *marker token*
(:func:`marker`), which must then stand exactly where the master's marker stands.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Characters that only ever hint at hyphenation or joining: never part of a word.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
JOINERS = "-\u2010\u2011'\u2019\u02bc"
WORD_RE = re.compile(rf"[^\W_]+(?:[{JOINERS}][^\W_]+)*")
JOINER_RE = re.compile(f"[{JOINERS}]")
MARKER_PREFIX = "\x00"  # marker tokens can never equal a word


@dataclass(frozen=True, slots=True)
class Token:
    """One compared unit: ``key`` is compared, ``surface`` shown, ``where`` locates it."""

    key: str
    surface: str
    where: str


def normalize(text: str) -> str:
    if text.isascii():  # nothing to drop or compose (most of a text): the cheap path
        return text
    return unicodedata.normalize("NFKC", text.translate(INVISIBLE))


def key_of(word: str) -> str:
    if word.isalnum():  # no joiner to drop (most words): skip the expression
        return word.casefold()
    return JOINER_RE.sub("", word).casefold()


def marker(kind: str, label: str) -> str:
    """The key of a structural token: kind "ref" (a note marker) or "note" (a note's start)."""
    return f"{MARKER_PREFIX}{kind}:{label.strip()}"


def marker_surface(kind: str, label: str) -> str:
    return f"[{label.strip()}]" if kind == "ref" else f"(note {label.strip()})"


def tokens(text: str, where: str, labels: frozenset[str] = frozenset()) -> list[Token]:
    """The words of ``text``; with ``labels``, a bracketed note label ``[1]`` becomes a marker token."""
    text = normalize(text)
    out: list[Token] = []
    if labels:
        pos = 0
        for m in re.finditer(r"\[([^\[\]\s]{1,12})\]", text):
            if m.group(1) in labels:
                out += tokens(text[pos : m.start()], where)
                out.append(Token(marker("ref", m.group(1)), m.group(0), where))
                pos = m.end()
        if pos:
            return out + tokens(text[pos:], where)
    return [Token(key_of(w), w, where) for w in WORD_RE.findall(text)]


def words(text: str) -> list[str]:
    """The comparison keys of the words of ``text``."""
    return [t.key for t in tokens(text, "")]


# ---- alignment ------------------------------------------------------------------------
# difflib.SequenceMatcher compares the word lists; on its own it is either inexact on long
# texts (autojunk ignores frequent words such as "the") or quadratic in their frequency
# (autojunk=False). So long ranges are first cut at *anchors*, words that occur exactly
# once on each side, kept in order by a longest increasing subsequence (the "patience"
# method), and SequenceMatcher aligns the short stretches between anchors exactly.

SMALL = 400  # ranges up to this many words go straight to SequenceMatcher


def align(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes like :meth:`difflib.SequenceMatcher.get_opcodes`, turning ``a`` into ``b``."""
    blocks: list[tuple[int, int, int]] = []
    _match(a, 0, len(a), b, 0, len(b), blocks)
    blocks.sort()
    merged: list[list[int]] = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1][2] += n
        else:
            merged.append([i, j, n])
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for bi, bj, n in merged + [[len(a), len(b), 0]]:
        if i < bi and j < bj:
            ops.append(("replace", i, bi, j, bj))
        elif i < bi:
            ops.append(("delete", i, bi, j, j))
        elif j < bj:
            ops.append(("insert", i, i, j, bj))
        if n:
            ops.append(("equal", bi, bi + n, bj, bj + n))
        i, j = bi + n, bj + n
    return ops


def _match(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int, out: list[tuple[int, int, int]]) -> None:
    while alo < ahi and blo < bhi and a[alo] == b[blo]:  # common prefix
        out.append((alo, blo, 1))
        alo, blo = alo + 1, blo + 1
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:  # common suffix
        ahi, bhi = ahi - 1, bhi - 1
        out.append((ahi, bhi, 1))
    if alo >= ahi or blo >= bhi:
        return
    if ahi - alo > SMALL or bhi - blo > SMALL:
        for k in (1, 3, 6):  # single words first; word n-grams where no single word is unique
            anchors = _anchors(a, alo, ahi, b, blo, bhi, k)
            if len(anchors) * SMALL >= min(ahi - alo, bhi - blo) // 4:
                break
        if anchors:
            i, j = alo, blo
            for ai, bj in anchors:
                if ai < i or bj < j:  # overlapping n-gram anchors
                    continue
                _match(a, i, ai, b, j, bj, out)
                out.append((ai, bj, k))
                i, j = ai + k, bj + k
            _match(a, i, ahi, b, j, bhi, out)
            return
    matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    out.extend((alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n)


def _anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int, k: int) -> list[tuple[int, int]]:
    """In-order pairs (i, j) where the k words from a[i] equal those from b[j], occurring once on each side."""

    def unique(seq: list[str], lo: int, hi: int) -> dict[tuple[str, ...], int]:
        seen: dict[tuple[str, ...], int] = {}
        dup: set[tuple[str, ...]] = set()
        for n in range(lo, hi - k + 1):
            gram = tuple(seq[n : n + k])
            if gram in seen:
                dup.add(gram)
            seen[gram] = n
        return {w: n for w, n in seen.items() if w not in dup}

    ua, ub = unique(a, alo, ahi), unique(b, blo, bhi)
    pairs = sorted((i, ub[w]) for w, i in ua.items() if w in ub)
    # longest increasing subsequence of the b positions (patience sorting)
    tails: list[int] = []
    tail_at: list[int] = []
    prev: list[int] = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k] = j
            tail_at[k] = n
        prev[n] = tail_at[k - 1] if k else -1
    chain: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = prev[n]
    return chain[::-1]
