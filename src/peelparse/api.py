"""The one entry point: ``parse(page) -> Report``, for page text or HTML, str or bytes."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

import attrs

from .diagnostics import Code, Reporter
from .input.decoding import Decoded, decode_html, decode_text, replace_surrogates, sniff
from .input.source import Source, Span
from .machine.hints import read_url
from .machine.runner import read
from .records import Report

__all__ = ["Format", "Page", "decode", "parse", "parse_decoded", "url_error"]

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

    ``source`` (a ``str``) is recorded as the report's ``source`` (the path, say). ``url`` is
    the page's address, recorded as ``url``: its path fills in force, cycle, pillar and kind
    where the text is silent, is checked against the text where it is not, and an address of a
    page that is no report (news, fire and rescue, …) makes the page ``unknown``; a ``url``
    that Python's URL parser rejects raises ``ValueError``. Without ``url``, a ``source`` that
    is a readable URL (``scheme://…``) serves as the address; any other ``source`` is only a
    label. Either of another type than ``str`` raises ``TypeError``.

    A ``str`` page's lone surrogates (U+D800–U+DFFF, which no encoding can write) become U+FFFD
    with a ``lone-surrogate`` diagnostic.

    Lenient by default: what cannot be placed becomes a ``Diagnostic`` on the report. With
    ``strict=True`` the first error-severity diagnostic raises ``PeelParseError`` instead.
    """
    if not isinstance(page, _PAGE_TYPES):
        raise TypeError(f"parse() takes the page as str or bytes, not {type(page).__name__}")
    for name, value in (("source", source), ("url", url)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"parse() takes {name} as a str or None, not {type(value).__name__}")
    if url is not None and (problem := url_error(url)) is not None:
        raise ValueError(problem)
    if (
        isinstance(page, str)
        and (format == "text" or (format == "auto" and not _is_html(page[:1024])))
        and _writable(page)
    ):  # the common case, without a ``Page`` in between
        document = Source(page)
        return _parse_document(document, Reporter(document, strict=strict), None, source, url)
    return parse_decoded(decode(page, format), source=source, url=url, strict=strict)


_PAGE_TYPES = (str, bytes)


def _writable(text: str) -> bool:
    """No lone surrogate (U+D800–U+DFFF): strict UTF-16 can write every other character, and
    its encoder (the cheapest that checks) tests each one several times faster than a pattern
    does. Named "utf-16", not "utf-16-le": ``str.encode`` calls that encoder directly, without
    a look-up in the codec registry."""
    if text.isascii():
        return True
    try:
        text.encode("utf-16")
    except UnicodeEncodeError:
        return False
    return True


# ------------------------------------------------------------------- the input side (issue 11)


def url_error(url: str) -> str | None:
    """Why ``url`` cannot serve as a page's address, or None when it can.

    It must be a ``str`` that Python's URL parser reads (``http://[::1`` is not) and that can
    be written as UTF-8 (no lone surrogates), since records carry it.
    """
    if not isinstance(url, str):
        return f"the url must be a str, not {type(url).__name__}"
    try:
        urlsplit(url)
        url.encode("utf-8")
    except ValueError as error:  # UnicodeEncodeError is a ValueError too
        return f"{url!r} is not a URL that can be read: {error}"
    return None


def _address(source: str | None, url: str | None) -> str | None:
    """The page's address: ``url``, else a ``source`` that is a readable URL."""
    if url is not None:
        return url
    if source and "://" in source and url_error(source) is None:
        return source
    return None


@attrs.frozen
class Page:
    """A page ready to parse: its text, how to read it, and how bytes were decoded."""

    text: str
    format: Literal["text", "html"]
    decoded: Decoded | None = None


def decode(page: str | bytes, format: Format = "auto", *, limit: int | None = None) -> Page:
    """Decide text or HTML, decode bytes, and replace a ``str``'s lone surrogates (see
    ``parse``).

    Linear in the input whatever it holds. With ``limit``, bytes with more invalid sequences
    than that raise ``MostlyUndecodableError`` as soon as the decoder meets them.
    """
    if format not in _FORMATS:
        raise ValueError(f"format must be one of {', '.join(_FORMATS)}, not {format!r}")
    if format == "auto":
        head = sniff(page[:2048]) if isinstance(page, bytes) else page[:1024]
        format = "html" if _is_html(head) else "text"
    if isinstance(page, bytes):
        decoder = decode_html if format == "html" else decode_text
        decoded = decoder(page, limit=limit)
        return Page(text=decoded.text, format=format, decoded=decoded)
    replaced = None if _writable(page) else replace_surrogates(page)
    if replaced is not None:
        return Page(text=replaced.text, format=format, decoded=replaced)
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
    address = _address(source, url)
    hint = read_url(address) if address is not None else None
    return read(document, reporter, hint=hint, origin=source, url=address)


def _report_decoding(decoded: Decoded, reporter: Reporter, document: Source) -> None:
    """What decoding replaced or fell back on. A replacement in a text page points at its
    character; in an HTML page at the start of the layout, with its HTML line (the layout has
    no place for it)."""
    _report_replaced(
        reporter,
        decoded,
        document,
        Code.INVALID_UTF8,
        [
            (f"invalid {decoded.encoding} at byte {byte_offset}; replaced by U+FFFD", char_offset)
            for byte_offset, char_offset in decoded.bad_bytes
        ],
        decoded.bad_total,
        "invalid sequences",
    )
    _report_replaced(
        reporter,
        decoded,
        document,
        Code.LONE_SURROGATE,
        [
            (f"lone surrogate at character {char_offset}; replaced by U+FFFD", char_offset)
            for char_offset in decoded.surrogates
        ],
        decoded.surrogate_total,
        "lone surrogates",
    )
    if decoded.note is not None:
        reporter.report(Code.ENCODING_FALLBACK, decoded.note, Span(0, min(1, len(document.text))))


def _report_replaced(
    reporter: Reporter,
    decoded: Decoded,
    document: Source,
    code: Code,
    listed: list[tuple[str, int]],
    total: int,
    what: str,
) -> None:
    """One diagnostic per listed replacement; the last also counts those not listed."""
    size = len(document.text)
    hidden = total - len(listed)
    for index, (message, char_offset) in enumerate(listed):
        more = f" ({hidden} more {what})" if index == len(listed) - 1 and hidden > 0 else ""
        if document.html_lines:
            html_line = decoded.text.count("\n", 0, char_offset) + 1
            span = Span(0, min(1, size))
            reporter.report(code, message + more, span, html_line=html_line)
        else:
            at = min(char_offset, size)
            reporter.report(code, message + more, Span(at, min(at + 1, size)))
