"""Transitions that several family tables share."""

from __future__ import annotations

from collections.abc import Mapping

from ..lex.tokens import TokenKind
from . import actions as a
from .table import Go, State, do, when

__all__ = ["BACK_TO_QUESTION", "CONTENT", "IGNORE", "QUESTION_LINE"]

K = TokenKind

#: Read and drop: furniture in this place.
IGNORE = Go()

#: How a state that holds prose reads the lines that are not its own structure.
CONTENT: Mapping[TokenKind, Go] = {
    K.TEXT: do(a.text),
    K.HEADING: do(a.heading),
    K.BULLET: do(a.bullet),
    K.CONTACT: do(a.heading),
    K.REPORT_LINK: do(a.text),
    K.INSPECTOR: do(a.text),
    K.PUBLISHED: do(a.text),
    K.QUESTION: do(a.text),
    K.TITLE: do(a.repeated_title),
    K.GRADE: do(a.stray_grade),
    K.LAST_UPDATED: do(a.stray_date),
    K.NUMBER: do(a.orphan_number),
}

#: A question line opens a question, unless it repeats the one just read.
QUESTION_LINE = when(a.repeated_question, do(a.duplicate_question), do(a.question, State.QUESTION))

#: Leave an items heading's entries: the question's own blocks read the line.
BACK_TO_QUESTION = Go(a.end_items, State.QUESTION, again=True)
