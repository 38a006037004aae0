"""Write pipeline/data/mia_authors.json: each ``archive/<folder>/`` of the site -> its author.

The MIA files an author's works under ``archive/<folder>/``; a page that names no author
(no author heading, no ``<meta name="author">``) is by that folder's author. The name is
the one the folder's pages give most often, in ``<meta name="author">`` or in the ``h2``
above the title (the author index page's own words when present). Run it over an
unpacked site: ``python bench/author_folders.py /tmp/mia``.
"""

from __future__ import annotations

import collections
import html
import json
import re
import sys
from pathlib import Path

META = re.compile(rb"<meta\s+name=[\"']?author[\"']?[^>]*?content=[\"']([^\"']+)", re.I)
H2 = re.compile(rb"<h2[^>]*>(.*?)</h2>\s*(?:<[^>]+>\s*)*<h1", re.I | re.S)
TAG = re.compile(r"<[^>]+>")
NOT_NAME = re.compile(r"internet archive|marxists|\d|/|transcri|editor", re.I)


def clean(raw: bytes) -> str:
    return " ".join(html.unescape(TAG.sub(" ", raw.decode("latin-1"))).split())


def main(site: Path, out: Path) -> None:
    names: dict[str, str] = {}
    for folder in sorted(p for p in (site / "archive").iterdir() if p.is_dir()):
        votes: collections.Counter[str] = collections.Counter()
        for page in list(folder.rglob("*.htm*"))[:400]:
            data = page.read_bytes()[:6000]
            for rx in (META, H2):
                for m in rx.finditer(data):
                    name = clean(m.group(1))
                    if name and len(name) <= 40 and not NOT_NAME.search(name) and "," not in name and "&" not in name:
                        votes[name] += 1
        if votes:
            names[folder.name] = votes.most_common(1)[0][0]
    out.write_text(json.dumps(names, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(names)} author folders -> {out}")


if __name__ == "__main__":
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/mia"),
        Path(__file__).resolve().parent.parent / "pipeline" / "data" / "mia_authors.json",
    )
