"""Hostile sources and manifests (issue 23): nesting past the parser's depth, manifests that
are FIFOs, devices, huge or nested without end, an update's versions/. Each is refused in one
line (exit 1, no traceback), with nothing written; none hangs or exhausts memory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.robustness.cases import write_work

HTML_HEAD = b"""<html><head><title>A Deep Page</title><meta name="author" content="Karl Example"></head><body>
<h1>A Deep Page</h1>
<p class="information">Source: The Example Review, 1920. Public Domain: Marxists Internet Archive 2010.</p>
<p>The first paragraph of the work.</p>
"""


def deep_page(opening: bytes, closing: bytes, depth: int) -> bytes:
    return HTML_HEAD + opening * depth + b"Deep words.\n" + closing * depth + b"<p>THE LAST WORDS.</p></body></html>"


def one_line_failure(capsys, *args: str, stream: str = "stderr") -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    text = err if stream == "stderr" else out
    assert code == 1, (code, err)
    assert "Traceback" not in out + err
    lines = text.strip().splitlines()
    assert len(lines) == (1 if stream == "stderr" else 2), text
    return lines[0]


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("unclosed-font", deep_page(b"<font size=2>", b"", 300)),
        ("deep-blockquote", deep_page(b"<blockquote>", b"</blockquote>", 260)),
    ],
)
def test_text_past_the_nesting_limit_is_never_silently_lost(tmp_path, capsys, name, page):
    folder = write_work(tmp_path, name, page, {"format": "mia-html"}, name="work.htm")
    (tmp_path / "editions").mkdir()
    line = one_line_failure(capsys, "ingest", str(folder), "-o", str(tmp_path / "editions/out.tei.xml"))
    assert "nested deeper than 256 levels" in line and f"sources/{name}/work.htm:" in line
    assert not list((tmp_path / "editions").iterdir())


def test_a_page_nested_within_the_limit_keeps_its_end(tmp_path, capsys):
    page = deep_page(b"<blockquote>", b"</blockquote>", 40)
    folder = write_work(tmp_path, "deep-ok", page, {"format": "mia-html"}, "w.htm")
    assert main(["ingest", str(folder), "-o", str(tmp_path / "out.tei.xml")]) == 0, capsys.readouterr().err
    assert "THE LAST WORDS." in (tmp_path / "out.tei.xml").read_text()


def nested_manifest(folder: Path) -> None:
    (folder / "manifest.json").write_text('{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}")


def modest_nesting(folder: Path) -> None:
    m = json.loads((folder / "manifest.json").read_text())
    m["notes"] = json.loads("[" * 200 + "]" * 200)  # parses, but deeper than any manifest
    (folder / "manifest.json").write_text(json.dumps(m))


def fifo_manifest(folder: Path) -> None:
    (folder / "manifest.json").unlink()
    os.mkfifo(folder / "manifest.json")  # opening it would wait for a writer forever


def dev_zero_manifest(folder: Path) -> None:
    (folder / "manifest.json").unlink()
    (folder / "manifest.json").symlink_to("/dev/zero")  # reading it would never end


def huge_manifest(folder: Path) -> None:
    with open(folder / "manifest.json", "wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: 17 MB of nothing


@pytest.mark.parametrize(
    ("tamper", "expect"),
    [
        (nested_manifest, "nested deeper than 32 levels"),
        (modest_nesting, "nested deeper than 32 levels"),
        (fifo_manifest, "not a regular file"),
        (dev_zero_manifest, "not a regular file"),
        (huge_manifest, "over the 16,777,216-byte limit"),
    ],
    ids=["nested-100000", "nested-200", "fifo", "dev-zero", "17-MB"],
)
@pytest.mark.parametrize("command", ["ingest", "validate"])
def test_a_hostile_manifest_is_refused_in_one_line(tmp_path, capsys, tamper, expect, command):
    folder = write_work(tmp_path, "hostile", b"Some text.\n")
    tamper(folder)
    if command == "ingest":
        line = one_line_failure(capsys, "ingest", str(folder), "-o", str(tmp_path / "out.tei.xml"))
    else:
        line = one_line_failure(capsys, "validate", "--no-tei-all", str(folder), stream="stdout")
    assert expect in line and "sources/hostile/manifest.json" in line, line
    assert not (tmp_path / "out.tei.xml").exists()


def test_a_file_link_never_reaches_the_master(tmp_path, capsys):
    page = HTML_HEAD + (
        b'<p>See <a href="file:///C:/Users/transcriber/notes.htm">the transcriber\'s notes</a> and '
        b'<a href="https://www.marxists.org/archive/index.htm">the archive</a>.</p></body></html>'
    )
    folder = write_work(tmp_path, "file-link", page, {"format": "mia-html"}, "w.htm")
    out = tmp_path / "out.tei.xml"
    assert main(["ingest", str(folder), "-o", str(out)]) == 0, capsys.readouterr().err
    master = out.read_text(encoding="utf-8")
    assert "file:" not in master  # the link is gone ...
    assert "notes" in master  # ... its words are kept
    assert "https://www.marxists.org/archive/index.htm" in master


def test_an_edition_from_a_hand_edited_master_is_refused_until_it_validates(tmp_path, capsys):
    golden = Path(__file__).resolve().parents[1] / "golden" / "trotsky-1923-faction.tei.xml"
    master = tmp_path / "trotsky-1923-faction.tei.xml"
    master.write_text(golden.read_text(encoding="utf-8").replace("<titleStmt>", "<titleStmt><bogus/>", 1))
    line = one_line_failure(capsys, "txt", str(master), "-o", str(tmp_path / "out.txt"))
    assert "not a valid master, not rendered" in line
    assert not (tmp_path / "out.txt").exists()


def test_an_os_error_is_one_line_and_leaves_no_stray_file(tmp_path, capsys):
    site = Path(__file__).resolve().parents[1] / "archive" / "site"
    (tmp_path / "report").mkdir()  # --report names a folder: the OS refuses to replace it by a file
    args = ["import", str(site), "--dry-run", "--quiet", "--report", str(tmp_path / "report")]
    code = main([*args, "--sources", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err and "internal error" not in err
    assert err.strip().splitlines()[-1] == f"{tmp_path / 'report'}: error: Is a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no .part beside it
