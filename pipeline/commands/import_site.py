"""``python -m pipeline import ROOT [PATH...]``: works from a local copy of the site, into sources/.

The module is named ``import_site`` because ``import`` is a Python keyword; the work is
done by :mod:`pipeline.archive.import_site`.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="find the works in a local copy of the MIA site and write them into sources/",
        description="Triage every page under ROOT (or the PATHs named) as a work, a part of a multi-part work, "
        "not a work (with the reason) or unreadable (with the reason), and write each work to sources/<slug>/ "
        "with its manifest. A second run changes nothing; a page that changed is left alone unless --update, "
        "which keeps the earlier version under versions/.",
    )
    s.add_argument(
        "root", type=Path, metavar="ROOT", help="the folder holding the site's archive/, history/, ... folders"
    )
    s.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="folders or pages under ROOT (default: all of it); a page brings its whole work, its index and "
        "instalments found through its links in the same author's folders",
    )
    s.add_argument("--sources", type=Path, metavar="DIR", help="write the works here (default: sources/)")
    s.add_argument(
        "--site-url",
        default="https://www.marxists.org/",
        metavar="URL",
        help="the base of the pages' URLs (default https://www.marxists.org/)",
    )
    s.add_argument(
        "--retrieved",
        metavar="YYYY-MM-DD",
        help="retrieval date for the manifests (default: the files' modification time)",
    )
    s.add_argument("--update", action="store_true", help="bring in pages that changed, keeping the earlier version")
    s.add_argument("--dry-run", action="store_true", help="print the triage, write nothing")
    s.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the triage as JSON (schemas/import-report.schema.json)"
    )
    s.add_argument(
        "-j", "--jobs", type=int, default=None, help="parallel workers reading pages (default: number of CPUs)"
    )
    s.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="read the pages on a Dask distributed cluster")
    s.add_argument("--quiet", "-q", action="store_true", help="print only problems and the summary")
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.archive.import_site import ImportOptions, import_site

    options = ImportOptions(
        root=args.root,
        paths=tuple(args.paths),
        sources=args.sources,
        site_url=args.site_url,
        retrieved=args.retrieved,
        update=args.update,
        dry_run=args.dry_run,
        report=args.report,
        jobs=args.jobs,
        scheduler=args.scheduler,
        quiet=args.quiet,
    )
    return import_site(options)
