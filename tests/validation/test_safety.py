"""Any XML a user hands ``validate`` is parsed safely: no external entity is read, no
network is touched, no entity expansion can explode, and each refusal is one line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.validation import check_master
from tests.conftest import run_pipeline
from tests.validation.conftest import write

SECRET = "TOP-SECRET-CONTENT-7f3a"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE TEI [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>&lol9;</title></titleStmt></fileDesc></teiHeader></TEI>
"""


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    return write(tmp_path, "secret.txt", SECRET)


def documents(secret: Path) -> dict[str, str]:
    uri = secret.as_uri()
    body = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt><title>&x;</title></titleStmt></fileDesc></teiHeader></TEI>'
    twice_a = body.replace("<title>&x;", '<title xml:id="a">t</title><title xml:id="a">')
    return {
        "xxe-file": f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "{uri}">]>\n{body}\n',
        "xxe-network": f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "http://127.0.0.1:9/x.txt">]>\n{body}\n',
        "parameter-entity": f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{uri}"> %p;]>\n{body.replace("&x;", "t")}\n',
        "billion-laughs": BILLION_LAUGHS,
        "external-dtd": f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "{uri}">\n{body.replace("&x;", "t")}\n',
        "internal-subset-only": f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ELEMENT TEI ANY>]>\n{body.replace("&x;", "t")}\n',
        # a duplicate xml:id makes the validator parse a second time: as safely
        "xxe-and-duplicate-id": f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "{uri}">\n{twice_a}\n',
    }


# What each refusal must be. The secret file is no DTD: had libxml2 read it, the parse
# would fail on its content ("Content error in the external subset") instead. (lxml's
# collect_ids=False, for one, makes libxml2 read it.)
EXPECTED = {
    "xxe-file": "xml-doctype",
    "xxe-network": "xml-doctype",
    "parameter-entity": "xml-doctype",
    "billion-laughs": "xml-wellformed",  # libxml2 stops the amplification itself
    "external-dtd": "xml-doctype",
    "internal-subset-only": "xml-doctype",
    "xxe-and-duplicate-id": "xml-doctype",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_xml_is_refused_in_one_line(name: str, tmp_path: Path, secret_file: Path) -> None:
    path = write(tmp_path, f"{name}.tei.xml", documents(secret_file)[name])
    start = time.perf_counter()
    problems = check_master(path)
    assert time.perf_counter() - start < 1.0  # nothing expanded, nothing fetched
    assert [p.rule for p in problems] == [EXPECTED[name]], problems
    shown = str(problems[0])
    assert SECRET not in shown and "\n" not in shown and "Content error" not in shown
    assert shown.startswith(f"{path}:")


def test_command_line_refuses_xxe_without_leaking(tmp_path: Path, secret_file: Path) -> None:
    path = write(tmp_path, "xxe.tei.xml", documents(secret_file)["xxe-file"])
    result = run_pipeline("validate", "--no-tei-all", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first, summary = result.stdout.splitlines()
    assert (
        first
        == f"{path}:1:1: error: [xml-doctype] DOCTYPE declares entities; refused (possible XXE or entity-expansion bomb)"
    )
    assert "1 problem in 1 file" in summary


def test_not_well_formed_is_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "broken.tei.xml",
        '<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <teiHeader>\n</TEI>\n',
    )
    (problem,) = check_master(path)
    assert (problem.rule, problem.line) == ("xml-wellformed", 4)
    assert "teiHeader" in problem.message


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = write(tmp_path, "empty.tei.xml", "")
    assert [p.rule for p in check_master(empty)] == ["file-unreadable"]
    assert [p.rule for p in check_master(tmp_path / "absent.tei.xml")] == ["file-unreadable"]
