"""The typed records a page becomes.

Records are frozen and keyword-only; collections are tuples; closed vocabularies are enums.
Every value read from the page carries a span (half-open offsets of exactly the text it was
read from): ``span`` for an element's own text, ``<field>_span`` for its other values and
``<field>_spans`` for its lists of strings. Spans take no part in equality, so a record read back
from JSON without spans equals the one that was written. The JSON contract, the schema and the
tables are all derived from these definitions (``peelparse.output``).
"""

from __future__ import annotations

import datetime
import enum
from typing import Any, ClassVar

import attrs
from attrs import field, frozen

from .diagnostics import Diagnostic, Severity
from .input.source import Source, Span

__all__ = [
    "SCHEMA_VERSION",
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


def _span() -> Any:
    """A span field: kept for tracing, written only on request, ignored by equality."""
    return field(default=None, eq=False, repr=False, metadata={"span": True})


def _spans() -> Any:
    return field(default=(), eq=False, repr=False, metadata={"span": True})


@frozen(kw_only=True)
class Paragraph:
    TYPE: ClassVar[str] = "paragraph"

    text: str
    span: Span | None = _span()


@frozen(kw_only=True)
class ListBlock:
    """A bullet list; ``lead_in`` is the ``…:`` paragraph printed right before it."""

    TYPE: ClassVar[str] = "list"

    lead_in: str | None
    items: tuple[str, ...]
    span: Span | None = _span()
    lead_in_span: Span | None = _span()
    item_spans: tuple[Span, ...] = _spans()


@frozen(kw_only=True)
class Heading:
    TYPE: ClassVar[str] = "heading"

    text: str
    span: Span | None = _span()


Block = Paragraph | ListBlock | Heading
#: The block classes by their JSON ``type``.
BLOCK_TYPES: dict[str, type[Paragraph] | type[ListBlock] | type[Heading]] = {
    cls.TYPE: cls for cls in (Paragraph, ListBlock, Heading)
}


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
    number_span: Span | None = _span()
    grade_span: Span | None = _span()
    areas_for_improvement_spans: tuple[Span, ...] = _spans()
    causes_of_concern_spans: tuple[Span, ...] = _spans()
    recommendations_spans: tuple[Span, ...] = _spans()


@frozen(kw_only=True)
class Judgment:
    pillar: Pillar | None
    grade: Grade | None
    text: str
    span: Span | None = _span()
    grade_span: Span | None = _span()


@frozen(kw_only=True)
class Inspector:
    name: str
    role: str
    span: Span | None = _span()
    name_span: Span | None = _span()
    role_span: Span | None = _span()


@frozen(kw_only=True)
class PillarSummary:
    pillar: Pillar | None
    headline_question: str | None
    last_updated: datetime.date | None
    grade: Grade | None
    summary: tuple[Block, ...] = ()
    span: Span | None = _span()
    headline_question_span: Span | None = _span()
    last_updated_span: Span | None = _span()
    grade_span: Span | None = _span()


@frozen(kw_only=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()
    span: Span | None = _span()


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
    title_span: Span | None = _span()
    pillar_span: Span | None = _span()
    headline_question_span: Span | None = _span()
    last_updated_span: Span | None = _span()
    grade_span: Span | None = _span()
    text: Source | None = field(default=None, eq=False, repr=False, metadata={"export": False})

    def _source(self) -> Source:
        if self.text is None:
            raise ValueError("this report was not parsed from text (read from JSON?)")
        return self.text

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
        return self._source().line_column(span.start)

    def html_line(self, span: Span) -> int | None:
        """For a report read from HTML: the HTML source line ``span`` came from."""
        return self._source().html_line(span.start)

    def excerpt(self, span: Span) -> str:
        """The exact source text ``span`` covers (for HTML input: the laid-out text)."""
        return self._source().excerpt(span)


# ------------------------------------------------------------------ fast construction
#
# The machine makes dozens of blocks a page. Calling a frozen slotted attrs class with keywords
# gathers them in a dict, then sets each field through ``object.__setattr__``; the functions
# below make the very same record by writing its slots directly, in about half the time. Each
# is checked against its class when this module loads: a field added, moved or given a
# validator or converter without its function following fails loudly, never with a slot unset.

_new_record = object.__new__


def _slot_setters(cls: type, *names: str) -> tuple[Any, ...]:
    fields = attrs.fields(cls)
    if tuple(a.name for a in fields) != names or any(
        a.validator is not None or a.converter is not None for a in fields
    ):
        raise TypeError(f"{cls.__name__}'s fields changed: update its fast constructor")
    return tuple(cls.__dict__[name].__set__ for name in names)


_PARAGRAPH_TEXT, _PARAGRAPH_SPAN = _slot_setters(Paragraph, "text", "span")


def new_paragraph(*, text: str, span: Span | None) -> Paragraph:
    """``Paragraph(text=text, span=span)``, faster (see above)."""
    record = _new_record(Paragraph)
    _PARAGRAPH_TEXT(record, text)
    _PARAGRAPH_SPAN(record, span)
    return record


_LIST_SETTERS = _slot_setters(ListBlock, "lead_in", "items", "span", "lead_in_span", "item_spans")


def new_list(
    *,
    lead_in: str | None,
    items: tuple[str, ...],
    span: Span | None,
    lead_in_span: Span | None,
    item_spans: tuple[Span, ...],
) -> ListBlock:
    """``ListBlock(...)`` with every field given, faster (see above)."""
    record = _new_record(ListBlock)
    set_lead_in, set_items, set_span, set_lead_in_span, set_item_spans = _LIST_SETTERS
    set_lead_in(record, lead_in)
    set_items(record, items)
    set_span(record, span)
    set_lead_in_span(record, lead_in_span)
    set_item_spans(record, item_spans)
    return record


_SECTION_HEADING, _SECTION_BLOCKS, _SECTION_SPAN = _slot_setters(
    Section, "heading", "blocks", "span"
)


def new_section(*, heading: str, blocks: tuple[Block, ...], span: Span | None) -> Section:
    """``Section(heading=..., blocks=..., span=...)``, faster (see above)."""
    record = _new_record(Section)
    _SECTION_HEADING(record, heading)
    _SECTION_BLOCKS(record, blocks)
    _SECTION_SPAN(record, span)
    return record
