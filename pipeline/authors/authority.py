"""Persons and their lookup: one display name, one sort name, life dates with their evidence.

The data is reviewed, committed JSON (``pipeline/data/authors.json``, written by a command
from a copy of the site), extended by an editor's file (``editorial/authors.json`` in the
project root), which wins where both name the same key. Each record::

    {"key": "bax", "name": "Ernest Belfort Bax", "file_as": "Bax, Ernest Belfort",
     "born": 1854, "died": 1926, "dates_source": "archive/bax/index.htm",
     "languages": ["en"], "aliases": ["E. Belfort Bax", "Belfort Bax"], "folders": ["bax"]}

Life dates are the evidence the rights rule weighs (``pipeline.rights``), so each carries
where it came from; a person whose dates are unknown has ``born``/``died`` of ``null``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.paths import DATA_DIR, project_root

AUTHORITY_FILE = DATA_DIR / "authors.json"
# The key of a work no person or body signs (a breadcrumb or a periodical's name in the
# author's place): the master keeps the page's words, the library files no author page.
UNSIGNED = "anonymous"
EDITOR_FILE = Path("editorial") / "authors.json"


@dataclass(frozen=True)
class Person:
    key: str  # stable identifier, lowercase ASCII, e.g. "bax", "murphy-jt"
    name: str  # display name, "Ernest Belfort Bax"
    file_as: str  # sort name, "Bax, Ernest Belfort"
    born: int | None = None
    died: int | None = None
    dates_source: str | None = None  # where the life dates came from (a site path or "editorial/authors.json")
    languages: tuple[str, ...] = ()  # ISO 639-1 codes of the languages the person wrote in
    aliases: tuple[str, ...] = ()  # other spellings the archive uses for the same person
    folders: tuple[str, ...] = ()  # the site's archive/<folder>/ of the person's works
    # names the person wrote under, as their index page ("(as Max Turov)") or a byline
    # ("X writing as Y") states: a pen name names its owner only on the owner's pages
    pen_names: tuple[str, ...] = ()
    # "person", or "body": a party, a group, an agency the page names as the work's author
    # (a corporate author: one record, one library page, filed as its name is written)
    kind: str = "person"


def name_key(name: str) -> str:
    """A name compared as spelling, not typography: case, spaces and dots after initials
    ("Murphy, J.T." and "J. T. Murphy" differ in order, not here; "J.T. Murphy" and
    "J. T. Murphy" are the same)."""
    return re.sub(r"[\s.]+", " ", name.replace(".", ". ")).strip().casefold()


@dataclass
class Authority:
    persons: dict[str, Person] = field(default_factory=dict)
    _by_name: dict[str, str] = field(default_factory=dict)
    _by_folder: dict[str, str] = field(default_factory=dict)

    def add(self, person: Person) -> None:
        self.persons[person.key] = person
        for spelling in (person.name, *person.aliases):
            self._by_name[name_key(spelling)] = person.key
        for folder in person.folders:
            self._by_folder[folder] = person.key

    def person(self, key: str) -> Person | None:
        return self.persons.get(key)

    def by_name(self, name: str) -> Person | None:
        """The person one name (already split from co-authors and roles) spells, if known."""
        key = self._by_name.get(name_key(name))
        return self.persons[key] if key else None

    def by_folder(self, folder: str) -> Person | None:
        """The person whose works the site files under ``archive/<folder>/``."""
        key = self._by_folder.get(folder)
        return self.persons[key] if key else None


def _person(record: dict[str, Any], where: Path) -> Person:
    try:
        return Person(
            key=str(record["key"]),
            name=str(record["name"]),
            file_as=str(record["file_as"]),
            born=record.get("born"),
            died=record.get("died"),
            dates_source=record.get("dates_source"),
            languages=tuple(record.get("languages", ())),
            aliases=tuple(record.get("aliases", ())),
            folders=tuple(record.get("folders", ())),
            pen_names=tuple(record.get("pen_names", ())),
            kind=str(record.get("kind", "person")),
        )
    except (KeyError, TypeError) as e:
        raise PipelineError(f"{where}: an author record lacks or mistypes {e}") from None


def _records(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise PipelineError(f"{path}: cannot read the author authority: {e}") from None
    if not isinstance(data, list):
        raise PipelineError(f"{path}: the author authority is not a list of persons")
    return data


def load(root: Path | None = None) -> Authority:
    """The committed authority, then the editor's file of ``root`` (which wins), if any.

    An editor's record for a person the committed data holds may give only the fields it
    corrects or adds (``{"key": "bax", "languages": ["en"]}``): the rest stays. The
    languages a person wrote in come only from such reviewed records: the copy of the site
    shows the language of its pages, which for most authors is their translators'."""
    authority = Authority()
    committed: dict[str, dict[str, Any]] = {}
    for record in _records(AUTHORITY_FILE) if AUTHORITY_FILE.exists() else []:
        committed[str(record.get("key"))] = record
        authority.add(_person(record, AUTHORITY_FILE))
    editor = (root or project_root()) / EDITOR_FILE
    for record in _records(editor) if editor.exists() else []:
        authority.add(_person({**committed.get(str(record.get("key")), {}), **record}, editor))
    return authority
