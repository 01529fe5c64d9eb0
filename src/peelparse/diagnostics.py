"""Stable diagnostic codes and the error raised in strict mode."""

from __future__ import annotations

import enum

from .input.source import Source, Span
from .records import Diagnostic, Severity

__all__ = ["Code", "PeelParseError", "diagnostic_at"]


class Code(enum.StrEnum):
    """Every diagnostic code peelparse emits, with the severity it carries."""

    #: A grade line that follows neither a date, a question nor a pillar block (error).
    STRAY_GRADE = "stray-grade"
    #: A "Last updated" line where no date is expected, or a second one (error).
    STRAY_DATE = "stray-date"
    #: A date that is not a calendar date, such as 31/02/2018 (error).
    INVALID_DATE = "invalid-date"
    #: A question number not followed by a question (error).
    ORPHAN_NUMBER = "orphan-number"
    #: Text above the page title that is not known site furniture (warning).
    TEXT_BEFORE_TITLE = "text-before-title"
    #: A second title line: pages run together (warning).
    REPEATED_TITLE = "repeated-title"
    #: A line printed twice in a row (warning).
    DUPLICATE_LINE = "duplicate-line"
    #: A judgment sentence naming another pillar than its position implies (warning).
    JUDGMENT_PILLAR_MISMATCH = "judgment-pillar-mismatch"
    #: A page value that contradicts the URL hint; the text wins (warning).
    URL_CONFLICT = "url-conflict"
    #: The title names a force that is not one of the 43 (warning).
    UNKNOWN_FORCE = "unknown-force"
    #: The pillar line, headline and "Questions for" disagree (warning).
    PILLAR_CONFLICT = "pillar-conflict"
    #: A pattern ran past its time limit on a hostile line (error).
    REGEX_TIMEOUT = "regex-timeout"
    #: Bytes that are not valid in the page's encoding (UTF-8, its BOM's, or an HTML page's
    #: declared charset), replaced by U+FFFD (error).
    INVALID_UTF8 = "invalid-utf8"
    #: A lone surrogate (U+D800–U+DFFF) in a page given as ``str``, replaced by U+FFFD (error).
    LONE_SURROGATE = "lone-surrogate"
    #: HTML bytes read with a fallback encoding (warning).
    ENCODING_FALLBACK = "encoding-fallback"
    #: HTML nested deeper than the parser reads; the deepest text is lost (error).
    HTML_TOO_DEEP = "html-too-deep"
    #: HTML the parser stopped reading (a resource limit): the rest of the page is lost (error).
    HTML_UNREADABLE = "html-unreadable"

    @property
    def severity(self) -> Severity:
        return Severity.ERROR if self in _ERRORS else Severity.WARNING


_ERRORS = frozenset(
    {
        Code.STRAY_GRADE,
        Code.STRAY_DATE,
        Code.INVALID_DATE,
        Code.ORPHAN_NUMBER,
        Code.REGEX_TIMEOUT,
        Code.INVALID_UTF8,
        Code.LONE_SURROGATE,
        Code.HTML_TOO_DEEP,
        Code.HTML_UNREADABLE,
    }
)


def diagnostic_at(code: Code, message: str, source: Source, span: Span) -> Diagnostic:
    """A diagnostic for ``span`` of ``source``, its line and column computed from the offset."""
    line, column = source.line_column(span.start)
    return Diagnostic(
        code=code.value,
        message=message,
        line=line,
        column=column,
        severity=code.severity,
        span=span,
    )


class PeelParseError(ValueError):
    """Raised by ``parse(..., strict=True)`` for the first error-severity diagnostic."""

    def __init__(self, diagnostic: Diagnostic, excerpt: str = "") -> None:
        self.diagnostic = diagnostic
        self.excerpt = excerpt
        super().__init__(str(self))

    def __str__(self) -> str:
        shown = f": {self.excerpt!r}" if self.excerpt else ""
        return f"{self.diagnostic}{shown}"
