"""Whose page this is, and which: force, cycle, pillar and the id a pipeline joins on.

The title says it for report pages; the address fills in what the title does not say and is
checked where it does (the text's value stands, and a ``url-conflict`` warning points at the
line that disagrees). A page that is not a report takes force and cycle from its first line
when that names a police force or a PEEL cycle, and has no id.
"""

from __future__ import annotations

import functools
from typing import NamedTuple, TypeVar

from ..diagnostics import Code
from ..forces import Force, lookup
from ..lex import lexicon as lx
from ..lex.tokens import Token
from ..records import PageKind, Pillar
from .hints import UrlHint, cycle_name
from .walk import Walk

__all__ = ["Identity", "identify"]

_T = TypeVar("_T")
# Read once: in Python 3.11 reading an enum member through its class runs the enum metaclass's
# ``__getattr__`` hook.
_UNKNOWN, _PILLAR, _FINDINGS = PageKind.UNKNOWN, PageKind.PILLAR, PageKind.FINDINGS


class Identity(NamedTuple):
    """What ``identify`` found (a named tuple: one is made for every page)."""

    force: str | None = None
    force_id: str | None = None
    year: int | None = None
    cycle: str | None = None
    pillar: Pillar | None = None
    id: str | None = None


def identify(
    walk: Walk, kind: PageKind, hint: UrlHint | None, *, other_inspections: bool, police: bool
) -> Identity:
    """``police`` is False for a fire and rescue service's page: its name is no police force."""
    title = walk.title
    if kind is _UNKNOWN:
        return _of_document(title, police=police)
    force: Force | None = None
    name = year = cycle = None
    if title is not None:
        titled = title.title
        force = lookup(titled.name)
        name = force.name if force is not None else titled.name
        if force is None:
            walk.diagnose(
                Code.UNKNOWN_FORCE, f"{titled.name!r} is not one of the 43 police forces", title
            )
        year = titled.year
        cycle = cycle_name(year, titled.end)
    pillar = walk.pillar if kind is _PILLAR or kind is _FINDINGS else None
    if hint is not None and hint.is_report:
        hinted = hint.force
        if name is None and hinted is not None:
            force, name = hinted, hinted.name
        elif hinted is not None and force is not hinted:
            _conflict(walk, "force", name, hinted.name, title)
        year = _check(walk, "year", year, hint.year, title)
        cycle = _check(walk, "cycle", cycle, hint.cycle, title)
        if kind is _PILLAR or kind is _FINDINGS:
            pillar = _check(walk, "pillar", pillar, hint.pillar, walk.pillar_token)
        if hint.kind is not kind and title is not None and {hint.kind, kind} != _PAIR:
            _conflict(walk, "kind", kind.value, hint.kind.value, title)
    force_id = None if force is None else force.id
    return Identity(
        force=name,
        force_id=force_id,
        year=year,
        cycle=cycle,
        pillar=pillar,
        id=_report_id(kind, force_id, year, pillar, other_inspections=other_inspections),
    )  # fmt: skip


#: A pillar page and its findings page: the address decides between them, silently.
_PAIR = {PageKind.PILLAR, PageKind.FINDINGS}


def _of_document(title: Token | None, *, police: bool) -> Identity:
    return _NO_IDENTITY if title is None else _named_in(title.text, police)


_NO_IDENTITY = Identity()


@functools.lru_cache(maxsize=1024)
def _named_in(value: str, police: bool) -> Identity:
    """The force and cycle a first line names; cached, as pages of one site repeat their first
    lines and the force pattern tries every force at every word."""
    match = lx.FORCE_IN_TEXT.search(value) if police else None
    force = None if match is None else lookup(match["name"])
    year = cycle = None
    if "PEEL" in value and (found := lx.PEEL_CYCLE.search(value)) is not None:
        year = int(found["year"])
        cycle = cycle_name(year, found["end"])
    return Identity(
        force=None if force is None else force.name,
        force_id=None if force is None else force.id,
        year=year,
        cycle=cycle,
    )


def _check(
    walk: Walk, name: str, text_value: _T | None, hinted: _T | None, at: Token | None
) -> _T | None:
    """The text's value, else the hint's; a disagreement is a diagnostic."""
    if text_value is None:
        return hinted
    if hinted is not None and text_value != hinted:
        shown = getattr(text_value, "value", text_value)
        _conflict(walk, name, shown, getattr(hinted, "value", hinted), at)
    return text_value


def _conflict(walk: Walk, name: str, text_value: object, hinted: object, at: Token | None) -> None:
    message = f"the page says {name} {text_value!r}, its URL says {hinted!r}; kept the page's"
    if at is not None:
        walk.diagnose(Code.URL_CONFLICT, message, at)


def _report_id(
    kind: PageKind,
    force_id: str | None,
    year: int | None,
    pillar: Pillar | None,
    *,
    other_inspections: bool,
) -> str | None:
    if force_id is None or year is None:  # a name that is no force gives no key to join on
        return None
    parts = [f"peel-{year}", force_id]
    if pillar is not None:
        parts.append(pillar.value)
    elif other_inspections:
        parts.append("other-inspections")
    if kind is _FINDINGS:
        parts.append("detailed-findings")
    return "/".join(parts)
