"""Bytes to text: the page encodings users meet, with every replacement reported.

Text files: a UTF-8 or UTF-16 byte-order mark decides; otherwise UTF-8. HTML: as browsers do,
BOM, then ``<meta charset>`` (or ``http-equiv``) naming an encoding browsers read, then UTF-8,
then windows-1252 with a note. Either way every invalid sequence becomes U+FFFD and is counted,
and the first few are listed by byte offset.

Decoding is linear in the input whatever its bytes: the decoder runs once, in C, and calls a
small error handler per invalid sequence (it never re-decodes the rest of the input). Text
given as ``str`` is checked for lone surrogates (no encoder accepts them), which are replaced
the same way.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import re
import threading

import regex
from attrs import frozen

__all__ = [
    "MAX_REPORTED",
    "Decoded",
    "MostlyUndecodableError",
    "binary_limit",
    "decode_html",
    "decode_text",
    "has_nul",
    "replace_surrogates",
    "sniff",
]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", regex.IGNORECASE
)
_SURROGATE = re.compile("[\ud800-\udfff]")
#: How many invalid sequences are reported one by one before the rest are summed up.
MAX_REPORTED = 20

#: windows-1252 as browsers read it: the five bytes Python's cp1252 leaves undefined are the
#: C1 controls of the same number (the WHATWG Encoding Standard), so it never fails.
_WINDOWS_1252 = "".join(
    bytes([byte]).decode("cp1252", "replace").replace("\ufffd", chr(byte)) for byte in range(256)
)
#: WHATWG labels that Python's codec registry does not know, as names it does.
_LABEL_ALIASES = {
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "iso-8859-8-i": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "logical": "iso8859-8",
    "koi8-ru": "koi8-u",
    "mac": "mac-roman",
    "x-mac-roman": "mac-roman",
    "csmacintosh": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "windows-949": "cp949",
    "x-gbk": "gbk",
    "x-euc-jp": "euc_jp",
    "x-user-defined": "cp1252",  # the HTML standard's rule for a meta tag
    **{f"x-cp{n}": f"cp{n}" for n in range(1250, 1259)},
}
#: The encodings browsers read (Python codec name, as ``codecs.lookup`` gives it) and the codec
#: that reads them as browsers do. A declared charset outside this table is ignored, as
#: browsers ignore labels they do not know: Python also has codecs that are not text encodings
#: at all (rot13, base64, zlib, hex, uu, idna, punycode, undefined …).
_BROWSER_ENCODINGS = {
    "utf-8": "utf-8",
    # A meta tag cannot declare UTF-16: the bytes it was found in are ASCII-compatible.
    **dict.fromkeys(("utf-16", "utf-16-le", "utf-16-be"), "utf-8"),
    **dict.fromkeys(("cp1252", "iso8859-1", "ascii"), "windows-1252"),
    **{f"iso8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    "iso8859-9": "cp1254",
    **dict.fromkeys(("cp874", "tis-620", "iso8859-11"), "cp874"),
    **{f"cp{n}": f"cp{n}" for n in (1250, 1251, 1253, 1254, 1255, 1256, 1257, 1258)},
    **{name: name for name in ("cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic")},
    **dict.fromkeys(("gbk", "gb2312", "gb18030"), "gb18030"),
    **dict.fromkeys(("big5", "big5hkscs"), "big5hkscs"),
    **{name: name for name in ("euc_jp", "iso2022_jp")},
    **dict.fromkeys(("shift_jis", "cp932"), "cp932"),
    **dict.fromkeys(("euc_kr", "cp949"), "cp949"),
}


@frozen
class Decoded:
    """Decoded text, the encoding used, and what had to be replaced in it.

    ``bad_bytes`` lists ``(byte offset, char offset)`` of the first invalid sequences, each
    now a U+FFFD; ``bad_total`` counts them all. ``surrogates`` lists the char offsets of the
    first lone surrogates of a ``str`` page (each now a U+FFFD); ``surrogate_total`` counts
    them. ``note`` says why the encoding is not the one the page declared, if it is not.
    """

    text: str
    encoding: str
    bad_bytes: tuple[tuple[int, int], ...] = ()
    bad_total: int = 0
    note: str | None = None
    surrogates: tuple[int, ...] = ()
    surrogate_total: int = 0


class MostlyUndecodableError(ValueError):
    """More invalid sequences than the caller's limit: binary data, not a page."""


def _strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], name
    return data, None


def sniff(head: bytes) -> str:
    """The first bytes as text, good enough to recognise markup in any of our encodings."""
    body, bom = _strip_bom(head)
    return body.decode(bom or "latin-1", "ignore")


def binary_limit(size: int) -> int:
    """How many invalid sequences an input of ``size`` bytes may have and still be text."""
    return max(8, size // 10)


def has_nul(data: bytes) -> bool:
    """A NUL character (no page has one), found in the bytes before any decoding.

    UTF-16 (told by its byte-order mark) is checked by its two-byte code units, whose bytes
    are often zero.
    """
    body, bom = _strip_bom(data)
    if bom is None or bom == "utf-8":
        return b"\x00" in body
    found = body.find(b"\x00\x00")
    while found >= 0:
        if found % 2 == 0:
            return True
        found = body.find(b"\x00\x00", found + 1)
    return False


# ----------------------------------------------------------------------------- the decoder


class _Tally:
    """The invalid sequences met by one decoding: the first few, and how many in all."""

    def __init__(self, limit: int | None) -> None:
        self.spans: list[tuple[int, int]] = []
        self.total = 0
        self.limit = limit


_current = threading.local()


def _replace_and_count(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: U+FFFD for the bad sequence, which is counted (linear: the codec
    goes on from where it stopped)."""
    if not isinstance(error, UnicodeDecodeError):  # pragma: no cover - only used to decode
        raise error
    tally: _Tally = _current.tally
    tally.total += 1
    if tally.limit is not None and tally.total > tally.limit:
        raise MostlyUndecodableError(f"more than {tally.limit} invalid sequences")
    if len(tally.spans) < MAX_REPORTED:
        tally.spans.append((error.start, error.end))
    return "\ufffd", error.end


codecs.register_error("peelparse.replace-and-count", _replace_and_count)


def _decode(
    body: bytes, encoding: str, offset: int, limit: int | None
) -> tuple[str, tuple[tuple[int, int], ...], int]:
    """``body`` decoded, the ``(byte offset, char offset)`` of its first invalid sequences
    (byte offsets counted from ``offset``), and how many there were."""
    if encoding == "windows-1252":
        return codecs.charmap_decode(body, "strict", _WINDOWS_1252)[0], (), 0
    try:
        return body.decode(encoding), (), 0
    except UnicodeDecodeError:
        pass
    tally = _Tally(limit)
    _current.tally = tally
    try:
        text = body.decode(encoding, "peelparse.replace-and-count")
    finally:
        del _current.tally
    # Char offsets of the first few: decode what lies between them again (at most the input
    # once more, since the pieces do not overlap).
    bad: list[tuple[int, int]] = []
    chars = 0
    previous = 0
    for start, end in tally.spans:
        chars += len(body[previous:start].decode(encoding, "replace"))
        bad.append((offset + start, chars))
        chars += 1
        previous = end
    return text, tuple(bad), tally.total


def decode_text(data: bytes, *, limit: int | None = None) -> Decoded:
    """UTF-8 (or the BOM's encoding); invalid bytes become U+FFFD and are listed.

    With ``limit``, more invalid sequences than that raise ``MostlyUndecodableError`` as soon
    as they are met.
    """
    body, bom = _strip_bom(data)
    encoding = bom or "utf-8"
    text, bad, total = _decode(body, encoding, len(data) - len(body), limit)
    return Decoded(text=text, encoding=encoding, bad_bytes=bad, bad_total=total)


def _declared(data: bytes) -> tuple[str | None, str | None]:
    """The codec a ``<meta>`` in the first kilobyte declares, or a note saying why the
    declaration is ignored."""
    declared = _META_CHARSET.search(data[:1024])
    if declared is None:
        return None, None
    label = declared.group(1).decode("ascii").lower()
    name = _LABEL_ALIASES.get(label, label)
    with contextlib.suppress(LookupError):  # unknown to Python: unknown to browsers too
        name = codecs.lookup(name).name
    codec = _BROWSER_ENCODINGS.get(name)
    if codec is None:
        return None, f"declared charset {label!r} is not an encoding browsers read; ignored"
    return codec, None


def decode_html(data: bytes, *, limit: int | None = None) -> Decoded:
    """Decode HTML bytes as a browser does: BOM, then ``<meta charset>``, then UTF-8, then
    windows-1252 (see ``decode_text`` for ``limit``)."""
    body, bom = _strip_bom(data)
    if bom is not None:
        text, bad, total = _decode(body, bom, len(data) - len(body), limit)
        return Decoded(text=text, encoding=bom, bad_bytes=bad, bad_total=total)
    codec, note = _declared(data)
    if codec is not None:
        text, bad, total = _decode(data, codec, 0, limit)
        return Decoded(text=text, encoding=codec, bad_bytes=bad, bad_total=total)
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8", note=note)
    except UnicodeDecodeError as error:
        fallback = (
            f"not valid UTF-8 at byte {error.start} and no charset declared; read as windows-1252"
        )
        note = f"{note}; {fallback}" if note else fallback
        text = _decode(data, "windows-1252", 0, limit)[0]
        return Decoded(text=text, encoding="windows-1252", note=note)


def replace_surrogates(text: str) -> Decoded | None:
    """``text`` with each lone surrogate replaced by U+FFFD, or None when it has none.

    A ``str`` can hold code points no encoding can write (U+D800–U+DFFF alone, as
    ``surrogateescape`` or a broken UTF-16 source leaves them); no JSON encoder or HTML parser
    takes them.
    """
    if text.isascii() or _SURROGATE.search(text) is None:
        return None
    offsets = tuple(m.start() for m in itertools.islice(_SURROGATE.finditer(text), MAX_REPORTED))
    fixed, total = _SURROGATE.subn("\ufffd", text)
    return Decoded(text=fixed, encoding="str", surrogates=offsets, surrogate_total=total)
