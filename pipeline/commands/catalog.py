"""``python -m pipeline catalog [--base-url URL] [--no-search]``: write the library site and catalogs."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time

from pipeline.paths import editions_dir, project_root

NAMED = 10  # works named one per line (all with --verbose)
KIND_WORDS = {
    "licence": "withheld (licence)",
    "failed": "not published: last build failed",
    "unverified": "not published: not verified",
    "changed": "not published: changed after verify",
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> argparse.ArgumentParser:
    s: argparse.ArgumentParser = sub.add_parser(
        name,
        help="publish the library into editions/site/: its pages, OPDS catalogs, search index, the published works' files and SHA256SUMS",
        description="Publishes only works whose last build was verified and whose files still have the sha256 "
        "recorded then; names every other work and why on stderr.",
    )
    s.add_argument("--base-url", default="", help="absolute URL the editions/site/ folder is served from (optional)")
    s.add_argument(
        "--no-search",
        action="store_true",
        help="skip the Pagefind full-text index (faster; the site's search page then finds nothing)",
    )
    s.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="name every work not published and why (by default only those the build did not report: "
        "unverified, or changed after verify)",
    )
    return s


def run(args: argparse.Namespace) -> int:
    from pipeline.builder.build import build_lock
    from pipeline.builder.state import forget_stamp
    from pipeline.distribution.publish import publish

    root = project_root()
    start = time.perf_counter()
    # Never while a build rewrites the editions it would publish; without an editions/ folder
    # there is nothing to lock (the lock would create it) and publish says what is missing.
    lock = build_lock(root) if editions_dir(root).is_dir() else contextlib.nullcontext()
    with lock:
        result = publish(root, args.base_url or "", with_search=not args.no_search)
        for gone in result.withheld:
            if gone.kind == "changed":  # bit rot the build's stat check cannot see: the next build redoes it
                forget_stamp(gone.slug, root)
    # The build already named the failed works and counted those withheld for their licence
    # (`make` runs both): each work is reported once, and the list is editions/site/withheld.html.
    named = [g for g in result.withheld if args.verbose or g.kind in ("unverified", "changed")]
    for gone in named if args.verbose else named[:NAMED]:
        print(f"{gone.slug}: not published: {gone.reason}", file=sys.stderr)
    if len(named) > NAMED and not args.verbose:
        print(f"... and {len(named) - NAMED} more not published (`--verbose` names them all)", file=sys.stderr)
    counts = {k: sum(1 for w in result.withheld if w.kind == k) for k in KIND_WORDS}
    problems = counts["failed"] + counts["unverified"] + counts["changed"]
    size, name = result.largest_page
    print(
        f"catalog: {len(result.works)} work(s) published, {counts['licence']} withheld (licence), "
        f"{problems} not published (failed {counts['failed']}, unverified {counts['unverified']}, "
        f"changed after verify {counts['changed']}), {sum(1 for w in result.works if w.missing)} incomplete; "
        f"{len(result.digests) - 1} files in SHA256SUMS, largest page {size / 1000:.0f} kB; "
        f"{time.perf_counter() - start:.1f}s ({', '.join(f'{k} {v:.1f}s' for k, v in result.seconds.items())})"
        + ("; the works not published and why: editions/site/withheld.html" if result.withheld else ""),
        file=sys.stderr,
    )
    if result.search_error:
        print(f"{result.search_error}; the library is published without its search index", file=sys.stderr)
        return 1
    return 0
