"""Property-based tests: generated and mutated inputs never crash the pipeline.

The only acceptable failure is the pipeline's own :class:`PipelineError` (a clear,
located, one-line message). Anything else escaping is a bug.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import PipelineError
from pipeline.master.write import serialize
from pipeline.readers import mia_text
from tests.conftest import PROJECT
from tests.robustness.cases import GOOD_TEXT

SEED_TEXT = (PROJECT / "sources" / "trotsky-1923-faction" / "faction.txt").read_bytes()
SEEDS = [GOOD_TEXT.encode("utf-8"), SEED_TEXT]
PATH = Path("generated.txt")
MANY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_clean_error(data: bytes) -> None:
    try:
        work = mia_text.read(PATH, data, "generated", "https://www.marxists.org/archive/x/1900/y.htm")
    except PipelineError as exc:
        text = str(exc)
        assert "\n" not in text and text.startswith(str(PATH)), text
        return
    # What reads must also serialize to a master.
    assert serialize(work).startswith(b"<?xml")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real source with lines deleted, duplicated, swapped or garbled."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    lines = bytes(data).split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "garble", "insert", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "garble":
            lines[i] = draw(st.binary(max_size=40))
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=60)).encode("utf-8", "surrogatepass"))
        else:
            lines = lines[:i]
    return b"\n".join(lines)


@MANY
@given(mutated())
def test_text_reader_mutations(data: bytes) -> None:
    read_or_clean_error(data)


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=2000))
def test_text_reader_random_bytes(data: bytes) -> None:
    read_or_clean_error(data)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab [1]2.:\n()Notes Public Domain: Source: <>/&")), max_size=400))
def test_text_reader_structured_noise(text: str) -> None:
    read_or_clean_error(text.encode("utf-8"))


# ---- validate: mutated masters ---------------------------------------------------------
SEED_MASTER = (PROJECT / "tests" / "golden" / "trotsky-1923-faction.tei.xml").read_bytes()


@st.composite
def mutated_master(draw: st.DrawFn) -> bytes:
    """The seed's master with bytes cut, inserted or replaced, or elements' tags broken."""
    data = bytearray(SEED_MASTER)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        op = draw(st.sampled_from(["cut", "insert", "replace", "retag", "truncate", "entity"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "cut":
            del data[i : i + draw(st.integers(1, 200))]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=20))
        elif op == "replace":
            data[i] = draw(st.integers(0, 255))
        elif op == "retag":
            data = bytearray(
                bytes(data).replace(
                    b"<p>", b"<" + draw(st.sampled_from([b"q", b"div", b"note", b"x:p", b"p xml:id='a'"])) + b">", 1
                )
            )
        elif op == "entity":
            data[i:i] = draw(st.sampled_from([b"&amp;", b"&nbsp;", b"&#0;", b"&#x110000;", b"<!DOCTYPE x>", b"]]>"]))
        else:
            del data[i:]
    return bytes(data)


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(mutated_master())
def test_validate_mutated_masters(tmp_path_factory, data: bytes) -> None:
    from pipeline.validation import check_master

    path = tmp_path_factory.mktemp("m") / "mutant.tei.xml"
    path.write_bytes(data)
    try:
        problems = check_master(path)
    except PipelineError as exc:
        assert "\n" not in str(exc)
        return
    for problem in problems:
        line = str(problem)
        assert "\n" not in line and line.startswith(str(path)), line


# ---- the HTML reader: mutated MIA pages ------------------------------------------------
HTML_PAGES = sorted((PROJECT / "sources").glob("*/*.htm"))


@st.composite
def mutated_page(draw: st.DrawFn) -> bytes:
    """A real MIA page with byte runs cut, tags broken, or bytes of other encodings inserted."""
    data = bytearray(draw(st.sampled_from(HTML_PAGES)).read_bytes())
    for _ in range(draw(st.integers(1, 5))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["cut", "insert", "tag", "truncate", "bytes"]))
        if op == "cut":
            del data[i : i + draw(st.integers(1, 400))]
        elif op == "insert":
            data[i:i] = draw(st.text(max_size=30)).encode("utf-8", "surrogatepass")
        elif op == "tag":
            data[i:i] = draw(
                st.sampled_from(
                    [
                        b"<p>",
                        b"</p>",
                        b"<sup>",
                        b"<a href='#n1'>",
                        b"[1]",
                        b"<h1>",
                        b"<span class='info'>Source:</span>",
                        b"<!--",
                        b"<![CDATA[",
                    ]
                )
            )
        elif op == "bytes":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[i:]
    return bytes(data)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(mutated_page())
def test_html_reader_mutations(tmp_path_factory, data: bytes) -> None:
    import hashlib
    import json

    from pipeline.ingest import read_work
    from pipeline.manifest import load_manifest

    folder = tmp_path_factory.mktemp("sources") / "mutant"
    folder.mkdir()
    (folder / "page.htm").write_bytes(data)
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "slug": "mutant",
                "url": "https://www.marxists.org/archive/x/1900/page.htm",
                "retrieved": "2026-11-25",
                "format": "mia-html",
                "files": [{"path": "page.htm", "sha256": hashlib.sha256(data).hexdigest(), "role": "main"}],
            }
        )
    )
    try:
        work = read_work(load_manifest(folder))
    except PipelineError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(folder)), str(exc)
        return
    assert serialize(work).startswith(b"<?xml")
