"""The profile is a strict subset of TEI P5, and accepts what the pipeline writes.

Every fixture (the seed's master, every broken and valid variant of test_rules.py, the
TEI Guidelines' minimal document, and documents the real writer made from models with
every construct it knows, drawn at random) is validated against the profile and against
schemas/tei/tei_all.rng with jing, ONE jing run per schema for all of them:

- whatever the profile accepts, tei_all accepts (the subset property);
- jing and lxml (which the pipeline uses at run time) agree on the profile;
- everything the writer made passes all three layers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.master.write import serialize
from pipeline.validation import check_master, schemas
from pipeline.validation.master import parse_master
from tests.conftest import SEED, TEI_ALL
from tests.validation.conftest import write
from tests.validation.models import random_work, rich_work
from tests.validation.test_rules import CASES, LICENCE_OPEN, MINIMAL_TEI, VALID_VARIANTS, cut

RANDOM_DOCUMENTS = 40
PROFILE_RNG = schemas.schema_path(schemas.PROFILE_RNG)


def invalid_files(output: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^(.+?):\d+:\d+: (?:fatal )?error:", output, re.M)}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Masters the real writer made: one with every construct, and random ones."""
    folder = tmp_path_factory.mktemp("written")
    works = [rich_work()] + [random_work(seed) for seed in range(1, RANDOM_DOCUMENTS + 1)]
    return [write(folder, f"work-{i:02}.tei.xml", serialize(w, 0).decode("utf-8")) for i, w in enumerate(works)]


@pytest.fixture(scope="module")
def fixtures(seed_text: str, written: list[Path], built: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("fixtures")
    files = [write(folder, f"{SEED}.tei.xml", seed_text)]
    files += [write(folder, f"case-{c.name}.tei.xml", c.apply(seed_text)) for c in CASES]
    files += [write(folder, f"valid-{n}.tei.xml", change(seed_text)) for n, change in VALID_VARIANTS.items()]
    files.append(write(folder, "minimal.tei.xml", MINIMAL_TEI))
    unattributed = cut(
        cut(seed_text, "<respStmt>", "</respStmt>\n      "),
        LICENCE_OPEN,
        "</licence>",
        "<p>Reproduced from the web.</p>",
    )
    files.append(write(folder, "unattributed.tei.xml", unattributed))
    return files + written + built_masters(built)


def built_masters(built: Path) -> list[Path]:
    """Every master `pipeline build` wrote (the session's build of sources/)."""
    return sorted((built / "editions").glob("*/*.tei.xml"))


@pytest.fixture(scope="module")
def judged(fixtures: list[Path]) -> dict[str, set[str]]:
    """Files jing finds invalid, per schema: one jing run for each schema, both at once."""
    pyjing = str(Path(sys.executable).parent / "pyjing")
    runs = {
        name: subprocess.Popen(
            [pyjing, str(schema), *map(str, fixtures)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, schema in (("tei_all", TEI_ALL), ("profile", PROFILE_RNG))
    }
    judged = {}
    for name, proc in runs.items():
        out, err = proc.communicate()
        judged[name] = invalid_files(out + err)
        assert proc.returncode == (1 if judged[name] else 0), err
    return judged


def lxml_profile_accepts(path: Path) -> bool:
    return bool(schemas.profile().validate(parse_master(path.read_bytes(), str(path))))


def test_whatever_the_profile_accepts_tei_all_accepts(fixtures: list[Path], judged: dict[str, set[str]]) -> None:
    accepted = [f for f in fixtures if str(f) not in judged["profile"]]
    assert len(accepted) > RANDOM_DOCUMENTS  # the property is tested on many documents
    assert not [f.name for f in accepted if str(f) in judged["tei_all"]]


def test_jing_and_lxml_agree_on_the_profile(fixtures: list[Path], judged: dict[str, set[str]]) -> None:
    disagree = [f.name for f in fixtures if lxml_profile_accepts(f) == (str(f) in judged["profile"])]
    assert not disagree


def test_attribution_is_missing_from_valid_tei(fixtures: list[Path], judged: dict[str, set[str]]) -> None:
    """The documents test_rules.py shows failing for lack of attribution are valid TEI."""
    for name in ("minimal.tei.xml", "unattributed.tei.xml"):
        path = next(f for f in fixtures if f.name == name)
        assert str(path) not in judged["tei_all"], name
        assert check_master(path)


def test_everything_the_writer_makes_passes_all_layers(written: list[Path], judged: dict[str, set[str]]) -> None:
    failing = {f.name: [str(p) for p in check_master(f)] for f in written}
    assert not {k: v for k, v in failing.items() if v}
    assert not [f.name for f in written if str(f) in judged["tei_all"] | judged["profile"]]


def test_built_masters_pass_profile_rules_and_tei_all(built: Path, judged: dict[str, set[str]]) -> None:
    masters = built_masters(built)
    assert any(m.name == f"{SEED}.tei.xml" for m in masters)
    assert {str(m): [str(p) for p in check_master(m)] for m in masters} == {str(m): [] for m in masters}
    assert not [m.name for m in masters if str(m) in judged["tei_all"] | judged["profile"]]
