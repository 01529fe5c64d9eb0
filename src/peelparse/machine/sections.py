"""2021+ force assessments: every heading opens a section, in order."""

from __future__ import annotations

from ..lex.tokens import TokenKind
from . import actions as a
from .rows import IGNORE
from .table import State, Table, do, goto

__all__ = ["TABLE"]

K = TokenKind
S = State

#: Lines that are text on these pages, however they look elsewhere.
_TEXT = (K.TEXT, K.TITLE, K.GRADE, K.NUMBER, K.LAST_UPDATED, K.INSPECTOR, K.PUBLISHED,
         K.REPORT_LINK)  # fmt: skip

TABLE: Table = {
    S.START: ({K.TITLE: do(a.read_title, S.HEADER)}, goto(S.SECTIONS)),
    S.HEADER: ({K.PUBLISHED: IGNORE}, goto(S.SECTIONS)),
    S.SECTIONS: (
        {**dict.fromkeys(_TEXT, do(a.text)), K.BULLET: do(a.bullet)},
        do(a.open_section),
    ),
}
