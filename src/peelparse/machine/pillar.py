"""Pillar and detailed-findings pages: header, summary, numbered questions and their items."""

from __future__ import annotations

from ..lex.tokens import TokenKind
from . import actions as a
from .rows import BACK_TO_QUESTION, CONTENT, IGNORE, QUESTION_LINE
from .table import State, Table, do, goto, when

__all__ = ["ITEMS", "TABLE"]

K = TokenKind
S = State

#: The three item headings' states: entries, then back to the question.
ITEMS: Table = {
    S.AREAS: (
        {K.BULLET: do(a.entry), K.TEXT: when(a.first_entry, do(a.entry),
                                             when(a.soft_break, do(a.entry), BACK_TO_QUESTION))},
        BACK_TO_QUESTION,
    ),
    S.CONCERN: (
        {K.BULLET: do(a.entry), K.TEXT: when(a.first_entry, do(a.entry),
                                             when(a.recommendation_lead_in,
                                                  do(a.start_recommendations, S.RECOMMEND),
                                                  when(a.soft_break, do(a.entry),
                                                       BACK_TO_QUESTION)))},
        BACK_TO_QUESTION,
    ),
    S.RECOMMEND: (
        {K.BULLET: do(a.entry), K.TEXT: when(a.first_entry, do(a.entry),
                                             when(a.soft_break, do(a.entry),
                                                  when(a.after_lead_in, do(a.entry),
                                                       BACK_TO_QUESTION)))},
        BACK_TO_QUESTION,
    ),
}  # fmt: skip

TABLE: Table = {
    S.START: ({K.TITLE: do(a.read_title, S.HEADER)}, goto(S.HEADER)),
    S.HEADER: (
        {
            K.PILLAR: do(a.pillar_line),
            K.HEADLINE: when(a.headline_free, do(a.stock_headline), QUESTION_LINE),
            K.QUESTION: when(a.question_as_headline, do(a.headline), QUESTION_LINE),
            K.LAST_UPDATED: do(a.page_date),
            K.GRADE: do(a.page_grade),
            K.PUBLISHED: IGNORE,
        },
        goto(S.SUMMARY),
    ),
    S.SUMMARY: (
        {
            **CONTENT,
            K.QUESTION: QUESTION_LINE,
            K.HEADLINE: when(a.headline_before_summary, do(a.stock_headline), QUESTION_LINE),
            K.NUMBER: do(a.number),
            K.QUESTIONS_FOR: do(a.questions_for),
            K.PILLAR: do(a.summary_pillar),
            K.LAST_UPDATED: do(a.page_date),
            K.GRADE: when(a.after_date, do(a.page_grade), do(a.stray_grade)),
        },
        do(a.heading_block),
    ),
    S.QUESTION: (
        {
            **CONTENT,
            K.TEXT: when(a.recommendation_lead_in, do(a.start_recommendations, S.RECOMMEND),
                         do(a.question_text)),
            K.QUESTION: QUESTION_LINE,
            K.HEADLINE: QUESTION_LINE,
            K.NUMBER: do(a.number),
            K.GRADE: do(a.question_grade),
            K.AREAS_FOR_IMPROVEMENT: do(a.areas, S.AREAS),
            K.CAUSE_OF_CONCERN: do(a.concern, S.CONCERN),
            K.RECOMMENDATIONS: do(a.recommendations, S.RECOMMEND),
            K.QUESTIONS_FOR: do(a.questions_for),
        },
        do(a.heading_block),
    ),
    **ITEMS,
}  # fmt: skip
