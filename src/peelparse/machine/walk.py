"""What a walk over one page holds: the parts of the page read so far, and where prose goes.

The family tables (``pillar``, ``overview``, ``sections``, ``other``, ``document``) decide what
each line is; the actions they name live in ``actions`` and write into a ``Walk``.
"""

from __future__ import annotations

import datetime

from ..diagnostics import Code, Reporter
from ..input.source import Source, Span
from ..lex.tokens import Token, TokenKind
from ..records import (
    Grade,
    Inspector,
    Pillar,
    PillarSummary,
    Question,
    Section,
    new_section,
)
from .blocks import BlockBuilder, ItemCollector, value_span

__all__ = ["PillarDraft", "QuestionDraft", "SectionDraft", "Walk"]

#: Lines that no line glued to them can make a heading: everything but blank lines, furniture
#: and bullets (a short line right above a list introduces it).
_NOT_PROSE = frozenset((TokenKind.BLANK, TokenKind.FURNITURE, TokenKind.BULLET))
# Read once: in Python 3.11 reading an enum member through its class runs the enum metaclass's
# ``__getattr__`` hook.
_BULLET = TokenKind.BULLET


class QuestionDraft:
    __slots__ = ("areas", "blocks", "concern", "grade", "number", "recommend", "token")

    def __init__(self, walk: Walk, token: Token, number: Token | None) -> None:
        self.token = token
        self.number = number
        self.grade: Token | None = None
        self.blocks = BlockBuilder(walk.text, compact=walk.compact)
        #: The entries under each items heading, made when the heading is first read.
        self.areas: ItemCollector | None = None
        self.concern: ItemCollector | None = None
        self.recommend: ItemCollector | None = None

    @property
    def has_content(self) -> bool:
        return bool(self.blocks) or any(
            c is not None and c.items for c in (self.areas, self.concern, self.recommend)
        )

    def build(self, walk: Walk) -> Question:
        text, token, number, grade = walk.text, self.token, self.number, self.grade
        areas, areas_spans = _built(self.areas)
        concerns, concerns_spans = _built(self.concern)
        recommendations, recommendations_spans = _built(self.recommend)
        return Question(
            number=None if number is None else number.number,
            text=token.text,
            grade=None if grade is None else grade.grade,
            blocks=self.blocks.build(),
            areas_for_improvement=areas,
            causes_of_concern=concerns,
            recommendations=recommendations,
            span=value_span(text, token),
            number_span=None if number is None else value_span(text, number),
            grade_span=None if grade is None else value_span(text, grade),
            areas_for_improvement_spans=areas_spans,
            causes_of_concern_spans=concerns_spans,
            recommendations_spans=recommendations_spans,
        )


def _built(collector: ItemCollector | None) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    return ((), ()) if collector is None else collector.build()


class PillarDraft:
    """An overview's pillar block: pillar line, headline, date, grade, summary."""

    __slots__ = ("blocks", "date", "first", "grade", "headline", "last", "pillar")

    def __init__(self, walk: Walk, token: Token) -> None:
        self.first = self.last = token
        self.pillar: Pillar | None = None
        self.headline: Token | None = None
        self.date: Token | None = None
        self.grade: Token | None = None
        self.blocks = BlockBuilder(walk.text, compact=walk.compact)

    @property
    def fresh(self) -> bool:
        """Nothing below the pillar line or headline yet."""
        return not self.blocks and self.date is None and self.grade is None

    def build(self, walk: Walk) -> PillarSummary:
        headline, date, grade = self.headline, self.date, self.grade
        start, end = walk.span(self.first), walk.span(self.last)
        return PillarSummary(
            pillar=self.pillar,
            headline_question=None if headline is None else headline.text,
            last_updated=None if date is None else date.dated.date,
            grade=None if grade is None else grade.grade,
            summary=self.blocks.build(),
            span=None if start is None or end is None else Span(start.start, end.end),
            headline_question_span=walk.span(headline),
            last_updated_span=walk.span(date),
            grade_span=walk.span(grade),
        )


class SectionDraft:
    __slots__ = ("blocks", "token")

    def __init__(self, walk: Walk, token: Token) -> None:
        self.token = token
        self.blocks = BlockBuilder(walk.text, compact=walk.compact)

    def build(self, walk: Walk) -> Section:
        return new_section(
            heading=self.token.text, blocks=self.blocks.build(), span=walk.span(self.token)
        )


class Walk:
    """The mutable side of reading one page; frozen records are built from it at the end."""

    __slots__ = (
        "collector",
        "compact",
        "date",
        "grade",
        "headline",
        "inspector",
        "number",
        "observations",
        "pillar",
        "pillar_token",
        "pillars",
        "previous",
        "prose",
        "questions",
        "reporter",
        "sections",
        "short_run",
        "source",
        "summary",
        "text",
        "title",
        "upcoming",
    )

    def __init__(self, source: Source, reporter: Reporter, *, compact: bool) -> None:
        self.source = source
        self.text = source.text
        self.reporter = reporter
        self.compact = compact
        #: The last token read that was neither blank nor furniture, and the one after this.
        self.previous: Token | None = None
        self.upcoming: Token | None = None

        # The page's header.
        self.title: Token | None = None
        self.pillar: Pillar | None = None
        self.pillar_token: Token | None = None
        self.headline: Token | None = None
        self.date: Token | None = None
        self.grade: Token | None = None
        #: A question number waiting for its question.
        self.number: Token | None = None

        # The page's parts.
        self.summary = BlockBuilder(self.text, compact=compact)
        self.observations = BlockBuilder(self.text, compact=compact)
        self.questions: list[QuestionDraft] = []
        self.pillars: list[PillarDraft] = []
        self.sections: list[SectionDraft] = []
        self.inspector: Inspector | None = None
        #: Where prose goes now, and where entries under an items heading go.
        self.prose = self.summary
        self.collector: ItemCollector | None = None
        #: Compact pages: where the last run of heading-shaped lines ends, and its length.
        self.short_run = (-1, 0)

    # ------------------------------------------------------------------ helpers
    def span(self, token: Token | None) -> Span | None:
        return None if token is None else value_span(self.text, token)

    def diagnose(self, code: Code, message: str, token: Token) -> None:
        self.reporter.report(code, message, Span(token.start, token.end))

    def gap(self) -> None:
        """A blank line: no entry continues across it (nor does a paragraph, which continues
        only onto the very next line)."""
        if self.collector is not None:
            self.collector.continues = False

    def glued_to_previous(self, token: Token) -> bool:
        """In the blank rendering, a line of content right above, with no blank line between."""
        previous = self.previous
        return (
            not self.compact
            and previous is not None
            and previous.end == token.start
            and previous.kind is not _BULLET
        )

    def glued_to_next(self, token: Token) -> bool:
        """In the blank rendering, a line of content right below, with no blank line between."""
        upcoming = self.upcoming
        return (
            not self.compact
            and upcoming is not None
            and upcoming.start == token.end
            and upcoming.kind not in _NOT_PROSE
        )

    def date_of(self, token: Token) -> datetime.date | None:
        """The date of a "Last updated" line. An impossible date (31/02/2018) is an error, and so
        is a half one ("Last updated 22/03/") anywhere but on the last line of a cut page."""
        dated = token.dated
        if dated.date is None:
            if dated.complete:
                self.diagnose(Code.INVALID_DATE, f"{token.text!r} is not a calendar date", token)
            elif token.end != len(self.text) or self.text.endswith(("\n", "\r")):
                self.diagnose(Code.INVALID_DATE, f"{token.text!r} is not a whole date", token)
        return dated.date

    def set_pillar(self, pillar: Pillar | None, token: Token) -> None:
        if pillar is None:
            return
        if self.pillar is None:
            self.pillar = pillar
            self.pillar_token = token
        elif self.pillar is not pillar:
            self.diagnose(
                Code.PILLAR_CONFLICT,
                f"{token.text!r} names pillar {pillar.value}, but the page is {self.pillar.value}",
                token,
            )

    def open_question(self, token: Token) -> None:
        self.questions.append(QuestionDraft(self, token, self.number))
        self.number = None
        self.prose = self.questions[-1].blocks

    def new_collector(self) -> ItemCollector:
        """Somewhere to collect the entries under an items heading."""
        return ItemCollector(self.text, compact=self.compact)

    def close_number(self) -> None:
        """A number that no question followed."""
        number = self.number
        if number is not None:
            self.number = None
            self.orphan_number(number)

    def orphan_number(self, number: Token) -> None:
        """A question number that no question follows."""
        self.diagnose(Code.ORPHAN_NUMBER, f"number {number.text} stands before no question", number)

    def page_grade(self) -> Grade | None:
        return None if self.grade is None else self.grade.grade
