"""Which family a page belongs to, decided once before the walk.

The clues, strongest first: an address of a report (kind, force, cycle and pillar), an address
that is no report's, a line that only pages that are not police reports print
(docs/page-formats.md, "Pages that are not reports"), the title's form (``<Force> PEEL <YYYY>``
for a pillar page, ``<Force> <YYYY>`` for an overview), and, on a page without a title, the
markers of each report kind. A report kind needs report evidence; a page without any is
``unknown``.
"""

from __future__ import annotations

import attrs
from attrs import frozen

from ..forces import lookup
from ..input.source import Span
from ..lex import lexicon as lx
from ..lex.tokens import Token, TokenKind
from ..records import PageKind
from . import document, other, overview, pillar, sections
from .hints import UrlHint
from .table import Table, describe

__all__ = ["FAMILIES", "Clue", "Family", "choose", "tables_markdown"]


@frozen
class Clue:
    """Why a page is not a report: what it is, and the line that says so (None: the URL).
    ``against`` is the report kind its address claimed, when the text overruled it."""

    what: str
    span: Span | None
    against: PageKind | None = None
    #: A fire and rescue service's page: its county's name is not a police force's.
    fire_and_rescue: bool = False


@frozen(eq=False)
class Family:
    """The table a page is read with, the kind it gives, and its not-a-report clue if any."""

    name: str
    table: Table
    kind: PageKind
    clue: Clue | None = None


PILLAR = Family("pillar", pillar.TABLE, PageKind.PILLAR)
FINDINGS = Family("findings", pillar.TABLE, PageKind.FINDINGS)
OTHER_INSPECTIONS = Family("other inspections", other.TABLE, PageKind.PILLAR)
OVERVIEW = Family("overview", overview.TABLE, PageKind.OVERVIEW)
ASSESSMENT = Family("assessment", sections.TABLE, PageKind.ASSESSMENT)
UNKNOWN = Family("unknown", document.TABLE, PageKind.UNKNOWN)
#: Every family, for the docs and the tests (findings pages share the pillar pages' table).
FAMILIES = (PILLAR, FINDINGS, OTHER_INSPECTIONS, OVERVIEW, ASSESSMENT, UNKNOWN)


def tables_markdown() -> str:
    """Every family's table, as docs/architecture.md shows them."""
    parts = []
    for family in FAMILIES:
        if family is FINDINGS:
            continue
        kinds = "pillar and findings pages" if family is PILLAR else f"{family.name} pages"
        parts.append(f"### {kinds.capitalize()}\n\n{describe(family.table)}\n")
    return "\n".join(parts)


_FAMILY_WORDS = {
    "fire_and_rescue": "a fire and rescue service's page",
    "grade_overview": "a grade overview page",
    "explainer": "an explainer",
    "force_landing_page": "a force's landing page",
    "news": "a news page",
    "publication": "a publication",
}

_NOT_CONTENT = frozenset((TokenKind.FURNITURE,))  # (the head holds no BLANK tokens)


def _not_a_report(text: str, head: list[Token], *, only: str | None = None) -> Clue | None:
    """The first line of the page that only a page that is no police report prints: its
    first line of content, publication metadata right under it, or a line further down.
    ``only`` restricts the clues to one family's."""
    content = [t for t in head if t.kind not in _NOT_CONTENT]
    first = content[0] if content else None
    if first is not None:
        value = first.text
        match = lx.NOT_A_REPORT_TITLES.search(value)
        if match is not None and match.lastgroup is not None and only in (None, match.lastgroup):
            return _clue(match.lastgroup, first.start, first.end)
        if only in (None, "force_landing_page") and (
            lx.FULL_FORCE_NAME.fullmatch(value) and lookup(value) is not None
        ):
            return _clue("force_landing_page", first.start, first.end)
        if only in (None, "news") and _news_headline(value):
            return _clue("news", first.start, first.end)
        if only in (None, "publication") and (
            len(content) > 1 and content[1].kind is TokenKind.PUBLISHED
        ):
            return _clue("publication", content[1].start, content[1].end)
    found = [
        (at, family)
        for family, markers in lx.NOT_A_REPORT_MARKERS.items()
        if only in (None, family) and (at := lx.first_marker(markers, text)) is not None
    ]
    if not found:
        return None
    at, family = min(found)
    end = min(e for e in (text.find("\n", at), text.find("\r", at), len(text)) if e >= 0)
    return _clue(family, at, end)


def _news_headline(line: str) -> bool:
    """A first line that names a force by its official name in a headline: no final stop, no
    longer than a headline ("Concerns about Cleveland Police’s performance")."""
    return (
        len(line) <= lx.HEADLINE_MAX
        and line[-1] not in ".:;,"
        and lx.OFFICIAL_NAME_IN_LINE.search(line) is not None
    )


def _clue(family: str, start: int, end: int) -> Clue:
    fire = family == "fire_and_rescue"
    return Clue(_FAMILY_WORDS[family], Span(start, end), fire_and_rescue=fire)


def _report_kind(text: str, title: Token | None) -> Family | None:
    """The report family a titled page, or an untitled page's markers, point to."""
    findings = lx.FINDINGS_MARKER in text
    if title is not None:
        if not title.title.peel:
            return OVERVIEW
        if lx.OTHER_INSPECTIONS.find(text) is not None:
            return OTHER_INSPECTIONS
        return FINDINGS if findings else PILLAR
    if _any_marker(lx.ASSESSMENT_MARKERS, text):
        return ASSESSMENT
    if _any_marker(lx.OVERVIEW_MARKERS, text):
        return OVERVIEW
    headlines = 0
    for marker in lx.HEADLINE_MARKERS:
        if marker.find(text) is not None:
            headlines += 1
            if headlines == 2:
                return OVERVIEW
    if headlines or _any_marker(lx.PILLAR_MARKERS, text):
        return FINDINGS if findings else PILLAR
    return None


def _any_marker(markers: tuple[lx.Marker, ...], text: str) -> bool:
    """Whether any of ``markers`` is on the page (the first one found ends the search)."""
    return any(marker.find(text) is not None for marker in markers)


def _from_hint(hint: UrlHint, text: str) -> Family:
    kind = hint.kind
    if kind is PageKind.OVERVIEW:
        return OVERVIEW
    if kind is PageKind.ASSESSMENT:
        return ASSESSMENT
    if kind is PageKind.FINDINGS:
        return FINDINGS
    if hint.other_inspections or lx.OTHER_INSPECTIONS.find(text) is not None:
        return OTHER_INSPECTIONS
    return PILLAR


def _may_be_fire(title: Token) -> bool:
    """A fire and rescue service's 2018/19 page is titled like a police overview."""
    titled = title.title
    return not titled.peel and titled.year == 2018


def choose(text: str, head: list[Token], title: Token | None, hint: UrlHint | None) -> Family:
    """The family of the page whose first tokens are ``head``, its title ``title`` if any."""
    if hint is not None and not hint.is_report:
        address = Clue(hint.note or "", None, fire_and_rescue=hint.fire_and_rescue)
        return Family(UNKNOWN.name, UNKNOWN.table, UNKNOWN.kind, address)
    if hint is not None:
        # An address decides, but not against a fire and rescue service's own words: its
        # pages are titled like police overviews and filed under the same county's name.
        fire = _not_a_report(text, head, only="fire_and_rescue")
        if fire is not None:
            overruled = attrs.evolve(fire, against=hint.kind)
            return Family(UNKNOWN.name, UNKNOWN.table, UNKNOWN.kind, overruled)
        found = _from_hint(hint, text)
        if title is None:
            return found
        text_family = _report_kind(text, title)
        if text_family is not None and {text_family, found} == {PILLAR, FINDINGS}:
            return found  # the address decides between a pillar page and its findings
        return text_family or found
    if title is None or _may_be_fire(title):
        clue = _not_a_report(text, head)
        if clue is not None:
            return Family(UNKNOWN.name, UNKNOWN.table, UNKNOWN.kind, clue)
    return _report_kind(text, title) or UNKNOWN
