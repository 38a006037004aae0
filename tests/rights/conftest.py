"""Helpers for the rights tests: a project with the hand-reviewed author authority of the
shared archive (``tests/rights/authors.json``, life dates from each author's
``archive/<folder>/index.htm``), and works of the shared archive rebuilt as sources from
the pages their manifest lists (each checked by its sha256)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.ingest import read_work
from pipeline.manifest import load_manifest
from pipeline.master.model import Work
from tests.conftest import PROJECT, shared_pages

HERE = PROJECT / "tests" / "rights"
AUTHORS = HERE / "authors.json"
SITE_URL = "https://www.marxists.org/"
RULE_YEAR = 2026


def make_project(root: Path, rulings: list[dict[str, Any]] | None = None, rule_year: int | None = RULE_YEAR) -> Path:
    """A project root with the test authority and a rulings file."""
    (root / "editorial").mkdir(parents=True, exist_ok=True)
    (root / "editorial" / "authors.json").write_bytes(AUTHORS.read_bytes())
    data: dict[str, Any] = {"rulings": rulings or []}
    if rule_year is not None:
        data["rule_year"] = rule_year
    (root / "editorial" / "rulings.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    return root


def site_paths(entries: list[dict[str, Any]]) -> list[str]:
    return [f["url"].removeprefix(SITE_URL) for e in entries for f in e["files"]]


def site_with(paths: list[str], tmp: Path) -> Path:
    """A site folder holding the pages (see :func:`tests.conftest.shared_pages`)."""
    return shared_pages(paths, tmp, "the rights samples")


def make_source(root: Path, entry: dict[str, Any], site: Path) -> Path:
    """``sources/<slug>/`` of ``root`` from the site's pages, as `pipeline import` made it."""
    folder = root / "sources" / entry["slug"]
    folder.mkdir(parents=True, exist_ok=True)
    for f in entry["files"]:
        data = (site / f["url"].removeprefix(SITE_URL)).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"], f"{f['url']}: not the page the sample was read on"
        (folder / f["path"]).write_bytes(data)
    manifest = {k: entry[k] for k in ("slug", "url", "language") if k in entry}
    manifest |= {"retrieved": "2026-03-01", "format": "mia-html", "files": entry["files"]}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return folder


def weigh(root: Path, folder: Path) -> Work:
    """The work as ingest reads and weighs it in project ``root``."""
    return read_work(load_manifest(folder), root)
