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
    # rule *non-commercial is its own class* (issue 23): a licence that forbids commercial
    # use is recorded exactly (CC BY-NC-ND 4.0 is not CC BY-ND 4.0) and not distributed,
    # since whoever takes an edition may sell it; a recorded permission lifts that.
    NON_COMMERCIAL = "non-commercial"
    NOT_FREE = "not-free"


@dataclass(frozen=True)
class Licence:
    uri: str
    name: str
    category: Category

    @property
    def distributable(self) -> bool:
        return self.category in (Category.PUBLIC_DOMAIN, Category.FREE)


PUBLIC_DOMAIN_MARK = Licence(
    "https://creativecommons.org/publicdomain/mark/1.0/", "Public Domain Mark 1.0", Category.PUBLIC_DOMAIN
)
GNU_FDL = Licence("https://www.gnu.org/licenses/fdl-1.3.html", "GNU Free Documentation License", Category.FREE)
IN_COPYRIGHT = Licence("http://rightsstatements.org/vocab/InC/1.0/", "In Copyright", Category.NOT_FREE)
UNDETERMINED = Licence("http://rightsstatements.org/vocab/UND/1.0/", "Copyright Undetermined", Category.NOT_FREE)

# The Creative Commons licences, every family at every version that exists, so that the
# version the source states is the one recorded (never rounded to another).
CC_FAMILIES = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")
CC_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")


def _cc(family: str, version: str) -> Licence:
    category = Category.NON_COMMERCIAL if "-nc" in family else Category.FREE
    return Licence(
        f"https://creativecommons.org/licenses/{family}/{version}/", f"CC {family.upper()} {version}", category
    )


CC: dict[tuple[str, str], Licence] = {
    (family, version): _cc(family, version)
    for family in CC_FAMILIES
    for version in CC_VERSIONS
    if not (version == "1.0" and family == "by-nc-nd")  # 1.0 named it by-nd-nc
}
CC_BY_SA = CC["by-sa", "4.0"]
CC_BY_SA_2 = CC["by-sa", "2.0"]
CC_BY = CC["by", "4.0"]
CC_BY_ND = CC["by-nd", "4.0"]
CC_BY_ND_2 = CC["by-nd", "2.0"]

KNOWN: dict[str, Licence] = {
    lic.uri: lic for lic in (PUBLIC_DOMAIN_MARK, GNU_FDL, IN_COPYRIGHT, UNDETERMINED, *CC.values())
}

# Labels of information-block lines that carry a licence statement, typos included
# (the census of 9,237 MIA pages found "Copright" and "Pubic Domain").
LICENCE_LABELS = re.compile(
    r"^(public\s+domain|pubic\s+domain|copyleft|copyright|copright|licen[cs]e|fair\s+use|"
    r"pubblico\s+dominio|dominio\s+p[uú]blico|derechos(?:\s+de\s+autor)?|diritti)$",
    re.I,
)
PUBLIC_DOMAIN_LABELS = ("public domain", "pubic domain", "pubblico dominio", "dominio público", "dominio publico")


def is_licence_label(label: str) -> bool:
    return bool(LICENCE_LABELS.match(label.strip().rstrip(":").strip()))


CC_LINK = re.compile(r"creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)", re.I)
# rule *the MIA's own copy of the deed*: "Copyleft: <a href="../admin/legal/cc/by-sa.htm">
# Creative Commons</a>" (some 230 pages): the archive names that page "Creative Commons
# Attribution-ShareAlike 2.0" in the words of other pages linking it (archive/morrow/*,
# archive/thalheimer/*), so the link names CC BY-SA 2.0.
MIA_DEED_LINK = re.compile(r"(?:^|/)admin/legal/cc/by-sa(?:-full)?\.htm", re.I)

# What a clerk reads before any licence name (issue 23).
# "All rights reserved" in any language of the archive: no free licence then.
RIGHTS_RESERVED = re.compile(
    r"\ball\s+rights\s+reserved\b|todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati", re.I
)
# A copyright notice: the sign, "(c) 1998", "Copyright 1998", "Copyright © ...".
COPYRIGHT_NOTICE = re.compile(r"©|\(c\)\s*(?:1[89]|20)\d\d|\bcopyright\s+(?:\(c\)\s*)?(?:1[89]|20)\d\d", re.I)
# A negation within a few words before a licence's name: "This is not a Creative Commons
# share-alike work", "This work is NOT in the public domain", "no longer licensed under".
NEGATED_LICENCE = re.compile(
    r"\b(?:not|never|no\s+longer|isn[\'’]t|aren[\'’]t|nor|neither)\b(?![^.;:]{0,30}\bcommercial)[^.;:]{0,40}?"
    r"(?:public\s+domain|creative\s+commons|share[- ]?alike|copyleft|gnu|gfdl|free\s+documentation|"
    r"licen[cs]ed|\bcc\b)",
    re.I,
)
# A non-commercial condition however worded: "NonCommercial", "BY-NC", "not to be used for
# commercial purposes", "no commercial use", "commercial use is prohibited" (but not the
# MIA's "as well as make derivative and commercial works").
NON_COMMERCIAL = re.compile(
    r"non[- ]?commercial|\bby-nc\b|\bnc-(?:sa|nd)\b|\bnot\b[^.;:]{0,30}\bcommercial\b|\bno\s+commercial\b|"
    r"\bcommercial\s+(?:use|purposes?|reproduction|distribution)\s+(?:is\s+|are\s+)?(?:not\s+permitted|prohibited|forbidden)",
    re.I,
)
NO_DERIVATIVES = re.compile(r"no ?deriv|\bby-nd\b|\bnc-nd\b|noderivs", re.I)
SHARE_ALIKE = re.compile(r"share[- ]?(?:and[- ]share[- ])?a[- ]?like|\bby-sa\b|\bnc-sa\b|attribute\s*&\s*share", re.I)
ATTRIBUTION = re.compile(r"creative commons.*attribution|\bcc[- ]by\b", re.I)
CC_WORDS = re.compile(r"creative\s+commons|\bcc[- ]by", re.I)
NON_COMMERCIAL_NAME = re.compile(r"non[- ]?commercial|\bby-nc\b|\bnc-(?:sa|nd)\b", re.I)  # in a licence's name
VERSION = re.compile(r"(?<![\d.])([1-4]\.[05])(?!\d|\.\d)")
PERMISSION = re.compile(r"\b(?:with|by)\s+(?:the\s+)?(?:kind\s+)?permission\b", re.I)


def classify(label: str, statement: str, links: list[str] | tuple[str, ...] = ()) -> Licence:
    """The licence of a line from its words and, rule *the link names the version*, its link.

    Layout: "Copyleft: <a href=".../licenses/by-nd/2.0/">Creative Commons</a> (Attribute &
    No Derivatives)" (archive/fitzgerald/*): the words name the licence, the link its
    version; the URI is the one the source links. When the link names another licence
    than the words, the work is withheld (copyright undetermined): never published on a
    licence it may not have.
    """
    return _read(label, statement, [href or "" for href in links])


def classify_words(label: str, statement: str) -> Licence:
    """Map a licence line (its label and its words) to a known licence, without its links."""
    return _read(label, statement, [])


def _read(label: str, statement: str, links: list[str]) -> Licence:
    """Read a licence line as a lawyer's clerk would (issue 23).

    Order matters. First what takes a licence away: "Fair Use", "with permission", a
    negated licence name, "all rights reserved"; then a public-domain label (a "Public
    Domain" line that goes on to name a Creative Commons licence is public domain: MIA
    uses the CC deed for its credit request) unless it carries a copyright notice or a
    non-commercial condition; then the licence names, the most restrictive condition
    first; a Creative Commons licence whose version neither the words nor the link state
    is withheld, never given a version by assumption.
    """
    label_n = " ".join(label.lower().replace(":", " ").split())
    text = " ".join(f"{label_n} {statement}".lower().split())
    if "fair use" in label_n or PERMISSION.search(text):
        return IN_COPYRIGHT
    refusal = _refusal(label_n, statement)
    if refusal is not None:
        return refusal
    if label_n in PUBLIC_DOMAIN_LABELS and not NON_COMMERCIAL.search(text):
        return UNDETERMINED if COPYRIGHT_NOTICE.search(statement) else PUBLIC_DOMAIN_MARK
    special = _label_rules(label_n, text)
    if special is not None:
        return special
    copyright_label = label_n in ("copyright", "copright")
    cc = _creative_commons(text, links)
    if cc is not None:
        return cc
    if label_n.startswith("copyleft"):  # "Copyleft: Novosti Press, 1974": names no licence
        return UNDETERMINED
    if copyright_label:
        return IN_COPYRIGHT
    if re.search(r"public domain", text):
        return UNDETERMINED if COPYRIGHT_NOTICE.search(statement) else PUBLIC_DOMAIN_MARK
    raise PipelineError(f"unknown licence wording in {label.strip()!r}: {statement[:80]!r}")


def _label_rules(label_n: str, text: str) -> Licence | None:
    """The labels and licences read before any Creative Commons name: a Spanish or
    Italian rights line, the GNU FDL, a "Copyright:" label over public-domain words."""
    if label_n.startswith(("derechos", "diritti")):  # "Derechos: © Anarres": the words decide, else withheld
        if re.search(r"©|\(c\)|copyright|reservad", text):
            return IN_COPYRIGHT
        return UNDETERMINED
    if "gnu free documentation" in text or re.search(r"\bgfdl\b|\bgnu fdl\b", text):
        return UNDETERMINED if NON_COMMERCIAL.search(text) else GNU_FDL
    # rule *Copyright label, public-domain words*: "Copyright: This work is in the
    # Public Domain under the Creative Commons Common Deed" (archive/mandel/1959/*)
    if (
        label_n in ("copyright", "copright")
        and re.search(r"\b(?:is|are) in the public domain\b", text)
        and not NON_COMMERCIAL.search(text)
    ):
        return IN_COPYRIGHT if COPYRIGHT_NOTICE.search(text) else PUBLIC_DOMAIN_MARK
    return None


def _refusal(label_n: str, statement: str) -> Licence | None:
    """What takes every licence away, before any is read: "all rights reserved" (in
    copyright) and a licence's name under a negation ("This is not a Creative Commons
    work", "NOT in the public domain": in copyright if a notice says so, else withheld)."""
    if RIGHTS_RESERVED.search(statement):
        return IN_COPYRIGHT
    if NEGATED_LICENCE.search(statement):
        if COPYRIGHT_NOTICE.search(statement) or label_n in ("copyright", "copright"):
            return IN_COPYRIGHT
        return UNDETERMINED
    return None


def _creative_commons(text: str, links: list[str]) -> Licence | None:
    """The Creative Commons licence the words name, at the version the words or the link
    state; ``None`` if the words name none. The conditions decide the family
    (non-commercial, no-derivatives, share-alike); a link naming another family, another
    version, or no version anywhere: withheld (copyright undetermined)."""
    nc = bool(NON_COMMERCIAL.search(text))
    if nc and not NON_COMMERCIAL_NAME.search(text):  # "CC BY-SA 4.0. Commercial use is prohibited."
        return UNDETERMINED  # a condition no licence named carries: never rounded to one
    nd = bool(NO_DERIVATIVES.search(text))
    sa = bool(SHARE_ALIKE.search(text))
    named_family = nc or nd or sa or bool(ATTRIBUTION.search(text))
    if not (named_family or _names_creative_commons(text, links)):
        return None
    family = "by" + ("-nc" if nc else "") + ("-nd" if nd else "-sa" if sa else "")
    if nd and sa:  # both conditions at once: no such licence
        return UNDETERMINED
    linked = _linked_licence(family if named_family else None, links)
    if linked is None:
        return UNDETERMINED
    linked_family, versions = linked
    versions |= set(VERSION.findall(text))
    if linked_family is None or len(versions) != 1:
        return UNDETERMINED
    return CC.get((linked_family, versions.pop()), UNDETERMINED)


def _names_creative_commons(text: str, links: list[str]) -> bool:
    """ "Creative Commons" alone names a licence only when its link says which one, or
    when the line makes no public-domain claim (the MIA's "Public Domain under the
    Creative Commons Common Deed")."""
    deed_linked = any(CC_LINK.search(href) or MIA_DEED_LINK.search(href) for href in links)
    return bool(CC_WORDS.search(text)) and (deed_linked or "public domain" not in text)


def _linked_licence(family: str | None, links: list[str]) -> tuple[str | None, set[str]] | None:
    """The Creative Commons family and versions the line's links state, starting from the
    ``family`` its words name (``None``: none named); ``None`` when a link names another
    family than the words (the MIA's own deed page is BY-SA 2.0)."""
    versions: set[str] = set()
    for href in links:
        linked = CC_LINK.search(href)
        if linked:
            if family is not None and linked.group(1).lower() != family:
                return None
            family = linked.group(1).lower()
            versions.add(linked.group(2))
        elif MIA_DEED_LINK.search(href):
            if family is not None and family != "by-sa":
                return None
            family = "by-sa"
            versions.add("2.0")
    return family, versions


def in_context(uri: str, statement: str, other_lines: list[str]) -> str:
    """The licence ``uri`` read from ``statement``, weighed against the information
    block's other lines (issue 23: "Translated: © 1975 New Park Publications, all rights
    reserved" under "Public Domain: MIA 2005").

    "All rights reserved" in any other line withholds a free licence; a copyright notice
    (©, "(c) 1998") in any other line withholds a public-domain claim (a Creative Commons
    or GFDL licence is granted by a holder of copyright, so a notice does not contradict
    it). Withheld means copyright undetermined: listed for an editor, never published.
    """
    lic = KNOWN.get(uri)
    if lic is None or not lic.distributable:
        return uri
    others = [line for line in other_lines if line.strip() and line.strip() not in statement]
    if any(RIGHTS_RESERVED.search(line) for line in others):
        return UNDETERMINED.uri
    if lic.category is Category.PUBLIC_DOMAIN and any(COPYRIGHT_NOTICE.search(line) for line in others):
        return UNDETERMINED.uri
    return uri


def by_uri(uri: str) -> Licence | None:
    return KNOWN.get(uri)


def withholding_rule(statement: str, uri: str) -> str:
    """The rule of this table that withheld a licence statement, in a few words, for
    the build's one line ("no editions: ... (rule: ...)").

    Found again from what the master records: the statement verbatim ("Label: words")
    and the URI decided when it was read. A statement whose words alone would be free
    but whose URI is undetermined was withheld because its link named another licence,
    or another line of the information block contradicted it (:func:`in_context`).
    """
    label, sep, words = statement.partition(":")
    if not sep or not is_licence_label(label):
        label, words = "", statement
    label_n = " ".join(label.lower().split())
    text = " ".join(f"{label_n} {words}".lower().split())
    if uri == UNDETERMINED.uri:
        return _why_undetermined(label, label_n, words)
    lic = KNOWN.get(uri)
    if lic is not None and lic.category is Category.NON_COMMERCIAL:
        return "a non-commercial licence: whoever takes an edition may sell it, so none without a recorded permission"
    if "fair use" in label_n:
        return "Fair Use is never a licence to redistribute"
    if PERMISSION.search(text):
        return "published 'with permission': not a licence to redistribute"
    if RIGHTS_RESERVED.search(words):
        return "'all rights reserved': in copyright"
    if NEGATED_LICENCE.search(words):
        return "a licence named under a negation ('not ... public domain') beside a copyright notice: in copyright"
    if label_n.startswith(("derechos", "diritti")):
        return "a rights line with \u00a9 or 'reserved': in copyright"
    if label_n in ("copyright", "copright"):
        return "a Copyright line whose words do not put the work in the public domain: in copyright"
    return "the words name a licence that is not free"


def _why_undetermined(label: str, label_n: str, words: str) -> str:
    """Why a statement was withheld as copyright undetermined, in a few words."""
    try:
        by_words = classify_words(label or "licence", words)
    except PipelineError:
        by_words = UNDETERMINED
    if by_words.distributable:
        return (
            "the link names another licence than the words, or another line of the information block "
            "reserves the rights: withheld when unsure"
        )
    if NEGATED_LICENCE.search(words):
        return "a licence named under a negation ('not ... public domain'): withheld when unsure"
    if COPYRIGHT_NOTICE.search(words) and re.search(r"public domain", f"{label_n} {words}", re.I):
        return "a public-domain claim beside a copyright notice: withheld when unsure"
    if CC_WORDS.search(words) or NON_COMMERCIAL.search(words) or SHARE_ALIKE.search(words):
        return (
            "a Creative Commons licence whose version the words do not state, or whose link names another "
            "licence: never assumed, withheld"
        )
    if label_n.startswith("copyleft"):
        return "a Copyleft line that names no licence: withheld when unsure"
    if label_n.startswith(("derechos", "diritti")):
        return "a rights line that grants no licence: copyright undetermined"
    return "no licence the table knows: copyright undetermined"
