""" "Other inspections" pages: a pillar page's header and questions, then a section for each
report the page summarises ("Other reports", "Crime data integrity", …)."""

from __future__ import annotations

from ..lex.tokens import TokenKind
from . import actions as a
from . import pillar
from .rows import CONTENT, QUESTION_LINE
from .table import State, Table, do, when

__all__ = ["TABLE"]

K = TokenKind
S = State

#: A heading standing alone opens a report's section; a short line in a paragraph is text.
SECTION = when(a.stands_alone, do(a.open_section, S.SECTIONS), do(a.text))

TABLE: Table = {
    **pillar.TABLE,
    S.SUMMARY: (
        {**pillar.TABLE[S.SUMMARY][0], K.HEADING: SECTION, K.CONTACT: SECTION},
        pillar.TABLE[S.SUMMARY][1],
    ),
    S.QUESTION: (
        {**pillar.TABLE[S.QUESTION][0], K.HEADING: SECTION, K.CONTACT: SECTION},
        pillar.TABLE[S.QUESTION][1],
    ),
    S.SECTIONS: (
        {**CONTENT, K.HEADING: SECTION, K.CONTACT: SECTION, K.QUESTION: QUESTION_LINE,
         K.LAST_UPDATED: do(a.section_date), K.NUMBER: do(a.number),
         K.QUESTIONS_FOR: do(a.questions_for)},
        SECTION,
    ),
}  # fmt: skip
