"""The one entry point: ``parse(text) -> Report``."""

from __future__ import annotations

from .diagnostics import PeelParseError
from .hints import read_url
from .machine import Machine
from .records import Report, Severity
from .source import Source
from .tokenizer import tokenize

__all__ = ["parse"]


def parse(
    text: str,
    *,
    source: str | None = None,
    url: str | None = None,
    strict: bool = False,
) -> Report:
    """Read the saved text of one PEEL page into a ``Report``.

    ``source`` is recorded as the report's ``source`` (a path or URL, as you like to see it).
    ``url`` is the page's address: its path fills in force, cycle, pillar and kind where the
    text is silent, and is checked against the text where it is not. When ``url`` is not given
    and ``source`` is a URL (``scheme://…``), ``source`` serves as the hint.

    Lenient by default: what cannot be placed becomes a ``Diagnostic`` on the report. With
    ``strict=True`` the first error-severity diagnostic raises ``PeelParseError`` instead.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"parse() takes the page text as str, not {type(text).__name__}; "
            "decode bytes first (for example data.decode('utf-8'))"
        )
    hint_from = url if url is not None else (source if source and "://" in source else None)
    hint = read_url(hint_from) if hint_from is not None else None
    if source is None:
        source = url
    page = Source(text)
    report = Machine(tokenize(text), page, hint=hint, origin=source).run()
    if strict:
        for diagnostic in report.diagnostics:
            if diagnostic.severity is Severity.ERROR:
                excerpt = page.excerpt(diagnostic.span) if diagnostic.span else ""
                raise PeelParseError(diagnostic, excerpt.rstrip("\r\n"))
    return report
