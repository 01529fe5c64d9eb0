"""The one entry point: ``parse(page) -> Report``, for page text or HTML, str or bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import attrs

from .diagnostics import Code, PeelParseError, diagnostic_at
from .input.decoding import Decoded, decode_html, decode_text, replace_surrogates, sniff
from .input.source import Source, Span
from .lex.tokenizer import tokenize
from .machine.hints import read_url
from .machine.runner import Machine
from .records import Diagnostic, Report, Severity

if TYPE_CHECKING:  # pragma: no cover
    from .input.html import Problem

__all__ = ["Format", "Page", "decode", "parse", "parse_decoded", "url_error"]

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
    text where it is not; a ``url`` that Python's URL parser rejects raises ``ValueError``.
    Without ``url``, a ``source`` that is a readable URL (``scheme://…``) serves; any other
    ``source`` is only a label.

    A ``str`` page's lone surrogates (U+D800–U+DFFF, which no encoding can write) become
    U+FFFD with a ``lone-surrogate`` diagnostic.

    Lenient by default: what cannot be placed becomes a ``Diagnostic`` on the report. With
    ``strict=True`` the first error-severity diagnostic raises ``PeelParseError`` instead.
    """
    if not isinstance(page, str | bytes):
        raise TypeError(f"parse() takes the page as str or bytes, not {type(page).__name__}")
    if url is not None and (problem := url_error(url)) is not None:
        raise ValueError(problem)
    return parse_decoded(decode(page, format), source=source, url=url, strict=strict)


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


def _hint_source(source: str | None, url: str | None) -> str | None:
    """The address hints come from: ``url``, else a ``source`` that is a readable URL."""
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
    replaced = replace_surrogates(page)
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
        problems = extracted.problems
    else:
        document = Source(page.text)
        problems = ()

    hint_from = _hint_source(source, url)
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
    decoded: Decoded | None, problems: tuple[Problem, ...], document: Source
) -> list[Diagnostic]:
    """Diagnostics of the input itself: replaced bytes and surrogates, a fallback encoding,
    markup the parser could not read.

    A replacement in a text page points at its character in the text; in an HTML page it
    points at the start of the layout and gives its HTML line (the layout has no place for
    it).
    """
    found: list[Diagnostic] = []
    if decoded is not None:
        for byte_offset, char_offset in decoded.bad_bytes:
            found.append(
                _replacement(
                    Code.INVALID_UTF8,
                    f"invalid {decoded.encoding} at byte {byte_offset}; replaced by U+FFFD",
                    decoded,
                    document,
                    char_offset,
                )
            )
        _sum_up(found, decoded.bad_total - len(decoded.bad_bytes), "invalid sequences")
        for char_offset in decoded.surrogates:
            found.append(
                _replacement(
                    Code.LONE_SURROGATE,
                    f"lone surrogate at character {char_offset}; replaced by U+FFFD",
                    decoded,
                    document,
                    char_offset,
                )
            )
        _sum_up(found, decoded.surrogate_total - len(decoded.surrogates), "lone surrogates")
        if decoded.note is not None:
            found.append(_diagnostic(Code.ENCODING_FALLBACK, decoded.note, document, 0))
    for problem in problems:
        diagnostic = _diagnostic(problem.code, problem.message, document, len(document.text))
        found.append(attrs.evolve(diagnostic, html_line=problem.html_line))
    return found


def _replacement(
    code: Code, message: str, decoded: Decoded, document: Source, char_offset: int
) -> Diagnostic:
    if not document.html_lines:
        return _diagnostic(code, message, document, min(char_offset, len(document.text)))
    html_line = decoded.text.count("\n", 0, char_offset) + 1
    return attrs.evolve(_diagnostic(code, message, document, 0), html_line=html_line)


def _sum_up(found: list[Diagnostic], hidden: int, what: str) -> None:
    """Fold the count of replacements not listed one by one into the last listed."""
    if hidden > 0:
        found[-1] = attrs.evolve(found[-1], message=found[-1].message + f" ({hidden} more {what})")


def _with_html_line(diagnostic: Diagnostic, document: Source) -> Diagnostic:
    if diagnostic.html_line is not None or diagnostic.span is None:
        return diagnostic
    return attrs.evolve(diagnostic, html_line=document.html_line(diagnostic.span.start))
