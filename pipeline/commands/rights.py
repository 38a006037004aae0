"""``python -m pipeline rights``: what is withheld and why, what the public-domain rule
publishes and on what evidence, and the editor's rulings that no longer match their
sources."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.paths import project_root

DESCRIPTION = """\
Reads every master in editions/ (run `python -m pipeline build`, --masters-only will do)
and lists:
  - the works public domain by rule: a page that states no licence, whose every author
    died more than 70 years, and which was first published more than 95 years, before the
    year the rule is applied in, written in the page's language (no translator named; the
    author authority says the author wrote in it), each with its evidence: the death years
    and where they came from, the publication year and its line, the year applied in;
  - the withheld works grouped by reason (an editor's ruling; no licence and the first
    condition of the rule missed; a licence undetermined; a licence not free), each with
    its evidence;
  - STALE RULINGS: rulings of editorial/rulings.json made on sources that changed since;
    they do not apply (exit status 1 while any is listed).

The year the rule is applied in is pinned in editorial/rulings.json ("rule_year"), else
SOURCE_DATE_EPOCH's year, else the source's retrieval year: rebuilds give the same bytes
until an editor renews the determination by changing the pinned year (then `make`).
Author life dates and languages come from the author authority (pipeline/data/authors.json
and editorial/authors.json).
"""

EPILOG = """\
examples:
  python -m pipeline rights                       totals, the groups, ten works each with evidence
  python -m pipeline rights --all                 every work of every group
  python -m pipeline rights --json rights.json    the same as JSON (totals and every entry)
  python -m pipeline rights --sources-of prefix:https://www.marxists.org/archive/bax/
                                                  the "sources" block of a new ruling on that prefix
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="withheld works by reason, works public domain by rule, stale rulings, each with its evidence",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("--all", action="store_true", help="list every work of each group (default: the first ten)")
    s.add_argument("--brief", action="store_true", help="the works without their evidence")
    s.add_argument("--json", metavar="FILE", help="also write the report as JSON to FILE ('-': stdout only)")
    s.add_argument(
        "--sources-of",
        metavar="KIND:TARGET",
        help="print the sources block (slug -> sha256s) for a ruling on work:SLUG, author:KEY or prefix:URL, and stop",
    )
    return s


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from pipeline.errors import PipelineError
    from pipeline.rights import report

    root = project_root()
    if args.sources_of:
        kind, sep, target = args.sources_of.partition(":")
        if not sep or kind not in ("work", "author", "prefix") or not target:
            raise PipelineError(f"--sources-of wants work:SLUG, author:KEY or prefix:URL, not {args.sources_of!r}")
        covered = report.sources_of(root, kind, target)
        if not covered:
            raise PipelineError(f"no master in editions/ is covered by {args.sources_of!r}")
        print(json.dumps(covered, indent=2, sort_keys=True))
        return 0
    result = report.collect(root)
    if args.json:
        data = {
            "totals": result.totals(),
            "public_domain_by_rule": [asdict(e) for e in result.by_rule],
            "published_by_ruling": [asdict(e) for e in result.by_ruling],
            "withheld": {k: [asdict(e) for e in v] for k, v in sorted(result.withheld.items())},
            "stale_rulings": result.stale,
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        if args.json == "-":
            sys.stdout.write(text)
            return 1 if result.stale else 0
        from pipeline import atomic

        atomic.write_bytes(root / args.json, text.encode("utf-8"))
    print(report.render(result, details=not args.brief, limit=0 if args.all else 10))
    if result.stale:
        print(
            f"rights: {len(result.stale)} stale ruling(s): renew or remove them in editorial/rulings.json",
            file=sys.stderr,
        )
        return 1
    return 0
