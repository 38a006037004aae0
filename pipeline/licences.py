"""The licence policy: what a source's licence statement means, and whether it may be
distributed.

MIA pages state their licence in words ("Public Domain: ... please credit ...",
"Copyleft: Creative Commons (Attribute & Share-alike) ...", "GNU Free Documentation
License", "Copyright: ... with permission"). The master keeps those words verbatim and
adds a canonical URI in ``licence/@target``; this module is the one place that maps
words to URIs and URIs to a distribution decision. The table is small and specific to
the MIA's wording, so it is written here rather than taken from a library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from pipeline.errors import PipelineError


class Category(str, Enum):
    PUBLIC_DOMAIN = "public-domain"
    FREE = "free"
    NOT_FREE = "not-free"


@dataclass(frozen=True)
class Licence:
    uri: str
    name: str
    category: Category

    @property
    def distributable(self) -> bool:
        return self.category is not Category.NOT_FREE


PUBLIC_DOMAIN_MARK = Licence(
    "https://creativecommons.org/publicdomain/mark/1.0/", "Public Domain Mark 1.0", Category.PUBLIC_DOMAIN
)
CC_BY_SA = Licence("https://creativecommons.org/licenses/by-sa/4.0/", "CC BY-SA 4.0", Category.FREE)
CC_BY_SA_2 = Licence("https://creativecommons.org/licenses/by-sa/2.0/", "CC BY-SA 2.0", Category.FREE)
CC_BY = Licence("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0", Category.FREE)
CC_BY_ND = Licence("https://creativecommons.org/licenses/by-nd/4.0/", "CC BY-ND 4.0", Category.FREE)
CC_BY_ND_2 = Licence("https://creativecommons.org/licenses/by-nd/2.0/", "CC BY-ND 2.0", Category.FREE)
GNU_FDL = Licence("https://www.gnu.org/licenses/fdl-1.3.html", "GNU Free Documentation License", Category.FREE)
IN_COPYRIGHT = Licence("http://rightsstatements.org/vocab/InC/1.0/", "In Copyright", Category.NOT_FREE)
UNDETERMINED = Licence("http://rightsstatements.org/vocab/UND/1.0/", "Copyright Undetermined", Category.NOT_FREE)

KNOWN: dict[str, Licence] = {
    lic.uri: lic
    for lic in (
        PUBLIC_DOMAIN_MARK,
        CC_BY_SA,
        CC_BY_SA_2,
        CC_BY,
        CC_BY_ND,
        CC_BY_ND_2,
        GNU_FDL,
        IN_COPYRIGHT,
        UNDETERMINED,
    )
}

# Labels of information-block lines that carry a licence statement, typos included
# (the census of 9,237 MIA pages found "Copright" and "Pubic Domain").
LICENCE_LABELS = re.compile(
    r"^(public\s+domain|pubic\s+domain|copyleft|copyright|copright|licen[cs]e|fair\s+use|"
    r"pubblico\s+dominio|dominio\s+p[uú]blico|derechos(?:\s+de\s+autor)?|diritti)$",
    re.I,
)


def is_licence_label(label: str) -> bool:
    return bool(LICENCE_LABELS.match(label.strip().rstrip(":").strip()))


CC_LINK = re.compile(r"creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)", re.I)


def classify(label: str, statement: str, links: list[str] | tuple[str, ...] = ()) -> Licence:
    """The licence of a line from its words and, rule *the link names the version*, its link.

    Layout: "Copyleft: <a href=".../licenses/by-nd/2.0/">Creative Commons</a> (Attribute &
    No Derivatives)" (archive/fitzgerald/*): the words name the licence, the link its
    version; the URI is the one the source links. When the link names another licence
    than the words, the work is withheld (copyright undetermined): never published on a
    licence it may not have.
    """
    by_words = classify_words(label, statement)
    for href in links:
        m = CC_LINK.search(href or "")
        if not m:
            continue
        linked = KNOWN.get(f"https://creativecommons.org/licenses/{m.group(1).lower()}/{m.group(2)}/")
        family = by_words.uri.rsplit("/", 3)[-3] if "creativecommons.org/licenses/" in by_words.uri else None
        if linked is not None and family == m.group(1).lower():
            return linked
        if by_words.distributable and family is not None and family != m.group(1).lower():
            return UNDETERMINED
    return by_words


def classify_words(label: str, statement: str) -> Licence:
    """Map a licence line (its label and its words) to a known licence.

    Order matters: the most specific wording wins. A "Public Domain" line that goes on
    to name a Creative Commons licence is public domain (MIA uses the CC deed for its
    credit request); "with permission" and "Fair Use" are never free.
    """
    label_n = " ".join(label.lower().replace(":", " ").split())
    text = f"{label_n} {statement}".lower()
    text = " ".join(text.split())
    if "fair use" in label_n or re.search(r"\bwith (the )?(kind )?permission\b", text):
        return IN_COPYRIGHT
    if label_n in ("public domain", "pubic domain", "pubblico dominio", "dominio público", "dominio publico"):
        return PUBLIC_DOMAIN_MARK
    if label_n.startswith(("derechos", "diritti")):  # "Derechos: © Anarres": the words decide, else withheld
        if re.search(r"©|\(c\)|copyright|reservad", text):
            return IN_COPYRIGHT
        return UNDETERMINED
    if "gnu free documentation" in text or re.search(r"\bgfdl\b|\bgnu fdl\b", text):
        return GNU_FDL
    if re.search(r"no ?deriv|by-nd|noderivs", text):
        return CC_BY_ND
    if re.search(r"share[- ]?alike|by-sa|attribute\s*&\s*share", text):
        return CC_BY_SA if "4.0" in text else CC_BY_SA_2
    if re.search(r"creative commons.*attribution|\bcc by\b", text):
        return CC_BY
    if label_n.startswith("copyleft"):
        return CC_BY_SA_2
    if label_n in ("copyright", "copright"):
        # rule *Copyright label, public-domain words*: "Copyright: This work is in the
        # Public Domain under the Creative Commons Common Deed" (archive/mandel/1959/*)
        if re.search(r"\b(?:is|are) in the public domain\b", text) and not re.search(
            r"©|\(c\)|\ball rights reserved\b", text
        ):
            return PUBLIC_DOMAIN_MARK
        return IN_COPYRIGHT
    if re.search(r"public domain", text):
        return PUBLIC_DOMAIN_MARK
    raise PipelineError(f"unknown licence wording in {label.strip()!r}: {statement[:80]!r}")


def by_uri(uri: str) -> Licence | None:
    return KNOWN.get(uri)


def withholding_rule(statement: str, uri: str) -> str:
    """The rule of this table that withheld a licence statement, in a few words, for
    the build's one line ("no editions: ... (rule: ...)").

    Found again from what the master records: the statement verbatim ("Label: words")
    and the URI decided when it was read. A statement whose words alone would be free
    but whose URI is undetermined was withheld because its link named another licence.
    """
    label, sep, words = statement.partition(":")
    if not sep or not is_licence_label(label):
        label, words = "", statement
    label_n = " ".join(label.lower().split())
    text = " ".join(f"{label_n} {words}".lower().split())
    if uri == UNDETERMINED.uri:
        try:
            by_words = classify_words(label or "licence", words)
        except PipelineError:
            by_words = UNDETERMINED
        if by_words.distributable:
            return "the link names another licence than the words: withheld when unsure"
        if label_n.startswith(("derechos", "diritti")):
            return "a rights line that grants no licence: copyright undetermined"
        return "no licence the table knows: copyright undetermined"
    if "fair use" in label_n:
        return "Fair Use is never a licence to redistribute"
    if re.search(r"\bwith (the )?(kind )?permission\b", text):
        return "published 'with permission': not a licence to redistribute"
    if label_n.startswith(("derechos", "diritti")):
        return "a rights line with \u00a9 or 'reserved': in copyright"
    if label_n in ("copyright", "copright"):
        return "a Copyright line whose words do not put the work in the public domain: in copyright"
    return "the words name a licence that is not free"
