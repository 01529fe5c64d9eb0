"""Transition tables: what each state does with each token kind, and where it goes next.

A page family's table maps every ``State`` to a row: the transitions of the token kinds the
state knows, and a default for the rest. A transition is ``Go(action, to)``: run the action on
the token, then enter state ``to``; ``again`` reads the same token once more in the new state
(markdown-it's "terminate and let the next rule have it"); ``when(guard, yes, no)`` chooses
between two transitions by a test of the walk and the token. Actions never change the state: every
state change is in a table, so a table is the whole control flow of its family.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from attrs import frozen

from ..lex.tokens import Token, TokenKind

if TYPE_CHECKING:
    from .walk import Walk

__all__ = [
    "Action",
    "Go",
    "Guard",
    "Row",
    "State",
    "Table",
    "check",
    "describe",
    "do",
    "goto",
    "run",
    "when",
]


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


# Read once: in Python 3.11 reading an enum member through its class runs the enum metaclass's
# ``__getattr__`` hook, and ``run`` starts once per page.
_FURNITURE, _START = TokenKind.FURNITURE, State.START
#: What ``run`` sees ahead of the last token.
_END: tuple[None] = (None,)

Action = Callable[["Walk", Token], None]
Guard = Callable[["Walk", Token], bool]


@frozen
class Go:
    """One transition: act, then move (and read the token again); or, with a guard, choose
    between two transitions."""

    action: Action | None = None
    to: State | None = None
    again: bool = False
    guard: Guard | None = None
    yes: Go | None = None
    no: Go | None = None

    def describe(self) -> str:
        """A short text of the transition, for the tables in docs/architecture.md."""
        if self.guard is not None and self.yes is not None and self.no is not None:
            return f"{_name(self.guard)}? {self.yes.describe()} : {self.no.describe()}"
        parts = [_name(self.action)] if self.action is not None else []
        if self.to is not None:
            parts.append(("↺ " if self.again else "→ ") + self.to.name)
        return " ".join(parts) or "·"


def _name(function: Callable[..., object]) -> str:
    return function.__name__.strip("_")


def do(action: Action, to: State | None = None) -> Go:
    """Run ``action``; then enter ``to`` if given."""
    return Go(action, to)


def goto(state: State) -> Go:
    """Enter ``state`` and let it read the same token."""
    return Go(None, state, again=True)


def when(guard: Guard, yes: Go, no: Go) -> Go:
    """``yes`` where ``guard`` holds for the walk and token, else ``no``."""
    return Go(guard=guard, yes=yes, no=no)


#: A state's row: the transitions of the kinds it knows, and its default.
Row = tuple[Mapping[TokenKind, Go], Go]
Table = Mapping[State, Row]


def run(walk: Walk, table: Table, tokens: Iterable[Token], *, limit: int) -> Token | None:
    """Feed ``tokens`` through ``table``, starting in ``State.START``; read at most ``limit``
    tokens and return the first one beyond them, if any (what is left of the stream).

    ``tokens`` come without blank lines (``iter_tokens(text, blanks=False)``: a third of a
    page's tokens would be blank, and cost as much as any other to make and to read). Where a
    token does not start at the end of the one before, blank lines stand between them: they
    end the current block (``walk.gap``) whatever the state. Furniture is in no field, whatever
    the state: it never reaches a table. The walk sees the token right below the one it reads
    (``walk.upcoming``), or None where blank lines, the end of the page or the limit come
    first.
    """
    furniture = _FURNITURE
    state = _START
    row, default = table[state]
    stream = iter(tokens)
    token = next(stream, None)
    if token is None:
        return None
    # Each token is read with the one after it; a for loop fetches it for less than ``next``.
    for upcoming in itertools.chain(itertools.islice(stream, limit - 1), _END):
        below = upcoming if upcoming is not None and upcoming.start == token.end else None
        kind = token.kind
        if kind is not furniture:
            walk.upcoming = below
            go: Go | None = row.get(kind, default)
            while go is not None:
                if go.guard is not None:
                    go = go.yes if go.guard(walk, token) else go.no
                    continue
                if go.action is not None:
                    go.action(walk, token)
                if go.to is not None and go.to is not state:
                    state = go.to
                    row, default = table[state]
                go = row.get(kind, default) if go.again else None
            walk.previous = token
        if upcoming is None:
            break
        if below is None and walk.collector is not None:  # no call where no entry could continue
            walk.gap()
        token = upcoming
    return next(stream, None)


def check(table: Table) -> None:
    """Raise ``ValueError`` where a table lacks a state it goes to, or could read one token
    again forever."""
    for state, (row, default) in table.items():
        for kind in TokenKind:
            _follow(table, state, kind, row.get(kind, default), (state,))


def _follow(table: Table, state: State, kind: TokenKind, go: Go, path: tuple[State, ...]) -> None:
    branches = [go]
    while branches:
        branch = branches.pop()
        if branch.guard is not None:
            branches.extend(b for b in (branch.yes, branch.no) if b is not None)
            continue
        target = branch.to
        if target is not None and target not in table:
            raise ValueError(f"{state.name} on {kind.name} goes to {target.name}, not in the table")
        if not branch.again or target is None:
            continue
        if target in path:
            shown = " → ".join(s.name for s in (*path, target))
            raise ValueError(f"{kind.name} would be read again forever: {shown}")
        row, default = table[target]
        _follow(table, target, kind, row.get(kind, default), (*path, target))


def describe(table: Table) -> str:
    """The table as a Markdown grid: a column per state, a row per token kind a state names
    (an empty cell takes the state's default, in the last row)."""
    states = list(table)
    kinds = [k for k in TokenKind if any(k in table[s][0] for s in states)]
    lines = [
        "| on | " + " | ".join(s.name for s in states) + " |",
        "| --- |" + " --- |" * len(states),
    ]
    for kind in kinds:
        cells = (table[s][0][kind].describe() if kind in table[s][0] else "" for s in states)
        lines.append(f"| {kind.name} | " + " | ".join(cells) + " |")
    lines.append("| *any other* | " + " | ".join(table[s][1].describe() for s in states) + " |")
    return "\n".join(lines)
