"""Bytes to text: the page encodings users meet, with every fallback reported.

Text files: a UTF-8 or UTF-16 byte-order mark decides; otherwise UTF-8, with invalid bytes
replaced and each reported by byte offset. HTML: as browsers do, BOM, then ``<meta charset>``
(or ``http-equiv``), then UTF-8, then windows-1252 with a note.
"""

from __future__ import annotations

import codecs

import regex
from attrs import frozen

__all__ = ["Decoded", "decode_html", "decode_text", "looks_binary", "sniff"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", regex.IGNORECASE
)
#: How many invalid sequences are reported one by one before the rest are summed up.
MAX_REPORTED = 20


@frozen
class Decoded:
    """Decoded text, the encoding used, and ``(byte offset, char offset)`` of bad bytes."""

    text: str
    encoding: str
    bad_bytes: tuple[tuple[int, int], ...] = ()
    bad_total: int = 0
    note: str | None = None


def _strip_bom(data: bytes) -> tuple[bytes, str | None]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], name
    return data, None


def sniff(head: bytes) -> str:
    """The first bytes as text, good enough to recognise markup in any of our encodings."""
    body, bom = _strip_bom(head)
    return body.decode(bom or "latin-1", "ignore")


def decode_text(data: bytes) -> Decoded:
    """UTF-8 (or the BOM's encoding); invalid bytes become U+FFFD and are listed."""
    body, bom = _strip_bom(data)
    encoding = bom or "utf-8"
    try:
        return Decoded(text=body.decode(encoding), encoding=encoding)
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    bad: list[tuple[int, int]] = []
    total = 0
    chars = 0
    position = 0
    offset = len(data) - len(body)
    while True:
        try:
            rest = body[position:].decode(encoding)
        except UnicodeDecodeError as error:
            good = body[position : position + error.start].decode(encoding)
            parts.append(good)
            chars += len(good)
            total += 1
            if len(bad) < MAX_REPORTED:
                bad.append((offset + position + error.start, chars))
            parts.append("\ufffd")
            chars += 1
            position += max(error.end, error.start + 1)
        else:
            parts.append(rest)
            break
    return Decoded(text="".join(parts), encoding=encoding, bad_bytes=tuple(bad), bad_total=total)


def looks_binary(data: bytes, decoded: Decoded) -> bool:
    """NUL characters (no page has them), or more than a tenth of the bytes undecodable."""
    if "\x00" in decoded.text:
        return True
    return decoded.bad_total > max(8, len(data) // 10)


def decode_html(data: bytes) -> Decoded:
    """Decode HTML bytes as a browser does: BOM, then ``<meta charset>``, then UTF-8."""
    body, bom = _strip_bom(data)
    if bom is not None:
        return Decoded(text=body.decode(bom, "replace"), encoding=bom)
    declared = _META_CHARSET.search(data[:1024])
    if declared is not None:
        name = declared.group(1).decode("ascii").lower()
        try:
            name = codecs.lookup(name).name
        except LookupError:
            pass
        else:
            if name.startswith("utf-16"):
                name = "utf-8"  # a meta tag cannot declare UTF-16 (the HTML standard's rule)
            return Decoded(text=data.decode(name, "replace"), encoding=name)
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError as error:
        note = (
            f"not valid UTF-8 at byte {error.start} and no charset declared; read as windows-1252"
        )
        return Decoded(text=data.decode("cp1252", "replace"), encoding="cp1252", note=note)
