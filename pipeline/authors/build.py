"""The authority written from a survey of the site: one record per person, sorted, stable.

Each ``archive/<folder>/`` is one person's: the spelling its pages use most that names
the folder (``archive/bebel/`` is August Bebel's, whatever its pages' meta says: some
name the transcriber), with the index page's life dates. Every other spelling joins the
person whose surname it shares and whose given name it matches at least by an initial
("E. Belfort Bax", "Belfort Bax", "Ernest Belfort Bax"); a spelling that matches nobody
is a person of its own, without dates unless a page wrote them into the name. What the
site cannot tell (a pen name's owner, a surname first, a spelling that is no person)
comes from :mod:`pipeline.authors.reviewed`, the reviewed corrections.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any

from pipeline.authors.authority import name_key
from pipeline.authors.credits import file_as, looks_like_name
from pipeline.authors.reviewed import ALIASES, BODIES, DISPLAY, FILE_AS, NOT_PERSONS, PERIODICALS, PERSONS, SAME_PERSON
from pipeline.authors.survey import Seen, Survey


def folded(text: str) -> str:
    """ASCII, lowercase, letters only: "Bensaïd" and "Bensaid" compare equal."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


HONORIFICS = re.compile(r"^(?:Prof\.?|Dr\.?|Father|Comrade|Mrs?\.?|Miss)\s+", re.I)


def _parts(name: str) -> tuple[str, list[str]]:
    name = HONORIFICS.sub("", name)
    words = re.sub(r"\.(?=\S)", ". ", name).split()
    if "," in name:  # "Murphy, J.T."
        surname, _, given = name.partition(",")
        return folded(surname), [folded(w) for w in re.sub(r"\.(?=\S)", ". ", given).split() if folded(w)]
    return folded(words[-1]) if words else "", [folded(w) for w in words[:-1] if folded(w)]


def compatible(a: str, b: str) -> bool:
    """Two spellings of one person: the same surname, a given name matching by its initial."""
    sa, ga = _parts(a)
    sb, gb = _parts(b)
    if not sa or sa != sb:
        return False
    if not ga or not gb:
        return False
    return (
        bool({w[0] for w in ga} & {w[0] for w in gb})
        and ga[0][0] == gb[0][0]
        or set(ga) <= set(gb)
        or set(gb) <= set(ga)
    )


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "anonymous"


def names_folder(name: str, folder: str) -> bool:
    """Whether a spelling names the person of ``archive/<folder>/`` ("murphy-jt": Murphy).
    The folder's name is a transliteration of its own ("muenzenberg": Münzenberg,
    "tukachevsky": Tukhachevsky): a surname close to it in spelling names it too."""
    stem = folded(folder.split("-")[0])
    if stem in folded(name) or stem in folded(GERMAN_VOWELS.sub(lambda m: m.group(0)[0] + "e", name)):
        return True
    surname = _parts(name)[0]
    return len(stem) >= 6 and difflib.SequenceMatcher(None, stem, surname).ratio() >= 0.9


GERMAN_VOWELS = re.compile("[äöüÄÖÜ]")


def _is_initials_only(name: str) -> bool:
    """ "M.S.", "J.", "CLR": initials, no name to know a person by."""
    return bool(re.fullmatch(r"(?:[A-Z]\.?\s*){1,4}", name))


def _may_be_new(name: str, seen: Seen) -> bool:
    """A spelling nobody known writes as is a person of its own only when an author line
    gives it (a meta may name the transcriber) as a full name (two words at least, no
    bracket or markup left over, no possessive, no month or ordinal glued after it)."""
    words = name.replace(".", ". ").split()  # "L.J.Atkins": three words
    return (
        seen.bylines > 0
        and len(words) >= 2
        and any(len(w.strip(".")) >= 3 for w in words)  # "M.Sh": initials, no name
        and not re.search(r"[()<>]|['’]s\b", name)
        and words[-1].lower() not in GLUED_AFTER
    )


GLUED_AFTER = frozenset(
    "january february march april may june july august september october november december third books".split()
)


class Builder:
    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self.spellings: dict[str, list[str]] = {}  # key -> spellings
        self.owner: dict[str, str] = {}  # name_key(spelling) -> key

    def folder_persons(self) -> None:
        for folder in sorted(self.survey.folders):
            votes = {name: seen.folders[folder] for name, seen in self.survey.names.items() if seen.folders.get(folder)}
            index = self.survey.index_pages.get(folder)
            if index and looks_like_name(index.name):
                votes[index.name] = votes.get(index.name, 0) + 50
            fitting = {n: c for n, c in votes.items() if names_folder(n, folder) and n not in NOT_PERSONS}
            if fitting:
                best = max(sorted(fitting), key=lambda n: fitting[n])
                self._claim(folder, best)
                if folder in DISPLAY:
                    self._claim(folder, DISPLAY[folder])

    def reviewed(self) -> None:
        """The reviewed persons, bodies and spellings (:mod:`.reviewed`), whatever the survey saw:
        a name the survey cannot read (a paragraph, initials) still resolves."""
        for key, (name, _) in sorted(PERSONS.items()):
            self._claim(key, name)
        for key, (name, aliases) in sorted(BODIES.items()):
            for spelling in (name, *aliases):
                self._claim(key, spelling)
        for spelling, key in sorted({**ALIASES, **SAME_PERSON}.items()):
            if key in self.spellings:
                self._claim(key, spelling)

    def _claim(self, key: str, spelling: str) -> None:
        self.spellings.setdefault(key, [])
        if spelling not in self.spellings[key]:
            self.spellings[key].append(spelling)
        self.owner[name_key(spelling)] = key

    def _match(self, name: str, seen: Seen) -> str | None:
        if name in SAME_PERSON or name in ALIASES:
            return SAME_PERSON.get(name) or ALIASES[name]
        if name_key(name) in self.owner:
            return self.owner[name_key(name)]
        candidates = [k for k, names in self.spellings.items() if any(compatible(name, n) for n in names)]
        if not candidates:
            return None
        return max(sorted(candidates), key=lambda k: seen.folders.get(k, 0))

    def _pen_name_only(self, name: str, seen: Seen) -> bool:
        """A spelling the index page of every folder it is seen in gives as its person's pen name."""
        folders = set(seen.folders)
        return bool(folders) and all(
            name in (self.survey.index_pages[f].pen_names if f in self.survey.index_pages else ()) for f in folders
        )

    def assign(self) -> None:
        for name, seen in sorted(self.survey.names.items(), key=lambda kv: (-kv[1].count, kv[0])):
            if name in NOT_PERSONS or name in PERIODICALS or _is_initials_only(name) or self._pen_name_only(name, seen):
                continue
            key = self._match(name, seen)
            if key is None and not _may_be_new(name, seen):
                continue
            if key is None:
                key = slug(name)
                while key in self.spellings and not any(compatible(name, n) for n in self.spellings[key]):
                    key += "-2"
            self._claim(key, name)

    def record(self, key: str) -> dict[str, Any]:
        names = self.spellings[key]
        seen = [self.survey.names.get(n, Seen()) for n in names]
        index = self.survey.index_pages.get(key)
        weight = {n: s.count + (50 if index and n == index.name else 0) for n, s in zip(names, seen, strict=True)}
        own = [n for n in names if n not in SAME_PERSON and (key not in self.survey.folders or names_folder(n, key))]
        display = (
            DISPLAY.get(key)
            or (PERSONS.get(key) or BODIES.get(key) or ("",))[0]
            or max(sorted(own or names), key=lambda n: (not _is_initials_only(n.split()[0]), "," not in n, weight[n]))
        )
        born = died = source = None
        if index and index.died:
            born, died, source = index.born, index.died, index.path
        else:
            dated = sorted((s for s in seen if s.died), key=lambda s: s.dates_source or "")
            if dated:
                born, died, source = dated[0].born, dated[0].died, dated[0].dates_source
        # The languages the person wrote in are not written from the copy: its pages are in the
        # language of their translation as often as of their writing (Marx, Bukharin, Lenin in
        # English). The reviewed ones are the editor's (editorial/authors.json; the rights rule
        # relies on them, pipeline/rights/rule.py).
        languages: list[str] = []
        pen_names = {p for s in seen for p in s.pen_names} | set(index.pen_names if index else ())
        pen_names |= {n for n in names if n in SAME_PERSON}  # the reviewed pen names, by_name finds them too
        # a spelling holding the name and more ("SWP Max Shachtman") is markup run together, no alias
        aliases = sorted({n for n in names if n != display and display not in n})
        return {
            "key": key,
            "name": display,
            "file_as": FILE_AS.get(key)
            or (PERSONS[key][1] if key in PERSONS else "")
            or (display if key in BODIES else file_as(display)),
            "born": born,
            "died": died,
            "dates_source": source,
            "languages": languages,
            "aliases": aliases,
            "folders": [key] if key in self.survey.folders else [],
            "pen_names": sorted(pen_names),
            **({"kind": "body"} if key in BODIES else {}),
        }


def build_records(survey: Survey) -> list[dict[str, Any]]:
    """The authority's records from a survey of the site, sorted by key."""
    builder = Builder(survey)
    builder.folder_persons()
    builder.reviewed()
    builder.assign()
    return [builder.record(key) for key in sorted(builder.spellings)]
