"""The typed records a page becomes.

Records are frozen and keyword-only; collections are tuples; closed vocabularies are enums.
Every element carries the ``span`` of the text it came from. Spans take no part in equality, so a
record read back from JSON (which has no spans) equals the one that was written.
"""

from __future__ import annotations

import datetime
import enum

from attrs import field, frozen

from .input.source import Source, Span

__all__ = [
    "Block",
    "Diagnostic",
    "Grade",
    "Heading",
    "Inspector",
    "Judgment",
    "ListBlock",
    "PageKind",
    "Paragraph",
    "Pillar",
    "PillarSummary",
    "Question",
    "Report",
    "Section",
    "Severity",
]

SCHEMA_VERSION = 1


class PageKind(enum.Enum):
    PILLAR = "pillar"
    OVERVIEW = "overview"
    FINDINGS = "findings"
    ASSESSMENT = "assessment"
    UNKNOWN = "unknown"


class Pillar(enum.Enum):
    EFFECTIVENESS = "effectiveness"
    EFFICIENCY = "efficiency"
    LEGITIMACY = "legitimacy"
    LEADERSHIP = "leadership"


class Grade(enum.Enum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    #: Printed "Ungraded", "Not graded" or "Not being graded": deliberately given no grade.
    UNGRADED = "ungraded"
    #: Printed "To be graded" or "not yet graded": a grade was still to come.
    NOT_YET_GRADED = "not_yet_graded"


class Severity(enum.Enum):
    #: Text could not be placed or a value is unreadable; ``strict=True`` raises on these.
    ERROR = "error"
    #: The page contradicts itself or its URL; the record is still complete.
    WARNING = "warning"


def _span() -> Span | None:
    """A span field: kept for tracing, ignored by equality and repr."""
    return field(default=None, eq=False, repr=False)  # type: ignore[no-any-return]


def _spans() -> tuple[Span, ...]:
    return field(default=(), eq=False, repr=False)


@frozen(kw_only=True)
class Paragraph:
    text: str
    span: Span | None = _span()


@frozen(kw_only=True)
class ListBlock:
    """A bullet list; ``lead_in`` is the ``…:`` paragraph printed right before it."""

    lead_in: str | None
    items: tuple[str, ...]
    span: Span | None = _span()
    item_spans: tuple[Span, ...] = _spans()


@frozen(kw_only=True)
class Heading:
    text: str
    span: Span | None = _span()


Block = Paragraph | ListBlock | Heading


@frozen(kw_only=True)
class Question:
    number: int | None
    text: str
    grade: Grade | None
    blocks: tuple[Block, ...] = ()
    areas_for_improvement: tuple[str, ...] = ()
    causes_of_concern: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    span: Span | None = _span()
    areas_for_improvement_spans: tuple[Span, ...] = _spans()
    causes_of_concern_spans: tuple[Span, ...] = _spans()
    recommendations_spans: tuple[Span, ...] = _spans()


@frozen(kw_only=True)
class Judgment:
    pillar: Pillar | None
    grade: Grade | None
    text: str
    span: Span | None = _span()


@frozen(kw_only=True)
class Inspector:
    name: str
    role: str
    span: Span | None = _span()


@frozen(kw_only=True)
class PillarSummary:
    pillar: Pillar | None
    headline_question: str | None
    last_updated: datetime.date | None
    grade: Grade | None
    summary: tuple[Block, ...] = ()
    span: Span | None = _span()


@frozen(kw_only=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()
    span: Span | None = _span()


@frozen(kw_only=True)
class Diagnostic:
    """Something that could not be placed or looked wrong, at a 1-based line and column."""

    code: str
    message: str
    line: int
    column: int
    severity: Severity = Severity.ERROR
    #: For HTML input: the line of the HTML file the offending text came from.
    html_line: int | None = field(default=None, eq=False)
    span: Span | None = _span()

    def __str__(self) -> str:
        where = f" (HTML line {self.html_line})" if self.html_line is not None else ""
        return (
            f"{self.line}:{self.column}{where}: {self.severity.value} [{self.code}] {self.message}"
        )


@frozen(kw_only=True)
class Report:
    """One page: identity, header values, content, and what could not be placed."""

    schema_version: int = SCHEMA_VERSION
    source: str | None = None
    url: str | None = None
    id: str | None = None
    kind: PageKind = PageKind.UNKNOWN
    force: str | None = None
    force_id: str | None = None
    year: int | None = None
    cycle: str | None = None
    pillar: Pillar | None = None
    title: str | None = None
    headline_question: str | None = None
    last_updated: datetime.date | None = None
    grade: Grade | None = None
    summary: tuple[Block, ...] = ()
    questions: tuple[Question, ...] = ()
    judgments: tuple[Judgment, ...] = ()
    inspector: Inspector | None = None
    observations: tuple[Block, ...] = ()
    pillars: tuple[PillarSummary, ...] = ()
    sections: tuple[Section, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    text: Source | None = field(default=None, eq=False, repr=False)

    def __repr__(self) -> str:
        """One short line: ``<Report peel-2017/cheshire/effectiveness pillar good, 3 questions>``.

        The whole record: ``peelparse.to_json(report)``; as a person reads it: ``peelparse
        show``.
        """
        name = self.id or (repr(self.source) if self.source is not None else "(no id)")
        grade = f" {self.grade.value}" if self.grade is not None else ""
        count = len(self.questions)
        parts = [f"{count} question{'' if count == 1 else 's'}"]
        if self.diagnostics:
            found = len(self.diagnostics)
            parts.append(f"{found} diagnostic{'' if found == 1 else 's'}")
        return f"<Report {name} {self.kind.value}{grade}, {', '.join(parts)}>"

    def line_column(self, span: Span) -> tuple[int, int]:
        """1-based line and column where ``span`` starts in the parsed text."""
        if self.text is None:
            raise ValueError("this report was not parsed from text (read from JSON?)")
        return self.text.line_column(span.start)

    def html_line(self, span: Span) -> int | None:
        """For a report read from HTML: the HTML source line ``span`` came from."""
        if self.text is None:
            raise ValueError("this report was not parsed from text (read from JSON?)")
        return self.text.html_line(span.start)

    def excerpt(self, span: Span) -> str:
        """The exact source text ``span`` covers (for HTML input: the laid-out text)."""
        if self.text is None:
            raise ValueError("this report was not parsed from text (read from JSON?)")
        return self.text.excerpt(span)
