"""A page's author line resolved to persons of the authority.

The page's wording stays (:attr:`Credited.wording`, what the master's ``persName``
holds); the person's key, display name and sort name come from the authority, so the
library, the catalogues and every edition name one person one way. A name the authority
does not know is still a person (keyed by its spelling), never dropped: the authority is
the site's copy's, and a page fetched later may name someone new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.authors.authority import UNSIGNED, Authority, Person, load, name_key
from pipeline.authors.build import compatible, folded, slug
from pipeline.authors.credits import PARENS, Credit, file_as, split_line, tidy
from pipeline.authors.reviewed import LINES, NOT_PERSONS, PERIODICALS

ARCHIVE_FOLDER = re.compile(r"/archive/([^/]+)/")


@dataclass(frozen=True)
class Credited:
    """One person a work names as its author: the page's words and the authority's person."""

    wording: str  # the name as the page writes it ("J.T. Murphy")
    key: str  # the authority's key ("murphy-jt")
    name: str  # the display name ("J. T. Murphy")
    file_as: str  # the sort name ("Murphy, J. T.")
    role: str | None = None  # a description the line gives after the name
    pen_name: str | None = None  # a pen name the line states ("writing as ...")
    dates: str | None = None  # life dates the line wrote into the name ("1888-1938")


@lru_cache(maxsize=1)
def authority() -> Authority:
    """The project's authority, loaded once per process."""
    return load()


def folder_of(url: str) -> str | None:
    m = ARCHIVE_FOLDER.search(url)
    return m.group(1) if m else None


def folder_person(url: str, known: Authority | None = None) -> Person | None:
    """The person whose works the site files in the URL's ``archive/<folder>/``."""
    folder = folder_of(url)
    return (known or authority()).by_folder(folder) if folder else None


def _known_prefix(name: str, known: Authority) -> tuple[Person, str] | None:
    """The longest run of the name's first words the authority knows, and what follows:
    "Brian Pearce Constant Reader" is Brian Pearce, writing as the column's "Constant Reader"."""
    words = name.split()
    for n in range(len(words) - 1, 1, -1):
        person = known.by_name(" ".join(words[:n]))
        if person:
            return person, " ".join(words[n:])
    return None


def initials_of(folder: Person, name: str) -> bool:
    """Rule *initials in the byline*: "J.P.C." or "S." on a page of James P. Cannon's or
    Max Shachtman's folder signs it with its person's initials (the surname's last), or
    with a name's first letters ("M.Sh."), or the initials of a name the person wrote
    under ("W.F.W.": William F. Warde, George Novack's; "E.G.": Ernest Germain, Mandel's);
    rule *shortened surname*: "S—n" (Shachtman) keeps the surname's first and last letters."""
    bare = name.strip()
    dash = re.fullmatch(r"([A-Z])\s*[—–-]?\s*([a-z])", bare)
    if dash:
        surname = folded(folder.name.split()[-1]) if folder.name.split() else ""
        return surname[:1] == dash.group(1).lower() and surname[-1:] == dash.group(2)
    if not re.fullmatch(r"(?:[A-Z][a-z]?\.?\s*){1,4}", bare) or not re.search(r"[A-Z]", bare):
        return False
    pieces = re.findall(r"[A-Z][a-z]?", bare)
    return any(_abbreviates(pieces, spelling) for spelling in (folder.name, *folder.pen_names))


def _abbreviates(pieces: list[str], spelling: str) -> bool:
    words = [w for w in spelling.replace(".", ". ").split() if w[:1].isupper()]
    if not words or not pieces[-1] or not words[-1].startswith(pieces[-1]):
        return False
    if len(pieces) == len(words):
        return all(w.startswith(p) for p, w in zip(pieces, words, strict=True))
    initials = {w[0] for w in words}
    return all(len(p) == 1 for p in pieces) and set(pieces) <= initials


def _person(credit: Credit, folder: Person | None, known: Authority) -> tuple[Person, Credit]:
    if credit.pen_name and not known.by_name(credit.name) and known.by_name(credit.pen_name):
        # "W. F. Warde (George Novack)": the bracket names the person the authority knows
        return known.by_name(credit.pen_name) or folder or _unknown(credit.name), credit
    if folder and (
        name_key(credit.name) in {name_key(p) for p in folder.pen_names} or initials_of(folder, credit.name)
    ):
        return folder, credit
    person = known.by_name(credit.name)
    if person:
        return person, credit
    prefix = _known_prefix(credit.name, known)
    if prefix:
        person, rest = prefix
        role = " ".join(filter(None, [rest, credit.role]))
        return person, Credit(
            credit.name[: -len(rest)].strip(), role or None, credit.born, credit.died, credit.pen_name
        )
    if folder and any(compatible(credit.name, n) for n in (folder.name, *folder.aliases)):
        return folder, credit
    return _unknown(credit.name), credit


def _unknown(name: str) -> Person:
    """A person the authority does not know, keyed by the spelling."""
    return Person(slug(name), name, file_as(name))


def _credited(person: Person, credit: Credit) -> Credited:
    dates = None
    if credit.born or credit.died:
        dates = f"{credit.born or ''}-{credit.died or ''}"
    return Credited(credit.name, person.key, person.name, person.file_as, credit.role, credit.pen_name, dates)


def resolve(line: str, url: str = "", known: Authority | None = None) -> list[Credited]:
    """The persons an author line names, each once, in the line's order. A line naming
    nobody (a chapter heading, a meeting) is the folder's person's; with no folder
    either, the line itself stands as a name."""
    known = known or authority()
    folder = folder_person(url, known)
    if tidy(line) in PERIODICALS:  # "Times": the periodical the page reprints from, unsigned
        return [Credited(tidy(line), UNSIGNED, "Anonymous", "Anonymous")]
    body = _body(line, known)
    if body:
        return [body]
    people: list[Credited] = []
    for credit in _credits(line):
        person, credit = _person(credit, folder, known)
        if all(p.key != person.key for p in people):
            people.append(_credited(person, credit))
    if people:
        return people
    prefix = _known_prefix(tidy(line), known)
    if prefix:  # "Arthur Ransome Russia in": a known name, then the title's words run on
        person, rest = prefix
        return [Credited(tidy(line)[: -len(rest)].strip(), person.key, person.name, person.file_as, rest)]
    if folder:
        return [Credited(folder.name, folder.key, folder.name, folder.file_as)]
    return [_not_a_person(line, known)]


def _credits(line: str) -> list[Credit]:
    """The line's people: the reviewed reading of a line whose shape cannot tell them
    apart (``LINES``), else its split, less the words that name no person (``NOT_PERSONS``)."""
    for start, names in LINES.items():
        if tidy(line).startswith(start):  # "Eden and Cedar Paul [a review's book]"
            return [Credit(name) for name in names]
    return [c for c in split_line(line) if c.name not in NOT_PERSONS]


def _body(line: str, known: Authority) -> Credited | None:
    """Rule *a body's name, then its place*: "Group of International Communists (Holland)",
    "Gruppe Internationale Kommunisten, Holland": a corporate author the authority knows,
    the rest of the line its role."""
    words = tidy(line).replace(",", " ,").split()
    for n in range(len(words), 0, -1):
        person = known.by_name(" ".join(words[:n]).replace(" ,", ","))
        if person and person.kind == "body":
            rest = tidy(" ".join(words[n:]).replace(" ,", ",").strip("() ")) or None
            return Credited(" ".join(words[:n]).replace(" ,", ","), person.key, person.name, person.file_as, rest)
    return None


def _not_a_person(line: str, known: Authority) -> Credited:
    """A line no person's name fits and no folder owns: a body's name ("Group of
    International Communists (Holland)"), filed as written, its bracketed words a role."""
    if ":" in line:  # a breadcrumb or a section's heading ("History Archive: Soviet Union: Art"), no author
        last = tidy(line.rsplit(":", 1)[1])
        credits = split_line(last) if len(last.split()) >= 2 else []
        person = known.by_name(credits[0].name) if credits else None
        if credits and person:  # "Marxist Writers: Anatoly Lunacharsky"
            return Credited(credits[0].name, person.key, person.name, person.file_as, credits[0].role)
        return Credited("Anonymous", UNSIGNED, "Anonymous", "Anonymous")  # "... Cuba: Subject: Missile Crisis"
    if tidy(line) in NOT_PERSONS:  # a heading, outside any author's folder
        return Credited("Anonymous", UNSIGNED, "Anonymous", "Anonymous")
    m = PARENS.search(line)
    name = tidy((line[: m.start()] + line[m.end() :]) if m else line) or "Anonymous"
    role = tidy(m.group(1)) if m else None
    return Credited(name, slug(name), name, name, role or None)


def display(people: list[Credited]) -> str:
    """The persons' display names as one line: "A", "A and B", "A, B and C"."""
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
