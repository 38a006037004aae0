"""Licences read as a lawyer's clerk would (issue 23): every crafted wording of the issue.

A negation, "all rights reserved", a copyright notice anywhere in the information block,
and the non-commercial and no-derivatives conditions decide; what the table cannot read
with certainty is withheld (copyright undetermined) and named by the build's skip line;
a non-commercial licence is recorded exactly and never distributed without a recorded
permission.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import licences
from pipeline.ingest import read_work
from pipeline.manifest import load_manifest
from pipeline.master.read import EditionMeta, LicenceInfo
from tests.robustness.cases import GOOD_TEXT, write_work

IN_COPYRIGHT = licences.IN_COPYRIGHT.uri
UNDETERMINED = licences.UNDETERMINED.uri
PD_LINE = (
    "Public Domain: Marxists Internet Archive 2010. Please credit the Marxists Internet Archive as your source, "
    "include the url to this work, and note the transcribers & proofreaders above."
)


@pytest.mark.parametrize(
    ("label", "statement", "links", "uri"),
    [
        # the wordings
        (
            "Copyright",
            "\u00a9 2010 Example Press. All rights reserved. This is not a Creative Commons share-alike work.",
            (),
            IN_COPYRIGHT,
        ),
        ("Public Domain", "This work is NOT in the public domain. \u00a9 2010 Example Press.", (), IN_COPYRIGHT),
        ("Public Domain", "This work is not in the public domain.", (), UNDETERMINED),
        (
            "Copyleft",
            "Creative Commons Attribution-NonCommercial-NoDerivs 4.0, Example Press 2010.",
            (),
            "https://creativecommons.org/licenses/by-nc-nd/4.0/",
        ),
        (
            "Copyleft",
            "Creative Commons (Attribute & Share-alike) Leon Trotsky Internet Archive 2009.",
            (),
            UNDETERMINED,
        ),
        # more of the same kind
        ("Copyleft", "CC BY-NC-SA 3.0, Example Press 2010.", (), "https://creativecommons.org/licenses/by-nc-sa/3.0/"),
        (
            "Copyleft",
            "Creative Commons Attribution-NonCommercial 2.5",
            (),
            "https://creativecommons.org/licenses/by-nc/2.5/",
        ),
        ("Copyleft", "Creative Commons Attribution-NonCommercial-NoDerivs.", (), UNDETERMINED),
        (
            "Copyleft",
            "Creative Commons (Attribute & No Derivatives)",
            ("https://creativecommons.org/licenses/by-nc-nd/2.0/",),
            UNDETERMINED,
        ),
        ("Public Domain", "Marxists Internet Archive 2005, for non-commercial use only.", (), UNDETERMINED),
        ("Public Domain", "Marxists Internet Archive 2005. Not to be used for commercial purposes.", (), UNDETERMINED),
        ("Copyleft", "CC BY-SA 4.0. Commercial use is prohibited.", (), UNDETERMINED),
        ("Copyleft", "CC BY-NC 4.0.", (), "https://creativecommons.org/licenses/by-nc/4.0/"),
        ("Public Domain", "Marxists Internet Archive 2005. \u00a9 Example Press 1998.", (), UNDETERMINED),
        (
            "Copyright",
            "Example Press 2001. All rights reserved. Published under a Creative Commons Attribution-ShareAlike 4.0 licence.",
            (),
            IN_COPYRIGHT,
        ),
        ("Copyleft", "This work is no longer licensed under the GNU Free Documentation License.", (), UNDETERMINED),
        ("Copyleft", "Novosti Press Agency Publishing House, 1975.", (), UNDETERMINED),
        (
            "Copyleft",
            "Permission is granted to copy and/or distribute this document under the terms of the Creative Commons License.",
            (),
            UNDETERMINED,
        ),
        (
            "Copyleft",
            "Reproduction by permission of the Example estate. Permission is granted to copy and/or distribute "
            "this document under the terms of the Creative Commons License.",
            ("../../../../admin/legal/cc/by-sa-full.htm",),
            IN_COPYRIGHT,
        ),
        (
            "Copyleft",
            "Creative Commons Attribution-ShareAlike 2.0",
            ("https://creativecommons.org/licenses/by-sa/4.0/",),
            UNDETERMINED,
        ),
        ("Copyright", "Example Press 1998. This work is in the Public Domain. \u00a9 Example Press.", (), IN_COPYRIGHT),
        ("Derechos", "\u00a9 Anarres. Todos los derechos reservados.", (), IN_COPYRIGHT),
    ],
)
def test_the_clerks_reading(label: str, statement: str, links: tuple[str, ...], uri: str) -> None:
    lic = licences.classify(label, statement, links)
    assert lic.uri == uri
    assert not lic.distributable
    assert licences.withholding_rule(f"{label}: {statement}", lic.uri)


@pytest.mark.parametrize(
    ("label", "statement", "links", "uri"),
    [
        # what the archive says, and still means what it meant
        ("Public Domain", PD_LINE.split(": ", 1)[1], (), licences.PUBLIC_DOMAIN_MARK.uri),
        (
            "Public Domain",
            "Marxists Internet Archive 2010. This work is published under the Attribution-ShareAlike Creative Commons license.",
            ("../../../../admin/legal/cc/by-sa.htm",),
            licences.PUBLIC_DOMAIN_MARK.uri,
        ),
        (
            "Copyleft",
            "Creative Commons (Attribute & Share-alike) Leon Trotsky Internet Archive (www.marxists.org) 2009.",
            ("../../../../admin/legal/cc/by-sa.htm",),
            licences.CC_BY_SA_2.uri,
        ),
        (
            "Copyleft",
            "Creative Commons (Attribute & No Derivatives) 2005 conference",
            ("https://creativecommons.org/licenses/by-nd/2.0/",),
            licences.CC_BY_ND_2.uri,
        ),
        (
            "Copyright",
            "This work is in the Public Domain under the Creative Commons Common Deed. You can freely copy.",
            ("../../../../admin/legal/cc/by-sa.htm",),
            licences.PUBLIC_DOMAIN_MARK.uri,
        ),
        (
            "Copyleft",
            "Creative Commons Attribution-ShareAlike 3.0",
            (),
            "https://creativecommons.org/licenses/by-sa/3.0/",
        ),
        ("Copyleft", "CC BY-SA 4.0.", (), licences.CC_BY_SA.uri),
        (
            "Public Domain",
            "You can freely copy this work; as well as make derivative and commercial works.",
            (),
            licences.PUBLIC_DOMAIN_MARK.uri,
        ),
    ],
)
def test_free_wordings_stay_free(label: str, statement: str, links: tuple[str, ...], uri: str) -> None:
    lic = licences.classify(label, statement, links)
    assert lic.uri == uri and lic.distributable


def test_non_commercial_is_its_own_class_and_withheld() -> None:
    lic = licences.classify("Copyleft", "CC BY-NC-ND 4.0")
    assert lic.category is licences.Category.NON_COMMERCIAL and lic.name == "CC BY-NC-ND 4.0"
    assert not lic.distributable
    info = LicenceInfo("Copyleft: CC BY-NC-ND 4.0", lic.uri, lic.category.value, lic.name)
    meta = EditionMeta(**{**_META, "licences": [info]})
    assert not meta.distributable
    assert meta.refusal_reason and "non-commercial licence" in meta.refusal_reason
    assert EditionMeta(**{**_META, "licences": [info], "permission": "Example Press, 2024"}).distributable


@pytest.mark.parametrize(
    "other_line",
    [
        "Note: \u00a9 1998 Example Press, all rights reserved.",
        "Translated: \u00a9 1975 New Park Publications.",
        "Translated: by Ann Translator. All rights reserved.",
    ],
)
def test_a_copyright_notice_in_another_line_withholds(tmp_path: Path, other_line: str) -> None:
    """'Note:' or 'Translated:' holding '\u00a9... all rights reserved' under a Public Domain line."""
    text = GOOD_TEXT.replace(PD_LINE, f"{other_line}\n{PD_LINE}")
    work = read_work(load_manifest(write_work(tmp_path, "noted", text.encode())))
    assert [l.uri for l in work.licences] == [UNDETERMINED]
    rule = licences.withholding_rule(work.licences[0].text, work.licences[0].uri)
    assert "another line of the information block" in rule


def test_a_notice_beside_a_copyleft_licence_is_its_holder(tmp_path: Path) -> None:
    """A Creative Commons licence is granted by a holder of copyright: a notice does not contradict it."""
    line = "Copyleft: Creative Commons Attribution-ShareAlike 2.0, Example Press 2010."
    text = GOOD_TEXT.replace(PD_LINE, f"Translated: \u00a9 1975 New Park Publications.\n{line}")
    work = read_work(load_manifest(write_work(tmp_path, "held", text.encode())))
    assert [l.uri for l in work.licences] == [licences.CC_BY_SA_2.uri]


def test_a_footer_notice_withholds_once_the_reader_passes_it() -> None:
    """The footer (p.footer) is dropped by the HTML reader before the information block
    is read (pipeline/readers/mia_html/dom.py), so the footer's text must reach
    :func:`licences.in_context` as one more line; given it, the decision is made."""
    footer = "\u00a9 2010 Example Press. All rights reserved."
    assert licences.in_context(licences.PUBLIC_DOMAIN_MARK.uri, PD_LINE, [footer]) == UNDETERMINED
    assert licences.in_context(licences.CC_BY_SA_2.uri, "Copyleft: CC BY-SA 2.0", [footer]) == UNDETERMINED


_META = {
    "slug": "w",
    "title": "T",
    "author": "A",
    "language": "en",
    "url": "https://www.marxists.org/w.htm",
    "date_text": None,
    "date_iso": None,
    "credits": [],
    "no_credit_statement": None,
    "licences": [],
    "permission": None,
    "source_statement": None,
    "source_title": None,
    "first_published": None,
    "info_lines": [],
    "normalizations": [],
    "last_updated": None,
    "ingest_date": None,
    "pipeline_version": None,
    "distributor": "Marxists Internet Archive",
}
