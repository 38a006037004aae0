"""The pages of the library site under ``editions/``.

- ``index.html``: counts and the ways in (authors, years, languages, all, newest, search);
- ``authors/``: an index of authors (paged), one page per author with their works by year;
- ``years/`` and ``languages/``: an index each, one paged list per year or language;
- ``works/``: every work, A to Z by title, paged;
- ``<slug>/index.html``: one page per work with its cover, full attribution, the licence
  verbatim, its downloads with their sizes, the contents of a multi-part work and the
  parts an incomplete work lacks;
- ``search.html`` (Pagefind, see :mod:`.search`) and ``withheld.html`` (works named but
  not published, grouped by reason; ``withheld/<reason>.html`` lists each group's works
  with their evidence).

Lists page at :data:`~.library.WORKS_PER_PAGE` works, so every page stays far under
100 kB of HTML however large the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial

from pipeline.distribution.attribution import render_items
from pipeline.distribution.library import (
    NAMES_PER_PAGE,
    WITHHELD_PER_PAGE,
    WORKS_PER_PAGE,
    Group,
    Library,
    Page,
    page_name,
    paginate,
)
from pipeline.distribution.memo import Deferred, key_of
from pipeline.distribution.page import (
    PAGE_TITLE,
    Document,
    download_item,
    el,
    extent,
    pagination,
    reader_items,
    tail,
)
from pipeline.distribution.works import Withheld, Work, work_key
from pipeline.rights.report import evidence_of, group_heading, group_of

Pages = Iterator[tuple[str, bytes | Deferred]]  # (path relative to editions/, bytes or how to make them)


def work_href(work: Work) -> str:
    return f"{work.slug}/index.html"


def author_href(group: Group) -> str:
    return f"authors/{group.key}.html"


def work_list(doc: Document, works: list[Work], library: Library, show_author: bool = True) -> None:
    ul = el("ul", parent=doc.main, class_="works")
    for work in works:
        meta = work.meta
        li = el("li", parent=ul, lang=meta.language)
        if work.cover:
            thumb = work.cover.thumbnail
            el(
                "img",
                parent=li,
                src=doc.prefix + thumb.href,
                alt="",
                width=str(thumb.width),
                height=str(thumb.height),
                loading="lazy",
                decoding="async",
            )
        else:
            el("span", parent=li)
        div = el("div", parent=li)
        el("a", meta.title, parent=div, href=doc.prefix + work_href(work), class_="title")
        bits = []
        if show_author:
            bits.append(meta.author)
        bits += [b for b in (meta.year, None if meta.language == "en" else meta.language) if b]
        meta_line = el("span", " · ".join(bits) or None, parent=div, class_="meta", lang="en")
        if work.missing:
            tail(el("span", "incomplete", parent=meta_line, class_="badge"), "")
            if bits:
                meta_line.text = (meta_line.text or "") + " "


def paged_list(
    path_base: str,
    title: str,
    lead: str,
    works: list[Work],
    library: Library,
    build_date: datetime,
    show_author: bool = True,
) -> Pages:
    for page in paginate(works, WORKS_PER_PAGE):
        path = page_name(path_base, page.number, "html")
        key = key_of("list", path, title, lead, page.number, page.count, len(works), show_author, build_date)
        key = key_of(key, [work_key(w) for w in page.items])
        render = partial(list_page, path_base, title, lead, page, len(works), library, build_date, show_author)
        yield path, Deferred(key, render)


def list_page(
    path_base: str,
    title: str,
    lead: str,
    page: Page[Work],
    total: int,
    library: Library,
    build_date: datetime,
    show_author: bool,
) -> bytes:
    """One page of a list of works, with its place in the list."""
    path = page_name(path_base, page.number, "html")
    heading = title if page.count == 1 else f"{title}, page {page.number} of {page.count}"
    doc = Document(path, heading, build_date)
    el("h1", title, parent=doc.main)
    p = el("p", lead, parent=doc.main, class_="lead")
    if page.count > 1:
        first = (page.number - 1) * WORKS_PER_PAGE + 1
        tail(p, f" Works {first}–{first + len(page.items) - 1} of {total}.")
    work_list(doc, page.items, library, show_author)
    pagination(doc, path_base, page.number, page.count)
    return doc.render()


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def front_page(library: Library, withheld: list[Withheld], build_date: datetime) -> Pages:
    doc = Document("index.html", PAGE_TITLE, build_date)
    el("h1", PAGE_TITLE, parent=doc.main)
    incomplete = sum(1 for w in library.works if w.missing)
    dated = [g.key for g in library.years if g.key.isdigit()]
    span = f", written {dated[0]}–{dated[-1]}" if len(dated) > 1 else (f", written {dated[0]}" if dated else "")
    el(
        "p",
        f"{plural(len(library.works), 'work')} by {plural(len(library.authors), 'author')}{span}, in "
        f"{plural(len(library.languages), 'language')}, free to read, copy and share under the licence each one "
        "states. Every edition credits its transcribers and links to its source.",
        parent=doc.main,
        class_="lead",
    )
    if not library.works:
        el("p", "No works are published yet.", parent=doc.main)
    el("h2", "Browse", parent=doc.main, id="browse")
    ul = el("ul", parent=doc.main, class_="entry-points", aria_labelledby="browse")
    for href, label, detail in (
        ("authors/index.html", "By author", plural(len(library.authors), "author")),
        ("years/index.html", "By year", plural(len(library.years), "year")),
        ("languages/index.html", "By language", plural(len(library.languages), "language")),
        ("works/index.html", "All works, A–Z", plural(len(library.works), "work")),
        ("new.html", "Newest additions", f"the latest {min(WORKS_PER_PAGE, len(library.works))}"),
        ("search.html", "Search", "titles, authors and full text"),
    ):
        a = el("a", label, parent=el("li", parent=ul), href=href)
        el("span", detail, parent=a, class_="detail")
    notes = []
    if incomplete:
        notes.append(
            f"{plural(incomplete, 'work')} marked incomplete: the source lacks some of its parts, named on the work's page."
        )
    licence = [w for w in withheld if w.kind == "licence"]
    if licence:
        notes.append(f"{plural(len(licence), 'work')} not published because the licence does not allow it: ")
    if notes:
        el("h2", "Notes", parent=doc.main, id="notes")
        for note in notes:
            p = el("p", note, parent=doc.main)
            if note.endswith(": "):
                tail(el("a", "the list", parent=p, href="withheld.html"), ".")
    yield "index.html", doc.render()


def author_pages(library: Library, build_date: datetime) -> Pages:
    for page in paginate(library.authors, NAMES_PER_PAGE):
        path = page_name("authors/index", page.number, "html")
        doc = Document(
            path, "Authors" if page.count == 1 else f"Authors, page {page.number} of {page.count}", build_date
        )
        el("h1", "Authors", parent=doc.main)
        el("p", f"{plural(len(library.authors), 'author')}, by family name.", parent=doc.main, class_="lead")
        ul = el("ul", parent=doc.main, class_="names")
        for group in page.items:
            li = el("li", parent=ul)
            el("a", group.sort_as, parent=li, href=doc.prefix + author_href(group))
            life = f" ({group.life})" if group.life else ""
            tail(
                el(
                    "span",
                    f"{life} {plural(len(group.works), 'work')}" + (f", {group.years}" if group.years else ""),
                    parent=li,
                    class_="detail",
                ),
                "",
            )
        pagination(doc, "authors/index", page.number, page.count)
        yield path, doc.render()
    for group in library.authors:
        life = f"{group.label}, {group.life}. " if group.life else ""
        dates = f"Works written {group.years}. " if group.years else ""
        yield from paged_list(
            f"authors/{group.key}",
            group.label,
            f"{life}{dates}{plural(len(group.works), 'work')}, by year.",
            group.works,
            library,
            build_date,
            show_author=False,
        )


def group_index(
    section: str, title: str, lead: str, groups: list[Group], build_date: datetime, decades: bool = False
) -> Pages:
    path = f"{section}/index.html"
    doc = Document(path, title, build_date)
    el("h1", title, parent=doc.main)
    el("p", lead, parent=doc.main, class_="lead")
    buckets: dict[str, list[Group]] = {}
    for group in groups:
        bucket = (group.key[:3] + "0s" if group.key[:4].isdigit() else group.label) if decades else ""
        buckets.setdefault(bucket, []).append(group)
    for bucket, members in buckets.items():
        if bucket:
            el("h2", bucket, parent=doc.main)
        ul = el("ul", parent=doc.main, class_="names years-of-decade" if decades else "names")
        for group in members:
            li = el("li", parent=ul)
            el("a", group.label, parent=li, href=f"{group.key}.html")
            el("span", f" {plural(len(group.works), 'work')}", parent=li, class_="detail")
    yield path, doc.render()


def year_pages(library: Library, build_date: datetime) -> Pages:
    yield from group_index(
        "years", "Years", "Works by the year they were written.", library.years, build_date, decades=True
    )
    for group in library.years:
        yield from paged_list(
            f"years/{group.key}",
            f"Written in {group.label}" if group.key != "undated" else "Undated works",
            f"{plural(len(group.works), 'work')}, by author.",
            group.works,
            library,
            build_date,
        )


def language_pages(library: Library, build_date: datetime) -> Pages:
    yield from group_index(
        "languages", "Languages", "Works by the language of the text.", library.languages, build_date
    )
    for group in library.languages:
        yield from paged_list(
            f"languages/{group.key}",
            f"In {group.label}",
            f"{plural(len(group.works), 'work')}, by author.",
            group.works,
            library,
            build_date,
        )


def work_page(work: Work, library: Library, build_date: datetime) -> bytes:
    meta = work.meta
    doc = Document(
        work_href(work), meta.title, build_date, description=f"{meta.title}, by {meta.author}: free editions."
    )
    article = el("article", parent=doc.main, class_="work", lang=meta.language, aria_labelledby="work-title")
    if work.cover:
        image = work.cover.image
        figure = el("figure", parent=article, class_="cover")
        el(
            "img",
            parent=figure,
            src=doc.prefix + image.href,
            alt=f"Cover: {meta.title}, by {meta.author}" + (f", {meta.year}" if meta.year else ""),
            width=str(image.width) if image.width else None,
            height=str(image.height) if image.height else None,
        )
    body = el("div", parent=article, class_="details")
    el("h1", meta.title, parent=body, id="work-title")
    p = el("p", parent=body, class_="author")
    groups = library.author_of.get(work.slug, [])
    if not groups:  # unsigned (a periodical or a site section in the author's place): no author page
        p.text = meta.author
    for n, group in enumerate(groups):  # each person links to their page
        if n:
            tail(p[-1], " and " if n == len(groups) - 1 else ", ")
        el("a", group.label, parent=p, href=doc.prefix + author_href(group))
    if work.word_count:
        el("p", extent(work.word_count), parent=body, class_="extent", lang="en")
    if work.missing:
        note = el("div", parent=body, class_="notice", lang="en")
        el("p", "This work is incomplete: the source lacks these parts.", parent=note)
        ul = el("ul", parent=note)
        for part in work.missing:
            li = el("li", parent=ul)
            url, _, rest = part.partition(" ")
            if url.startswith(("https://", "http://")):  # the page at the MIA, where a reader can read it
                el("a", url, parent=li, href=url)
                if rest:
                    tail(li[-1], f" {rest}")
            else:
                li.text = part
    el("h2", "Download", parent=body, id="downloads")
    ul = el("ul", parent=body, class_="downloads", aria_labelledby="downloads")
    for file in work.files:
        download_item(file, work, ul, doc.prefix)
    if meta.parts and len(meta.parts) > 1:
        el("h2", "Contents", parent=body, id="contents")
        ol = el("ol", parent=body, aria_labelledby="contents")
        for part in meta.parts:
            el("li", part or "(untitled part)", parent=ol)
    el("h2", "About this edition", parent=body, id="about", lang="en")
    dl = el("dl", parent=body, class_="attribution")
    render_items(reader_items(meta), dl, el)
    return doc.render()


def withheld_page(withheld: list[Withheld], build_date: datetime) -> Pages:
    """``withheld.html``, the works the licence (or the editor) keeps out, grouped by reason
    (:func:`pipeline.rights.report.group_of`): each group's heading, count and link; then
    ``withheld/<reason>.html`` (paged like every list, so no page outgrows the 100 kB
    budget): each work linked to its source, with the evidence that withholds it."""
    groups: dict[str, list[Withheld]] = {}
    for gone in withheld:
        if gone.kind == "licence" and gone.meta is not None:
            groups.setdefault(group_of(gone.meta), []).append(gone)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    doc = Document("withheld.html", "Works not published", build_date)
    el("h1", "Works not published", parent=doc.main)
    el(
        "p",
        "These works were converted, but their licence does not allow this library to distribute them, or an "
        "editor ruled so. Read them at their source. A page that states no licence is published only when it is "
        "public domain by rule, every condition evidenced.",
        parent=doc.main,
        class_="lead",
    )
    ul = el("ul", parent=doc.main, class_="names")
    for key, works in ordered:
        a = el("a", group_heading(key), parent=el("li", parent=ul), href=f"withheld/{key}.html")
        el("span", f" {plural(len(works), 'work')}", parent=a, class_="detail")
    yield "withheld.html", doc.render()
    for key, works in ordered:
        yield from withheld_group_pages(key, works, build_date)


def withheld_group_pages(key: str, works: list[Withheld], build_date: datetime) -> Pages:
    """One reason's withheld works, by title, each with its evidence, paged."""
    heading = group_heading(key)
    items = sorted(((w.meta, w) for w in works if w.meta), key=lambda item: item[0].title.casefold())
    for page in paginate(items, WITHHELD_PER_PAGE):
        path = page_name(f"withheld/{key}", page.number, "html")
        title = heading + ("" if page.count == 1 else f", page {page.number} of {page.count}")
        doc = Document(path, title, build_date)
        el("h1", heading, parent=doc.main)
        lead = el("p", f"{plural(len(items), 'work')} not published. ", parent=doc.main, class_="lead")
        tail(el("a", "Every reason", parent=lead, href=doc.prefix + "withheld.html"), ".")
        ul = el("ul", parent=doc.main, class_="names")
        for meta, _ in page.items:
            li = el("li", parent=ul)
            if meta.url:
                el("a", meta.title, parent=li, href=meta.url, lang=meta.language)
            else:
                el("span", meta.title, parent=li, lang=meta.language)
            el("span", f" {meta.author}", parent=li, class_="detail")
            evidence = el("ul", parent=li, class_="evidence")
            for words in evidence_of(meta):
                el("li", words, parent=evidence)
        pagination(doc, f"withheld/{key}", page.number, page.count)
        yield path, doc.render()


def site_pages(library: Library, withheld: list[Withheld], build_date: datetime) -> Pages:
    yield from front_page(library, withheld, build_date)
    yield from author_pages(library, build_date)
    yield from year_pages(library, build_date)
    yield from language_pages(library, build_date)
    yield from paged_list(
        "works/index", "All works", "Every published work, by title.", library.by_title, library, build_date
    )
    yield from paged_list(
        "new",
        "Newest additions",
        "The works most recently added, newest first.",
        library.newest[:WORKS_PER_PAGE],
        library,
        build_date,
    )
    yield from withheld_page(withheld, build_date)
    for work in library.works:
        authors = [(g.key, g.label) for g in library.author_of.get(work.slug, [])]
        key = key_of("work", work_key(work), authors, build_date)
        yield work_href(work), Deferred(key, partial(work_page, work, library, build_date))
