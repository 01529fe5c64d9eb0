"""What a batch holds and lacks: the findings of ``peelparse check``.

One pass over the results of ``parse_many`` counts pages by kind and cycle, error records,
report pages lacking force, year or id, and diagnostics by code, and builds the grades table
(``grade_table``). From the table comes the *pillar matrix*: for each of the 43 forces, each
cycle the batch grades and each pillar the batch grades in that cycle, the cell's state.

Coverage is the share of the matrix's cells that are settled: a real grade is known (``final``
or ``conflict``) or a page says the pillar was not graded (``ungraded``). Cells ``provisional``
(only "not yet graded") and ``missing`` (no page states anything) are not. A (cycle, pillar)
pair is expected of every force as soon as any page of the batch grades it for one force, so a
batch is measured against the cycles and pillars it holds, never against ones it does not.
docs/grades.md defines each finding that ``--fail-on`` can name.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import frozen

from .batch.tasks import ErrorCode, InputError, Result
from .diagnostics import Code
from .forces import FORCES
from .grade_table import (
    PILLAR_ORDER,
    REPORT_KINDS,
    GradeRow,
    GradeTableBuilder,
    Level,
    Status,
    UnnumberedQuestion,
)
from .records import Grade, PageKind, Pillar, Report

__all__ = [
    "FINDINGS",
    "CellState",
    "DiagnosticCount",
    "Failure",
    "Inventory",
    "MatrixCell",
    "known_findings",
    "take_inventory",
]

#: Findings ``--fail-on`` can name besides diagnostic codes and input error codes.
FINDINGS: Mapping[str, str] = {
    "conflict": "rows (pillar or question) whose sources state different real grades",
    "error": "inputs that could not be read (error records)",
    "provisional": "pillar cells known only as not yet graded",
    "missing": "pillar cells of the matrix that no page states",
    "unknown": "pages that are not police reports (kind unknown)",
    "incomplete": "report pages lacking force, year or id",
    "unnumbered": "graded questions left out of the table for want of a number",
}

#: Fields a report page should have; a URL supplies them where the text does not.
IDENTITY_FIELDS = ("force", "year", "id")

#: Cycle label of pages with no cycle.
NO_CYCLE = "none"


def _the_forces() -> tuple[tuple[str, str], ...]:
    """``(force_id, name)`` of the 43 forces, sorted by id."""
    return tuple(sorted((force.id, force.name) for force in FORCES))


def known_findings() -> frozenset[str]:
    """Every word ``--fail-on`` accepts: the findings above, diagnostic codes (including
    ``not-a-report``) and the codes of error records (``unreadable``, ``binary``, …)."""
    return frozenset({*FINDINGS, *(code.value for code in Code), *(e.value for e in ErrorCode)})


class CellState(enum.Enum):
    FINAL = "final"
    CONFLICT = "conflict"
    UNGRADED = "ungraded"
    PROVISIONAL = "provisional"
    MISSING = "missing"


#: States that count as covered.
SETTLED = frozenset({CellState.FINAL, CellState.CONFLICT, CellState.UNGRADED})


@frozen(kw_only=True)
class MatrixCell:
    force_id: str
    force: str
    cycle: str
    pillar: Pillar
    state: CellState
    grade: Grade | None
    sources: tuple[str, ...]


@frozen(kw_only=True)
class Failure:
    """An input that gave no record."""

    source: str
    code: str
    message: str


@frozen(kw_only=True)
class DiagnosticCount:
    code: str
    severity: str
    count: int
    pages: int


@frozen(kw_only=True)
class Inventory:
    """What ``take_inventory`` found; ``to_dict()`` is the JSON form of ``peelparse check``."""

    inputs: int
    #: Pages read, by kind and cycle (``none`` for pages with no cycle).
    pages: Mapping[str, Mapping[str, int]]
    failures: tuple[Failure, ...]
    #: Report pages lacking a field, by kind then field: their sources.
    lacking: Mapping[str, Mapping[str, tuple[str, ...]]]
    diagnostics: tuple[DiagnosticCount, ...]
    rows: tuple[GradeRow, ...]
    unnumbered: tuple[UnnumberedQuestion, ...]
    #: The cycles the batch grades, and the pillars each grades, in order.
    pillars: Mapping[str, tuple[Pillar, ...]]
    #: ``(force_id, name)`` of the 43 forces.
    forces: tuple[tuple[str, str], ...]
    #: One cell per force × cycle × pillar of ``pillars``, in that order.
    matrix: tuple[MatrixCell, ...]

    @property
    def settled(self) -> int:
        return sum(cell.state in SETTLED for cell in self.matrix)

    @property
    def coverage(self) -> float:
        """Settled cells as a share of the matrix (0.0 for an empty matrix)."""
        return self.settled / len(self.matrix) if self.matrix else 0.0

    @property
    def conflicts(self) -> tuple[GradeRow, ...]:
        return tuple(row for row in self.rows if not row.agree)

    def count(self, finding: str) -> int:
        """How many times the batch shows ``finding`` (a word of ``known_findings()``)."""
        if finding == "conflict":
            return len(self.conflicts)
        if finding == "error":
            return len(self.failures)
        if finding in ("provisional", "missing"):
            return sum(cell.state.value == finding for cell in self.matrix)
        if finding == "unknown":
            return sum(self.pages.get(PageKind.UNKNOWN.value, {}).values())
        if finding == "incomplete":
            return len({s for fields in self.lacking.values() for v in fields.values() for s in v})
        if finding == "unnumbered":
            return len(self.unnumbered)
        failed = sum(failure.code == finding for failure in self.failures)
        pages = sum(d.pages for d in self.diagnostics if d.code == finding)
        return failed + pages

    def to_dict(self) -> dict[str, Any]:
        """Everything, in JSON types: nothing the text form abbreviates is left out."""
        return {
            "inputs": self.inputs,
            "pages": {kind: dict(cycles) for kind, cycles in self.pages.items()},
            "errors": [
                {"source": f.source, "code": f.code, "message": f.message} for f in self.failures
            ],
            "lacking": {
                kind: {field: list(sources) for field, sources in fields.items()}
                for kind, fields in self.lacking.items()
            },
            "diagnostics": [
                {"code": d.code, "severity": d.severity, "count": d.count, "pages": d.pages}
                for d in self.diagnostics
            ],
            "pillars": {
                cycle: [p.value for p in pillars] for cycle, pillars in self.pillars.items()
            },
            "matrix": [
                {
                    "force_id": cell.force_id,
                    "force": cell.force,
                    "cycle": cell.cycle,
                    "pillar": cell.pillar.value,
                    "state": cell.state.value,
                    "grade": cell.grade.value if cell.grade else None,
                    "sources": list(cell.sources),
                }
                for cell in self.matrix
            ],
            "conflicts": [row.as_dict() for row in self.conflicts],
            "unnumbered": [
                {
                    "source": u.source,
                    "cycle": u.cycle,
                    "pillar": u.pillar.value,
                    "text": u.text,
                    "grade": u.grade.value,
                }
                for u in self.unnumbered
            ],
            "coverage": {
                "cells": len(self.matrix),
                "settled": self.settled,
                "share": round(self.coverage, 4),
            },
            "findings": {finding: self.count(finding) for finding in FINDINGS},
        }


def _state(row: GradeRow | None) -> CellState:
    if row is None:
        return CellState.MISSING
    if not row.agree:
        return CellState.CONFLICT
    return {
        Status.FINAL: CellState.FINAL,
        Status.UNGRADED: CellState.UNGRADED,
        Status.PROVISIONAL: CellState.PROVISIONAL,
    }[row.status]


def _matrix(
    rows: tuple[GradeRow, ...], forces: tuple[tuple[str, str], ...]
) -> tuple[dict[str, tuple[Pillar, ...]], tuple[MatrixCell, ...]]:
    by_cell = {(r.force_id, r.cycle, r.pillar): r for r in rows if r.level is Level.PILLAR}
    graded: defaultdict[str, set[Pillar]] = defaultdict(set)
    for _, cycle, pillar in by_cell:
        graded[cycle].add(pillar)
    pillars = {
        cycle: tuple(sorted(graded[cycle], key=PILLAR_ORDER.__getitem__))
        for cycle in sorted(graded)
    }
    cells = []
    for force_id, name in forces:
        for cycle, cycle_pillars in pillars.items():
            for pillar in cycle_pillars:
                row = by_cell.get((force_id, cycle, pillar))
                cells.append(
                    MatrixCell(
                        force_id=force_id,
                        force=name,
                        cycle=cycle,
                        pillar=pillar,
                        state=_state(row),
                        grade=None if row is None else row.grade,
                        sources=() if row is None else row.sources,
                    )
                )
    return pillars, tuple(cells)


def take_inventory(results: Iterable[Result | Report]) -> Inventory:
    """Count what ``results`` (of ``parse_many``, or reports) hold and lack, in one pass."""
    inputs = 0
    pages: defaultdict[str, Counter[str]] = defaultdict(Counter)
    failures: list[Failure] = []
    lacking: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    diagnostic_counts: Counter[tuple[str, str]] = Counter()
    diagnostic_pages: Counter[tuple[str, str]] = Counter()
    builder = GradeTableBuilder()
    for item in results:
        inputs += 1
        if isinstance(item, Result):
            if item.report is None:
                error = item.error or InputError(ErrorCode.INTERNAL, "no report and no error")
                failures.append(Failure(source=item.source, code=error.code, message=error.message))
                continue
            report = item.report
        else:
            report = item
        source = report.source or report.id or "-"
        pages[report.kind.value][report.cycle or NO_CYCLE] += 1
        if report.kind in REPORT_KINDS:
            for name in IDENTITY_FIELDS:
                if getattr(report, name) is None:
                    lacking[report.kind.value][name].append(source)
        seen = {(d.code, d.severity.value) for d in report.diagnostics}
        diagnostic_counts.update((d.code, d.severity.value) for d in report.diagnostics)
        diagnostic_pages.update(seen)
        builder.add(report)
    table = builder.build()
    forces = _the_forces()
    pillars, matrix = _matrix(table.rows, forces)
    kinds = [kind.value for kind in PageKind if kind.value in pages]
    return Inventory(
        inputs=inputs,
        pages={kind: dict(sorted(pages[kind].items())) for kind in kinds},
        failures=tuple(sorted(failures, key=lambda f: (f.source, f.code))),
        lacking={
            kind.value: {
                name: tuple(sorted(lacking[kind.value][name]))
                for name in IDENTITY_FIELDS
                if lacking[kind.value][name]
            }
            for kind in PageKind
            if kind.value in lacking
        },
        diagnostics=tuple(
            DiagnosticCount(
                code=code,
                severity=severity,
                count=diagnostic_counts[code, severity],
                pages=diagnostic_pages[code, severity],
            )
            for code, severity in sorted(diagnostic_counts)
        ),
        rows=table.rows,
        unnumbered=table.unnumbered,
        pillars=pillars,
        forces=forces,
        matrix=matrix,
    )
