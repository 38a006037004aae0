"""Validate a TEI master: safe parse, the profile (RelaxNG), the rules (Schematron).

All layers run on every master, so one run lists every problem. Where a Schematron rule
and the grammar complain about the same fault (a missing licence makes the grammar say
"availability is incomplete" too), only the rule's clearer message is printed: see
:func:`explained`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.errors import PipelineError
from pipeline.master.tei import parse_bytes, safe_parser
from pipeline.validation import schemas
from pipeline.validation.locate import SourceText
from pipeline.validation.problems import Layer, Problem

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
PROFILE_RULE = "tei-profile"
DATE_ATTRIBUTES = {"when", "notBefore", "notAfter", "from", "to"}
# The attribute a rule is about, for its column (date-iso8601 names it in its message).
RULE_ATTRIBUTE = {
    "required-language": "xml:lang",
    "required-licence-target": "target",
    "licence-known": "target",
    "xml-id-unique": "xml:id",
}


@dataclass
class GrammarError:
    """One libxml2 RelaxNG error, before it becomes a :class:`Problem`."""

    line: int
    kind: str  # libxml2's type name, e.g. RELAXNG_ERR_NOELEM
    raw: str  # libxml2's message
    element: etree._Element | None = None
    attribute: str | None = None
    message: str = ""


@dataclass
class RuleFailure:
    """One failed Schematron assertion, located."""

    rule: str
    element: etree._Element | None
    message: str
    attribute: str | None = None


def check_master(path: str | Path) -> list[Problem]:
    """Every problem of the master at ``path`` (an empty list when it is valid)."""
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return [Problem(shown, 1, 1, "file-unreadable", "no such file", Layer.FILE)]
    except IsADirectoryError:
        return [Problem(shown, 1, 1, "file-unreadable", "is a directory, not a TEI master", Layer.FILE)]
    except OSError as exc:
        return [Problem(shown, 1, 1, "file-unreadable", f"cannot read: {exc.strerror}", Layer.FILE)]
    return check_bytes(data, shown)


def check_bytes(data: bytes, shown: str) -> list[Problem]:
    try:
        tree = parse_master(data, shown)
    except PipelineError as exc:
        return [parse_problem(exc, shown)]
    return check_tree(tree, data, shown)


DUPLICATE_ID = re.compile(r"^not well-formed XML: ID \S+ already defined")


def parse_master(data: bytes, shown: str) -> etree._ElementTree:
    """Parse with the pipeline's safe parser; if it refuses the document only because
    an ``xml:id`` is used twice, parse it again letting that pass, so that rule
    xml-id-unique reports it along with every other problem of the document.

    (lxml's ``collect_ids=False`` would avoid the refusal, but it makes libxml2 load
    external DTDs and parameter entities: see tests/validation/test_safety.py.)
    """
    try:
        return parse_bytes(data, shown)
    except PipelineError as exc:
        if not DUPLICATE_ID.match(exc.message):
            raise
    parser = safe_parser(recover=True)  # same safety settings; go on past the duplicate
    root = etree.fromstring(data, parser)
    others = [e for e in parser.error_log if e.type_name != "DTD_ID_REDEFINED"]
    if root is None or others:
        first = others[0] if others else None
        raise PipelineError(
            f"not well-formed XML: {first.message if first else 'no root element'}",
            shown,
            first.line if first else None,
            first.column if first else None,
        )
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        # the strict parse stopped before its own DOCTYPE check: make the same refusal
        raise PipelineError("DOCTYPE declarations are not allowed in a TEI master", shown, 1)
    return tree


def parse_problem(exc: PipelineError, shown: str) -> Problem:
    message = re.sub(r", line \d+, column \d+$", "", exc.message)  # libxml2 repeats the position
    rule = "xml-doctype" if "DOCTYPE" in message else "xml-wellformed"
    if message in ("empty file",):
        rule = "file-unreadable"
    return Problem(shown, exc.line or 1, exc.column or 1, rule, message, Layer.FILE)


def check_tree(tree: etree._ElementTree, data: bytes, shown: str) -> list[Problem]:
    source = SourceText(data, tree.getroot())
    grammar = grammar_errors(tree, source)
    failures = rule_failures(tree)
    grammar = [g for g in grammar if not explained(g, failures)]
    grammar = drop_cascades(grammar)
    problems = [
        Problem(shown, g.line or 1, source.column_of(g.element, g.attribute), PROFILE_RULE, g.message, Layer.PROFILE)
        for g in grammar
    ]
    for f in failures:
        line = f.element.sourceline if f.element is not None and f.element.sourceline else 1
        column = source.column_of(f.element, f.attribute)
        problems.append(Problem(shown, line, column, f.rule, f.message, Layer.SCHEMATRON))
    return sorted(problems)


# ---- the grammar --------------------------------------------------------------------------

LIBXML2_MESSAGE = re.compile(
    r"^(?:Expecting an element (?P<noelem>\S*), got nothing"
    r"|Expecting element (?P<expected>\S+), got (?P<got>\S+)"
    r"|Did not expect element (?P<wrong>\S+) there"
    r"|Element (?P<extra_in>\S+) has extra content: (?P<extra>\S+)"
    r"|Invalid attribute (?P<attr>\S+) for element (?P<attr_el>\S+)"
    r"|Element (?P<attrs_el>\S+) failed to validate attributes"
    r"|Element (?P<content_el>\S+) failed to validate content"
    r"|Did not expect text in element (?P<text_el>\S+) content"
    r"|Expecting element (?P<empty_el>\S+) to be empty"
    r"|ID (?P<dup_id>\S+) redefined"
    r")$"
)


def grammar_errors(tree: etree._ElementTree, source: SourceText) -> list[GrammarError]:
    rng = schemas.profile()
    if rng.validate(tree):
        return []
    return [describe(GrammarError(e.line, e.type_name, e.message.strip()), source) for e in rng.error_log]


def tag(el: etree._Element | None) -> str:
    return f"<{etree.QName(el).localname}>" if el is not None else "an element"


def describe(g: GrammarError, source: SourceText) -> GrammarError:
    """Turn libxml2's terse message into one that names the element and what is wrong."""
    m = LIBXML2_MESSAGE.match(g.raw)
    groups = {k: v for k, v in (m.groupdict() if m else {}).items() if v is not None}
    g.element = el = element_named(g.line, groups, source)
    parent = el.getparent() if el is not None else None
    if "noelem" in groups:
        what = f"a required <{groups['noelem']}>" if groups["noelem"] else "a required element"
        g.message = f"{tag(el)} is incomplete: {what} is missing at its end (see {tag(el)} in schemas/mia-tei.rnc)"
    elif "wrong" in groups or "got" in groups:
        g.message = f"{tag(el)} is not allowed here ({position(el, parent)}) by the project's TEI profile"
        if "expected" in groups:
            g.message += f"; expected <{groups['expected']}>"
    elif "extra" in groups:
        g.message = (
            f"<{groups['extra_in']}> contains <{groups['extra']}>, which the project's TEI profile does not allow there"
        )
    elif "attr" in groups:
        g.attribute = attribute_name(el, groups["attr"])
        value = attribute_value(el, g.attribute)
        shown = f'@{g.attribute}="{value}"' if value is not None else f"@{g.attribute}"
        g.message = f"{tag(el)} has {shown}, which the project's TEI profile does not allow (unknown attribute, or a value of the wrong form)"
    elif "attrs_el" in groups:
        g.message = f"{tag(el)} lacks a required attribute or has one the project's TEI profile does not allow (it has: {attributes_of(el)})"
    elif "content_el" in groups:
        g.message = f"the content of {tag(el)} does not match the project's TEI profile"
    elif "text_el" in groups:
        g.message = f"{tag(el)} may not contain text here"
    elif "dup_id" in groups:
        g.attribute = "xml:id"
        g.message = f'xml:id "{groups["dup_id"]}" of {tag(el)} is used by another element too'
    elif "empty_el" in groups:
        g.message = f"{tag(el)} must be empty"
    else:
        g.message = g.raw
    return g


def element_named(line: int, groups: dict[str, str], source: SourceText) -> etree._Element | None:
    """The element at ``line`` that the message names, else the first one that starts there."""
    name = next(
        (
            groups[k]
            for k in ("wrong", "got", "extra", "attr_el", "attrs_el", "content_el", "text_el", "empty_el")
            if k in groups
        ),
        None,
    )
    el = source.element_at(line, name)
    return el if el is not None else source.element_at(line)


def position(el: etree._Element | None, parent: etree._Element | None) -> str:
    """Where an element stands: inside its parent, after its previous element sibling or first."""
    prev = el.getprevious() if el is not None else None
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()  # a comment or a processing instruction
    return f"inside {tag(parent)}" + (f" after {tag(prev)}" if prev is not None else " as its first child")


def attribute_name(el: etree._Element | None, reported: str) -> str:
    """libxml2 reports xml:id as "id": the name as the master writes it."""
    if reported == "id" and el is not None and el.get("{http://www.w3.org/XML/1998/namespace}id") is not None:
        return "xml:id"
    return reported


def attributes_of(el: etree._Element | None) -> str:
    """The element's attributes as written (values cut at 60 characters), or "none"."""
    attributes = el.attrib.items() if el is not None else []
    return ", ".join(f'@{etree.QName(k).localname}="{v[:60]}"' for k, v in attributes) or "none"


def attribute_value(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    key = "{http://www.w3.org/XML/1998/namespace}" + name[4:] if name.startswith("xml:") else name
    value: str | None = el.get(key)
    return value


def last_line(el: etree._Element) -> int:
    """The last line an element's subtree starts an element on (its end tag is not known)."""
    last = el.sourceline or 0
    for d in el.iter():
        if d.sourceline and d.sourceline > last:
            last = d.sourceline
    return last


# How precisely a libxml2 error points at a fault: 0 names it (a bad attribute, an
# element where none may be), 1 is a consequence libxml2 reports while backtracking
# (an element "not expected" because its own content failed), 2 only says that some
# content failed.
PRECISION = {
    "RELAXNG_ERR_INVALIDATTR": 0,
    "RELAXNG_ERR_ATTRVALID": 0,
    "RELAXNG_ERR_EXTRACONTENT": 1,  # names the child: 0 when the child itself is fine
    "RELAXNG_ERR_TEXTWRONG": 0,
    "RELAXNG_ERR_ELEMNOTEMPTY": 0,
    "RELAXNG_ERR_DUPID": 0,
    "RELAXNG_ERR_NOELEM": 1,
    "RELAXNG_ERR_ELEMWRONG": 1,
    "RELAXNG_ERR_ELEMNAME": 1,
    "RELAXNG_ERR_CONTENTVALID": 2,
}


def within(el: etree._Element | None, ancestor: etree._Element | None) -> bool:
    if el is None or ancestor is None:
        return False
    return el is ancestor or any(a is ancestor for a in el.iterancestors())


def drop_cascades(errors: list[GrammarError]) -> list[GrammarError]:
    """libxml2 follows a precise error with vaguer ones about the same element and its
    ancestors ("Did not expect element X there", "Element X failed to validate
    content"): keep, for each element, only the most precise errors found in it."""
    kept: list[GrammarError] = []
    for g in errors:
        rank = PRECISION.get(g.kind, 0)
        if rank and any(PRECISION.get(h.kind, 0) < rank and within(h.element, g.element) for h in errors if h is not g):
            continue
        if any(k.line == g.line and k.message == g.message for k in kept):
            continue  # the same complaint twice
        kept.append(g)
    # Several complaints about one misplaced element: keep the clearest.
    best: dict[tuple[int, int], GrammarError] = {}
    for g in kept:
        if PRECISION.get(g.kind) == 1 and g.element is not None:
            key = (g.line, id(g.element))
            if key not in best or PREFERENCE.index(g.kind) < PREFERENCE.index(best[key].kind):
                best[key] = g
    return [g for g in kept if PRECISION.get(g.kind) != 1 or g.element is None or best[(g.line, id(g.element))] is g]


PREFERENCE = ["RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_ELEMWRONG", "RELAXNG_ERR_NOELEM", "RELAXNG_ERR_ELEMNAME"]


# ---- the Schematron rules -------------------------------------------------------------------


def rule_failures(tree: etree._ElementTree) -> list[RuleFailure]:
    sch = schemas.rules()
    if sch.validate(tree):
        return []
    failures = []
    for fa in sch.validation_report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        rule = fa.get("id") or "schematron"
        found = tree.xpath(fa.get("location", "/*")) if fa.get("location") else []
        node = found[0] if found else None
        if node is not None and not isinstance(node, etree._Element):
            node = node.getparent() if hasattr(node, "getparent") else None
        message = " ".join("".join(fa.find(f"{SVRL}text").itertext()).split())
        attribute = RULE_ATTRIBUTE.get(rule)
        if rule == "date-iso8601":
            named = re.match(r"@([\w:]+)=", message)
            attribute = named.group(1) if named else None
        failures.append(RuleFailure(rule, node, message, attribute))
    return failures


def explained(g: GrammarError, failures: list[RuleFailure]) -> bool:
    """Is this grammar error the same fault a rule already reports, more clearly?

    A ``required-*`` rule explains every grammar error inside the element it is about
    (on the root element: on the root's own line only); a rule about an attribute
    explains the grammar's complaint about that attribute on the same element."""
    for f in failures:
        el = f.element
        if el is None or not el.sourceline:
            continue
        if f.rule.startswith("required-"):
            if el.getparent() is None:
                if g.line == el.sourceline and g.kind == "RELAXNG_ERR_ATTRVALID":
                    return True
            elif el.sourceline <= g.line <= last_line(el):
                return True
        elif f.attribute and g.line == el.sourceline and g.element is el:
            if g.attribute == f.attribute or (f.rule == "date-iso8601" and g.attribute in DATE_ATTRIBUTES):
                return True
    return False
