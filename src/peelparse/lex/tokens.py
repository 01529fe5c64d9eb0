"""The token vocabulary shared by every front-end (text, HTML laid out as text) and the machine.

A token is one classified line: its kind, its folded text, the offsets it covers and, for the
kinds that carry one, a small frozen payload of what the line says (a date, a grade, a title).
The payload is read through typed properties (``token.grade``, ``token.title``), so the machine
never casts; asking a token for a payload its kind does not carry is a programming error and
raises ``TypeError``.
"""

from __future__ import annotations

import datetime
import enum
from typing import NamedTuple

from attrs import frozen

from ..records import Grade, Pillar

__all__ = ["Dated", "Pillared", "Signed", "Titled", "Token", "TokenKind", "Value"]


class TokenKind(enum.IntEnum):
    """What a line means on its own, before any context is applied.

    An ``IntEnum`` so that the machine's per-token table lookups hash in C.
    """

    BLANK = enum.auto()
    FURNITURE = enum.auto()
    #: "Contact <Name>": furniture under an inspector's signature, a heading elsewhere.
    CONTACT = enum.auto()
    #: "PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – <Force>": the link to a
    #: report, furniture on an overview page, a title on a publication page.
    REPORT_LINK = enum.auto()
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


@frozen
class Titled:
    """A title line: the force as printed, the year and cycle end, and the ``PEEL`` keyword."""

    name: str
    year: int
    end: str | None
    peel: bool


@frozen
class Dated:
    """A "Last updated" line: its date (None when cut or impossible) and whether it is whole."""

    date: datetime.date | None
    complete: bool


@frozen
class Pillared:
    """A pillar line, headline or "Questions for" line: the pillar it names, if any."""

    pillar: Pillar | None


@frozen
class Signed:
    """An inspector's signature: name and role, and where each starts within the line."""

    name: str
    role: str
    name_at: int
    role_at: int


Value = Titled | Dated | Pillared | Signed | Grade | int | None


class Token(NamedTuple):
    """One classified line (or part of a glued line).

    ``start``/``end`` are half-open offsets into the source, line break included, so the tokens
    of a page tile it; ``line`` and ``column`` are 1-based. ``text`` is the content with white
    space folded and any bullet marker removed.
    """

    kind: TokenKind
    text: str
    start: int
    end: int
    line: int
    column: int
    value: Value = None

    def __repr__(self) -> str:
        return f"{self.kind.name}@{self.line}:{self.column} {self.text!r}"

    @property
    def grade(self) -> Grade:
        value = self.value
        if isinstance(value, Grade):
            return value
        raise TypeError(f"{self!r} carries no grade")

    @property
    def pillar(self) -> Pillar | None:
        value = self.value
        if isinstance(value, Pillared):
            return value.pillar
        raise TypeError(f"{self!r} names no pillar")

    @property
    def dated(self) -> Dated:
        value = self.value
        if isinstance(value, Dated):
            return value
        raise TypeError(f"{self!r} carries no date")

    @property
    def title(self) -> Titled:
        value = self.value
        if isinstance(value, Titled):
            return value
        raise TypeError(f"{self!r} is no title")

    @property
    def signed(self) -> Signed:
        value = self.value
        if isinstance(value, Signed):
            return value
        raise TypeError(f"{self!r} is no signature")

    @property
    def number(self) -> int:
        value = self.value
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise TypeError(f"{self!r} carries no number")

    @property
    def depth(self) -> int:
        """A bullet's indentation (the number is its depth in columns)."""
        return self.number
