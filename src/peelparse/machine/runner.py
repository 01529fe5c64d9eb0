"""The section-level state machine: tokens in, one ``Report`` out.

The machine decides the page kind once (``detect_kind``), then walks the tokens with a state
enum. ``Machine._rules`` maps each state to the handlers of the token kinds it takes; a kind
missing from a state's row goes to that state's default handler. Every token ends in a record
field, in furniture, or in a diagnostic.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable
from typing import TypeVar, cast

from ..diagnostics import Code, diagnostic_at
from ..input.source import Source, Span
from ..lex import lexicon as lx
from ..lex.tokens import Token, TokenKind
from ..records import (
    Diagnostic,
    Grade,
    Inspector,
    Judgment,
    PageKind,
    Pillar,
    PillarSummary,
    Question,
    Report,
    Section,
)
from .blocks import BlockBuilder, ItemCollector
from .hints import UrlHint, cycle_name
from .judgments import read_judgments

__all__ = ["Machine", "detect_kind", "is_compact"]

K = TokenKind
Rule = Callable[["Machine", Token], None]
_T = TypeVar("_T")

#: How many content lines may stand above the title (unknown banners) before it is no title.
_TITLE_WINDOW = 4


class State(enum.IntEnum):
    START = enum.auto()
    HEADER = enum.auto()
    SUMMARY = enum.auto()
    QUESTION = enum.auto()
    AREAS = enum.auto()
    CONCERN = enum.auto()
    RECOMMEND = enum.auto()
    SIGNED = enum.auto()
    OBSERVATIONS = enum.auto()
    PILLAR_BLOCK = enum.auto()
    SECTIONS = enum.auto()


#: The states that collect entries under "Areas for improvement" and its kin.
_ITEM_STATES = frozenset((State.AREAS, State.CONCERN, State.RECOMMEND))


def is_compact(tokens: tuple[Token, ...]) -> bool:
    """True for the compact rendering: no blank line between two lines of content.

    Furniture does not count as content, so a skip link above a blank line decides nothing.
    """
    seen_content = False
    pending_blank = False
    for token in tokens:
        kind = token.kind
        if kind is K.BLANK:
            pending_blank = seen_content
        elif kind is not K.FURNITURE:
            if pending_blank:
                return False
            seen_content = True
    return True


def find_title(tokens: tuple[Token, ...]) -> int | None:
    """Index of the title token: the first content line, or one of the first few."""
    seen = 0
    for index, token in enumerate(tokens):
        if token.kind in (K.BLANK, K.FURNITURE):
            continue
        if token.kind is K.TITLE:
            return index
        seen += 1
        if seen >= _TITLE_WINDOW or token.kind not in (K.HEADING, K.TEXT):
            return None
    return None


_OVERVIEW_TEXT = re.compile(
    r"(?:the extent to which|this is (?:the first peel|hmic)|the available evidence indicates)",
    re.IGNORECASE,
)


def detect_kind(tokens: tuple[Token, ...], title: Token | None, text: str) -> PageKind:
    """The page kind, from the title's form or, without a title, from the page's markers."""
    findings = lx.FINDINGS_MARKER in text
    if title is not None:
        match = cast(re.Match[str], title.value)
        if match["peel"]:
            return PageKind.FINDINGS if findings else PageKind.PILLAR
        return PageKind.OVERVIEW
    headlines: set[str] = set()
    pillar_evidence = False
    for token in tokens:
        kind = token.kind
        if kind is K.SECTION and token.text.casefold() in lx.ASSESSMENT_HEADINGS:
            return PageKind.ASSESSMENT
        if (
            kind is K.OBSERVATIONS
            or (kind is K.INSPECTOR and "Constabulary" in cast(tuple[str, str], token.value)[1])
            or (kind is K.FURNITURE and token.text.startswith("Read more about"))
        ):
            return PageKind.OVERVIEW
        if kind is K.TEXT and _OVERVIEW_TEXT.match(token.text):
            return PageKind.OVERVIEW
        if kind is K.GRADE and token.value is Grade.NOT_YET_GRADED:
            return PageKind.OVERVIEW
        if kind is K.HEADLINE:
            headlines.add(token.text.casefold())
        elif kind is K.QUESTIONS_FOR or (kind is K.QUESTION and "force" in token.text):
            pillar_evidence = True
    if len(headlines) >= 2:
        return PageKind.OVERVIEW
    if headlines or pillar_evidence:
        return PageKind.FINDINGS if findings else PageKind.PILLAR
    return PageKind.UNKNOWN


class _QuestionDraft:
    __slots__ = (
        "areas",
        "blocks",
        "concern",
        "end",
        "grade",
        "number",
        "recommend",
        "start",
        "text",
    )

    def __init__(self, token: Token, number: int | None, compact: bool) -> None:
        self.number = number
        self.text = token.text
        self.grade: Grade | None = None
        self.start = token.start
        self.end = token.end
        self.blocks = BlockBuilder(compact=compact)
        self.areas = ItemCollector(compact=compact)
        self.concern = ItemCollector(compact=compact)
        self.recommend = ItemCollector(compact=compact)

    @property
    def has_content(self) -> bool:
        return bool(self.blocks or self.areas.items or self.concern.items or self.recommend.items)

    def build(self) -> Question:
        return Question(
            number=self.number,
            text=self.text,
            grade=self.grade,
            blocks=self.blocks.build(),
            areas_for_improvement=tuple(self.areas.items),
            causes_of_concern=tuple(self.concern.items),
            recommendations=tuple(self.recommend.items),
            span=Span(self.start, self.end),
            areas_for_improvement_spans=tuple(self.areas.spans),
            causes_of_concern_spans=tuple(self.concern.spans),
            recommendations_spans=tuple(self.recommend.spans),
        )


class _PillarDraft:
    __slots__ = ("blocks", "date", "end", "grade", "headline", "pillar", "start")

    def __init__(self, token: Token, compact: bool) -> None:
        self.pillar: Pillar | None = None
        self.headline: str | None = None
        self.date: datetime.date | None = None
        self.grade: Grade | None = None
        self.blocks = BlockBuilder(compact=compact)
        self.start = token.start
        self.end = token.end

    def build(self) -> PillarSummary:
        return PillarSummary(
            pillar=self.pillar,
            headline_question=self.headline,
            last_updated=self.date,
            grade=self.grade,
            summary=self.blocks.build(),
            span=Span(self.start, self.end),
        )


class _SectionDraft:
    __slots__ = ("blocks", "end", "heading", "start")

    def __init__(self, token: Token, compact: bool) -> None:
        self.heading = token.text
        self.blocks = BlockBuilder(compact=compact)
        self.start = token.start
        self.end = token.end


class Machine:
    """Walks one page's tokens; ``run()`` returns its ``Report``."""

    def __init__(
        self,
        tokens: tuple[Token, ...],
        source: Source,
        *,
        hint: UrlHint | None = None,
        origin: str | None = None,
        url: str | None = None,
    ) -> None:
        self.tokens = tokens
        self.source = source
        self.hint = hint
        self.origin = origin
        self.url = url
        self.compact = is_compact(tokens)
        title_index = find_title(tokens)
        self.title_index = title_index
        self.title = tokens[title_index] if title_index is not None else None
        self.kind = detect_kind(tokens, self.title, source.text)
        self.diagnostics: list[Diagnostic] = []
        self.state = State.START  # _row and _builder_now are set with the builders below
        self.previous: Token | None = None  # the last token that was not blank or furniture
        self.content_seen = False

        # Page header values.
        self.pillar: Pillar | None = None
        self.headline: str | None = None
        self.date: datetime.date | None = None
        self.grade: Grade | None = None
        self.number: Token | None = None  # a question number waiting for its question

        # Content.
        self.summary = BlockBuilder(compact=self.compact)
        self.observations = BlockBuilder(compact=self.compact)
        self.questions: list[_QuestionDraft] = []
        self.pillars: list[_PillarDraft] = []
        self.sections: list[_SectionDraft] = []
        self.inspector: Inspector | None = None

        self._row = RULES[State.START]
        self._builder_now: BlockBuilder = self.summary

    # ----------------------------------------------------------------- driving
    def run(self) -> Report:
        for index, token in enumerate(self.tokens):
            kind = token.kind
            if kind is K.BLANK:
                self._gap()
                continue
            if kind is K.FURNITURE:
                continue
            if self.title_index is not None and index < self.title_index:
                self._diagnose(
                    Code.TEXT_BEFORE_TITLE,
                    "text above the title is not known site furniture; left out of the record",
                    token,
                )
                continue
            if kind is K.PUBLISHED and self._under_title():
                continue  # header metadata right under a title
            self._feed(token)
            self.previous = token
        return self._finish()

    def _under_title(self) -> bool:
        """True while nothing but the title (or an unknown page's first heading) was read."""
        if not self.content_seen:
            return True
        return len(self.sections) == 1 and not self.sections[0].blocks and not self.summary

    def _feed(self, token: Token) -> None:
        row, default = self._row
        row.get(token.kind, default)(self, token)

    def _enter(self, state: State) -> None:
        self.state = state
        self._row = RULES[state]
        self._retarget()

    def _retarget(self) -> None:
        """Point the prose builder at the part of the page the state writes to."""
        state = self.state
        if state is State.QUESTION or state in _ITEM_STATES:
            target = self.questions[-1].blocks if self.questions else self.summary
        elif state in (State.OBSERVATIONS, State.SIGNED):
            target = self.observations
        elif state is State.PILLAR_BLOCK:
            target = self.pillars[-1].blocks
        elif state is State.SECTIONS:
            target = self.sections[-1].blocks if self.sections else self.summary
        else:
            target = self.summary
        self._builder_now = target

    def _switch(self, state: State, token: Token) -> None:
        """Move to ``state`` and let it handle ``token``."""
        self._enter(state)
        self._feed(token)

    def _diagnose(self, code: Code, message: str, token: Token) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code.value,
                message=message,
                line=token.line,
                column=token.column,
                severity=code.severity,
                span=Span(token.start, token.end),
            )
        )

    def _gap(self) -> None:
        self._builder_now.gap()
        if self.state in _ITEM_STATES:
            collector = self._collector()
            if collector is not None:
                collector.gap()

    # ---------------------------------------------------------------- targets
    def _collector(self) -> ItemCollector | None:
        if not self.questions:
            return None
        question = self.questions[-1]
        return {
            State.AREAS: question.areas,
            State.CONCERN: question.concern,
            State.RECOMMEND: question.recommend,
        }.get(self.state)

    # --------------------------------------------------------- start, header
    def _start(self, token: Token) -> None:
        if self.kind in (PageKind.ASSESSMENT, PageKind.UNKNOWN):
            self._switch(State.SECTIONS, token)
        elif self.kind is PageKind.OVERVIEW:
            self._switch(State.SUMMARY, token)
        else:
            self._switch(State.HEADER, token)

    def _title(self, token: Token) -> None:
        self._enter(State.HEADER if self.kind is not PageKind.UNKNOWN else State.SECTIONS)

    def _pillar_line(self, token: Token) -> None:
        pillar = cast(Pillar | None, token.value)
        if self.kind is PageKind.OVERVIEW:
            self._pillar_block(token)
            return
        self._set_pillar(pillar, token)

    def _set_pillar(self, pillar: Pillar | None, token: Token) -> None:
        if pillar is None:
            return
        if self.pillar is None:
            self.pillar = pillar
        elif self.pillar is not pillar:
            self._diagnose(
                Code.PILLAR_CONFLICT,
                f"{token.text!r} names pillar {pillar.value}, but the page is {self.pillar.value}",
                token,
            )

    def _header_question(self, token: Token) -> None:
        if self.kind is PageKind.OVERVIEW:
            self._pillar_block(token)
        elif (
            self.headline is None
            and self.date is None
            and (token.kind is K.HEADLINE or self.title is not None or self.pillar is not None)
        ):
            # Without a title or pillar line, a first question is a question, not a headline.
            self.headline = token.text
            if token.kind is K.HEADLINE:
                self._set_pillar(cast(Pillar | None, token.value), token)
        else:
            self._question(token)

    def _to_summary(self, token: Token) -> None:
        self._switch(State.SUMMARY, token)

    def _page_date(self, token: Token) -> None:
        if self.kind is PageKind.OVERVIEW or self.date is not None or self.questions:
            self._stray_date(token)
        else:
            self.date = self._date(token)

    def _date(self, token: Token) -> datetime.date | None:
        """The date of a "Last updated" line; a complete one that is no calendar date is an
        error (a cut one, "Last updated 22/03/", is normal and simply gives no date)."""
        date, complete = cast(tuple[datetime.date | None, bool], token.value)
        if date is None and complete:
            self._diagnose(Code.INVALID_DATE, f"{token.text!r} is not a calendar date", token)
        return date

    def _stray_date(self, token: Token) -> None:
        self._diagnose(Code.STRAY_DATE, "a 'Last updated' line where no date belongs", token)

    def _page_grade(self, token: Token) -> None:
        after_date = self.previous is not None and self.previous.kind is K.LAST_UPDATED
        in_header = self.state is State.HEADER
        if (
            self.kind is PageKind.OVERVIEW
            or self.grade is not None
            or not (after_date or in_header)
        ):
            self._stray_grade(token)
            return
        self.grade = cast(Grade, token.value)

    def _stray_grade(self, token: Token) -> None:
        self._diagnose(
            Code.STRAY_GRADE,
            f"grade line {token.text!r} follows no date, question or pillar heading",
            token,
        )

    # --------------------------------------------------------------- content
    def _text(self, token: Token) -> None:
        self.content_seen = True
        builder = self._builder_now
        builder.text(token)

    def _heading(self, token: Token) -> None:
        self.content_seen = True
        previous = self.previous
        if (
            not self.compact
            and previous is not None
            and previous.end == token.start
            and previous.kind in (K.TEXT, K.HEADING)
        ):
            # Blank rendering: a short line glued to text is a soft line break, not a heading.
            self._builder_now.text(token)
        else:
            self._builder_now.heading(token)

    def _bullet(self, token: Token) -> None:
        self.content_seen = True
        builder = self._builder_now
        builder.bullet(token)

    def _heading_or_text(self, token: Token) -> None:
        """Default for prose states: a structural line out of place reads as content."""
        if token.kind in (K.GRADE, K.LAST_UPDATED, K.NUMBER):
            self._misplaced(token)
        elif token.kind is K.TITLE:
            self._diagnose(
                Code.REPEATED_TITLE, f"a second title {token.text!r}: pages run together?", token
            )
        elif token.kind in (K.TEXT, K.INSPECTOR, K.QUESTION, K.PUBLISHED):
            self._text(token)
        else:
            self._heading_block(token)

    def _heading_block(self, token: Token) -> None:
        self.content_seen = True
        builder = self._builder_now
        builder.heading(token)

    def _misplaced(self, token: Token) -> None:
        if token.kind is K.GRADE:
            self._stray_grade(token)
        elif token.kind is K.LAST_UPDATED:
            self._stray_date(token)
        else:
            self._diagnose(
                Code.ORPHAN_NUMBER, f"number {token.text} stands before no question", token
            )

    def _summary_pillar(self, token: Token) -> None:
        if self.kind is PageKind.OVERVIEW:
            self._pillar_block(token)
        elif self.pillar is None or self.pillar is token.value:
            self._set_pillar(cast(Pillar | None, token.value), token)
        else:
            self._heading_block(token)

    def _summary_headline(self, token: Token) -> None:
        if self.kind is PageKind.OVERVIEW:
            self._pillar_block(token)
        elif self.headline is None and not self.summary:
            self._header_question(token)
        else:
            self._question(token)

    # ------------------------------------------------------------- questions
    def _questions_for(self, token: Token) -> None:
        self._set_pillar(cast(Pillar | None, token.value), token)
        self._close_number()
        if self.questions:
            self.questions[-1].blocks.close()

    def _number(self, token: Token) -> None:
        self._close_number()
        self.number = token

    def _close_number(self) -> None:
        if self.number is not None:
            self._misplaced(self.number)
            self.number = None

    def _question(self, token: Token) -> None:
        if self.kind is PageKind.OVERVIEW:
            self._text(token)
            return
        previous = self.questions[-1] if self.questions else None
        if (
            previous is not None
            and previous.text == token.text
            and self.number is None
            and not previous.has_content
            and previous.grade is None
        ):
            self._diagnose(Code.DUPLICATE_LINE, "question line printed twice", token)
            return
        number = cast(int, self.number.value) if self.number is not None else None
        self.number = None
        self.content_seen = True
        self.questions.append(_QuestionDraft(token, number, self.compact))
        self._enter(State.QUESTION)

    def _question_grade(self, token: Token) -> None:
        question = self.questions[-1]
        if question.grade is None and not question.has_content:
            question.grade = cast(Grade, token.value)
        else:
            self._stray_grade(token)

    def _question_text(self, token: Token) -> None:
        if self.number is not None:
            self._close_number()
        if not self._recommendations_lead_in(token):
            self._text(token)

    def _recommendations_lead_in(self, token: Token) -> bool:
        """After a cause of concern, "To address this cause of concern, we recommend …:" starts
        the recommendations (their heading is an empty slot); it is their first entry."""
        question = self.questions[-1]
        if not (question.concern.items and lx.RECOMMENDATION_LEAD_IN.match(token.text)):
            return False
        self._enter(State.RECOMMEND)
        question.recommend.add(token, bullet=False)
        return True

    def _items_heading(self, token: Token) -> None:
        self._close_number()
        self.questions[-1].blocks.close()
        self._enter(
            {
                K.AREAS_FOR_IMPROVEMENT: State.AREAS,
                K.CAUSE_OF_CONCERN: State.CONCERN,
                K.RECOMMENDATIONS: State.RECOMMEND,
            }[token.kind]
        )

    def _item(self, token: Token) -> None:
        """A bullet, or a paragraph, under one of the three item headings."""
        collector = self._collector()
        assert collector is not None
        is_bullet = token.kind is K.BULLET
        if not is_bullet and collector.items:
            previous = self.previous
            glued = not self.compact and previous is not None and previous.end == token.start
            lead_in = (
                self.state is State.RECOMMEND
                and previous is not None
                and previous.text.endswith(":")
            )
            if self.state is State.CONCERN and self._recommendations_lead_in(token):
                return
            if not glued and not lead_in:
                self._back_to_question(token)
                return
        collector.add(token, bullet=is_bullet)

    def _back_to_question(self, token: Token) -> None:
        self._enter(State.QUESTION)
        self.questions[-1].blocks.close()
        self._feed(token)

    # -------------------------------------------------------------- overview
    def _inspector(self, token: Token) -> None:
        if self.kind is not PageKind.OVERVIEW:
            self._text(token)
            return
        if self.inspector is not None:
            self._diagnose(Code.DUPLICATE_LINE, "inspector line printed again", token)
            return
        name, role = cast(tuple[str, str], token.value)
        self.inspector = Inspector(name=name, role=role, span=Span(token.start, token.end))
        self._enter(State.SIGNED)

    def _to_observations(self, token: Token) -> None:
        self._switch(State.OBSERVATIONS, token)

    def _observations_heading(self, token: Token) -> None:
        if self.kind is not PageKind.OVERVIEW:
            self._heading_block(token)
            return
        self._enter(State.OBSERVATIONS)
        self.observations.close()

    def _pillar_block(self, token: Token) -> None:
        current = self.pillars[-1] if self.pillars and self.state is State.PILLAR_BLOCK else None
        fresh = (
            current is not None
            and not current.blocks
            and current.date is None
            and (current.grade is None)
        )
        if token.kind is K.PILLAR:
            if current is None or not fresh or current.pillar or current.headline:
                current = self._new_pillar_block(token)
            current.pillar = cast(Pillar | None, token.value)
        else:
            if current is None or not fresh or current.headline is not None:
                current = self._new_pillar_block(token)
            current.headline = token.text
            if current.pillar is None:
                current.pillar = cast(Pillar | None, token.value)
        current.end = token.end

    def _new_pillar_block(self, token: Token) -> _PillarDraft:
        draft = _PillarDraft(token, self.compact)
        self.pillars.append(draft)
        self._enter(State.PILLAR_BLOCK)
        self.content_seen = True
        return draft

    def _block_date(self, token: Token) -> None:
        block = self.pillars[-1]
        if block.date is not None or block.blocks:
            self._stray_date(token)
        else:
            block.date = self._date(token)

    def _block_grade(self, token: Token) -> None:
        block = self.pillars[-1]
        if block.grade is None and not block.blocks:
            block.grade = cast(Grade, token.value)
        else:
            self._stray_grade(token)

    # -------------------------------------------------------------- sections
    def _section_heading_or_text(self, token: Token) -> None:
        if token.kind in (K.TITLE, K.GRADE, K.NUMBER, K.LAST_UPDATED, K.INSPECTOR, K.PUBLISHED):
            self._text(token)
            return
        self.sections.append(_SectionDraft(token, self.compact))
        self.content_seen = True
        self._retarget()

    # ---------------------------------------------------------------- finish
    def _finish(self) -> Report:
        self._close_number()
        force, year, cycle, title_text = self._identity()
        summary = self.summary.build()
        judgments: tuple[Judgment, ...] = ()
        if self.kind is PageKind.OVERVIEW:
            judgments = read_judgments(summary, self._report_diagnostic)
        pillar = self.pillar
        kind = self.kind
        hint = self.hint
        if hint is not None:
            if hint.kind is PageKind.FINDINGS and kind is PageKind.PILLAR:
                kind = PageKind.FINDINGS
            elif hint.kind is not None and self.title is None and kind is not hint.kind:
                kind = hint.kind
            pillar = self._cross_check("pillar", pillar, hint.pillar)
        if kind not in (PageKind.PILLAR, PageKind.FINDINGS):
            pillar = None  # other kinds cover several pillars or none
        sections = tuple(
            Section(heading=s.heading, blocks=s.blocks.build(), span=Span(s.start, s.end))
            for s in self.sections
        )
        return Report(
            source=self.origin,
            url=self.url,
            id=_report_id(kind, force, year, pillar),
            kind=kind,
            force=force,
            force_id=lx.slug(force) if force in lx.FORCES else None,
            year=year,
            cycle=cycle,
            pillar=pillar,
            title=title_text,
            headline_question=self.headline,
            last_updated=self.date,
            grade=self.grade,
            summary=summary,
            questions=tuple(q.build() for q in self.questions),
            judgments=judgments,
            inspector=self.inspector,
            observations=self.observations.build(),
            pillars=tuple(p.build() for p in self.pillars),
            sections=sections,
            diagnostics=tuple(sorted(self.diagnostics, key=lambda d: (d.line, d.column))),
            text=self.source,
        )

    def _report_diagnostic(self, code: Code, message: str, span: Span) -> None:
        self.diagnostics.append(diagnostic_at(code, message, self.source, span))

    def _identity(self) -> tuple[str | None, int | None, str | None, str | None]:
        force = year = cycle = title_text = None
        title = self.title
        if title is not None:
            match = cast(re.Match[str], title.value)
            title_text = title.text
            force = match["force"] or match["other_force"]
            if match["other_force"]:
                self._diagnose(Code.UNKNOWN_FORCE, f"{force!r} is not one of the 43 forces", title)
            year = int(match["year"])
            cycle = cycle_name(year, match["end"])
        hint = self.hint
        if hint is not None:
            force = self._cross_check("force", force, hint.force)
            year = self._cross_check("year", year, hint.year)
            cycle = self._cross_check("cycle", cycle, hint.cycle)
        return force, year, cycle, title_text

    def _cross_check(self, name: str, text_value: _T | None, hint_value: _T | None) -> _T | None:
        """The text's value, else the hint's; a disagreement is a diagnostic."""
        if text_value is None:
            return hint_value
        if hint_value is not None and text_value != hint_value:
            anchor = self.title or (self.tokens[0] if self.tokens else None)
            shown = getattr(text_value, "value", text_value)
            hinted = getattr(hint_value, "value", hint_value)
            message = f"the page says {name} {shown!r}, its URL says {hinted!r}; kept the page's"
            if anchor is not None:
                self._diagnose(Code.URL_CONFLICT, message, anchor)
            else:
                self._report_diagnostic(Code.URL_CONFLICT, message, Span(0, 0))
        return text_value


def _report_id(
    kind: PageKind, force: str | None, year: int | None, pillar: Pillar | None
) -> str | None:
    if force is None or year is None:
        return None
    parts = [f"peel-{year}", lx.slug(force)]
    if kind in (PageKind.PILLAR, PageKind.FINDINGS) and pillar is not None:
        parts.append(pillar.value)
    if kind is PageKind.FINDINGS:
        parts.append("detailed-findings")
    return "/".join(parts)


#: The rule table: for each state, the handler of each token kind it takes, and the handler of
#: every other kind.
RULES: dict[State, tuple[dict[TokenKind, Rule], Rule]] = {
    State.START: ({K.TITLE: Machine._title}, Machine._start),
    State.HEADER: (
        {
            K.PILLAR: Machine._pillar_line,
            K.HEADLINE: Machine._header_question,
            K.QUESTION: Machine._header_question,
            K.LAST_UPDATED: Machine._page_date,
            K.GRADE: Machine._page_grade,
        },
        Machine._to_summary,
    ),
    State.SUMMARY: (
        {
            K.TEXT: Machine._text,
            K.HEADING: Machine._heading,
            K.BULLET: Machine._bullet,
            K.QUESTION: Machine._question,
            K.HEADLINE: Machine._summary_headline,
            K.NUMBER: Machine._number,
            K.QUESTIONS_FOR: Machine._questions_for,
            K.PILLAR: Machine._summary_pillar,
            K.LAST_UPDATED: Machine._page_date,
            K.GRADE: Machine._page_grade,
            K.INSPECTOR: Machine._inspector,
            K.OBSERVATIONS: Machine._observations_heading,
        },
        Machine._heading_or_text,
    ),
    State.QUESTION: (
        {
            K.TEXT: Machine._question_text,
            K.HEADING: Machine._heading,
            K.BULLET: Machine._bullet,
            K.QUESTION: Machine._question,
            K.HEADLINE: Machine._question,
            K.NUMBER: Machine._number,
            K.GRADE: Machine._question_grade,
            K.AREAS_FOR_IMPROVEMENT: Machine._items_heading,
            K.CAUSE_OF_CONCERN: Machine._items_heading,
            K.RECOMMENDATIONS: Machine._items_heading,
            K.QUESTIONS_FOR: Machine._questions_for,
        },
        Machine._heading_or_text,
    ),
    State.AREAS: ({K.BULLET: Machine._item, K.TEXT: Machine._item}, Machine._back_to_question),
    State.CONCERN: ({K.BULLET: Machine._item, K.TEXT: Machine._item}, Machine._back_to_question),
    State.RECOMMEND: (
        {K.BULLET: Machine._item, K.TEXT: Machine._item},
        Machine._back_to_question,
    ),
    State.SIGNED: (
        {
            K.INSPECTOR: Machine._inspector,
            K.OBSERVATIONS: Machine._observations_heading,
            K.PILLAR: Machine._pillar_block,
            K.HEADLINE: Machine._pillar_block,
        },
        Machine._to_observations,
    ),
    State.OBSERVATIONS: (
        {
            K.TEXT: Machine._text,
            K.HEADING: Machine._heading,
            K.BULLET: Machine._bullet,
            K.INSPECTOR: Machine._inspector,
            K.PILLAR: Machine._pillar_block,
            K.HEADLINE: Machine._pillar_block,
        },
        Machine._heading_or_text,
    ),
    State.PILLAR_BLOCK: (
        {
            K.TEXT: Machine._text,
            K.HEADING: Machine._heading,
            K.BULLET: Machine._bullet,
            K.PILLAR: Machine._pillar_block,
            K.HEADLINE: Machine._pillar_block,
            K.LAST_UPDATED: Machine._block_date,
            K.GRADE: Machine._block_grade,
            K.INSPECTOR: Machine._inspector,
            K.OBSERVATIONS: Machine._observations_heading,
        },
        Machine._heading_or_text,
    ),
    State.SECTIONS: (
        {K.TEXT: Machine._text, K.BULLET: Machine._bullet},
        Machine._section_heading_or_text,
    ),
}
