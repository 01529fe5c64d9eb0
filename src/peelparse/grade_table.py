"""The grades table: which force got which grade, on which pillar and question, in which cycle.

Pages state a grade in several places: a pillar page's grade line and its questions' grade
lines, a findings page's, an overview's judgment sentences and its pillar blocks, and the same
page may be saved twice, months apart. Each such grade is a *statement*; the statements about
one cell (force, cycle, pillar, and question for question rows) become one ``GradeRow``:

- a real grade (outstanding … inadequate) beats "ungraded", which beats "not yet graded";
- where the real grades stated differ, ``agree`` is false, ``conflicts`` lists each value with
  its sources, and ``grade`` is the one from the most recent capture (see ``_recency``);
- ``sources`` names every page (its id, else its path) that states anything about the cell,
  once however often it was saved.

Only police report pages count: a page of kind ``unknown`` (fire and rescue, news, grade
tables), one with a ``not-a-report`` diagnostic, or one with no ``force_id`` (no one of the 43
forces) or no cycle gives no statement. The table does not depend on the order of its inputs.

docs/grades.md defines every column and rule.

>>> import peelparse
>>> page = "Kent PEEL 2017\\n\\nEfficiency\\n\\nLast updated 09/11/2017\\nGood"
>>> [row.grade.value for row in peelparse.grades([peelparse.parse(page)])]
['good']
"""

from __future__ import annotations

import datetime
import enum
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from attrs import frozen

from .diagnostics import Code
from .lex import lexicon as lx
from .records import Grade, PageKind, Pillar, Report

if TYPE_CHECKING:
    from .batch.tasks import Result

__all__ = [
    "COLUMNS",
    "GRADE_RANKS",
    "Claim",
    "GradeRow",
    "GradeTable",
    "GradeTableBuilder",
    "Level",
    "Status",
    "UnnumberedQuestion",
    "build_table",
    "grades",
]

#: The table's columns, in order.
COLUMNS = (
    "force_id",
    "force",
    "cycle",
    "year",
    "pillar",
    "question",
    "question_text",
    "level",
    "grade",
    "grade_rank",
    "status",
    "agree",
    "n_sources",
    "sources",
    "conflicts",
)

#: ``grade_rank``: 5 best, 1 worst; ungraded and not-yet-graded have none.
GRADE_RANKS: Mapping[Grade, int] = {
    Grade.OUTSTANDING: 5,
    Grade.GOOD: 4,
    Grade.ADEQUATE: 3,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.INADEQUATE: 1,
}

#: Pillars in the order pages print them; rows of a force and cycle follow it.
PILLAR_ORDER: Mapping[Pillar, int] = {pillar: index for index, pillar in enumerate(Pillar)}

#: The kinds of page that are police reports. ``unknown`` pages never give a row.
REPORT_KINDS = frozenset(
    {PageKind.PILLAR, PageKind.OVERVIEW, PageKind.FINDINGS, PageKind.ASSESSMENT}
)


#: The diagnostic that marks a page as no police report (fire and rescue, news, …).
class Level(enum.Enum):
    PILLAR = "pillar"
    QUESTION = "question"


class Status(enum.Enum):
    #: A real grade (outstanding … inadequate) is known.
    FINAL = "final"
    #: Only "not yet graded" is known: a grade is still to come.
    PROVISIONAL = "provisional"
    #: Only "ungraded" (printed "Ungraded", "Not graded", "Not being graded") is known.
    UNGRADED = "ungraded"


class Origin(enum.IntEnum):
    """Where on a page a grade is stated. Of two statements of the same date, the higher wins."""

    JUDGMENT = 0  # an overview's judgment sentence
    PILLAR_BLOCK = 1  # an overview's pillar block
    FINDINGS = 2  # a detailed-findings page's grade line
    PAGE = 3  # a pillar (or other report) page's own grade line


@frozen(kw_only=True)
class Claim:
    """One grade value and the sources that state it (in a row's ``conflicts``)."""

    grade: Grade
    sources: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.grade.value} ({', '.join(self.sources)})"


@frozen(kw_only=True)
class GradeRow:
    """One row of the grades table; ``as_dict()`` gives its flat form (CSV, Parquet)."""

    force_id: str
    force: str
    cycle: str
    year: int
    pillar: Pillar
    #: The question's number; None on pillar rows.
    question: int | None
    #: The question as printed (the longest text stated); None on pillar rows.
    question_text: str | None
    level: Level
    grade: Grade
    grade_rank: int | None
    status: Status
    agree: bool
    n_sources: int
    sources: tuple[str, ...]
    #: Each real grade stated, with its sources, best grade first; empty when ``agree``.
    conflicts: tuple[Claim, ...]

    def as_dict(self) -> dict[str, str | int | bool | None]:
        """The row as the table writes it: codes for enums, ``;``-joined sources, and
        conflicts as ``good (peel-2016/kent/effectiveness); requires_improvement (peel-2016/kent)``
        (two captures of one page that disagree are named by path: ``good (peel-2016/kent in
        march.txt); not … (peel-2016/kent in december.txt)``).
        """
        return {
            "force_id": self.force_id,
            "force": self.force,
            "cycle": self.cycle,
            "year": self.year,
            "pillar": self.pillar.value,
            "question": self.question,
            "question_text": self.question_text,
            "level": self.level.value,
            "grade": self.grade.value,
            "grade_rank": self.grade_rank,
            "status": self.status.value,
            "agree": self.agree,
            "n_sources": self.n_sources,
            "sources": ";".join(self.sources),
            "conflicts": "; ".join(str(claim) for claim in self.conflicts) or None,
        }


@frozen(kw_only=True)
class UnnumberedQuestion:
    """A graded question left out of the table: no number printed, and none could be found."""

    source: str
    cycle: str
    pillar: Pillar
    text: str
    grade: Grade


@frozen(kw_only=True)
class GradeTable:
    """The rows, and the graded questions that could not be given a number."""

    rows: tuple[GradeRow, ...]
    unnumbered: tuple[UnnumberedQuestion, ...]


#: A cell of the table: force_id, cycle, pillar, question number (None for the pillar).
Cell = tuple[str, str, Pillar, int | None]


@frozen(kw_only=True)
class _Statement:
    grade: Grade
    source: str
    #: The input it was read from: two captures of one page share ``source``, not ``path``.
    path: str
    origin: Origin
    date: datetime.date | None
    force: str
    year: int
    text: str | None = None


def _recency(statement: _Statement) -> tuple[object, ...]:
    """Orders statements from oldest to most recent capture.

    A known date beats an unknown one, a later date an earlier one; then a pillar page beats
    a findings page, an overview's pillar block and, last, its judgment sentence; then the
    source and the grade, so that nothing depends on the order of the inputs.
    """
    return (
        statement.date is not None,
        statement.date or datetime.date.min,
        statement.origin,
        statement.source,
        statement.grade.value,
    )


def _fold(text: str) -> str:
    """A question's text for comparison: case, apostrophes, white space, a final '?' ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split()).rstrip("?").rstrip()


_STOCK_NUMBERS: Mapping[tuple[str, Pillar, str], int] = {
    (cycle, pillar, _fold(text)): number
    for (cycle, pillar), texts in lx.NUMBERED_QUESTIONS.items()
    for number, text in enumerate(texts, start=1)
}


def _source_of(report: Report) -> str:
    """How a row names a page: its id, else the path it was read from."""
    return report.id or report.source or "-"


def police_report_key(report: Report) -> tuple[str, str, int] | None:
    """``(force_id, cycle, year)`` of a police report page, or None for any page that may give
    no row: not a report (kind ``unknown`` or a ``not-a-report`` diagnostic), no force of the
    43, or no cycle."""
    if report.kind not in REPORT_KINDS:
        return None
    if any(d.code == Code.NOT_A_REPORT for d in report.diagnostics):
        return None
    if report.force_id is None or report.cycle is None or report.year is None:
        return None
    return report.force_id, report.cycle, report.year


class GradeTableBuilder:
    """Collects the grade statements of reports one at a time; ``build()`` makes the table.

    Only statements are kept, never the reports, so a batch of any size streams through.
    """

    def __init__(self) -> None:
        self._pillars: defaultdict[Cell, list[_Statement]] = defaultdict(list)
        # Question statements wait for ``build``: an unprinted number may be learnt from
        # another page of the batch that prints it.
        self._questions: list[tuple[str, str, Pillar, int | None, str, _Statement]] = []
        self._printed: defaultdict[tuple[str, Pillar, str], set[int]] = defaultdict(set)

    def add(self, report: Report) -> None:
        """Take the grades ``report`` states (none unless it is a police report)."""
        key = police_report_key(report)
        if key is None:
            return
        force_id, cycle, year = key
        force = report.force or force_id
        source = _source_of(report)

        def state(
            grade: Grade, origin: Origin, date: datetime.date | None, text: str | None = None
        ) -> _Statement:
            return _Statement(
                grade=grade,
                source=source,
                path=report.source or "-",
                origin=origin,
                date=date,
                force=force,
                year=year,
                text=text,
            )

        block_dates = {b.pillar: b.last_updated for b in report.pillars if b.last_updated}
        for judgment in report.judgments:
            if judgment.pillar is not None and judgment.grade is not None:
                date = block_dates.get(judgment.pillar, report.last_updated)
                statement = state(judgment.grade, Origin.JUDGMENT, date)
                self._pillars[force_id, cycle, judgment.pillar, None].append(statement)
        for block in report.pillars:
            if block.pillar is not None and block.grade is not None:
                statement = state(block.grade, Origin.PILLAR_BLOCK, block.last_updated)
                self._pillars[force_id, cycle, block.pillar, None].append(statement)
        if report.pillar is None:
            return
        origin = Origin.FINDINGS if report.kind is PageKind.FINDINGS else Origin.PAGE
        if report.grade is not None:
            statement = state(report.grade, origin, report.last_updated)
            self._pillars[force_id, cycle, report.pillar, None].append(statement)
        for question in report.questions:
            if question.number is not None:
                self._printed[cycle, report.pillar, _fold(question.text)].add(question.number)
            if question.grade is not None:
                statement = state(question.grade, origin, report.last_updated, question.text)
                self._questions.append(
                    (force_id, cycle, report.pillar, question.number, question.text, statement)
                )

    def _number(self, cycle: str, pillar: Pillar, text: str) -> int | None:
        """The number of an unnumbered question: the one other pages of the batch print for
        the same question, else its stock number, else None."""
        key = (cycle, pillar, _fold(text))
        printed = self._printed.get(key, set())
        if len(printed) == 1:
            return next(iter(printed))
        return _STOCK_NUMBERS.get(key)

    def build(self) -> GradeTable:
        """The rows, sorted by force_id, cycle, pillar (in page order) and question."""
        cells: dict[Cell, list[_Statement]] = {k: list(v) for k, v in self._pillars.items()}
        unnumbered: list[UnnumberedQuestion] = []
        for force_id, cycle, pillar, number, text, statement in self._questions:
            if number is None:
                number = self._number(cycle, pillar, text)
            if number is None:
                unnumbered.append(
                    UnnumberedQuestion(
                        source=statement.source,
                        cycle=cycle,
                        pillar=pillar,
                        text=text,
                        grade=statement.grade,
                    )
                )
                continue
            cells.setdefault((force_id, cycle, pillar, number), []).append(statement)
        rows = [_row(cell, statements) for cell, statements in cells.items()]
        rows.sort(key=_row_order)
        unnumbered.sort(
            key=lambda u: (u.source, u.cycle, PILLAR_ORDER[u.pillar], u.text, u.grade.value)
        )
        return GradeTable(rows=tuple(rows), unnumbered=tuple(dict.fromkeys(unnumbered)))


def _row_order(row: GradeRow) -> tuple[str, str, int, int]:
    return (
        row.force_id,
        row.cycle,
        PILLAR_ORDER[row.pillar],
        -1 if row.question is None else row.question,
    )


def _row(cell: Cell, statements: list[_Statement]) -> GradeRow:
    force_id, cycle, pillar, number = cell
    real = [s for s in statements if s.grade in GRADE_RANKS]
    claims: defaultdict[Grade, set[str]] = defaultdict(set)
    for statement in real:
        claims[statement.grade].add(statement.source)
    agree = len(claims) <= 1
    if not agree:  # a page whose captures disagree is named with each capture's path
        split = {s.source for s in real if sum(s.source in c for c in claims.values()) > 1}
        claims = defaultdict(set)
        for statement in real:
            name = statement.source
            if name in split:
                name = f"{name} in {statement.path}"
            claims[statement.grade].add(name)
    if real:
        grade, status = max(real, key=_recency).grade, Status.FINAL
    elif any(s.grade is Grade.UNGRADED for s in statements):
        grade, status = Grade.UNGRADED, Status.UNGRADED
    else:
        grade, status = Grade.NOT_YET_GRADED, Status.PROVISIONAL
    sources = tuple(sorted({s.source for s in statements}))
    conflicts: tuple[Claim, ...] = ()
    if not agree:
        conflicts = tuple(
            Claim(grade=value, sources=tuple(sorted(claims[value])))
            for value in sorted(claims, key=lambda g: -GRADE_RANKS[g])
        )
    texts = [s.text for s in statements if s.text is not None]
    return GradeRow(
        force_id=force_id,
        force=min(s.force for s in statements),
        cycle=cycle,
        year=min(s.year for s in statements),
        pillar=pillar,
        question=number,
        question_text=min(texts, key=lambda t: (-len(t), t)) if texts else None,
        level=Level.PILLAR if number is None else Level.QUESTION,
        grade=grade,
        grade_rank=GRADE_RANKS.get(grade),
        status=status,
        agree=agree,
        n_sources=len(sources),
        sources=sources,
        conflicts=conflicts,
    )


def _reports(items: Iterable[Report | Result]) -> Iterable[Report]:
    for item in items:
        report = item if isinstance(item, Report) else item.report
        if report is not None:
            yield report


def build_table(reports: Iterable[Report | Result]) -> GradeTable:
    """The grades table of ``reports`` (or of ``parse_many`` results; failed ones are skipped),
    with the graded questions left out for want of a number."""
    builder = GradeTableBuilder()
    for report in _reports(reports):
        builder.add(report)
    return builder.build()


def grades(reports: Iterable[Report | Result]) -> tuple[GradeRow, ...]:
    """One row per force, cycle, pillar (and question) that the reports grade.

    ``reports`` are ``Report``s or the ``Result``s of ``parse_many`` (failed inputs give
    nothing): ``peelparse.grades(peelparse.parse_many(paths))``. Rows are sorted by force_id,
    cycle, pillar and question, and do not depend on the order of ``reports``.
    """
    return build_table(reports).rows
