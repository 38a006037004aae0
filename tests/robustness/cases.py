"""The bad-input corpus: each case builds a broken input in a temporary project and
names the command to run and the one-line message expected.

Every case must give: a non-zero exit, exactly one line on stderr matching ``expect``,
no traceback, nothing new in ``editions/`` and ``sources/`` unchanged byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

URL = "https://www.marxists.org/archive/example/1920/05/work.htm"

GOOD_TEXT = """Karl Example

A Good Title

(May 1920)


Written: May 1920.
Source: The Example Review, London, Vol.1 No.2, June 1920, pages 3-4.
Transcription/Markup: Ann Archivist, 2010.
Public Domain: Marxists Internet Archive 2010. Please credit the Marxists Internet Archive as your source, include the url to this work, and note the transcribers & proofreaders above.


The first paragraph of the work, with a note. [1]

The second paragraph of the work.

Karl EXAMPLE
London, May 1920.


Notes

1. The only note.


Last updated on: 1.2.2010
"""


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # builds the input under the project root, returns the pipeline args
    expect: str  # regex the single stderr line must match
    report: bool = False  # `validate`: problems are its report, on stdout, then a summary line


def write_work(root: Path, slug: str, data: bytes, manifest: dict | None = None, name: str = "work.txt") -> Path:
    folder = root / "sources" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    m = {
        "slug": slug,
        "url": URL,
        "retrieved": "2026-11-25",
        "format": "mia-text",
        "files": [{"path": name, "sha256": hashlib.sha256(data).hexdigest()}],
    }
    if manifest is not None:
        m.update(manifest)
    (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    return folder


def text_case(name: str, data: bytes | str, expect: str, manifest: dict | None = None) -> Case:
    raw = data.encode("utf-8") if isinstance(data, str) else data

    def make(root: Path) -> list[str]:
        write_work(root, name, raw, manifest)
        return ["ingest", f"sources/{name}"]

    return Case(name, make, expect)


def replace(old: str, new: str) -> str:
    assert old in GOOD_TEXT
    return GOOD_TEXT.replace(old, new)


def tampered(root: Path) -> list[str]:
    folder = write_work(root, "tampered", GOOD_TEXT.encode())
    (folder / "work.txt").write_bytes(GOOD_TEXT.replace("second", "Second").encode())
    return ["ingest", "sources/tampered"]


def missing_file(root: Path) -> list[str]:
    folder = write_work(root, "missing-file", GOOD_TEXT.encode())
    (folder / "work.txt").unlink()
    return ["ingest", "sources/missing-file"]


def escaping_path(root: Path) -> list[str]:
    folder = write_work(root, "escaping-path", GOOD_TEXT.encode())
    outside = root / "outside.txt"
    outside.write_text(GOOD_TEXT, encoding="utf-8")
    m = json.loads((folder / "manifest.json").read_text())
    m["files"][0]["path"] = "sub/../../../outside.txt"
    (folder / "manifest.json").write_text(json.dumps(m))
    return ["ingest", "sources/escaping-path"]


def symlink_escape(root: Path) -> list[str]:
    folder = write_work(root, "symlink-escape", GOOD_TEXT.encode())
    outside = root / "elsewhere.txt"
    outside.write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "work.txt").unlink()
    (folder / "work.txt").symlink_to(outside)
    return ["ingest", "sources/symlink-escape"]


def manifest_text(name: str, text: str, expect: str) -> Case:
    def make(root: Path) -> list[str]:
        folder = write_work(root, name, GOOD_TEXT.encode())
        (folder / "manifest.json").write_text(text, encoding="utf-8")
        return ["ingest", f"sources/{name}"]

    return Case(name, make, expect)


def manifest_edit(name: str, edit: Callable[[dict], None], expect: str) -> Case:
    def make(root: Path) -> list[str]:
        folder = write_work(root, name, GOOD_TEXT.encode())
        m = json.loads((folder / "manifest.json").read_text())
        edit(m)
        (folder / "manifest.json").write_text(json.dumps(m))
        return ["ingest", f"sources/{name}"]

    return Case(name, make, expect)


def no_manifest(root: Path) -> list[str]:
    (root / "sources" / "no-manifest").mkdir(parents=True)
    (root / "sources" / "no-manifest" / "work.txt").write_text(GOOD_TEXT)
    return ["ingest", "sources/no-manifest"]


def master_file(name: str, data: str, command: str) -> Case:
    def make(root: Path) -> list[str]:
        path = root / "editions" / "bad" / "bad.tei.xml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
        return [command, "editions/bad/bad.tei.xml"]

    return Case(name, make, r"editions/bad/bad\.tei\.xml(:\d+)*: error: ")


def validate_file(name: str, data: str, rule: str) -> Case:
    def make(root: Path) -> list[str]:
        (root / "incoming").mkdir(exist_ok=True)
        (root / "incoming" / f"{name}.tei.xml").write_text(data, encoding="utf-8")
        return ["validate", f"incoming/{name}.tei.xml"]

    return Case(name, make, rf"incoming/{name}\.tei\.xml:\d+:\d+: error: \[{rule}\] ", report=True)


DOCTYPE_ONLY = """<?xml version="1.0"?>
<!DOCTYPE TEI SYSTEM "http://example.org/tei.dtd">
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>&xxe;</p></body></text></TEI>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&lol3;</p></body></text></TEI>
"""

HTML_PAGE = """<html><head><meta charset="utf-8"><title>T</title></head><body>
<h2>Karl Example</h2><h1>A Good Title</h1>
<p class="information"><span class="info">Source:</span> The Example Review, 1920.<br>
<span class="info">Public Domain:</span> Marxists Internet Archive 2010. Please credit the Marxists Internet Archive as your source.</p>
<p>The text of the work{body}.</p>
</body></html>
"""


def html_case(name: str, body: str, expect: str) -> Case:
    def make(root: Path) -> list[str]:
        write_work(
            root, name, HTML_PAGE.replace("{body}", body).encode("utf-8"), {"format": "mia-html"}, name="page.htm"
        )
        return ["ingest", f"sources/{name}"]

    return Case(name, make, expect)


# Figures (issue 25): a page showing an image, and a tiny PNG (a valid image of 2 x 1 pixels).
FIGURE_PAGE = HTML_PAGE.replace("{body}", '</p><p><img src="chart.png" alt="A chart"></p><p>After the chart')
PNG_2X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e8dd0000000f49444154"
    "789c63fccfc0c0c0c0000006080101cb4776750000000049454e44ae426082"
)


def figure_work(root: Path, slug: str, image: bytes) -> Path:
    """An HTML work whose manifest lists its page and its figure's image file ``chart.png``."""
    folder = write_work(root, slug, FIGURE_PAGE.encode("utf-8"), {"format": "mia-html"}, name="page.htm")
    (folder / "chart.png").write_bytes(image)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append(
        {
            "path": "chart.png",
            "sha256": hashlib.sha256(PNG_2X1).hexdigest(),
            "role": "figure",
            "url": URL.rsplit("/", 1)[0] + "/chart.png",
            "media_type": "image/png",
        }
    )
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def figure_changed(root: Path) -> list[str]:
    """The figure's image changed after it was registered: fixity, as for a page."""
    figure_work(root, "figure-changed", PNG_2X1[:-8] + b"tampered")
    return ["ingest", "sources/figure-changed"]


def figure_not_beside_master(root: Path) -> list[str]:
    """A master whose figure's image file is not beside it: the EPUB is refused, not made without it."""
    from pipeline.ingest import ingest

    folder = figure_work(root, "figure-gone", PNG_2X1)
    master = ingest(folder, root / "masters" / "figure-gone.tei.xml")
    (master.parent / "figures" / "chart.png").unlink()
    return ["epub", "masters/figure-gone.tei.xml", "-o", "masters/figure-gone.epub"]


CASES: list[Case] = [
    Case("figure-image-changed", figure_changed, r"sources/figure-changed/chart\.png: error: sha256 mismatch"),
    Case(
        "figure-image-not-beside-master",
        figure_not_beside_master,
        r"masters/figure-gone\.tei\.xml:\d+: error: the figure's image 'figures/chart\.png' is not beside the master",
    ),
    html_case(
        "html-control-reference",
        " with &#1; a control character",
        r"page\.htm:\d+: error: character reference to U\+0001",
    ),
    # (a marker without a note is a recorded anomaly since issue 14, not an error)
    html_case(
        "html-noncharacter-reference",
        " with &#xFFFE; a noncharacter",
        r"page\.htm:\d+: error: character reference to U\+FFFE",
    ),
    text_case("empty-file", b"", r"work\.txt: error: empty source file"),
    text_case("blank-file", b"\n\n  \n", r"work\.txt: error: empty source file"),
    text_case("binary-file", b"\x00\x01PK\x03\x04" + bytes(range(256)), r"work\.txt: error: binary file"),
    text_case(
        "latin1-bytes",
        GOOD_TEXT.replace("second", "s\u00e9cond").encode("latin-1"),
        r"work\.txt:\d+: error: not valid UTF-8",
    ),
    text_case(
        "control-character",
        replace("The second paragraph", "The second\x1b paragraph"),
        r"work\.txt:\d+: error: control character U\+001B",
    ),
    text_case("truncated", "Karl Example\n\nA Good Title\n", r"work\.txt: error: truncated"),
    text_case("no-title", replace("A Good Title\n\n", ""), r"work\.txt:\d+: error: no (title|information block)"),
    text_case(
        "no-author",
        GOOD_TEXT.split("\n\n", 1)[1].replace("A Good Title", "Written: 1920.", 1),
        r"work\.txt:\d+: error: no author",
    ),
    text_case(
        "no-info-block",
        replace("Written: May 1920.\nSource", "\nSource").replace("Source: ", "Source "),
        r"work\.txt:\d+: error: no information block",
    ),
    text_case("no-text", GOOD_TEXT.split("\n\n\nThe first")[0] + "\n", r"work\.txt:\d+: error: the work has no text"),
    text_case(
        "duplicate-marker",
        replace("The second paragraph", "The second [1] paragraph"),
        r"work\.txt:\d+: error: note marker \[1\] appears more than once",
    ),
    text_case(
        "duplicate-note-number",
        replace("1. The only note.", "1. The only note.\n\n1. Again."),
        r"work\.txt:\d+: error: duplicate note number 1",
    ),
    text_case(
        "unreferenced-note",
        replace("with a note. [1]", "with a note."),
        r"work\.txt:\d+: error: note 1 is never referenced",
    ),
    text_case(
        "dangling-marker",
        replace("The second paragraph", "The second [1] [2] paragraph").replace(
            "1. The only note.", "1. One.\n\n3. Three."
        ),
        r"work\.txt:\d+: error: note marker \[2\] has no note",
    ),
    text_case(
        "stray-notes-text",
        replace("1. The only note.", "An unnumbered note."),
        r"work\.txt:\d+: error: text after the Notes heading",
    ),
    text_case(
        "unknown-licence",
        replace("Public Domain: Marxists", "Licence: Ask the Marxists"),
        r"work\.txt:\d+: error: unknown licence wording",
    ),
    Case("sha256-mismatch", tampered, r"work\.txt: error: sha256 mismatch: the source changed since it was registered"),
    Case("missing-source-file", missing_file, r"work\.txt: error: source file listed in manifest\.json is missing"),
    Case("path-escape", escaping_path, r"manifest\.json: error: manifest does not conform .*files/0/path"),
    Case("symlink-escape", symlink_escape, r"error: source file path escapes"),
    Case("no-manifest", no_manifest, r"manifest\.json: error: no such file"),
    manifest_text("manifest-not-json", "{ not json", r"manifest\.json:1:3: error: invalid JSON"),
    manifest_text("manifest-not-utf8", "\udcff", r"manifest\.json: error: not UTF-8 JSON")
    if False
    else manifest_text("manifest-empty", "", r"manifest\.json:1:1: error: invalid JSON"),
    manifest_edit(
        "manifest-no-url",
        lambda m: m.pop("url"),
        r"manifest\.json: error: manifest does not conform .*'url' is a required property",
    ),
    manifest_edit(
        "manifest-bad-sha",
        lambda m: m["files"][0].update(sha256="abc"),
        r"manifest\.json: error: manifest does not conform .*files/0/sha256",
    ),
    manifest_edit(
        "manifest-bad-format",
        lambda m: m.update(format="pdf"),
        r"manifest\.json: error: manifest does not conform .*format",
    ),
    manifest_edit(
        "manifest-no-files", lambda m: m.update(files=[]), r"manifest\.json: error: manifest does not conform .*files"
    ),
    manifest_edit(
        "manifest-absolute-path",
        lambda m: m["files"][0].update(path="/etc/passwd"),
        r"manifest\.json: error: manifest does not conform .*files/0/path",
    ),
    manifest_edit(
        "manifest-slug-escape",
        lambda m: m.update(slug="../../etc"),
        r"manifest\.json: error: manifest does not conform .*slug",
    ),
    manifest_edit(
        "manifest-slug-mismatch",
        lambda m: m.update(slug="another-work"),
        r"manifest\.json: error: slug 'another-work' does not match the folder name",
    ),
    manifest_edit(
        "manifest-bad-date",
        lambda m: m.update(retrieved="25.11.2026"),
        r"manifest\.json: error: manifest does not conform .*retrieved",
    ),
    Case("build-slug-escape", lambda root: ["build", "../../etc"], r"error: invalid work slug '\.\./\.\./etc'"),
    Case("build-unknown-work", lambda root: ["build", "no-such-work"], r"sources/no-such-work: error: no such work"),
    Case(
        "ingest-no-such-dir", lambda root: ["ingest", "sources/nowhere"], r"sources/nowhere: error: not a source folder"
    ),
    master_file("epub-not-xml", "this is not XML", "epub"),
    master_file("txt-xxe-master", XXE, "txt"),
    master_file("pdf-entity-bomb", BOMB, "pdf"),
    master_file("epub-not-tei", "<html xmlns='http://www.w3.org/1999/xhtml'/>", "epub"),
    master_file("epub-empty-master", "", "epub"),
    validate_file("validate-xxe", XXE, "xml-doctype"),
    validate_file("validate-entity-bomb", BOMB, "xml-doctype"),
    validate_file("validate-external-dtd", DOCTYPE_ONLY, "xml-doctype"),
    validate_file("validate-not-xml", "<TEI><unclosed></TEI>", "[a-z-]+"),
]
