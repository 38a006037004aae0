"""A synthetic corpus of MIA text works, reproducible from a seed.

Each work follows the layout of ``sources/trotsky-1923-faction/faction.txt`` (the format
the text reader accepts): author, title and "(date)" as single-line blocks, an
information block of ``Label: value`` lines, paragraphs with ``[N]`` note markers and
occasional section headings, a signature and dateline, a "Notes" heading with
``N. text`` notes, the page's "return" back-links and a "Last updated on:" line. Each
work gets a ``manifest.json`` with the file's sha256, as a maintainer would register it.

The words come from the seed work itself, drawn with their own frequencies, so word
lengths, hyphenation and line-breaking behave like real MIA prose; the generator is a
``random.Random(seed)``, so the same seed always writes the same corpus.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SEED_TEXT = PROJECT / "sources" / "trotsky-1923-faction" / "faction.txt"

FIRST_NAMES = [
    "Karl",
    "Rosa",
    "Leon",
    "Clara",
    "Vladimir",
    "Nadezhda",
    "Antonio",
    "Alexandra",
    "Georgi",
    "Eleanor",
    "James",
    "Sylvia",
    "Daniel",
    "Inessa",
    "Nikolai",
    "Emma",
    "Pavel",
    "Lucy",
    "Ernest",
    "Jenny",
]
SURNAMES = [
    "Meyer",
    "Kovalenko",
    "Brandt",
    "Ferri",
    "Lindqvist",
    "Harker",
    "Novak",
    "Duval",
    "Ostrowski",
    "Petrescu",
    "Varga",
    "Holm",
    "Castellan",
    "Moreau",
    "Zeller",
    "Rinaldi",
    "Okafor",
    "Sandoval",
    "Tarrant",
    "Weiss",
]
PLACES = ["Moscow", "Berlin", "London", "Paris", "Vienna", "New York", "Zurich", "Petrograd", "Glasgow", "Turin"]
PERIODICALS = [
    "The Militant",
    "New International",
    "Labour Monthly",
    "Workers' Weekly",
    "The Communist",
    "Inprecorr",
    "Socialist Review",
    "Die Neue Zeit",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
TRANSCRIBERS = ["David Walters", "Einde O'Callaghan", "Ted Crawford", "Andy Blunden", "Brian Basgen", "Zodiac"]
LICENCE = (
    "Public Domain: Marxists Internet Archive ({year}). You can freely copy, distribute, display and perform "
    "this work; as well as make derivative and commercial works. Please credit the Marxists Internet Archive "
    "as your source, include the url to this work, and note the transcribers & proofreaders above."
)
COPYLEFT = "Copyleft: Marxists Internet Archive (marxists.org) {year}. Permission is granted to copy and/or distribute this document under the terms of the Creative Commons (Attribute & Share-alike) 2.0 licence."


@dataclass(frozen=True)
class GeneratedWork:
    slug: str
    words: int
    path: Path


def vocabulary(seed_text: Path = SEED_TEXT) -> tuple[list[str], list[int]]:
    """The seed work's words with their frequencies (a realistic Zipf-like draw)."""
    words = re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)?", seed_text.read_text(encoding="utf-8"))
    counts = Counter(w.lower() for w in words)
    vocab = sorted(counts)
    return vocab, [counts[w] for w in vocab]


class Writer:
    """Draws sentences, paragraphs and notes from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab, weights = vocabulary()
        total = 0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cumulative, k=n)

    def sentence(self, n: int) -> str:
        words = self.words(n)
        for i in range(2, len(words) - 2):  # commas and the odd quotation, as prose has
            if self.rng.random() < 0.07:
                words[i] += ","
        if self.rng.random() < 0.05 and len(words) > 6:
            words[2] = "“" + words[2]
            words[4] += "”"
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice("......?!")

    def paragraph(self, n: int) -> list[str]:
        """A paragraph of about ``n`` words, as sentences (so markers can follow one)."""
        out = []
        while n > 0:
            k = min(n, max(4, int(self.rng.gauss(22, 8))))
            out.append(self.sentence(k))
            n -= k
        return out

    def title(self, n: int) -> str:
        return " ".join(w.capitalize() for w in self.words(n))


def work_text(rng: random.Random, writer: Writer, words: int, headings: bool = True) -> tuple[str, str, str, int]:
    """One work in the MIA text layout; returns (text, author surname, year, words written)."""
    first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    author = f"{first} {surname}"
    year = rng.randint(1848, 1960)
    month = rng.choice(MONTHS)
    title = writer.title(rng.randint(2, 6))
    info = [
        f"Written: {month} {year}.",
        f"First Published: {year + rng.randint(0, 3)}.",
        f"Source: {rng.choice(PERIODICALS)}, {rng.choice(PLACES)}, Vol.{rng.randint(1, 30)} No.{rng.randint(1, 12)}, "
        f"{rng.choice(MONTHS)} {year}, pages {(p := rng.randint(1, 300))}-{p + rng.randint(1, 40)}.",
    ]
    if rng.random() < 0.4:
        info.append(f"Translated: {rng.choice(TRANSCRIBERS)}.")
    info.append(f"Transcribed/HTML Markup: {rng.choice(TRANSCRIBERS)}, {rng.choice(MONTHS)} {rng.randint(1995, 2020)}.")
    info.append((COPYLEFT if rng.random() < 0.15 else LICENCE).format(year=rng.randint(1999, 2020)))

    blocks: list[str] = [author, title, f"({month} {year})", "", "\n".join(info), ""]
    written = 0
    notes: list[str] = []
    note_every = rng.randint(400, 1200)  # words between note markers
    next_note = note_every
    body_words = max(200, int(words * 0.95) - 80)  # notes, head and furniture make up the rest
    while written < body_words:
        if headings and written and rng.random() < 0.04:  # a section heading: short, no closing punctuation
            blocks.append(writer.title(rng.randint(2, 5)))
        n = min(body_words - written, max(30, int(rng.lognormvariate(math.log(120), 0.6))))
        sentences = writer.paragraph(n)
        written += n
        while written >= next_note and len(notes) < 999:
            k = rng.randrange(len(sentences))
            notes.append(" ".join(writer.paragraph(rng.randint(12, 70))))
            sentences[k] += f" [{len(notes)}]"
            next_note += note_every
        blocks.append(" ".join(sentences))
    blocks.append(f"{author.split()[0]} {surname.upper()}\n{rng.choice(PLACES)}, {month} {year}.")
    if notes:
        blocks += ["", "Notes"] + [f"{i}. {text}" for i, text in enumerate(notes, 1)]
    blocks += [
        "",
        "return return return",
        "",
        f"Last updated on: {rng.randint(1, 28)}.{rng.randint(1, 12)}.{rng.randint(2000, 2024)}",
    ]
    text = "\n\n".join(blocks).replace("\n\n\n\n", "\n\n\n") + "\n"
    return text, surname.lower(), str(year), len(text.split())


def write_work(
    sources: Path, index: int, words: int, rng: random.Random, writer: Writer, headings: bool = True
) -> GeneratedWork:
    text, surname, year, written = work_text(rng, writer, words, headings)
    name = f"w{index:05d}"
    url = f"https://www.marxists.org/archive/{surname}/{year}/{name}.htm"
    slug = f"{surname}-{year}-{name}"
    folder = sources / slug
    folder.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    (folder / f"{name}.txt").write_bytes(data)
    manifest = {
        "slug": slug,
        "url": url,
        "retrieved": "2026-01-15",
        "format": "mia-text",
        "language": "en",
        "files": [{"path": f"{name}.txt", "sha256": hashlib.sha256(data).hexdigest(), "role": "main"}],
        "origin": "Synthetic work written by bench/corpus.py for the benchmark.",
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return GeneratedWork(slug, written, folder)


def reregister(folder: Path) -> None:
    """Record the current sha256 of each file in ``folder/manifest.json``, as a maintainer
    does after correcting a source (the benchmark's "one source changed" step)."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest()
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def corpus_sizes(rng: random.Random, n: int, mean: int = 10_000, low: int = 1_000, high: int = 100_000) -> list[int]:
    """Work sizes as in an archive: many articles, some pamphlets, a few books.

    Log-normal (median about 0.6 of the mean, one in forty works above four times the
    mean), scaled so the corpus holds ``n * mean`` words, clipped to ``[low, high]``.
    """
    raw = [rng.lognormvariate(0.0, 1.0) for _ in range(n)]
    scale = n * mean / sum(raw)
    return [min(high, max(low, int(x * scale))) for x in raw]


def generate(
    root: Path, sizes: list[int], seed: int = 1917, start: int = 0, headings: bool = True
) -> list[GeneratedWork]:
    """Write one work per size under ``root/sources``; same seed, same bytes."""
    rng = random.Random(seed)
    writer = Writer(rng)
    return [write_work(root / "sources", start + i, size, rng, writer, headings) for i, size in enumerate(sizes)]


def generate_corpus(root: Path, n_works: int, seed: int = 1917, mean: int = 10_000) -> list[GeneratedWork]:
    sizes = corpus_sizes(random.Random(seed * 7 + 1), n_works, mean=mean)
    return generate(root, sizes, seed)


if __name__ == "__main__":  # python -m bench.corpus DEST N: write a corpus to look at
    import sys

    dest, count = Path(sys.argv[1]), int(sys.argv[2])
    works = generate_corpus(dest, count)
    print(f"{len(works)} works, {sum(w.words for w in works):,} words in {dest / 'sources'}")
