"""Putting it together: read the masters, write the covers, the page, the feeds, the sums.

Every master is read before anything is written, so a broken master stops the run with
one clear line and leaves the previous catalog in place. Each output is written
atomically and only when its bytes change; ``SHA256SUMS`` is written last, from the
files as they are on disk.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from pipeline.distribution import checksums, covers, opds, opds2, page
from pipeline.distribution.works import Withheld, Work, collect
from pipeline.errors import PipelineError
from pipeline.paths import editions_dir

OUTPUTS = ("index.html", "catalog.xml", "catalog.json")


def normalize_base_url(base_url: str) -> str:
    """An absolute http(s) URL ending in '/', or '' for relative links."""
    if not base_url:
        return ""
    parsed = urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
        raise PipelineError(f"--base-url must be an absolute http(s) URL of the editions/ folder, not {base_url!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


def write_catalog(root: Path, base_url: str = "") -> list[Path]:
    """Write the catalog of ``root/editions``; return every file it publishes or wrote."""
    written, _, _ = publish(Path(root), base_url)
    return written


def publish(root: Path, base_url: str = "") -> tuple[list[Path], list[Work], list[Withheld]]:
    base_url = normalize_base_url(base_url)
    editions = editions_dir(root)
    works, withheld = collect(root)  # reads (and checks) every master first
    for gone in withheld:  # a work no longer free must not keep a published cover
        covers.remove_covers(gone.slug, editions / gone.slug)
    for work in works:
        work.cover = covers.publish_cover(work, editions)
    build_date = opds.feed_updated(works)
    outputs = {
        "index.html": page.render_page(works, build_date),
        "catalog.xml": opds.render_feed(works, base_url),
        "catalog.json": opds2.render_feed(works, base_url),
    }
    for name in OUTPUTS:
        covers.write_if_changed(editions / name, outputs[name])
    published = [editions / name for name in OUTPUTS]
    for work in works:
        published += [f.path for f in work.published_files()]
    sums = editions / "SHA256SUMS"
    covers.write_if_changed(sums, checksums.render_sums(editions, published))
    return published + [sums], works, withheld
