"""Licence policy: a work that is not free gets a master and no editions, unless a
recorded permission lifts the refusal, and then every edition states that permission."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

from pipeline import licences
from tests.conftest import run_pipeline
from tests.robustness.cases import GOOD_TEXT, write_work

RESTRICTED = GOOD_TEXT.replace(
    "Public Domain: Marxists Internet Archive 2010. Please credit the Marxists Internet Archive as your source, "
    "include the url to this work, and note the transcribers & proofreaders above.",
    "Copyright: Example Press 1998. Published here with the kind permission of the publisher.",
)
PERMISSION = {
    "granted_by": "Example Press",
    "date": "2024-03-01",
    "reference": "letter of 1 March 2024, MIA admin archive ref. EP-17",
}


@pytest.mark.parametrize(
    "label,statement,category",
    [
        (
            "Public Domain",
            "Leon Trotsky Internet Archive 2005. ... Please credit the Marxists Internet Archive",
            "public-domain",
        ),
        ("Pubic Domain", "MIA 2003.", "public-domain"),
        ("Copyleft", "Creative Commons (Attribute & Share-alike) Leon Trotsky Internet Archive 2009", "not-free"),
        ("Copyleft", "Creative Commons Attribution-ShareAlike 2.0, Leon Trotsky Internet Archive 2009", "free"),
        (
            "Copyleft",
            "V. I. Lenin Internet Archive 2002. Permission is granted under the GNU Free Documentation License",
            "free",
        ),
        ("Copyright", "CC BY-ND 4.0: you may copy it verbatim (Attribution-NoDerivs)", "free"),
        ("Copyright", "CC BY-ND: you may copy it verbatim (Attribution-NoDerivs)", "not-free"),
        ("Copyright", "Example Press 1998, used with permission", "not-free"),
        ("Copright", "Example Press 1998.", "not-free"),
        ("Fair Use", "portion reproduced under section 107", "not-free"),
        ("Copyleft", "Creative Commons Attribution 4.0", "free"),
    ],
)
def test_classification(label: str, statement: str, category: str) -> None:
    assert licences.classify(label, statement).category.value == category


def test_no_licence_statement_is_not_free(tmp_path: Path) -> None:
    text = GOOD_TEXT.replace(
        "Public Domain: Marxists Internet Archive 2010. Please credit the Marxists Internet Archive as your source, "
        "include the url to this work, and note the transcribers & proofreaders above.\n",
        "",
    )
    write_work(tmp_path, "no-licence", text.encode())
    proc = run_pipeline("build", "--jobs", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (  # issue 21: the public-domain rule weighed, the condition missed named
        "no-licence: skipped: no editions: the source states no licence, and the work is not public domain by rule: "
        "The authority does not know the author 'Karl Example'." in proc.stderr
    )
    assert "1 without editions (licence)" in proc.stderr  # a group of one is named by its own line, above
    assert (tmp_path / "editions/no-licence/no-licence.tei.xml").exists()
    assert not (tmp_path / "editions/no-licence/no-licence.epub").exists()


def test_with_permission_wording_gives_master_and_skip_line(tmp_path: Path) -> None:
    write_work(tmp_path, "restricted", RESTRICTED.encode())
    proc = run_pipeline("build", "--jobs", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    skip = [l for l in proc.stderr.splitlines() if l.startswith("restricted: skipped")]
    assert len(skip) == 1 and "not free" in skip[0] and "permission" in skip[0]
    assert skip[0].endswith("(rule: published 'with permission': not a licence to redistribute)")
    folder = tmp_path / "editions" / "restricted"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == ["restricted.tei.xml"]
    # a single-edition command refuses too, unless forced
    refused = run_pipeline("epub", "editions/restricted/restricted.tei.xml", cwd=tmp_path)
    assert refused.returncode == 1 and "not distributable" in refused.stderr
    assert not (folder / "restricted.epub").exists()


def test_recorded_permission_lifts_refusal_and_is_stated(tmp_path: Path) -> None:
    write_work(tmp_path, "permitted", RESTRICTED.encode(), manifest={"permission": PERMISSION})
    proc = run_pipeline("build", "--jobs", "1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "editions" / "permitted"
    exts = ["epub", "txt"] + (["pdf"] if importlib.util.find_spec("pipeline.writers.pdf") else [])
    for ext in exts:
        assert (folder / f"permitted.{ext}").exists(), proc.stderr
    with zipfile.ZipFile(folder / "permitted.epub") as z:
        colophon = next(z.read(n).decode() for n in z.namelist() if "colophon" in n)
    for words in ("Example Press", "2024-03-01", "EP-17"):
        assert words in colophon
    txt = (folder / "permitted.txt").read_text(encoding="utf-8")
    assert "Example Press" in txt and "EP-17" in " ".join(txt.split())


def test_permission_must_be_complete(tmp_path: Path) -> None:
    write_work(tmp_path, "half-permit", RESTRICTED.encode(), manifest={"permission": {"granted_by": "Someone"}})
    proc = run_pipeline("ingest", "sources/half-permit", cwd=tmp_path)
    assert proc.returncode == 1
    assert "manifest does not conform" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("label", "statement", "links", "rule"),
    [
        ("Fair Use", "Used under fair use provisions.", (), "Fair Use is never"),
        ("Copyright", "\u00a9 Pathfinder Press, reproduced with permission.", (), "published 'with permission'"),
        ("Copyright", "Monthly Review Press 1970.", (), "a Copyright line whose words"),
        ("Derechos", "\u00a9 Anarres, derechos reservados.", (), "a rights line with \u00a9"),
        ("Derechos", "Edici\u00f3n digital del MIA.", (), "a rights line that grants no licence"),
        (
            "Copyleft",
            "Creative Commons (Attribute & Share-alike)",
            ("http://creativecommons.org/licenses/by-nd/2.0/",),
            "a Creative Commons licence whose version the words do not state, or whose link names another",
        ),
    ],
)
def test_the_rule_that_withheld_a_licence_is_named(
    label: str, statement: str, links: tuple[str, ...], rule: str
) -> None:
    """The build's skip line names the rule (issue 14): found from what the master records."""
    lic = licences.classify(label, statement, links)
    assert not lic.distributable
    assert licences.withholding_rule(f"{label}: {statement}", lic.uri).startswith(rule)
