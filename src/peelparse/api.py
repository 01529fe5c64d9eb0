"""The one entry point: ``parse(page) -> Report``, for page text or HTML, str or bytes."""

from __future__ import annotations

from typing import Literal

import attrs

from .diagnostics import Code, Reporter
from .input.decoding import Decoded, decode_html, decode_text, sniff
from .input.source import Source, Span
from .machine.hints import read_url
from .machine.runner import read
from .records import Report

__all__ = ["Format", "Page", "decode", "parse", "parse_decoded"]

Format = Literal["auto", "text", "html"]
_FORMATS = ("auto", "text", "html")


def _is_html(head: str) -> bool:
    if "<" not in head:  # no markup without a tag: plain text never imports the HTML reader
        return False
    from .input.html import looks_like_html

    return looks_like_html(head)


def parse(
    page: str | bytes,
    *,
    source: str | None = None,
    url: str | None = None,
    strict: bool = False,
    format: Format = "auto",
) -> Report:
    """Read one PEEL page, its saved text or its HTML, into a ``Report``.

    ``page`` is text (``str``) or the file's ``bytes``. ``format="auto"`` reads it as HTML when
    it starts with a doctype or holds an ``<html>``/``<body>`` element, else as text; say
    ``"text"`` or ``"html"`` to choose. Bytes are decoded as browsers do for HTML (BOM, then
    ``<meta charset>``, then UTF-8) and as UTF-8 (or their BOM's encoding) for text; invalid
    bytes become U+FFFD with an ``invalid-utf8`` diagnostic giving their byte offset.

    ``source`` is recorded as the report's ``source`` (the path, say). ``url`` is the page's
    address, recorded as ``url``: its path fills in force, cycle, pillar and kind where the text
    is silent, is checked against the text where it is not, and an address of a page that is
    no report (news, fire and rescue, …) makes the page ``unknown``. Without ``url``, a
    ``source`` that is a URL (``scheme://…``) serves as the address.

    Lenient by default: what cannot be placed becomes a ``Diagnostic`` on the report. With
    ``strict=True`` the first error-severity diagnostic raises ``PeelParseError`` instead.
    """
    if not isinstance(page, _PAGE_TYPES):
        raise TypeError(f"parse() takes the page as str or bytes, not {type(page).__name__}")
    if isinstance(page, str) and (
        format == "text" or (format == "auto" and not _is_html(page[:1024]))
    ):  # the common case, without a ``Page`` in between
        document = Source(page)
        return _parse_document(document, Reporter(document, strict=strict), None, source, url)
    return parse_decoded(decode(page, format), source=source, url=url, strict=strict)


_PAGE_TYPES = (str, bytes)


@attrs.frozen
class Page:
    """A page ready to parse: its text, how to read it, and how bytes were decoded."""

    text: str
    format: Literal["text", "html"]
    decoded: Decoded | None = None


def decode(page: str | bytes, format: Format = "auto") -> Page:
    """Decide text or HTML, and decode bytes (see ``parse``)."""
    if format not in _FORMATS:
        raise ValueError(f"format must be one of {', '.join(_FORMATS)}, not {format!r}")
    if format == "auto":
        head = sniff(page[:2048]) if isinstance(page, bytes) else page[:1024]
        format = "html" if _is_html(head) else "text"
    if isinstance(page, bytes):
        decoded = decode_html(page) if format == "html" else decode_text(page)
        return Page(text=decoded.text, format=format, decoded=decoded)
    return Page(text=page, format=format)


def parse_decoded(
    page: Page, *, source: str | None = None, url: str | None = None, strict: bool = False
) -> Report:
    """``parse`` for a page that ``decode`` has prepared."""
    if page.format == "html":
        from .input.html import extract_text

        extracted = extract_text(page.text)
        document = Source(extracted.text, extracted.html_lines)
        reporter = Reporter(document, strict=strict)
        for code, message, html_line in extracted.problems:
            at = len(document.text)
            reporter.report(code, message, Span(at, at), html_line=html_line)
    else:
        document = Source(page.text)
        reporter = Reporter(document, strict=strict)
    return _parse_document(document, reporter, page.decoded, source, url)


def _parse_document(
    document: Source,
    reporter: Reporter,
    decoded: Decoded | None,
    source: str | None,
    url: str | None,
) -> Report:
    if decoded is not None:
        _report_decoding(decoded, reporter, document)
    if "\x00" in document.text:
        at = document.text.index("\x00")
        reporter.report(Code.BINARY, "NUL characters: binary data, not a page", Span(at, at + 1))
    address = url if url is not None else (source if source and "://" in source else None)
    hint = read_url(address) if address is not None else None
    return read(document, reporter, hint=hint, origin=source, url=address)


def _report_decoding(decoded: Decoded, reporter: Reporter, document: Source) -> None:
    size = len(document.text)
    last = len(decoded.bad_bytes) - 1
    hidden = decoded.bad_total - len(decoded.bad_bytes)
    for index, (byte_offset, char_offset) in enumerate(decoded.bad_bytes):
        more = f" ({hidden} more invalid sequences)" if index == last and hidden > 0 else ""
        at = min(char_offset, size)
        reporter.report(
            Code.INVALID_UTF8,
            f"invalid {decoded.encoding} at byte {byte_offset}; replaced by U+FFFD{more}",
            Span(at, min(at + 1, size)),
        )
    if decoded.note is not None:
        reporter.report(Code.ENCODING_FALLBACK, decoded.note, Span(0, min(1, size)))
