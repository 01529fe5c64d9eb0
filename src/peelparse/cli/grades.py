"""``peelparse grades``: one table of every grade the pages state, as CSV or Parquet.

Exit status: 0 when every input was read, 1 when an input failed (its error is reported on
stderr and the table is written from the others), 2 on misuse.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from ..batch.tasks import Result
from ..grade_table import COLUMNS, GradeRow, GradeTableBuilder
from ..output.sinks import (
    MissingDependencyError,
    OutputPathError,
    WriteError,
    check_target,
    require_pyarrow,
    staged_path,
    typed_schema,
    untouched,
)
from ..records import Report
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    WORKER_LOST_STATUS,
    OutputError,
    UsageError,
    add_command,
    exit_statuses,
    plural,
    say,
)
from .inputs import (
    Reading,
    add_input_arguments,
    add_jobs_argument,
    gather_inputs,
    refuse_input_as_output,
)

__all__ = [
    "add_parser",
    "gather_inputs",
    "grades_command",
    "write_csv",
    "write_parquet",
]

EPILOG = """\
examples:
  peelparse grades pages/ -o grades.csv
  peelparse grades --manifest pages.tsv -o grades.parquet     needs peelparse[parquet]
  peelparse grades pages/ | duckdb -c "SELECT * FROM read_csv_auto('/dev/stdin')"

columns: force_id, force, cycle, year, pillar, question, question_text, level, grade,
grade_rank, status, agree, n_sources, sources, conflicts (docs/grades.md).
"""

#: Parquet column types; every other column is text.
_INTEGERS = frozenset({"year", "question", "grade_rank", "n_sources"})
_BOOLEANS = frozenset({"agree"})


def add_parser(commands: Any) -> None:
    """The ``grades`` sub-command's options."""
    parser = add_command(
        commands,
        "grades",
        help="write one table of every grade the pages state",
        description="Read pages and write one row per force, cycle, pillar and question that "
        "any page grades: the grade, where it is stated, and whether the pages agree.",
        epilog=EPILOG,
        statuses=exit_statuses(
            "0 every input was read; 1 an input failed (the table holds the others); "
            + WORKER_LOST_STATUS
        ),
    )
    add_jobs_argument(add_input_arguments(parser))
    outputs = parser.add_argument_group("output")
    outputs.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        default="-",
        help="OUT.csv or OUT.parquet, by the extension; '-' (default) writes CSV to stdout",
    )
    outputs.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    parser.set_defaults(run=grades_command)


def _cell(value: str | int | bool | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_csv(rows: Iterable[GradeRow], out: IO[str]) -> None:
    """The table as CSV with a header row; empty cells for missing values, agree as
    ``true``/``false``."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(value) for value in row.as_dict().values()])


def write_parquet(rows: Sequence[GradeRow], path: str) -> None:
    """The table as one Parquet file: integers as int64, ``agree`` as bool, the rest text.

    Without pyarrow, ``MissingDependencyError`` (from ``peelparse.output.sinks``).
    """
    pa = require_pyarrow("Parquet output")
    schema = typed_schema(COLUMNS, integers=_INTEGERS, booleans=_BOOLEANS)
    table = pa.Table.from_pylist([row.as_dict() for row in rows], schema=schema)
    pa.parquet.write_table(table, path)


def _output_format(output: str) -> str | None:
    if output == "-" or output.lower().endswith(".csv"):
        return "csv"
    if output.lower().endswith((".parquet", ".pq")):
        return "parquet"
    return None


def _reports(results: Iterable[Result], failures: list[str]) -> Iterator[Report]:
    """The reports among ``results``; a failed input is reported on stderr and counted."""
    for result in results:
        if result.report is None:
            assert result.error is not None
            failures.append(result.source)
            say(f"{result.source}: [{result.error.code}] {result.error.message}")
        else:
            yield result.report


def grades_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.output.strip():
        raise UsageError("-o names no file (an empty value; '-' is stdout)")
    output_format = _output_format(args.output)
    if output_format is None:
        raise UsageError(
            f"-o {args.output}: give a .csv or .parquet file, or '-' for CSV on stdout"
        )
    if output_format == "parquet":
        try:
            require_pyarrow(f"-o {args.output}")  # before any input is read
        except MissingDependencyError as error:
            raise UsageError(str(error)) from None
    refuse_input_as_output(args, args.output)
    if args.output != "-":  # before any input is read
        if os.path.isdir(args.output):
            raise UsageError(f"-o {args.output} is a folder: give a .csv or .parquet file")
        try:
            check_target(args.output)
        except OutputPathError as error:
            raise UsageError(f"-o {error}") from None
        except WriteError as error:
            raise OutputError(str(error)) from None
    inputs = gather_inputs(args)
    failures: list[str] = []
    builder = GradeTableBuilder()
    kept = "nothing written" if args.output == "-" else untouched(args.output)
    with Reading(inputs, args, kept) as results:
        for report in _reports(results, failures):
            builder.add(report)
    rows = builder.build().rows
    if args.output == "-":
        write_csv(rows, sys.stdout)
        sys.stdout.flush()
    else:
        _write(rows, args.output, output_format)
    if not args.quiet:
        say(f"{plural(len(inputs), 'input')}, {plural(len(failures), 'error')}, "
            f"{plural(len(rows), 'row')}")  # fmt: skip
    return EXIT_FAILED if failures else EXIT_OK


def _write(rows: tuple[GradeRow, ...], output: str, output_format: str) -> None:
    """The table into ``output`` through a file beside it, renamed into place at the end."""
    if os.path.isdir(output):
        raise UsageError(f"-o {output} is a folder: give a .csv or .parquet file")
    try:
        with staged_path(output) as temp:
            if output_format == "parquet":
                write_parquet(rows, temp)
            else:
                with open(temp, "w", encoding="utf-8", newline="") as handle:
                    write_csv(rows, handle)
    except OutputPathError as error:  # it changed while the pages were read
        raise UsageError(f"-o {error}") from None
    except WriteError as error:
        raise OutputError(str(error)) from None
    except OSError as error:
        raise OutputError(f"{output}: {error.strerror}; {untouched(output)}") from None
