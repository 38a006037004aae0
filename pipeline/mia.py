"""The Marxists Internet Archive's conventions: one home for what the pipeline knows about
the site, shared by the archive (which brings its pages in) and the readers (which read
them), and by the master (which names the MIA as the distributor).

Kept out of ``pipeline/readers/`` on purpose: the archive must not import a reader (the
import contracts in pyproject.toml), and a fact about the site is neither's to own.
Only facts live here, no code that reads a page.
"""

from __future__ import annotations

import re

NAME = "Marxists Internet Archive"
SITE_URL = "https://www.marxists.org/"  # the canonical site: manifests keep URLs below it
HOSTS = ("www.marxists.org", "marxists.org")  # the names the site answers to
# Top-level folders of the site; a folder holding none of them is not a copy of the site.
SITE_FOLDERS = ("archive", "history", "subject", "reference", "glossary", "admin")
# A page of the site is an .htm or .html file (the MIA uses both, in either case).
PAGE_FILE = re.compile(r"\.html?$", re.I)
# The information block under a work's head: p.information (works.css), p.info, or
# div.infoblock; its labels are span.info ("Source:", "Transcription:").
INFO_CLASSES = frozenset({"information", "info", "infoblock"})

# The site's folders of works in other languages, by the language they hold (BCP 47);
# every other folder is English.
LANGUAGE_FOLDERS = {
    "espanol": "es",
    "esperanto": "eo",
    "italiano": "it",
    "eesti": "et",
    "shqip": "sq",
    "suomi": "fi",
    "ellinika": "el",
    "islenska": "is",
    "norsk": "no",
    "polski": "pl",
}
