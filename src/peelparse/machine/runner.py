"""Read one page: find its title, choose its family, walk its tokens, build its ``Report``."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from ..diagnostics import Code, Reporter
from ..input.source import LINE_BREAK, Source, Span
from ..lex.tokenizer import classify, fold, iter_tokens
from ..lex.tokens import Token, TokenKind
from ..records import Judgment, PageKind, Report
from . import table
from .blocks import value_span
from .family import OTHER_INSPECTIONS, Family, choose
from .hints import UrlHint
from .identity import identify
from .judgments import read_judgments
from .walk import Walk

__all__ = ["is_compact", "read"]

K = TokenKind
# Enum members that hot code compares with, read once: in Python 3.11 each read through the
# class runs the enum metaclass's ``__getattr__`` hook, which costs more than the comparison.
_FURNITURE, _TITLE = K.FURNITURE, K.TITLE
_UNKNOWN, _OVERVIEW = PageKind.UNKNOWN, PageKind.OVERVIEW

#: How many content lines may stand above the title (unknown banners) before it is no title.
_TITLE_WINDOW = 4
#: A blank line: a line break, white space, a line break.
#: (A CR is a break of its own only when no LF follows it: "\r\n" is one break, never a blank
#: line between two.)
_BLANK_LINE = re.compile(r"(?:\r\n|\r(?!\n)|\n)[^\S\r\n]*(?:\r\n|\r(?!\n)|\n)")
#: The same for a page without carriage returns: a pattern that starts with a literal scans
#: a page several times faster than one that starts with an alternation.
_BLANK_LINE_LF = re.compile(r"\n[^\S\r\n]*\n")
_CONTENT = re.compile(r"\S")


def is_compact(text: str) -> bool:
    """True for the compact rendering: no blank line between two lines of content.

    Furniture does not count as content, so a skip link above a blank line decides nothing.
    """
    since = 0
    blank_lines = _BLANK_LINE if "\r" in text else _BLANK_LINE_LF
    for blank in blank_lines.finditer(text):
        above = text[since : blank.start()]
        since = blank.end()
        if _has_content(above) and _CONTENT.search(text, blank.end()) is not None:
            return False
    return True


def _has_content(lines: str) -> bool:
    for raw in LINE_BREAK.split(lines):
        line = fold(raw)
        if line and classify(line)[0] is not _FURNITURE:
            return True
    return False


#: Lines that are not the page's content: never a title, never text above one.
_NOT_CONTENT = frozenset((K.FURNITURE, K.PUBLISHED))  # (no BLANK tokens reach the reader)
#: Lines that may stand above a title (unknown banners).
_PROSE = frozenset((K.HEADING, K.TEXT))


def _head(tokens: Iterator[Token]) -> tuple[list[Token], int | None]:
    """The first tokens, up to and including the title if there is one, and its index."""
    head: list[Token] = []
    seen = 0
    for token in tokens:
        head.append(token)
        kind = token.kind
        if kind in _NOT_CONTENT:
            continue
        if kind is _TITLE:
            return head, len(head) - 1
        seen += 1
        if seen >= _TITLE_WINDOW or kind not in _PROSE:
            break
    return head, None


def read(
    source: Source,
    reporter: Reporter,
    *,
    hint: UrlHint | None = None,
    origin: str | None = None,
    url: str | None = None,
) -> Report:
    """The report of ``source``; problems go to ``reporter``."""
    text = source.text
    walk = Walk(source, reporter, compact=is_compact(text))
    tokens = iter_tokens(text, blanks=False)  # blank lines: gaps between tokens' offsets
    head, title_at = _head(tokens)
    title = head[title_at] if title_at is not None else None
    family = choose(text, head, title, hint)
    if title_at is not None and family.kind is not _UNKNOWN:
        for token in head[:title_at]:
            if token.kind not in _NOT_CONTENT:
                walk.diagnose(
                    Code.TEXT_BEFORE_TITLE,
                    "text above the title is not known site furniture; left out of the record",
                    token,
                )
        head = head[title_at:]
    if family.clue is not None:
        clue = family.clue
        at = clue.span or Span(0, 0)
        reporter.report(Code.NOT_A_REPORT, f"not a police PEEL report: {clue.what}", at)
        if clue.against is not None:
            reporter.report(
                Code.URL_CONFLICT,
                f"the page is {clue.what}, its URL says a police {clue.against.value} page; "
                "kept the page's",
                at,
            )
    rest = table.run(walk, family.table, itertools.chain(head, tokens), limit=MAX_LINES)
    if rest is not None:
        _read_the_rest_as_one_paragraph(walk, rest)
    if _CONTENT.search(text, 1 if text.startswith("\ufeff") else 0) is None and not (
        reporter.diagnostics
    ):
        reporter.report(Code.EMPTY_PAGE, "the page holds no text", Span(0, 0))
    return _build(walk, family, hint, origin, url)


#: No PEEL page comes near this many lines of content (the complete Cheshire page has under a
#: hundred). Beyond it, reading the structure line by line would cost memory for nothing; the
#: rest of the page is kept as one paragraph instead, and a diagnostic says so.
MAX_LINES = 50_000


def _read_the_rest_as_one_paragraph(walk: Walk, first: Token) -> None:
    text = walk.text
    rest = " ".join(text[first.start :].split())
    walk.reporter.report(
        Code.PAGE_TOO_LONG,
        f"the page has more than {MAX_LINES:,} lines of content; from line {first.line:,} on it "
        "is kept as one paragraph",
        Span(first.start, first.start),
    )
    if rest:
        whole = Token(K.TEXT, rest, first.start, len(text), first.line, first.column)
        walk.prose.close()
        walk.prose.text(whole)


def _build(
    walk: Walk, family: Family, hint: UrlHint | None, origin: str | None, url: str | None
) -> Report:
    walk.close_number()
    kind = family.kind
    identity = identify(
        walk,
        kind,
        hint,
        other_inspections=family is OTHER_INSPECTIONS,
        police=family.clue is None or not family.clue.fire_and_rescue,
    )
    summary = walk.summary.build()
    judgments: tuple[Judgment, ...] = ()
    if kind is _OVERVIEW:
        judgments = read_judgments(summary, walk.reporter, walk.text)
    text, title, headline, date, grade = walk.text, walk.title, walk.headline, walk.date, walk.grade
    pillar_token = walk.pillar_token if identity.pillar is not None else None
    return Report(
        source=origin,
        url=url,
        id=identity.id,
        kind=kind,
        force=identity.force,
        force_id=identity.force_id,
        year=identity.year,
        cycle=identity.cycle,
        pillar=identity.pillar,
        title=None if title is None else title.text,
        headline_question=None if headline is None else headline.text,
        last_updated=None if date is None else date.dated.date,
        grade=walk.page_grade(),
        summary=summary,
        questions=tuple(q.build(walk) for q in walk.questions),
        judgments=judgments,
        inspector=walk.inspector,
        observations=walk.observations.build(),
        pillars=tuple(p.build(walk) for p in walk.pillars),
        sections=tuple(s.build(walk) for s in walk.sections),
        diagnostics=walk.reporter.sorted(),
        title_span=None if title is None else value_span(text, title),
        pillar_span=None if pillar_token is None else value_span(text, pillar_token),
        headline_question_span=None if headline is None else value_span(text, headline),
        last_updated_span=None if date is None else value_span(text, date),
        grade_span=None if grade is None else value_span(text, grade),
        text=walk.source,
    )
