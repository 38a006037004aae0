"""Bytes -> text for MIA pages whose declared charset is often wrong.

The census of 9,237 MIA pages (``../shared/mia/CENSUS.md``) found iso-8859-1 declared
over UTF-8 bytes, windows-1252 bytes under iso-8859-1 or no declaration at all,
windows-1251 declared on English text, utf-8 declared over Latin-1 bytes, and typos
("rtf-8", "iso8850-1", "utf-98"). So the bytes decide and the declaration is a hint:

1. a byte-order mark wins;
2. pure ASCII is ASCII whatever the page declares (8,621 of the 9,237 pages);
3. bytes that are valid UTF-8 are UTF-8 (a Latin-1 or windows-125x text is practically
   never valid UTF-8 by accident);
4. otherwise a single-byte code page: windows-1252 (what browsers use for the
   iso-8859-1 and us-ascii labels) and the declared one, if it is another single-byte
   code page; when they read differently, charset-normalizer's mess measure picks the
   reading that looks like text, the declaration breaking ties.

Nothing is ever replaced: a byte that no candidate can decode, a page mixing UTF-8
with another encoding, or NUL bytes are a :class:`PipelineError` naming the line and
column. The detection is written here (around charset-normalizer's measure) because
no detector honours a declaration as a hint while refusing to guess silently.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

# Where a page declares its charset: an XML declaration or a <meta> (either form).
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_HEAD_END = re.compile(rb"</head\s*>|<body\b", re.I)

# Declared labels (typos from the census included) -> the encoding a browser applies.
_LABELS: dict[str, str] = {
    **dict.fromkeys(["utf-8", "utf8", "unicode-1-1-utf-8", "rtf-8", "iutf-8", "utf-98", "utrf-8", "uft-8"], "utf-8"),
    **dict.fromkeys(
        [
            "iso-8859-1",
            "iso8859-1",
            "iso_8859-1",
            "latin1",
            "latin-1",
            "l1",
            "iso-8859",
            "iso",
            "iso8850-1",
            "iso-8850-1",
            "us-ascii",
            "ascii",
            "windows-1252",
            "cp1252",
            "x-cp1252",
        ],
        "windows-1252",
    ),
    **dict.fromkeys(["windows-1251", "cp1251", "x-cp1251"], "windows-1251"),
    **dict.fromkeys(["utf-16", "utf-16le", "utf-16be", "unicode"], "utf-16"),
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
_HIGH = re.compile(rb"[\x80-\xff]")
_C1 = re.compile(rb"[\x80-\x9f]")
# A well-formed UTF-8 sequence for a character a Western or Cyrillic text would hold
# (Latin-1 Supplement to Latin Extended-B, Greek, Cyrillic, general punctuation): seeing
# one beside bytes that are not UTF-8 means the page mixes two encodings.
_UTF8_PLAUSIBLE = re.compile(rb"[\xc2-\xc9\xce-\xd3][\x80-\xbf]|\xe2\x80[\x80-\xbf]")


_WHATWG_C1 = "mia-whatwg-c1"


def _c1_for_undefined(exc: UnicodeError) -> tuple[str, int]:
    bad = exc.object[exc.start : exc.end]  # type: ignore[attr-defined]
    if all(b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for b in bad):
        return "".join(chr(b) for b in bad), exc.end  # type: ignore[attr-defined]
    raise exc


codecs.register_error(_WHATWG_C1, _c1_for_undefined)


@dataclass(frozen=True)
class Decoded:
    text: str
    declared: str | None  # the label as the page writes it, lowercased; None when absent
    used: str  # the encoding the bytes were decoded with
    reason: str  # one sentence: why ``used`` (recorded in the master)
    controls_removed: str = ""  # the control characters the page reader removed, and where


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares (XML declaration first, then the first <meta>)."""
    m = _XML_DECL.match(data[:200])
    if m:
        return m.group(1).decode("ascii").lower()
    end = _HEAD_END.search(data, 0, 65536)
    m = _META_CHARSET.search(data, 0, end.start() if end else 65536)
    return m.group(1).decode("ascii").lower() if m else None


def canonical(label: str | None) -> str | None:
    """The encoding a declared label names, or None when the label is unknown."""
    if label is None:
        return None
    if label in _LABELS:
        return _LABELS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _fail(data: bytes, offset: int, message: str, path: str | Path) -> PipelineError:
    line, column = position(data, offset)
    return PipelineError(message, path, line, column)


def _mess(text: str) -> float:
    """How unlike text the non-ASCII neighbourhoods of ``text`` are (0 = clean).

    Only the words around non-ASCII characters are measured, so a long page costs little.
    """
    from charset_normalizer.md import mess_ratio

    pieces = re.findall(r"\S{0,24}[^\x00-\x7f]\S{0,24}", text)
    return mess_ratio(" ".join(pieces)) if pieces else 0.0


def _single_byte_name(data: bytes, codec: str) -> str:
    """Name windows-1252 bytes with nothing in 0x80-0x9F as the iso-8859-1 they also are."""
    if codec == "windows-1252" and not _C1.search(data):
        return "iso-8859-1"
    return codec


def decode(data: bytes, path: str | Path = "<input>") -> Decoded:
    """Decode an HTML page's bytes (see the module docstring for the rules)."""
    if not data.strip():
        raise PipelineError("empty file", path)
    label = declared_charset(data)
    declared = canonical(label)
    by_bom = _by_byte_order_mark(data, label, path)
    if by_bom is not None:
        return by_bom
    _refuse_binary(data, path)
    if _HIGH.search(data) is None:
        why = "the bytes are ASCII" + ("" if label is None else f" (declared {label})")
        return Decoded(data.decode("ascii"), label, "us-ascii", why)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:
        why = "the bytes are valid UTF-8"
        if declared not in (None, "utf-8"):
            why += f", not the declared {label}"
        return Decoded(text, label, "utf-8", why)
    _refuse_mixed_encodings(data, bad, path)
    candidates = _single_byte_candidates(declared)
    codec, text = _best_reading(data, candidates, label, path)
    name = _single_byte_name(data, codec)
    return Decoded(text, label, name, _single_byte_reason(data, bad, label, declared, codec, name))


def _by_byte_order_mark(data: bytes, label: str | None, path: str | Path) -> Decoded | None:
    """Rule 1: the text a byte-order mark announces (its bytes must then be valid), else None."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), label, name, "byte-order mark")
            except UnicodeDecodeError as exc:
                raise _fail(data, exc.start, f"bytes invalid in {name} after its byte-order mark", path) from None
    return None


def _refuse_binary(data: bytes, path: str | Path) -> None:
    """A NUL byte near the start (without a UTF-16 byte-order mark) means a binary file."""
    nul = data.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise _fail(data, nul, "binary file, not an HTML page (NUL byte)", path)


def _refuse_mixed_encodings(data: bytes, bad: int, path: str | Path) -> None:
    """Bytes that are not UTF-8 beside a plausible UTF-8 sequence: a page mixing two
    encodings, which no single reading decodes without replacing characters."""
    utf8_seq = _UTF8_PLAUSIBLE.search(data)
    if utf8_seq is None:
        return
    line_u, col_u = position(data, utf8_seq.start())
    raise _fail(
        data,
        bad,
        f"mixed encodings: byte 0x{data[bad]:02x} is not UTF-8, but line {line_u} column {col_u} "
        f"holds UTF-8 ({data[utf8_seq.start() : utf8_seq.end()]!r}); fix the page, a reader cannot "
        "decode it without replacing characters",
        path,
    )


def _single_byte_candidates(declared: str | None) -> list[str]:
    """Rule 4's candidates: windows-1252, and before it the declared code page when that is
    another single-byte one (the declared page comes first: it wins ties)."""
    candidates = ["windows-1252"]
    if declared is None or declared in ("utf-8", "windows-1252", "utf-16") or declared in candidates:
        return candidates
    try:
        if codecs.lookup(declared).name not in ("utf-8",) and len("\xff".encode(declared, "ignore")) <= 1:
            candidates.insert(0, declared)  # a single-byte code page
    except LookupError:  # pragma: no cover - canonical() only returns known codecs
        pass
    return candidates


def _readings(data: bytes, candidates: list[str]) -> tuple[list[tuple[str, str]], UnicodeDecodeError | None]:
    """The text under each candidate that decodes the bytes, and the first failure."""
    readings: list[tuple[str, str]] = []
    first_error: UnicodeDecodeError | None = None
    for codec in candidates:
        try:
            readings.append((codec, data.decode(codec)))
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    if not readings and "windows-1252" in candidates:
        # The five bytes windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) are, to a
        # browser (WHATWG Encoding), the C1 controls of the same number: invisible. The
        # page reader then removes and records them as control characters.
        try:
            readings.append(("windows-1252", data.decode("windows-1252", errors=_WHATWG_C1)))
        except UnicodeDecodeError:
            pass
    return readings, first_error


def _best_reading(data: bytes, candidates: list[str], label: str | None, path: str | Path) -> tuple[str, str]:
    """The (codec, text) that looks most like text by charset-normalizer's mess measure,
    the candidates' order breaking ties; an error when no candidate decodes the bytes."""
    readings, first_error = _readings(data, candidates)
    if not readings:
        assert first_error is not None
        raise _fail(
            data,
            first_error.start,
            f"undecodable byte 0x{data[first_error.start]:02x}: not UTF-8, and not "
            f"{' or '.join(candidates)} (declared {label or 'nothing'})",
            path,
        )
    if len(readings) > 1 and len({t for _, t in readings}) > 1:
        order = {codec: i for i, codec in enumerate(candidates)}  # the declared page first: it wins ties
        readings.sort(key=lambda r: (round(_mess(r[1]), 3), order[r[0]]))
    return readings[0]


def _single_byte_reason(data: bytes, bad: int, label: str | None, declared: str | None, codec: str, name: str) -> str:
    """The sentence the master records for a single-byte reading: what was declared, and
    why the bytes were read as ``name`` (``codec`` as decoded, named for its bytes)."""
    line, _column = position(data, bad)
    not_utf8 = f"byte 0x{data[bad]:02x} at line {line} is not UTF-8"
    if label is None:
        return f"no charset declared; {not_utf8}; read as {name}"
    if declared == "utf-8":
        return f"declared {label}, but {not_utf8}; read as {name}"
    if declared == codec and name == "windows-1252" and label not in ("windows-1252", "cp1252", "x-cp1252"):
        return (
            f"declared {label}; the bytes hold windows-1252 characters (0x80-0x9F), read as windows-1252 as browsers do"
        )
    if declared == codec or (declared == "windows-1252" and name == "iso-8859-1"):
        return f"read as the declared {label}"
    if declared is None:
        return f"declared {label}, a charset this reader does not know; {not_utf8}; read as {name}"
    return f"declared {label}, but the bytes read as {name} (charset-normalizer's mess measure)"
