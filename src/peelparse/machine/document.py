"""Pages that are not police reports, and pages with no sign of being one: a title (the first
line of content), then text under headings that stand alone, nothing dropped."""

from __future__ import annotations

from ..lex.tokens import TokenKind
from . import actions as a
from .rows import IGNORE
from .table import State, Table, do, goto, when

__all__ = ["TABLE"]

K = TokenKind
S = State

SECTION = when(a.stands_alone, do(a.run_heading), do(a.run_text))

TABLE: Table = {
    S.START: ({K.PUBLISHED: IGNORE}, do(a.read_title, S.HEADER)),
    S.HEADER: ({K.PUBLISHED: IGNORE}, goto(S.SECTIONS)),
    S.SECTIONS: (
        {**dict.fromkeys(a.SHORT_LINES, SECTION), K.BULLET: do(a.bullet),
         K.TEXT: when(a.heading_shaped, SECTION, do(a.text)),
         K.LAST_UPDATED: do(a.line), K.GRADE: do(a.line)},
        do(a.text),
    ),
}  # fmt: skip
