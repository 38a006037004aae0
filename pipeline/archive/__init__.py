"""The archive: works brought into ``sources/`` from a copy of the MIA site or the site itself.

It only brings sources in (an import-linter contract): it reads no work's text into the
model and writes no edition; ``ingest`` and ``build`` take it from there.

- ``command``: ``pipeline import``: find the works under ROOT/PATH, write them, report.
- ``fetch``: ``pipeline fetch``: the same sources from the site or a mirror, politely
  (robots.txt, a delay per host, conditional requests through an HTTP cache, retries).
- ``site``: a local copy of the site: checked to be one, walked safely, pages read.
- ``page``: the few facts of one page that triage needs (read in parallel).
- ``triage``: what every page is (a work, a part of one, not a work, unreadable) and which
  pages make one work.
- ``slugs``: unique, deterministic slugs and the collision rule.
- ``store``: writing ``sources/<slug>/`` whole or not at all, versions kept, nothing deleted.
- ``report``: the one-screen summary and the JSON report (``schemas/import-report.schema.json``).
"""
