"""An author line split into people: who, in what role, under what name.

The MIA's author lines are written for readers, not for catalogues: "J. T. Murphy
(Communist Candidate for Central Hackney)", "Tony Cliff & Donny Gluckstein", "Nikolai
Bukharin (1888-1938)", "E. Belfort Bax and Harry Quelch", "Bill Hunter writing as “Mark
Starr”". A catalogue needs one name per person; the page's own wording stays in the
master beside it. This module only reads the line's shape; which person a name is comes
from the authority (:mod:`pipeline.authors.resolve`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# "(1888-1938)", "1888–1938", "(b. 1888)": life dates written into the name
LIFE_DATES = re.compile(rf"\s*,?\s*\(?\s*(?:b\.\s*)?({YEAR})?\s*(?:-|–|—|to)\s*({YEAR})?\s*\)?|\s*\(\s*({YEAR})\s*\)")
# "X writing as “Y”", "X (writing as Y)", "X under the pseudonym Y"
PEN_NAME = re.compile(
    r"^(?P<real>.+?)\s*\(?\s*,?\s*(?:writing|wrote|written)\s+(?:as|under\s+the\s+(?:pen[- ]?name|pseudonym|name))\s+"
    r"[“\"'‘]?(?P<pen>[^”\"'’)]+?)[”\"'’]?\s*\)?\s*$",
    re.I,
)
# "A & B", "A and B", "A / B", "A, B & C"; "with" joins a co-author too
# "X interviews Y", "Y interviewed by X": both are the work's
JOINERS = re.compile(r"\s*(?:&|\band\b|\bwith\b|/|;|\binterviews\b|\binterviewed by\b)\s*", re.I)
# "Pierre Broué (and Emile Témime)": a co-author in brackets is a co-author
BRACKETED_CO_AUTHOR = re.compile(r"\(\s*((?:and|&|with)\s+[^()]+?)\s*\)", re.I)
PARENS = re.compile(r"\s*\(([^()]*)\)")
INITIALS = re.compile(r"^(?:[A-Z]\.\s*)+(?:[A-Z][a-z]+\.?)?$|^[A-Z]{1,3}\.?$")
# A word no person's name holds: a name is capitalised words, initials and particles.
PARTICLES = frozenset("de da del della der di du van von la le y ibn bin al el dos das zu ten ter".split())
# Words that head a description after a name, or that a heading has and a name has not.
ROLE_WORDS = frozenset(
    """
    secretary chairman chairwoman president member delegate representative candidate editor
    leader general commissar minister deputy comrade organiser organizer correspondent reporter
    author translator speaker spokesman councillor senator mp m.p. director founder head chief
    """.split()
)
NOT_NAME_WORDS = frozenset(
    """
    socialism socialist socialists communism communist communists revolution revolutionary notes month
    essays essay part chapter crises century manifesto congress conference meeting party committee
    international union league speech letter letters report resolution theses programme program
    economics imperialism trial civilization civilisation introduction preface appendix contents
    workers working class review archive internet marxists marxist history england for all the of on
    in to a an is are was our your their what why how against capital capitalism state war peace
    question problem problems theory politics political society social movement press news daily
    weekly magazine journal bulletin documents document collection selected works volume vol book
    articles article interview discussion debate statement declaration appeal address platform
    editorial editors federation group tendency bureau executive council government soviet soviets
    national labour labor strike strikes anonymous unknown various authors staff writer
    """.split()
)


@dataclass(frozen=True)
class Credit:
    """One person as an author line names them: the name as written, a description the
    line gives after it (a role), life dates written into it, a pen name it states."""

    name: str
    role: str | None = None
    born: int | None = None
    died: int | None = None
    pen_name: str | None = None


def tidy(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).strip(" ,;:.-–—") or ""


def _tidy_name(text: str) -> str:
    """A name keeps the dot of a last initial ("Murphy, J.T."), loses a stray comma."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,;:-–—")
    if text.count("(") != text.count(")"):  # "(and Emile Témime)" cut at its "and": the brackets go
        text = text.replace("(", "").replace(")", "").strip(" ,;:-–—")
    return text if re.search(r"\b[A-Z]\.$", text) else text.rstrip(".")


def looks_like_name(text: str) -> bool:
    """The shape of a person's name: one to six words, each a capitalised word, an
    initial or a particle, none of them a word only titles and headings use."""
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 6 or re.search(r"\d|[:!?\[\]{}]", text):
        return False
    for w in words:
        bare = w.strip("“”\"'‘’()")
        if re.fullmatch(r"(?:[A-Z]\.)+", bare):  # an initial, "A." (not the article "a")
            continue
        low = bare.lower().rstrip(".")
        if not bare or low in NOT_NAME_WORDS or low in ROLE_WORDS:
            return False
        if low in PARTICLES:
            continue
        if not (bare[0].isupper() or bare[0] in "ʻ'’"):
            return False
    return any(len(w.strip(".")) > 1 or w.endswith(".") for w in words)


def _split_role(part: str) -> tuple[str, str | None, str | None]:
    """A description after the name is a role: "(Communist Candidate for ...)" in brackets,
    or words from the first role word on ("J. T. Murphy Party Representative at ...").
    Returns the name, the role, and a second name in brackets ("Frank Glass (Li Fu-jen)")."""
    role = None
    m = PARENS.search(part)
    if m and tidy(m.group(1)) and not re.fullmatch(r"[\s\d–—-]*", m.group(1)):
        inner = tidy(m.group(1))
        part = (part[: m.start()] + part[m.end() :]).strip()
        if looks_like_name(inner):  # "Frank Glass (Li Fu-jen)": the other name the person wrote under
            return part, None, inner
        role = inner
    words = part.split()
    for i, w in enumerate(words[1:], start=1):
        low = w.lower().strip(",.:")
        if low in ROLE_WORDS or (low in ("of", "at", "for") and i >= 2):
            j = i
            # "Party Representative": the capitalised words before the role word belong to it
            while j > 1 and words[j - 1].lower() in NOT_NAME_WORDS:
                j -= 1
            if j >= 2 and looks_like_name(" ".join(words[:j])):
                role = " ".join(filter(None, [" ".join(words[j:]).strip(" ,"), role]))
                part = " ".join(words[:j])
            break
    return part, role, None


def _life_dates(part: str) -> tuple[str, int | None, int | None]:
    m = LIFE_DATES.search(part)
    if not m or not (m.group(1) or m.group(2) or m.group(3)):
        return part, None, None
    born = int(m.group(1)) if m.group(1) else None
    died = int(m.group(2)) if m.group(2) else (int(m.group(3)) if m.group(3) else None)
    return (part[: m.start()] + part[m.end() :]).strip(), born, died


def _is_file_as(parts: list[str]) -> bool:
    """ "Murphy, J.T." and "Bax, Ernest Belfort" are one name in sort order, not two people."""
    return len(parts) == 2 and len(parts[0].split()) == 1 and bool(INITIALS.match(parts[1].replace(" ", "")))


def _outside_brackets(pattern: re.Pattern[str], line: str) -> list[tuple[str, str]]:
    """The line cut where ``pattern`` matches outside brackets ("Walter (IEC member,
    POS/SAP Belgium)" is one piece): each piece with the joiner that follows it."""
    pieces: list[tuple[str, str]] = []
    start = 0
    for m in pattern.finditer(line):
        if line.count("(", 0, m.start()) > line.count(")", 0, m.start()):
            continue
        pieces.append((line[start : m.start()], m.group(0).strip()))
        start = m.end()
    pieces.append((line[start:], ""))
    return pieces


def _people(line: str) -> list[str]:
    """The line cut at its joiners ("&", "and", "/", and commas between full names)."""
    pieces: list[tuple[str, str]] = []
    for chunk, joiner in _outside_brackets(JOINERS, line):
        commas = [c.strip() for c, _ in _outside_brackets(re.compile(","), chunk) if c.strip()]
        names = [_split_role(_life_dates(c)[0])[0] for c in commas]
        if _is_file_as(commas) or len(commas) < 2 or not all(looks_like_name(n) for n in names):
            pieces.append((chunk, joiner))
        else:
            pieces += [(c, ",") for c in commas[:-1]] + [(commas[-1], joiner)]
    tidied = [(_tidy_name(piece), joiner) for piece, joiner in pieces]
    return _shared_surname([(name, joiner) for name, joiner in tidied if name])


def _shared_surname(names: list[tuple[str, str]]) -> list[str]:
    """Rule *initials before the joiner*: "M.N. & E. Roy" names M. N. Roy and E. Roy; the
    initials alone, cut at "&" or "and", share the next name's surname."""
    out = []
    for i, (name, joiner) in enumerate(names):
        after = names[i + 1][0].split() if i + 1 < len(names) else []
        if joiner.lower() in ("&", "and") and re.fullmatch(r"(?:[A-Z]\.\s*){1,3}", name) and len(after) >= 2:
            name = f"{name} {after[-1]}"
        out.append(name)
    return out


# What a byline holds around a name that is no part of it: "By W. F. Warde", "Vladimir
# Lenin's" (a title's possessive), "Willy Munzenberg et al", "H.N. Hyndman Oct. 1897".
BY = re.compile(r"^by\s+", re.I)
ET_AL = re.compile(r"\s+et\.?\s+al\.?(?=\s*$|\s*[(,])", re.I)
AROUND_NAME = re.compile(
    r"(?:['’]s|\s+et\.?\s+al\.?|\s+(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)$",
)


def bare_name(name: str) -> str:
    """The name without the words a byline puts around it (:data:`AROUND_NAME`)."""
    return _tidy_name(AROUND_NAME.sub("", BY.sub("", name)))


def split_line(line: str) -> list[Credit]:
    """The people an author line names, in its order. An empty list when the line names
    nobody the shape of a name allows (a heading, a meeting, a periodical)."""
    text = " ".join(line.replace("\u00a0", " ").split())
    pen = PEN_NAME.match(text)
    if pen:
        real, _role, _ = _split_role(tidy(pen.group("real")))
        return [Credit(_tidy_name(real), _role, pen_name=tidy(pen.group("pen")))] if looks_like_name(real) else []
    credits: list[Credit] = []
    for part in _people(BRACKETED_CO_AUTHOR.sub(r"\1", ET_AL.sub("", BY.sub("", text)))):
        bare, born, died = _life_dates(part)
        name, role, other = _split_role(bare)
        name = bare_name(name)
        if looks_like_name(name):
            credits.append(Credit(name, role, born, died, other))
    return credits


def file_as(name: str) -> str:
    """The sort form of a display name: "J. T. Murphy" -> "Murphy, J. T."; particles go
    with the surname ("Ludwig von Mises" -> "von Mises, Ludwig")."""
    name = _tidy_name(name)
    if "," in name:
        return name
    words = name.split()
    if len(words) < 2:
        return name
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in PARTICLES:
        i -= 1
    return f"{' '.join(words[i:])}, {' '.join(words[:i])}"
