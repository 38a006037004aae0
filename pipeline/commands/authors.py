"""``python -m pipeline authors SITE [--out FILE]``: write the author authority from a copy of the site.

Reads every page's author lines and the author index pages of ``SITE`` (an unpacked copy
of the MIA; only read) and writes one record per person, sorted by key, to
``pipeline/data/authors.json`` (or ``--out``). The file is reviewed and committed like code:
run it after the site copy changes, read ``git diff``, and put what the pages cannot
tell into ``pipeline/authors/reviewed.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.atomic import write_text
from pipeline.authors.authority import AUTHORITY_FILE
from pipeline.errors import PipelineError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="write the author authority (pipeline/data/authors.json) from a copy of the site",
        description="One record per person the site's pages name: display name, sort name, life dates "
        "(with the page they came from), languages, the other spellings, the archive folder.",
    )
    s.add_argument("site", type=Path, help="an unpacked copy of the MIA site (the folder holding archive/)")
    s.add_argument("--out", type=Path, default=AUTHORITY_FILE, help="where to write (default: %(default)s)")
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.authors.build import build_records
    from pipeline.authors.survey import survey_site

    site: Path = args.site
    if not (site / "archive").is_dir():
        raise PipelineError(f"{site}: not a copy of the MIA site (no archive/ folder in it)")
    records = build_records(survey_site(site))
    lines = ",\n".join(" " + json.dumps(r, ensure_ascii=False) for r in records)  # a person a line: diffs read well
    write_text(args.out, f"[\n{lines}\n]\n")
    dated = sum(1 for r in records if r["died"])
    print(f"authors: {len(records)} person(s), {dated} with life dates -> {args.out}", file=sys.stderr)
    return 0
