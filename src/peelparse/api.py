"""The one entry point: ``parse(page) -> Report``, for page text or HTML, str or bytes."""

from __future__ import annotations

from typing import Literal

import attrs

from .diagnostics import Code, PeelParseError, diagnostic_at
from .input.decoding import Decoded, decode_html, decode_text, sniff
from .input.source import Source, Span
from .lex.tokenizer import tokenize
from .machine.hints import read_url
from .machine.runner import Machine
from .records import Diagnostic, Report, Severity

__all__ = ["Format", "Page", "decode", "parse", "parse_decoded"]

Format = Literal["auto", "text", "html"]
_FORMATS = ("auto", "text", "html")


def _is_html(head: str) -> bool:
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

    ``source`` is recorded as the report's ``source``. ``url`` is the page's address: its path
    fills in force, cycle, pillar and kind where the text is silent, and is checked against the
    text where it is not. Without ``url``, a ``source`` that is a URL (``scheme://…``) serves.

    Lenient by default: what cannot be placed becomes a ``Diagnostic`` on the report. With
    ``strict=True`` the first error-severity diagnostic raises ``PeelParseError`` instead.
    """
    if not isinstance(page, str | bytes):
        raise TypeError(f"parse() takes the page as str or bytes, not {type(page).__name__}")
    return parse_decoded(decode(page, format), source=source, url=url, strict=strict)


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
        problems = extracted.problems
    else:
        document = Source(page.text)
        problems = ()

    hint_from = url if url is not None else (source if source and "://" in source else None)
    hint = read_url(hint_from) if hint_from is not None else None
    report = Machine(
        tokenize(document.text), document, hint=hint, origin=source, url=hint_from
    ).run()
    extra = _input_diagnostics(page.decoded, problems, document)
    if extra or document.html_lines:
        diagnostics = [*extra, *report.diagnostics]
        if document.html_lines:
            diagnostics = [_with_html_line(d, document) for d in diagnostics]
        diagnostics.sort(key=lambda d: (d.line, d.column))
        report = attrs.evolve(report, diagnostics=tuple(diagnostics))
    if strict:
        for diagnostic in report.diagnostics:
            if diagnostic.severity is Severity.ERROR:
                excerpt = document.excerpt(diagnostic.span) if diagnostic.span else ""
                raise PeelParseError(diagnostic, excerpt.rstrip("\r\n"))
    return report


def _diagnostic(code: Code, message: str, document: Source, offset: int) -> Diagnostic:
    span = Span(offset, min(offset + 1, len(document.text)))
    return diagnostic_at(code, message, document, span)


def _input_diagnostics(
    decoded: Decoded | None, problems: tuple[tuple[str, int], ...], document: Source
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if decoded is not None:
        for byte_offset, char_offset in decoded.bad_bytes:
            found.append(
                _diagnostic(
                    Code.INVALID_UTF8,
                    f"invalid {decoded.encoding} at byte {byte_offset}; replaced by U+FFFD",
                    document,
                    min(char_offset, len(document.text)),
                )
            )
        hidden = decoded.bad_total - len(decoded.bad_bytes)
        if hidden > 0:
            found[-1] = attrs.evolve(
                found[-1], message=found[-1].message + f" ({hidden} more invalid sequences)"
            )
        if decoded.note is not None:
            found.append(_diagnostic(Code.ENCODING_FALLBACK, decoded.note, document, 0))
    for message, html_line in problems:
        code = Code.HTML_TOO_DEEP if "deep" in message else Code.HTML_UNREADABLE
        diagnostic = _diagnostic(code, message, document, len(document.text))
        found.append(attrs.evolve(diagnostic, html_line=html_line))
    return found


def _with_html_line(diagnostic: Diagnostic, document: Source) -> Diagnostic:
    if diagnostic.html_line is not None or diagnostic.span is None:
        return diagnostic
    return attrs.evolve(diagnostic, html_line=document.html_line(diagnostic.span.start))
