"""``peelparse grades``: one table of every grade the pages state, as CSV or Parquet.

Exit status: 0 when every input was read, 1 when an input failed (its error is reported on
stderr and the table is written from the others), 2 on misuse.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from ..batch.discovery import DEFAULT_GLOBS, discover, read_manifest
from ..batch.pool import parse_many
from ..batch.tasks import Input
from ..grade_table import COLUMNS, GradeRow, GradeTableBuilder

__all__ = [
    "add_input_arguments",
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

exit status: 0 all inputs read; 1 an input failed (the table holds the others); 2 misuse.
"""

#: Parquet column types; every other column is text.
_INTEGERS = frozenset({"year", "question", "grade_rank", "n_sources"})
_BOOLEANS = frozenset({"agree"})


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """PATH…, ``--manifest``, ``--glob`` and ``--jobs``, shared by ``grades`` and ``check``."""
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument(
        "files",
        nargs="*",
        metavar="PATH",
        help="page text or HTML files, or directories (read recursively); '-' reads stdin",
    )
    inputs.add_argument(
        "--manifest",
        metavar="FILE",
        help="a TSV or CSV file of 'path[<tab or comma>url]' rows; the URL tells force, "
        "cycle, pillar and kind where the text does not",
    )
    inputs.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help="file names to take from directories (repeatable; default: "
        + ", ".join(DEFAULT_GLOBS)
        + ")",
    )
    inputs.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes (default: the machine's cores)",
    )


def gather_inputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[Input]:
    """The manifest's inputs, then the paths' (directories walked); at least one."""
    found: list[Input] = []
    if args.manifest:
        try:
            found.extend(read_manifest(args.manifest))
        except OSError as error:
            parser.error(f"cannot read --manifest {args.manifest}: {error.strerror}")
    found.extend(discover(args.files, tuple(args.glob or DEFAULT_GLOBS)))
    if not found:
        parser.error(f"{args.command} needs at least one PATH (or '-' for stdin, --manifest)")
    return found


def add_parser(commands: Any) -> None:
    """The ``grades`` sub-command's options."""
    parser = commands.add_parser(
        "grades",
        help="write one table of every grade the pages state",
        description="Read pages and write one row per force, cycle, pillar and question that "
        "any page grades: the grade, where it is stated, and whether the pages agree.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_arguments(parser)
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


def _pyarrow() -> Any:
    """The pyarrow module, or None when the ``parquet`` extra is not installed."""
    try:
        import pyarrow as pa
        import pyarrow.parquet  # makes pa.parquet available
    except ImportError:
        return None
    return pa


def write_parquet(rows: Sequence[GradeRow], path: str) -> None:
    """The table as one Parquet file: integers as int64, ``agree`` as bool, the rest text."""
    pa = _pyarrow()
    if pa is None:
        raise RuntimeError("Parquet output needs pyarrow: pip install 'peelparse[parquet]'")
    schema = pa.schema(
        [
            (
                column,
                pa.int64()
                if column in _INTEGERS
                else pa.bool_()
                if column in _BOOLEANS
                else pa.string(),
            )
            for column in COLUMNS
        ]
    )
    table = pa.Table.from_pylist([row.as_dict() for row in rows], schema=schema)
    pa.parquet.write_table(table, path)


def _output_format(output: str) -> str | None:
    if output == "-" or output.lower().endswith(".csv"):
        return "csv"
    if output.lower().endswith((".parquet", ".pq")):
        return "parquet"
    return None


def _results(inputs: list[Input], jobs: int | None, failures: list[str]) -> Iterator[Any]:
    """The reports of ``inputs``; a failed input is reported on stderr and counted."""
    for result in parse_many(inputs, jobs=jobs):
        if result.error is not None:
            failures.append(result.source)
            print(
                f"peelparse: {result.source}: [{result.error.code}] {result.error.message}",
                file=sys.stderr,
            )
        else:
            yield result.report


def grades_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    output_format = _output_format(args.output)
    if output_format is None:
        parser.error(f"-o {args.output}: give a .csv or .parquet file, or '-' for CSV on stdout")
    if output_format == "parquet" and _pyarrow() is None:
        print(
            "peelparse: Parquet output needs pyarrow: pip install 'peelparse[parquet]'",
            file=sys.stderr,
        )
        return 2
    inputs = gather_inputs(args, parser)
    failures: list[str] = []
    builder = GradeTableBuilder()
    for report in _results(inputs, args.jobs, failures):
        builder.add(report)
    rows = builder.build().rows
    if output_format == "parquet":
        write_parquet(rows, args.output)
    elif args.output == "-":
        write_csv(rows, sys.stdout)
        sys.stdout.flush()
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            write_csv(rows, handle)
    if not args.quiet:
        errors = len(failures)
        print(
            f"peelparse: {len(inputs)} inputs, {errors} error{'' if errors == 1 else 's'}, "
            f"{len(rows)} rows",
            file=sys.stderr,
        )
    return 1 if failures else 0
