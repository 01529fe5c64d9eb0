"""``peelparse check``: what a batch holds and lacks, for a person and for a pipeline's gate.

Exit status: 1 when a finding named by ``--fail-on`` is present or coverage is below
``--min-coverage``; otherwise 0, even when inputs failed (name ``error`` to fail on them);
2 on misuse.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from ..grade_table import GRADE_RANKS
from ..inventory import FINDINGS, CellState, Inventory, known_findings, take_inventory
from ..records import Grade
from .common import WORKER_LOST_STATUS, add_command, exit_statuses, plural
from .inputs import Reading, add_input_arguments, add_jobs_argument, gather_inputs

__all__ = ["add_parser", "check_command", "parse_share", "render_text"]

EPILOG = """\
examples:
  peelparse check pages/
  peelparse check --manifest pages.tsv --format json > check.json
  peelparse check pages/ --fail-on conflict,error,unknown-force --min-coverage 95%

--fail-on names findings: conflict, error, provisional, missing, unknown, incomplete,
unnumbered (docs/grades.md), any diagnostic code (not-a-report, unknown-force, stray-grade,
...) or error-record code (unreadable, binary, too-large).
"""

#: One letter per real grade in the matrix; other states have their own mark.
_LETTERS = {
    Grade.OUTSTANDING: "O",
    Grade.GOOD: "G",
    Grade.ADEQUATE: "A",
    Grade.REQUIRES_IMPROVEMENT: "R",
    Grade.INADEQUATE: "I",
}
_MARKS = {
    CellState.UNGRADED: "u",
    CellState.PROVISIONAL: "?",
    CellState.CONFLICT: "!",
    CellState.MISSING: ".",
}
_KEY = (
    "key: O outstanding, G good, A adequate, R requires improvement, I inadequate, "
    "u ungraded, ? not yet graded, ! conflict, . missing"
)
#: Items listed per heading in the text form (the JSON form lists all).
_SHOWN = 10


def parse_share(text: str) -> float:
    """``0.95`` or ``95%`` as a share between 0 and 1."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share: {text!r} (say 0.95 or 95%)") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%): {text!r}")
    return value


def _fail_on(text: str) -> list[str]:
    words = [word.strip() for word in text.split(",") if word.strip()]
    unknown = sorted(set(words) - known_findings())
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown finding {', '.join(unknown)}; say one of: {', '.join(sorted(FINDINGS))}, "
            "a diagnostic code or an error code"
        )
    return words


def add_parser(commands: Any) -> None:
    """The ``check`` sub-command's options."""
    parser = add_command(
        commands,
        "check",
        help="report what a batch of pages holds and lacks",
        description="Read pages and report what the batch holds and lacks: pages by kind and "
        "cycle, pages lacking force, year or id, diagnostics by code, and each force's pillar "
        "grades by cycle; optionally fail a pipeline on what it finds.",
        epilog=EPILOG,
        statuses=exit_statuses(
            "0 the batch passes; 1 a --fail-on finding is present or coverage is below "
            f"--min-coverage; {WORKER_LOST_STATUS}"
        ),
    )
    add_jobs_argument(add_input_arguments(parser))
    gate = parser.add_argument_group("report and gate")
    gate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default): a summary for a terminal; json: everything, for programs",
    )
    gate.add_argument(
        "--fail-on",
        type=_fail_on,
        action="append",
        default=[],
        metavar="WHAT,…",
        help="exit 1 when any of these findings is present (repeatable)",
    )
    gate.add_argument(
        "--min-coverage",
        type=parse_share,
        metavar="P",
        help="exit 1 when fewer than this share of the force × cycle × pillar cells are "
        "settled (0.95 or 95%%)",
    )
    parser.set_defaults(run=check_command)


def _distinct_percentages(low: float, high: float) -> tuple[str, str]:
    """``low`` and ``high`` as percentages with as many decimals as it takes to tell them
    apart (2.33% is below 2.34%, though both round to 2.3%)."""
    for places in range(1, 8):
        shown = f"{low:.{places}%}", f"{high:.{places}%}"
        if shown[0] != shown[1]:
            return shown
    return f"{low:%}", f"{high:%}"


def _verdict(inventory: Inventory, fail_on: Sequence[str], min_coverage: float | None) -> list[str]:
    """Why the check fails; empty when it passes."""
    reasons = []
    for finding in dict.fromkeys(fail_on):
        count = inventory.count(finding)
        if count:
            reasons.append(f"--fail-on {finding}: {count}")
    if min_coverage is not None and inventory.coverage < min_coverage:
        shown, needed = _distinct_percentages(inventory.coverage, min_coverage)
        reasons.append(f"--min-coverage {needed}: coverage is {shown}")
    return reasons


def check_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    inputs = gather_inputs(args)
    with Reading(inputs, args, "nothing printed") as results:
        inventory = take_inventory(results)
    fail_on = [word for words in args.fail_on for word in words]
    reasons = _verdict(inventory, fail_on, args.min_coverage)
    status = 1 if reasons else 0
    if args.format == "json":
        document = {
            **inventory.to_dict(),
            "fail_on": fail_on,
            "min_coverage": args.min_coverage,
            "failed": reasons,
            "status": status,
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        render_text(inventory, sys.stdout)
        if reasons:
            print(f"exit 1: {'; '.join(reasons)}")
        elif fail_on or args.min_coverage is not None:
            print("exit 0: no --fail-on finding, coverage sufficient")
    return status


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> Iterator[str]:
    """Rows under a header, the first column left-aligned, the others right-aligned."""
    cells = [[str(v) for v in header], *[[str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        first = row[0].ljust(widths[0])
        rest = (value.rjust(width) for value, width in zip(row[1:], widths[1:], strict=True))
        yield "  " + "  ".join([first, *rest]).rstrip()


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown + (f", … ({len(items) - _SHOWN} more)" if len(items) > _SHOWN else "")


def _pages(inventory: Inventory) -> Iterator[str]:
    cycles = sorted({cycle for counts in inventory.pages.values() for cycle in counts})
    rows = [
        [kind, *(counts.get(cycle, 0) or "." for cycle in cycles), sum(counts.values())]
        for kind, counts in inventory.pages.items()
    ]
    totals = [sum(counts.get(c, 0) for counts in inventory.pages.values()) for c in cycles]
    rows.append(["total", *totals, sum(totals)])
    yield "Pages by kind and cycle"
    yield from _table(["kind", *cycles, "total"], rows)


def _lacking(inventory: Inventory) -> Iterator[str]:
    if not inventory.lacking:
        return
    yield ""
    yield (
        "Report pages lacking force, year or id (a URL supplies them: list each page with "
        "its address in a --manifest)"
    )
    fields = ("force", "year", "id")
    rows = [
        [kind, *(len(found.get(field, ())) for field in fields)]
        for kind, found in inventory.lacking.items()
    ]
    yield from _table(["kind", *fields], rows)
    for kind, found in inventory.lacking.items():
        sources = sorted({s for field in fields for s in found.get(field, ())})
        yield f"  {kind}: {_listed(sources)}"


def _diagnostics(inventory: Inventory) -> Iterator[str]:
    if not inventory.diagnostics:
        return
    yield ""
    yield "Diagnostics by code"
    rows = [[d.code, d.severity, d.count, d.pages] for d in inventory.diagnostics]
    yield from _table(["code", "severity", "count", "pages"], rows)


def _mark(state: CellState, grade: Grade | None) -> str:
    if state is CellState.FINAL and grade is not None:
        return _LETTERS[grade]
    return _MARKS[state]


def _matrix(inventory: Inventory) -> Iterator[str]:
    yield ""
    if not inventory.matrix:
        yield "Pillar grades: no page of the batch states a pillar grade"
        return
    yield "Pillar grades by force and cycle (one mark per pillar)"
    layouts = {cycle: " ".join(p.value for p in ps) for cycle, ps in inventory.pillars.items()}
    if len(set(layouts.values())) == 1:
        yield f"  each cell: {next(iter(layouts.values()))}"
    else:
        for cycle, layout in layouts.items():
            yield f"  {cycle}: {layout}"
    marks: dict[tuple[str, str], str] = {}
    for cell in inventory.matrix:
        key = (cell.force_id, cell.cycle)
        marks[key] = marks.get(key, "") + _mark(cell.state, cell.grade)
    names = dict(inventory.forces)
    shown = [
        force_id
        for force_id in names
        if any(marks[force_id, cycle].strip(".") for cycle in inventory.pillars)
    ]
    rows = [[names[f], *(marks[f, cycle] for cycle in inventory.pillars)] for f in shown]
    yield from _table(["force", *inventory.pillars], rows)
    absent = [names[f] for f in names if f not in shown]
    if absent:
        yield f"  {plural(len(absent), 'force')} that no page grades: {_listed(absent)}"
    yield f"  {_KEY}"


def _grade_list(inventory: Inventory) -> Iterator[str]:
    conflicts = inventory.conflicts
    if conflicts:
        yield ""
        yield f"Conflicts ({len(conflicts)}): the grade kept is the most recent capture's"
        for row in conflicts[:_SHOWN]:
            where = f"{row.force_id} {row.cycle} {row.pillar.value}"
            if row.question is not None:
                where += f" question {row.question}"
            claims = "; ".join(str(claim) for claim in row.conflicts)
            yield f"  {where}: {claims} -> {row.grade.value}"
        if len(conflicts) > _SHOWN:
            yield f"  … ({len(conflicts) - _SHOWN} more; --format json lists all)"
    if inventory.unnumbered:
        yield ""
        yield (
            f"Graded questions without a number ({len(inventory.unnumbered)}): "
            "not in the grades table"
        )
        for question in inventory.unnumbered[:_SHOWN]:
            yield f"  {question.source}: {question.text} ({question.grade.value})"
        if len(inventory.unnumbered) > _SHOWN:
            yield f"  … ({len(inventory.unnumbered) - _SHOWN} more; --format json lists all)"


def render_text(inventory: Inventory, out: IO[str]) -> None:
    """The summary a person reads: counts, the pillar matrix, conflicts, coverage."""
    pages = sum(sum(counts.values()) for counts in inventory.pages.values())
    lines = [
        f"peelparse check: {plural(inventory.inputs, 'input')}, {plural(pages, 'page')} "
        f"read, {plural(len(inventory.failures), 'error')}",
        "",
    ]
    lines.extend(_pages(inventory))
    if inventory.failures:
        lines += ["", f"Inputs not read ({len(inventory.failures)})"]
        lines += [f"  {f.source}: [{f.code}] {f.message}" for f in inventory.failures[:_SHOWN]]
        if len(inventory.failures) > _SHOWN:
            lines.append(f"  … ({len(inventory.failures) - _SHOWN} more; --format json lists all)")
    lines.extend(_lacking(inventory))
    lines.extend(_diagnostics(inventory))
    lines.extend(_matrix(inventory))
    lines.extend(_grade_list(inventory))
    rows = len(inventory.rows)
    lines += [
        "",
        f"Grades table: {plural(rows, 'row')}, "
        f"{sum(r.grade in GRADE_RANKS for r in inventory.rows)} with a real grade",
        f"Coverage: {inventory.settled} of {len(inventory.matrix)} force × cycle × pillar "
        f"cells settled ({inventory.coverage:.1%})",
    ]
    out.write("\n".join(lines) + "\n")
