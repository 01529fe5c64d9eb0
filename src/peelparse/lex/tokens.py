"""The token vocabulary shared by every front-end (text now, HTML later) and the machine."""

from __future__ import annotations

import enum
from typing import NamedTuple

__all__ = ["Token", "TokenKind"]


class TokenKind(enum.IntEnum):
    """What a line means on its own, before any context is applied.

    An ``IntEnum`` so that the machine's per-token table lookups hash in C.
    """

    BLANK = enum.auto()
    FURNITURE = enum.auto()
    PUBLISHED = enum.auto()
    TITLE = enum.auto()
    PILLAR = enum.auto()
    HEADLINE = enum.auto()
    LAST_UPDATED = enum.auto()
    GRADE = enum.auto()
    QUESTIONS_FOR = enum.auto()
    NUMBER = enum.auto()
    QUESTION = enum.auto()
    AREAS_FOR_IMPROVEMENT = enum.auto()
    CAUSE_OF_CONCERN = enum.auto()
    RECOMMENDATIONS = enum.auto()
    OBSERVATIONS = enum.auto()
    SECTION = enum.auto()
    INSPECTOR = enum.auto()
    BULLET = enum.auto()
    HEADING = enum.auto()
    TEXT = enum.auto()


class Token(NamedTuple):
    """One classified line (or part of a glued line).

    ``start``/``end`` are half-open offsets into the source; ``line`` and ``column`` are 1-based.
    ``text`` is the content with white space folded and any bullet marker removed; ``value``
    holds what the tokenizer parsed (a date, grade, number, pillar, title match or list depth).
    """

    kind: TokenKind
    text: str
    start: int
    end: int
    line: int
    column: int
    value: object = None

    def __repr__(self) -> str:
        return f"{self.kind.name}@{self.line}:{self.column} {self.text!r}"
