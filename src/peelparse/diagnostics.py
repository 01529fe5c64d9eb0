"""Diagnostics: the stable codes, the record of one problem, and the one path they all take.

Like the ``email`` package's policy, every stage (decoding, HTML layout, tokenizer, machine, URL
hints) reports through one ``Reporter``: it records the problem, or in strict mode raises
``PeelParseError`` for an error at once, so no stage decides the policy for itself.
"""

from __future__ import annotations

import enum

from attrs import field, frozen

from .input.source import Source, Span

__all__ = ["Code", "Diagnostic", "PeelParseError", "Reporter", "Severity"]


class Severity(enum.Enum):
    #: Text could not be placed or a value is unreadable; ``strict=True`` raises on these.
    ERROR = "error"
    #: The page contradicts itself or its URL; the record is still complete.
    WARNING = "warning"
    #: Something a reader of the record should know, such as what kind of page this is not.
    INFO = "info"


class Code(enum.StrEnum):
    """Every diagnostic code peelparse emits; ``severity`` says how serious each one is."""

    #: A grade line that follows neither a date, a question nor a pillar block.
    STRAY_GRADE = "stray-grade"
    #: A "Last updated" line where no date is expected, or a second one.
    STRAY_DATE = "stray-date"
    #: A date that is not a calendar date (31/02/2018), or a half date mid-page (22/03/).
    INVALID_DATE = "invalid-date"
    #: A question number not followed by a question.
    ORPHAN_NUMBER = "orphan-number"
    #: A page with no text at all.
    EMPTY_PAGE = "empty-page"
    #: NUL characters: binary data, not a page.
    BINARY = "binary"
    #: A page of more lines than any page has: the rest is kept as one paragraph.
    PAGE_TOO_LONG = "page-too-long"
    #: Text above the page title that is not known site furniture.
    TEXT_BEFORE_TITLE = "text-before-title"
    #: A second title line: pages run together.
    REPEATED_TITLE = "repeated-title"
    #: A line printed twice in a row.
    DUPLICATE_LINE = "duplicate-line"
    #: A judgment sentence naming another pillar than its position implies.
    JUDGMENT_PILLAR_MISMATCH = "judgment-pillar-mismatch"
    #: A page value that contradicts the URL hint; the text wins.
    URL_CONFLICT = "url-conflict"
    #: The title names a force that is not one of the 43.
    UNKNOWN_FORCE = "unknown-force"
    #: The pillar line, headline and "Questions for" disagree.
    PILLAR_CONFLICT = "pillar-conflict"
    #: The page is not a police PEEL report (fire and rescue, news, explainer, …).
    NOT_A_REPORT = "not-a-report"
    #: Bytes that are not valid in the page's encoding (UTF-8, its BOM's, or an HTML page's
    #: declared charset), replaced by U+FFFD.
    INVALID_UTF8 = "invalid-utf8"
    #: A lone surrogate (U+D800–U+DFFF) in a page given as ``str``, replaced by U+FFFD.
    LONE_SURROGATE = "lone-surrogate"
    #: HTML bytes read with a fallback encoding, or a declared charset ignored.
    ENCODING_FALLBACK = "encoding-fallback"
    #: HTML nested deeper than the parser reads (2,048 levels); the rest of the page is lost.
    HTML_TOO_DEEP = "html-too-deep"
    #: HTML the parser failed on or stopped reading (a resource limit); the rest is lost.
    HTML_UNREADABLE = "html-unreadable"
    #: An HTML comment that never closes: the rest of the page is inside it, unread (as a
    #: browser would not show it either).
    HTML_UNCLOSED_COMMENT = "html-unclosed-comment"

    @property
    def severity(self) -> Severity:
        return _SEVERITY.get(self, Severity.ERROR)


_SEVERITY = {
    Code.TEXT_BEFORE_TITLE: Severity.WARNING,
    Code.REPEATED_TITLE: Severity.WARNING,
    Code.DUPLICATE_LINE: Severity.WARNING,
    Code.JUDGMENT_PILLAR_MISMATCH: Severity.WARNING,
    Code.URL_CONFLICT: Severity.WARNING,
    Code.UNKNOWN_FORCE: Severity.WARNING,
    Code.PILLAR_CONFLICT: Severity.WARNING,
    Code.ENCODING_FALLBACK: Severity.WARNING,
    Code.NOT_A_REPORT: Severity.INFO,
    Code.PAGE_TOO_LONG: Severity.WARNING,
    Code.HTML_UNCLOSED_COMMENT: Severity.WARNING,
}


@frozen(kw_only=True)
class Diagnostic:
    """Something that could not be placed or looked wrong, at a 1-based line and column."""

    code: Code
    message: str
    line: int
    column: int
    #: By default, its code's (a record read back without it gets the same value).
    severity: Severity = field()
    #: For HTML input: the line of the HTML file the offending text came from.
    html_line: int | None = field(default=None, eq=False)
    span: Span | None = field(default=None, eq=False, repr=False, metadata={"span": True})

    @severity.default
    def _code_severity(self) -> Severity:
        return self.code.severity

    def __str__(self) -> str:
        where = f" (HTML line {self.html_line})" if self.html_line is not None else ""
        return (
            f"{self.line}:{self.column}{where}: {self.severity.value} [{self.code}] {self.message}"
        )


class PeelParseError(ValueError):
    """Raised in strict mode for the first error-severity diagnostic; ``.diagnostic`` is it."""

    def __init__(self, diagnostic: Diagnostic, excerpt: str = "") -> None:
        self.diagnostic = diagnostic
        #: The text the diagnostic points at.
        self.excerpt = excerpt
        super().__init__(str(diagnostic))


class Reporter:
    """Where every stage sends its problems: records them, or raises in strict mode."""

    __slots__ = ("diagnostics", "source", "strict")

    def __init__(self, source: Source, *, strict: bool = False) -> None:
        self.source = source
        self.strict = strict
        self.diagnostics: list[Diagnostic] = []

    def report(self, code: Code, message: str, span: Span, *, html_line: int | None = None) -> None:
        source = self.source
        line, column = source.line_column(span.start)
        if html_line is None and source.html_lines:
            html_line = source.html_line(span.start)
        diagnostic = Diagnostic(
            code=code,
            message=message,
            line=line,
            column=column,
            severity=code.severity,
            html_line=html_line,
            span=span,
        )
        if self.strict and diagnostic.severity is Severity.ERROR:
            raise PeelParseError(diagnostic, source.excerpt(span).strip())
        self.diagnostics.append(diagnostic)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """The diagnostics in page order (stages report in their own order)."""
        return tuple(sorted(self.diagnostics, key=lambda d: (d.line, d.column)))
