"""A library of a few hundred works, made cheaply from the real works the build made.

Each synthetic work is a real built work (master, EPUB, PDF, TXT) under a new slug
with a varied identity in its master: author (from a pool, some non-Latin), year,
language, title, ingest date; some are incomplete (a source manifest with ``missing``
parts), some withheld by their licence. The EPUB and PDF are hard links to the real
ones; the master's body and the TXT end with one line of their own, so full-text search
(which reads the master's words) can find one work and only it. Each gets a ``.verified`` record, as the build writes after
verify passed, made by the same code.

A work's cover is its EPUB's (pipeline/distribution/covers.py), and a synthetic work's EPUB is
the real one's bytes, so its cover and thumbnail are the real work's: drawn once per real work
here and written beside all but the first ``DRAWN`` synthetic works, newer than their inputs,
as an earlier catalog run leaves them. The catalog then reuses them (its cache) rather than
decode and scale the same picture 300 times (most of its CPU); the first ``DRAWN``, and the
real works, it still draws, in its process pool (16 new covers or more).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from lxml import etree

from pipeline import verified
from pipeline.distribution import covers

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
AUTHORS = [
    "Leon Trotsky",
    "Rosa Luxemburg",
    "Karl Marx",
    "Friedrich Engels",
    "Clara Zetkin",
    "Antonio Gramsci",
    "Alexandra Kollontai",
    "James Connolly",
    "Eugene Debs",
    "Jean Jaurès",
    "Владимир Ленин",
    "Christian Rakovsky",
    "Victor Serge",
    "C. L. R. James",
    "Raya Dunayevskaya",
    "Hal Draper",
    "Paul Lafargue",
    "August Bebel",
    "Karl Kautsky",
    "Franz Mehring",
    "Nadezhda Krupskaya",
    "Georgi Plekhanov",
    "Anton Pannekoek",
    "Sylvia Pankhurst",
    "Rudolf Hilferding",
    "Otto Bauer",
    "Max Shachtman",
    "James P. Cannon",
    "Daniel De Leon",
    "Mother Jones",
    "Lucy Parsons",
    "William Morris",
    "Errico Malatesta",
    "José Carlos Mariátegui",
    "李大钊",
    "Ho Chi Minh",
    "Amadeo Bordiga",
    "Andrés Nin",
    "Ernest Mandel",
    "Tony Cliff",
]
LANGUAGES = ["en", "en", "en", "de", "fr", "es", "ru"]
WORDS = ["Letter", "Speech", "Theses", "Notes", "Report", "Manifesto", "Appeal", "Resolution", "Essay", "Lecture"]
UNIQUE_WORD = "quokkaphrase"
DRAWN = 24  # synthetic works whose cover the catalog draws: over the 16 that start its process pool


def unique_phrase(n: int) -> str:
    return f"{UNIQUE_WORD} number {n} lanternfish"


def derive(real: Path, dest: Path, slug: str, n: int, *, withheld: bool) -> None:
    """Work ``n`` of the synthetic library, from the real work folder ``real``."""
    folder = dest / "editions" / slug
    folder.mkdir(parents=True)
    real_slug = real.name
    tree = etree.parse(str(real / f"{real_slug}.tei.xml"))
    root = tree.getroot()
    author = AUTHORS[n % len(AUTHORS)]
    year = 1840 + (n * 7) % 150
    root.xpath("//tei:titleStmt/tei:title", namespaces=TEI)[
        0
    ].text = f"{WORDS[n % len(WORDS)]} on the Question, No. {n}"
    persname = root.xpath("//tei:titleStmt/tei:author/tei:persName", namespaces=TEI)
    (persname[0] if persname else root.xpath("//tei:titleStmt/tei:author", namespaces=TEI)[0]).text = author
    for el in root.xpath("//tei:titleStmt/tei:author[@key]", namespaces=TEI):
        del el.attrib["key"]  # another person: no longer the seed's person of the author authority
    root.xpath("//tei:publicationStmt/tei:idno[@type='URI']", namespaces=TEI)[
        0
    ].text = f"https://www.marxists.org/synthetic/{slug}.htm"
    date = root.xpath("//tei:profileDesc/tei:creation/tei:date", namespaces=TEI)[0]
    date.set("when", str(year))
    date.text = str(year)
    root.set(XML_LANG, LANGUAGES[n % len(LANGUAGES)])
    for change in root.xpath("//tei:revisionDesc/tei:change[@type='ingest']", namespaces=TEI):
        change.set("when", f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}")
    body = root.xpath("//tei:text/tei:body", namespaces=TEI)[0]
    etree.SubElement(body, f"{{{TEI['tei']}}}p").text = unique_phrase(n)
    if withheld:
        lic = root.xpath("//tei:availability/tei:licence", namespaces=TEI)[0]
        lic.set("target", "http://rightsstatements.org/vocab/InC/1.0/")
        lic.text = "Copyright: held by the publisher."
    tree.write(str(folder / f"{slug}.tei.xml"), xml_declaration=True, encoding="UTF-8")
    outputs = [folder / f"{slug}.tei.xml"]
    if not withheld:
        for ext in ("epub", "pdf"):
            os.link(real / f"{real_slug}.{ext}", folder / f"{slug}.{ext}")
            outputs.append(folder / f"{slug}.{ext}")
        text = (real / f"{real_slug}.txt").read_text(encoding="utf-8")
        (folder / f"{slug}.txt").write_text(text + f"\n{unique_phrase(n)}\n", encoding="utf-8")
        outputs.append(folder / f"{slug}.txt")
    verified.record(folder, outputs)
    if n % 37 == 5:  # incomplete: the import's manifest names the parts it could not get
        src = dest / "sources" / slug
        src.mkdir(parents=True)
        (src / "manifest.json").write_text(
            json.dumps(
                {
                    "missing": [
                        {"title": "Chapter 3: The Agrarian Question", "reason": "page not in the archive"},
                        "Appendix",
                        {"path": "ch09.htm", "url": f"https://www.marxists.org/synthetic/{slug}/ch09.htm"},
                    ]
                }
            ),
            encoding="utf-8",
        )


def epub_cover_files(real: Path) -> tuple[bytes, bytes] | None:
    """The cover and thumbnail the catalog makes of the real work's EPUB's cover when it is a
    PNG (covers.publish_cover: the EPUB's image as it is, and its thumbnail), else None."""
    found = covers.epub_cover(real / f"{real.name}.epub")
    if found is None or found[1] != "image/png":
        return None
    return found[0], covers.thumbnail_of(found[0])[0]


def make_library(built: Path, dest: Path, count: int) -> Path:
    """``dest`` as a project root holding the real built works and ``count`` synthetic ones."""
    real_works = sorted(
        p for p in (built / "editions").iterdir() if (p / ".verified").is_file() and (p / f"{p.name}.epub").is_file()
    )
    (dest / "editions").mkdir(parents=True)
    for real in real_works:
        shutil.copytree(real, dest / "editions" / real.name)
    drawn = {real: epub_cover_files(real) for real in real_works}
    for n in range(count):
        real, slug, withheld = real_works[n % len(real_works)], f"synthetic-{n:04d}", n % 50 == 7
        derive(real, dest, slug, n, withheld=withheld)
        cover = drawn[real]
        if n >= DRAWN and cover and not withheld:
            (dest / "editions" / slug / f"{slug}.cover.png").write_bytes(cover[0])
            (dest / "editions" / slug / f"{slug}.cover-thumbnail.png").write_bytes(cover[1])
    return dest
