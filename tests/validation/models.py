"""Document models for the subset tests: every construct pipeline/master/write.py can
write, in the shapes TEI allows, serialized by the real writer.

``rich_work()`` has each construct at least once; ``random_work(seed)`` draws a
deterministic random document from the same grammar, so the tests cover combinations
nobody wrote by hand. Shapes TEI forbids (a heading after a paragraph, a paragraph after
a closer, a heading or closer inside a note or quotation, an empty list or table, a
paragraph inside a closer) are never drawn: see test_subset.py for what the profile
does with them.
"""

from __future__ import annotations

import random

from pipeline import licences
from pipeline.master import model as m

WORDS = (
    "the party question of groupings factions and discussion workers’ democracy “old course” — bureaucratism".split()
)


class Drawer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.notes: list[m.Note] = []
        self.pending_refs: list[str] = []  # note ids still to be referenced once
        self.ids = 0

    def words(self, low: int = 1, high: int = 8) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def inlines(self, depth: int = 0, allow_refs: bool = True) -> list[m.Inline]:
        out: list[m.Inline] = [self.words()]
        for _ in range(self.rng.randint(0, 4)):
            kind = self.rng.choice(
                ["hi", "q", "supplied", "link", "lb", "ref", "text"] if depth < 2 else ["text", "lb"]
            )
            if kind == "hi":
                out.append(
                    m.Hi(
                        self.rng.choice(["italic", "bold", "underline", "smallcaps", "sup", "sub"]),
                        self.inlines(depth + 1, allow_refs),
                    )
                )
            elif kind == "q":
                out.append(m.Q(self.inlines(depth + 1, allow_refs)))
            elif kind == "supplied":
                out.append(m.Supplied(self.inlines(depth + 1, allow_refs)))
            elif kind == "link":
                target = self.rng.choice(
                    [
                        "https://www.marxists.org/archive/lenin/works/1917/staterev/",
                        "../1924/lessons.htm#s2",
                        "#part-2",
                        "mailto:archive@marxists.org",
                    ]
                )
                out.append(m.Link(target, self.inlines(depth + 1, allow_refs)))
            elif kind == "lb":
                out.append(m.LineBreak())
            elif kind == "ref" and allow_refs and self.pending_refs:
                note_id = self.pending_refs.pop(0)
                out.append(m.NoteRef(note_id, note_id.rsplit("-", 1)[-1]))
            out.append(" " + self.words(0, 3))
        return out

    def para(self) -> m.Para:
        return m.Para(self.inlines(), rend=self.rng.choice([None, None, "indent", "center"]))

    def plain_blocks(self, depth: int = 0, low: int = 1, high: int = 3) -> list[m.Block]:
        """Blocks TEI allows in notes, quotations and list items."""
        blocks: list[m.Block] = []
        for _ in range(self.rng.randint(low, high)):
            kind = self.rng.choice(["p", "p", "quote", "list", "table"] if depth < 2 else ["p"])
            if kind == "p":
                blocks.append(self.para())
            elif kind == "quote":
                blocks.append(m.Quote(self.plain_blocks(depth + 1)))
            elif kind == "list":
                items = [self.plain_blocks(depth + 1, 1, 2) for _ in range(self.rng.randint(1, 3))]
                blocks.append(m.ListBlock(items, ordered=self.rng.random() < 0.5))
            else:
                rows = [[self.inlines(2) for _ in range(self.rng.randint(1, 3))] for _ in range(self.rng.randint(1, 3))]
                blocks.append(m.Table(rows, head_rows=self.rng.randint(0, 1)))
        return blocks

    def closer(self) -> m.Closer:
        return m.Closer(
            signed=self.inlines(2) if self.rng.random() < 0.8 else None,
            dateline=self.inlines(2) if self.rng.random() < 0.6 else None,
        )

    def div_blocks(self, depth: int) -> list[m.Block]:
        """A division's content in TEI order: heads, blocks, sub-divisions, closers."""
        blocks: list[m.Block] = (
            [m.Head(self.inlines(1), level=self.rng.randint(1, 3))] if self.rng.random() < 0.5 else []
        )
        blocks += self.plain_blocks(depth, 1, 4)
        if depth < 2 and self.rng.random() < 0.3:
            blocks += [self.div(depth + 1) for _ in range(self.rng.randint(1, 2))]
        if self.rng.random() < 0.3:
            blocks.append(self.closer())
        return blocks

    def div(self, depth: int) -> m.Div:
        self.ids += 1
        number = self.ids  # before the sub-divisions take theirs
        return m.Div(
            self.div_blocks(depth),
            head=self.inlines(1) if self.rng.random() < 0.7 else None,
            type=self.rng.choice(["part", "section", "chapter"]),
            n=str(number) if self.rng.random() < 0.5 else None,
            xml_id=f"div-{number}" if self.rng.random() < 0.5 else None,
        )

    def work(self) -> m.Work:
        rng = self.rng
        note_ids = [f"note-{i}" for i in range(1, rng.randint(0, 6) + 1)]
        self.pending_refs = list(note_ids)
        if rng.random() < 0.5:
            body = self.div_blocks(0)
        else:
            body = (
                ([m.Head(self.inlines(1))] if rng.random() < 0.5 else [])
                + self.plain_blocks(0, 0, 2)
                + [self.div(0) for _ in range(rng.randint(1, 3))]
            )
            body += [self.closer()] if rng.random() < 0.3 else []
        if self.pending_refs:  # every note referenced exactly once: after the heads
            at = next((i for i, b in enumerate(body) if not isinstance(b, m.Head)), len(body))
            refs: list[m.Inline] = ["Markers "]
            refs += [m.NoteRef(n, n.rsplit("-", 1)[-1]) for n in self.pending_refs]
            body.insert(at, m.Para(refs))
            self.pending_refs = []
        # the notes' own text never references notes
        notes = []
        for i, note_id in enumerate(note_ids, 1):
            self.pending_refs = []
            notes.append(
                m.Note(
                    note_id,
                    str(i),
                    self.plain_blocks(1, 0, 2),
                    resp=rng.choice([None, "author", "editor", "translator"]),
                )
            )
        lic = rng.choice(sorted(licences.KNOWN))
        statement = rng.choice(
            [
                "Public Domain: Marxists Internet Archive (2007). You may freely copy, distribute, display and perform this work, as well as make derivative and commercial works. Please credit “Marxists Internet Archive” as your source.",
                "Copyleft: Creative Commons (Attribute & Share-alike) marxists.org 2007.",
                "Copyright: used with the kind permission of the publisher.",
            ]
        )
        credits = []
        if rng.random() < 0.7:
            roles = rng.sample(["trc", "mrk", "pfr", "trl", "edt"], rng.randint(1, 3))
            credits.append(
                m.Credit(
                    "Ada Transcriber",
                    roles,
                    "March 2007" if rng.random() < 0.5 else None,
                    "2007-03" if rng.random() < 0.5 else None,
                    "Transcribed: Ada Transcriber, March 2007.",
                )
            )
        if rng.random() < 0.3:
            credits.append(m.Credit("Bo Proofreader", [], statement="Proofed: Bo Proofreader.", role_words=["Proofed"]))
        if credits and not any("trc" in c.roles for c in credits):
            credits[0].roles.append("trc")
        return m.Work(
            slug="test-work",
            url="https://www.marxists.org/archive/test/1920/01/work.htm",
            language=rng.choice(["en", "en", "de", "fr-CA"]),
            title=self.inlines(1, allow_refs=False),
            author=rng.choice(["Leon Trotsky", "Rosa Luxemburg", "Communist International"]),
            date_text=rng.choice([None, "(January 1920)", "1920"]),
            date_iso=rng.choice([None, "1920-01", "1920", "1920-01-05"]),
            info=[m.InfoLine("Written", "1920"), m.InfoLine("Source", "Somewhere")] if rng.random() < 0.7 else [],
            credits=credits,
            licences=[m.LicenceStatement(statement.split(":")[0], statement, lic)] if rng.random() < 0.9 else [],
            source=self.source() if rng.random() < 0.7 else None,
            first_published=rng.choice([None, "1921 [in English]", "1921, 1922"]),
            written=rng.choice([None, "January 1920"]),
            body=body,
            notes=notes,
            last_updated=rng.choice([None, "7.1.2007"]),
            normalizations=[m.Normalization("Removed a stray '<./p>'.")] if rng.random() < 0.5 else [],
            source_format=rng.choice(["mia-text", "mia-html"]),
            source_files=[("work.htm", "0" * 64)],
            retrieved=rng.choice([None, "2026-11-25"]),
            encoding_declared=rng.choice([None, "windows-1252"]),
            encoding_used=rng.choice([None, "cp1252"]),
            no_credits_statement=rng.choice([None, "The page names no transcriber."]),
            permission={"granted_by": "The Publisher", "date": "2020-01-01", "reference": "letter"}
            if rng.random() < 0.2
            else None,
        )

    def source(self) -> m.SourceBibl:
        rng = self.rng
        return m.SourceBibl(
            statement="New International, New York, Vol.2 No.1, January 1935, pages 16-19.",
            title=rng.choice([None, "New International"]),
            place=rng.choice([None, "New York"]),
            publisher=rng.choice([None, "Pioneer Publishers"]),
            volume=rng.choice([None, "2"]),
            issue=rng.choice([None, "1"]),
            date_text=rng.choice([None, "January 1935"]),
            date_iso=rng.choice([None, "1935-01"]),
            pages=rng.choice([None, "pages 16-19"]),
            page_from="16",
            page_to=rng.choice([None, "19"]),
        )


def random_work(seed: int) -> m.Work:
    return Drawer(seed).work()


def rich_work() -> m.Work:
    """One document with every construct the writer knows, in TEI order."""
    inl = [
        "Plain ",
        m.Hi("italic", ["it ", m.Hi("bold", ["bold"])]),
        " ",
        m.Q(["quoted ", m.Supplied(["sic"])]),
        " ",
        m.Link("https://www.marxists.org/", ["a link ", m.Hi("sup", ["2"])]),
        m.LineBreak(),
        "after a break",
    ]
    part1 = m.Div(
        [
            m.Head(["Sub-heading"], level=2),
            m.Para(inl + [m.NoteRef("n1", "1")], rend="indent"),
            m.Quote([m.Para(["Quoted paragraph", m.NoteRef("n2", "*")]), m.ListBlock([[m.Para(["in a quote"])]])]),
            m.ListBlock(
                [[m.Para(["one"])], [m.Para(["two ", m.Q(["q"])]), m.Para(["second para of item"])]], ordered=True
            ),
            m.Table([[["Year"], ["Members"]], [["1917"], [m.Hi("bold", ["240,000"])]]], head_rows=1),
            m.Figure(
                "https://www.marxists.org/archive/x/fig 1.png",
                alt="A chart",
                caption=["Figure 1: ", m.Hi("italic", ["growth"])],
                file="pics/fig 1.png",
                media_type="image/png",
                width=480,
                height=300,
            ),
            m.Figure("https://www.marxists.org/archive/x/fig2.jpg", missing="not in the copy of the site"),
            m.Figure("http://example.org/x.gif", alt="External", missing="an image on another host; not fetched"),
            m.Div([m.Para(["Nested division."])], head=["Section A"], type="section", n="1", xml_id="sec-a"),
            m.Closer(signed=["Leon ", m.Hi("smallcaps", ["Trotsky"])], dateline=["Moscow, ", "December 1923."]),
        ],
        head=["Part One"],
        type="part",
        n="1",
        xml_id="part-1",
    )
    part2 = m.Div([m.Para(["Second part", m.NoteRef("n3", "a")])], head=["Part Two"], type="part", n="2")
    notes = [
        m.Note("n1", "1", [m.Para(["An author's note with ", m.Hi("italic", ["emphasis"])])], resp="author"),
        m.Note(
            "n2",
            "*",
            [
                m.Para(["An editor's note."]),
                m.Quote([m.Para(["quoted in a note"])]),
                m.ListBlock([[m.Para(["x"])]]),
                m.Table([[["a"], ["b"]]]),
            ],
            resp="editor",
        ),
        m.Note("n3", "a", [m.Para(["A translator's note."])], resp="translator"),
    ]
    return m.Work(
        slug="rich-work",
        url="https://www.marxists.org/archive/trotsky/1923/12/faction.htm",
        language="en",
        title=["The ", m.Hi("italic", ["Rich"]), " Work"],
        author="Leon Trotsky",
        date_text="(December 1923)",
        date_iso="1923-12",
        info=[m.InfoLine("Written", "1923"), m.InfoLine("Translated", "Max Shachtman")],
        credits=[
            m.Credit(
                "David Walters",
                ["trc", "mrk"],
                "February 2005",
                "2005-02",
                "Transcribed/HTML Markup: David Walters, February 2005.",
            ),
            m.Credit("Einde O’Callaghan", ["pfr"], None, None, "Proofread: Einde O’Callaghan."),
            m.Credit("Max Shachtman", ["trl"], None, None, "Translated: Max Shachtman."),
            m.Credit("Someone", [], None, None, "Checked: Someone.", ["Checked"]),
        ],
        licences=[
            m.LicenceStatement(
                "Copyleft",
                "Copyleft: Creative Commons (Attribute & Share-alike) marxists.org 2005.",
                licences.CC_BY_SA_2.uri,
            ),
            m.LicenceStatement("Public Domain", "Public Domain: no rights reserved.", licences.PUBLIC_DOMAIN_MARK.uri),
        ],
        source=m.SourceBibl(
            "New International, New York, Vol.2 No.1, January 1935, pages 16-19.",
            "New International",
            "New York",
            "Pioneer",
            "2",
            "1",
            "January 1935",
            "1935-01",
            "pages 16-19",
            "16",
            "19",
        ),
        first_published="1935 [in English]",
        written="1923",
        body=[m.Head(["Before the parts"]), m.Para(["An introduction."]), part1, part2, m.Closer(signed=["L.T."])],
        notes=notes,
        last_updated="7.1.2007",
        normalizations=[m.Normalization("Removed the stray markup '<./p>'.")],
        source_format="mia-html",
        source_files=[("index.htm", "1" * 64), ("ch01.htm", "2" * 64)],
        retrieved="2026-11-25",
        encoding_declared="iso-8859-1",
        encoding_used="cp1252",
        permission={"granted_by": "Pathfinder Press", "date": "2020-01-01", "reference": "letter of 1 January 2020"},
    )
