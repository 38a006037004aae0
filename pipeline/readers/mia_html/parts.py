"""A multi-part work as one book: each part headed by its own title, the page chrome dropped.

An MIA book or congress is an index page and one page per part. Each part page repeats
the book's banner (the author's name, the book's title, a running head such as "Seventh
Congress of the R.C.P.(B.)" or the date of the congress) above the part's own heading,
often split in two lines: a bare number ("ONE", "2", "Chapter IV") and the title after
it. A reader of the book expects the contents to list "2. Reply to the Debate ...",
not "V. I. Lenin · 2 · V. I. Lenin · ...". So, for each part:

- *chrome*: a head line whose words are the book's author, the book's title (with or
  without its subtitle), a line of the index page's own head, or a line repeated on at
  least half the parts (and two) is a running head: dropped and recorded, with its file
  and line, in the master's normalizations (the fidelity check excuses a removal only by
  its recorded line or quoted words: no word of the work is dropped unrecorded; a line
  carrying a note marker is never dropped);
- *title*: the first remaining line, a bare number joined to the title after it
  ("2" + "Reply to the Debate" -> "2. Reply to the Debate"); when the head holds no line
  of the part's own, the headings the text opens with;
- the part's other head lines stay, as headings under its title.

The index page's own list of the parts (links to the part pages) is dropped too and
recorded: the editions generate the contents of the parts the copy holds, and a listed
part missing from the copy is already an anomaly of the header. What else the index page
says (a preface, a note on the edition, the publication history) is the book's front
matter, kept before the parts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urldefrag

from pipeline.master.model import (
    Block,
    Div,
    Head,
    Hi,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    NoteRef,
    Para,
    Q,
    Supplied,
    Table,
)
from pipeline.readers.mia_html.dom import Recorder
from pipeline.readers.mia_html.page import HeadLine, Page, plain
from pipeline.readers.mia_html.structure import (
    LONGEST_HEADING,
    is_bare_number,
    join_number,
    key,
    not_headings,
    numbered_heads,
)

CONTENTS_HEADING = re.compile(
    r"^(?:table\s+of\s+)?contents?|índice|indice|inhalt(?:sverzeichnis)?|sommaire|table\s+des\s+matières|"
    r"contenido|contenidos|sumário|sumario|inhoud|innehåll|index$",
    re.I,
)


@dataclass
class PartHead:
    """A part's head sorted: its title, the head lines kept under it, what was dropped."""

    title: list[Inline]
    kept: list[Block]
    body_taken: int  # headings the text opened with, now part of the head


def book_chrome(index: Page, pages: list[Page]) -> set[str]:
    """The comparison keys (:func:`key`) of the lines that are the book's, not a part's."""
    texts = [plain(h.inlines) for h in index.head_lines]
    keys = {key(index.author or ""), key(plain(index.title)), *(key(t) for t in texts)}
    keys |= {key(a) + key(b) for a in texts for b in texts if a != b}
    counts: Counter[str] = Counter()
    numbers: set[str] = set()
    for page in pages:
        lines = [plain(h.inlines) for h in page.head_lines] + [plain(b.children) for b in leading_heads(page.body)]
        counts.update({key(t) for t in lines})
        numbers |= {key(t) for t in lines if is_bare_number(t)}
    threshold = max(2, (len(pages) + 1) // 2)
    keys |= {k for k, n in counts.items() if n >= threshold and k not in numbers}
    keys.discard("")
    return keys


def names_the_book(text: str, title: str) -> bool:
    """A heading that is the book's title at length ("Anatoly Vasilievich Lunacharsky's
    Revolutionary Silhouettes" for "Anatoly Lunacharsky"): every word of a title of two
    words or more begins a word of the heading, and the heading is short."""
    title_words = [w for w in re.findall(r"[^\W_]+", title.casefold()) if len(w) > 2]
    words = re.findall(r"[^\W_]+", text.casefold())
    return len(title_words) >= 2 and len(words) <= 12 and all(any(w.startswith(t) for w in words) for t in title_words)


def strip_banner(text: str, chrome: set[str], author: str) -> tuple[str, list[str]]:
    """A heading that runs the book's banner into the part's title ("Karl Kautsky The
    Historic Accomplishment of Karl Marx I. Introduction", from a heading left open):
    the title, and the banner's pieces taken off its start. Only the author's name
    first, or two pieces, count: "Trotskyism Defined" in the book "Trotskyism" stays."""
    original = text
    removed: list[str] = []
    while True:
        k = key(text)
        cut = max((len(c) for c in chrome if k.startswith(c) and len(c) < len(k)), default=0)
        pos = _position(text, cut) if cut else None
        if pos is None:
            break
        removed.append(text[:pos].strip())
        text = text[pos:].lstrip(" \xa0:,.;-–—")
    if removed and text and (len(removed) >= 2 or (key(author) and key(removed[0]).startswith(key(author)))):
        return text, removed
    return original, []


def _position(text: str, letters: int) -> int | None:
    """Where the first ``letters`` letters and digits of ``text`` end, if a word ends there."""
    seen = 0
    for i, c in enumerate(text):
        if c.isalnum():
            seen += 1
            if seen == letters:
                after = text[i + 1 : i + 3]
                return i + 1 if after[:1].isspace() or (after[:1] in ":,.;" and after[1:2].isspace()) else None
    return None


def leading_heads(blocks: list[Block]) -> list[Head]:
    """The headings the text opens with."""
    out: list[Head] = []
    for b in blocks:
        if not isinstance(b, Head):
            break
        out.append(b)
    return out


def part_head(page: Page, chrome: set[str], rec: Recorder, author: str, listed: list[Inline] | None = None) -> PartHead:
    """The part's title and the head lines it keeps (see the module docstring)."""
    own: list[HeadLine] = []
    for h in page.head_lines:
        if h.role == "date":
            continue
        text = plain(h.inlines)
        if key(text) in chrome and not has_noteref(h.inlines):
            rec.add(f"Removed the running head {quoted(text)} of the book, repeated on the part pages", h.line)
            continue
        if h.role == "author" and not has_noteref(h.inlines):
            continue  # kept as the part's author line (a speaker other than the book's)
        rest, removed = strip_banner(text, chrome, author) if not has_noteref(h.inlines) else (text, [])
        if removed:
            rec.add(f"Removed the running head {quoted(' '.join(removed))} of the book, run into the heading", h.line)
            h = HeadLine(h.role, [rest], h.level, h.line)
        own.append(h)
    own, byline = contributor(own, page, author, rec)
    lines: list[tuple[list[Inline], int]] = [(h.inlines, h.level) for h in own]
    taken = 0
    for b in leading_heads(page.body):
        if lines and not all(is_bare_number(plain(i)) for i, _ in lines):
            break
        taken += 1
        text = plain(b.children)
        if key(text) in chrome and not has_noteref(b.children):
            rec.add(f"Removed the running head {quoted(text)} of the book, repeated on the part pages")
            continue
        lines.append((b.children, b.level))
    if not byline and taken and lines:
        lines, byline, taken = contributor_in_text(lines, page, author, rec, taken)
    if not lines:  # nothing of the part's own: as the index lists it, else its page title
        return PartHead(listed or page.title, byline, taken)
    title, others = join_number(page_labels_dropped([inlines for inlines, _ in lines], rec))
    tags = {id(inlines): level for inlines, level in lines}  # each kept line's own heading level
    kept: list[Block] = [Head(line, level=tags.get(id(line), 3)) for line in others]
    if len(plain(title)) > LONGEST_HEADING:  # a paragraph in a heading's tag: the part is titled as listed
        kept.insert(0, Para(title, rend="heading"))
        title = listed or page.title
    return PartHead(title, byline + numbered_heads(not_headings(kept)), taken)


def contributor(own: list[HeadLine], page: Page, author: str, rec: Recorder) -> tuple[list[HeadLine], list[Block]]:
    """Rule *a contributor above the part's title*: a book's part by another hand (a
    translator's introduction, an editor's note) prints its author's name above its title,
    as its own line ("E.H. Carr" over "Introduction") or run into it; the page's metadata
    names that person as the part's author. The name is the part's author line, not its
    title (kept under it, recorded); the book's author is never taken for it."""
    split = split_credited(own[0].inlines, page, author) if own else None
    if split is None or (not split[1] and len(own) < 2):
        return own, []  # no credited name, or the name is all the head says: it stays the title
    printed, rest = split
    rec.add(f"Kept {quoted(printed)} as the part's author line, not its title: {CREDITED}", own[0].line)
    first = [HeadLine(own[0].role, [rest], own[0].level, own[0].line)] if rest else []
    return first + own[1:], [Para([printed], rend="author")]


CREDITED = "the page's metadata names the part's author"
HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof|Professor|Sir|Comrade)\.?\s+")


def split_credited(line: list[Inline], page: Page, author: str) -> tuple[str, str] | None:
    """The name a head line opens with, if the page's metadata credits it (never the book's
    author, never a line with a note marker), and the words after it."""
    if has_noteref(line):
        return None
    text = plain(line)
    end = credited_name(text, page, author)
    return None if end is None else (text[:end].strip(), text[end:].strip(" :,.-–—"))


def contributor_in_text(
    lines: list[tuple[list[Inline], int]], page: Page, author: str, rec: Recorder, taken: int
) -> tuple[list[tuple[list[Inline], int]], list[Block], int]:
    """The same rule where the part's head lines are the headings its text opens with
    ("E.H. Carr", then "Introduction", under the book's banner): the next heading is the title."""
    heads = leading_heads(page.body)
    split = split_credited(lines[0][0], page, author) if len(lines) == 1 else None
    if split is None or (not split[1] and len(heads) <= taken):
        return lines, [], taken
    printed, rest = split
    rec.add(f"Kept {quoted(printed)} as the part's author line, not its title: {CREDITED}")
    if rest:  # run into the title
        return [([rest], lines[0][1])], [Para([printed], rend="author")], taken
    return [(heads[taken].children, heads[taken].level)], [Para(lines[0][0], rend="author")], taken + 1


def credited_name(text: str, page: Page, author: str) -> int | None:
    """Where a name the page's metadata credits (not the book's author) ends in ``text``,
    if it opens it (after a title such as "Mr.": "Mr. M. Philips Price" for "M. Philips Price")."""
    honorific = HONORIFIC.match(text)
    start = honorific.end() if honorific else 0
    name_on_page = text[start:]
    for name in page.credited:
        if not key(name) or key(name) == key(author) or not key(name_on_page).startswith(key(name)):
            continue
        end = len(name_on_page) if key(name_on_page) == key(name) else _position(name_on_page, len(key(name)))
        if end is not None:  # else the name runs into a longer word
            return start + end
    return None


def page_labels_dropped(lines: list[list[Inline]], rec: Recorder) -> list[list[Inline]]:
    """Rule *the page's label over the part's number*: "Section Four", "4", "Speeches
    Against Trotsky's Amendments ..." (history/.../lenin/works/1918/7thcong/*: the MIA
    numbers its pages "Section N" above the author's own numbered title). The title is
    "4. Speeches ..."; the page's label before the number is dropped and recorded, its
    words quoted (a line with a note marker stays)."""
    texts = [plain(line) for line in lines]
    n = 0
    while n < len(texts) and is_bare_number(texts[n]):
        n += 1
    if n < 2 or n == len(lines) or re.match(r"\W*\d", texts[n]) or any(has_noteref(x) for x in lines[: n - 1]):
        return lines
    for text in texts[: n - 1]:
        rec.add(f"Removed the page's label {quoted(text)} above the part's own number {quoted(texts[n - 1])}")
    return lines[n - 1 :]


def is_contents_block(block: Block, targets: set[str]) -> bool:
    """A line or list of the index page's contents: it links to the work's part pages,
    and its other words are few (a number, a date, a page)."""
    if isinstance(block, (Para, Head)):
        linked = [link for link in links_in(block.children) if urldefrag(link.target)[0] in targets]
        if not linked:
            return False
        if len({urldefrag(link.target)[0] for link in linked}) >= 2:
            return True  # it links two parts or more: a list of the parts
        lines = _line_texts(block.children)
        if len([t for t in lines if t]) > 1 and all(len(t) <= 200 for t in lines):
            return True  # a list of the parts set as lines, those not online unlinked
        inside = sum(len(plain(link.children).split()) for link in linked)
        total = len(plain(block.children).split())
        return total - inside <= max(12, inside)
    if isinstance(block, ListBlock):
        return bool(block.items) and all(any(is_contents_block(b, targets) for b in item) for item in block.items)
    if isinstance(block, Table):
        rows = [Para([x for cell in row for x in cell]) for row in block.rows]
        hits = [r for r in rows if is_contents_block(r, targets)]
        return len(hits) >= max(1, len([r for r in rows if plain(r.children)]) // 2)
    return False


def without_contents(
    blocks: list[Block], targets: set[str], rec: Recorder
) -> tuple[list[Block], dict[str, list[Inline]]]:
    """The index page's text without its list of the parts (and that list's heading), and
    what the list calls each part (a part page that prints no title of its own is named so)."""
    out: list[Block] = []
    dropped: list[str] = []
    names: dict[str, list[Inline]] = {}
    listed = [is_contents_block(b, targets) for b in blocks]
    changed = any(listed)
    while changed:  # the list's headings and its lines of parts not online, next to it
        changed = False
        for i, b in enumerate(blocks):
            after = i > 0 and listed[i - 1]
            before = i + 1 < len(blocks) and (listed[i + 1] or (after and _is_list_like(blocks[i + 1])))
            near = before or after
            heading = isinstance(b, Head) or _is_contents_heading(b)
            if not listed[i] and ((near and _is_list_like(b)) or (before and heading)):
                listed[i] = changed = True
    for b, is_listed in zip(blocks, listed):
        if is_listed:
            dropped.append(block_words(b))
            _names(b, targets, names)
            out.extend(_marked_lines(b, rec))
            continue
        out.append(b)
    if dropped:
        rec.add(
            "Removed the list of the parts on the index page (the editions generate the contents of the parts "
            f"present): {'; '.join(quoted(d) for d in dropped if d)}"
        )
    return out, names


def _marked_lines(block: Block, rec: Recorder) -> list[Block]:
    """Rule *a note marker in the list of parts*: a line of the list that carries a note
    marker ("Part V [1]", "Two articles were numbered V", archive/james-clr/works/1939/09/
    negro-war.html; "Appendix I. Theses on the Constituent Assembly [41]", a chapter the
    copy lacks, archive/lenin/works/1918/prrk/index.htm) stays, as a paragraph where the
    list stood, so the note it calls keeps its one reference; recorded with its words."""
    if isinstance(block, ListBlock):
        return [line for item in block.items for b in item for line in _marked_lines(b, rec)]
    if isinstance(block, Table):
        return [line for row in block.rows for line in _marked_lines(Para(_joined(row)), rec)]
    if not isinstance(block, (Para, Head)) or not has_noteref(block.children):
        return []
    out: list[Block] = []
    for line in _lines_of(block.children):
        if has_noteref(line):
            kept = _trimmed(line)
            rec.add(f"Kept the line {quoted(plain(kept))} of the list of parts: it carries a note marker")
            out.append(Para(kept, rend="contents"))
    return out


def _lines_of(items: list[Inline]) -> list[list[Inline]]:
    """A contents block's lines: split at its line breaks, and a line of several links (a
    heading that lists the parts, its breaks gone) before each link."""
    lines: list[list[Inline]] = [[]]
    for item in items:
        if isinstance(item, LineBreak):
            lines.append([])
        else:
            lines[-1].append(item)
    out: list[list[Inline]] = []
    for line in lines:
        if len([i for i in line if isinstance(i, Link)]) < 2:
            out.append(line)
            continue
        out.append([])
        for item in line:
            if isinstance(item, Link) and any(isinstance(i, Link) for i in out[-1]):
                out.append([])
            out[-1].append(item)
    return out


def _joined(row: list[list[Inline]]) -> list[Inline]:
    """A table row's cells as one line, a space between cells."""
    out: list[Inline] = []
    for cell in row:
        if out and cell:
            out.append(" ")
        out.extend(cell)
    return out


def _trimmed(items: list[Inline]) -> list[Inline]:
    out = list(items)
    while out and isinstance(out[0], str) and not out[0].strip():
        out.pop(0)
    while out and isinstance(out[-1], str) and not out[-1].strip():
        out.pop()
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return out


def _names(block: Block, targets: set[str], names: dict[str, list[Inline]]) -> None:
    """Each part's name in a contents line: the whole line when it links one part ("1.
    Introduction"), else the link's words."""
    if isinstance(block, ListBlock):
        for item in block.items:
            for b in item:
                _names(b, targets, names)
        return
    if isinstance(block, Table):
        for row in block.rows:
            _names(Para([x for cell in row for x in cell]), targets, names)
        return
    if not isinstance(block, (Para, Head)):
        return
    linked = [link for link in links_in(block.children) if urldefrag(link.target)[0] in targets]
    docs = {urldefrag(link.target)[0] for link in linked}
    for link in linked:
        doc = urldefrag(link.target)[0]
        whole = len(docs) == 1 and len(plain(block.children)) <= 200
        if doc not in names and plain(link.children):
            names[doc] = [c for c in block.children if not isinstance(c, LineBreak)] if whole else link.children


def _is_list_like(block: Block) -> bool:
    """Lines of titles (parts not online, or elsewhere on the site, listed beside the
    linked ones)."""
    if isinstance(block, Para):
        lines = _line_texts(block.children)
        if len([t for t in lines if t]) > 1 and all(len(t) <= 120 for t in lines):
            return True
        text = plain(block.children)  # one linked title (a part published elsewhere on the site)
        linked = sum(len(plain(link.children)) for link in links_in(block.children))
        return len(text) <= 120 and linked * 2 >= len(text)
    return False


def _is_contents_heading(block: Block) -> bool:
    children = block.children if isinstance(block, (Head, Para)) else None
    return children is not None and bool(CONTENTS_HEADING.match(plain(children).rstrip(": ").strip()))


def _line_texts(items: list[Inline]) -> list[str]:
    """A paragraph's lines (at its line breaks, inside emphasis too), as plain text."""
    out: list[str] = [""]

    def walk(inlines: list[Inline]) -> None:
        for item in inlines:
            if isinstance(item, LineBreak):
                out.append("")
            elif isinstance(item, str):
                out[-1] += item
            elif isinstance(item, (Hi, Q, Supplied, Link)):
                walk(item.children)

    walk(items)
    return [" ".join(t.split()) for t in out]


def links_in(items: list[Inline]) -> list[Link]:
    out: list[Link] = []
    for item in items:
        if isinstance(item, Link):
            out.append(item)
        elif isinstance(item, (Hi, Q, Supplied)):
            out.extend(links_in(item.children))
    return out


def block_words(block: Block) -> str:
    if isinstance(block, (Para, Head)):
        return plain(block.children)
    if isinstance(block, ListBlock):
        return "; ".join(block_words(b) for item in block.items for b in item)
    if isinstance(block, Table):
        return "; ".join(plain(cell) for row in block.rows for cell in row if plain(cell))
    if isinstance(block, Div):
        return "; ".join(block_words(b) for b in block.blocks)
    return ""


def has_noteref(items: list[Inline]) -> bool:
    for item in items:
        if isinstance(item, NoteRef):
            return True
        if isinstance(item, (Hi, Q, Supplied, Link)) and has_noteref(item.children):
            return True
    return False


def quoted(text: str) -> str:
    """The words in quotes the source check reads (single, else double, else angle)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return f"<{text.replace('<', ' ').replace('>', ' ')}>"
