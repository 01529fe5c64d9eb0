"""``peelparse extract``: records from PEEL pages, one or many thousands.

Exit status: 0 when every input was read, 1 when an input failed (unreadable, binary, too
large, or with ``--strict`` an error diagnostic), 2 on misuse (unknown options, no inputs).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import IO, Any

from attrs import frozen

from ..api import Format
from ..batch.discovery import DEFAULT_GLOBS, discover, read_manifest
from ..batch.pool import map_tasks
from ..batch.progress import Progress
from ..batch.tasks import DEFAULT_MAX_BYTES, Input, Task, make_tasks, run_task, to_record
from ..output.sinks import FORMATS, MissingDependencyError, open_sink, preparer

__all__ = ["EPILOG", "add_parser", "extract_command"]

EXAMPLE = "peel-2017__cheshire__effectiveness.txt"

EPILOG = """\
examples:
  peelparse extract --example                 the bundled Cheshire 2017 page
  peelparse extract page.txt                  one page, pretty JSON on stdout
  peelparse extract pages/ --format jsonl -o records.jsonl
  peelparse extract pages/ --format csv -o tables/        reports.csv, questions.csv, …
  peelparse extract --manifest pages.tsv --format parquet -o tables/
  cat page.html | peelparse extract - --url https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/kent/
  peelparse schema > record.schema.json

exit status: 0 all inputs read; 1 an input failed (or, with --strict, had an error
diagnostic); 2 the command was misused.
"""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_parser(commands: Any) -> None:
    """The ``extract`` sub-command's options."""
    extract = commands.add_parser(
        "extract",
        help="read pages and write their records",
        description="Read pages and write their records as JSON, JSON Lines, CSV or Parquet.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inputs = extract.add_argument_group("inputs")
    inputs.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="page text or HTML files, or directories (read recursively); '-' reads stdin",
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
        "--manifest",
        metavar="FILE",
        help="a TSV or CSV file of 'path[<tab or comma>url]' rows: each record's source is its "
        "URL, which also serves as a hint (force, cycle, pillar, kind)",
    )
    inputs.add_argument(
        "--example", action="store_true", help=f"also read the bundled page {EXAMPLE}"
    )
    inputs.add_argument(
        "--url", metavar="URL", help="the page's address, used as a hint (one input only)"
    )
    inputs.add_argument(
        "--input-format",
        choices=("auto", "text", "html"),
        default="auto",
        help="auto (default): .html/.htm files and content that starts like HTML are HTML, "
        "everything else is saved text",
    )
    inputs.add_argument(
        "--max-bytes",
        type=_positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse larger inputs unread, with an error record (default: {DEFAULT_MAX_BYTES})",
    )
    outputs = extract.add_argument_group("outputs")
    outputs.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json: one object (one input) or an array; jsonl: one record per line; csv, "
        "parquet: a directory of tables (reports, questions, items, judgments, diagnostics) "
        "(default: json)",
    )
    outputs.add_argument(
        "-o", "--output", metavar="OUT", help="file (json, jsonl) or directory (csv, parquet)"
    )
    outputs.add_argument(
        "--spans", action="store_true", help="add source spans [start, end] to every element"
    )
    running = extract.add_argument_group("running")
    running.add_argument(
        "--strict", action="store_true", help="treat an error diagnostic as a failed input"
    )
    running.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes (default: the machine's cores)",
    )
    running.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no summary line"
    )
    extract.set_defaults(run=extract_command)


@frozen
class Extractor:
    """Runs in a worker: one task to (error message or None, has diagnostics, payload)."""

    format: str
    spans: bool

    def __call__(self, task: Task) -> tuple[str | None, bool, Any]:
        result = run_task(task)
        record = to_record(result, spans=self.spans)
        diagnosed = bool(result.report is not None and result.report.diagnostics)
        problem = None
        if result.error is not None:
            problem = f"{result.source}: [{result.error.code}] {result.error.message}"
        return problem, diagnosed, preparer(self.format)(record)


def _inputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Iterator[Input]:
    """The inputs, lazily: directories are walked while the first pages are already parsed."""
    if args.example:
        path = resources.files("peelparse").joinpath("examples", EXAMPLE)
        yield Input(str(path), name=EXAMPLE)
    if args.manifest:
        try:
            manifest = list(read_manifest(args.manifest))
        except OSError as error:
            parser.error(f"cannot read --manifest {args.manifest}: {error.strerror}")
        yield from manifest
    yield from discover(args.files, tuple(args.glob or DEFAULT_GLOBS))


def extract_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    found = _inputs(args, parser)
    first = list(itertools.islice(found, 2))
    if not first:
        parser.error("extract needs at least one FILE (or '-' for stdin, --manifest, --example)")
    if args.url:
        if len(first) != 1:
            parser.error("--url describes one page; give one input with it")
        first = [Input(first[0].path, args.url, first[0].name)]
    if args.format in ("csv", "parquet") and not args.output:
        parser.error(f"--format {args.format} writes a directory of tables: give -o DIR")
    show_progress = not args.quiet and sys.stderr.isatty()
    inputs: Iterable[Input] = itertools.chain(first, found)
    total = None
    if show_progress:  # the bar needs the count first; otherwise pages flow as they are found
        inputs = list(inputs)
        total = len(inputs)
    input_format: Format = args.input_format
    tasks = make_tasks(inputs, format=input_format, strict=args.strict, max_bytes=args.max_bytes)
    stream: IO[str] | None = None
    if args.format in ("json", "jsonl"):
        # Closed in the finally below, after the sink has written its last record.
        stream = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        sink = open_sink(args.format, stream, args.output, len(first))
    except MissingDependencyError as error:
        print(f"peelparse: {error}", file=sys.stderr)
        return 2
    progress = Progress(total or 0, enabled=show_progress)
    failed = diagnosed = pages = 0
    started = time.perf_counter()
    try:
        for problem, has_diagnostics, payload in map_tasks(
            Extractor(args.format, args.spans), tasks, args.jobs
        ):
            sink.write(payload)
            if problem is not None:
                failed += 1
                progress.interrupt(f"peelparse: {problem}")
            diagnosed += has_diagnostics
            pages += 1
            progress.advance()
    finally:
        sink.close()
        progress.close()
        if stream is not None and stream is not sys.stdout:
            stream.close()
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(
            f"peelparse: {_count(pages, 'page')}, {_count(failed, 'error')}, "
            f"{diagnosed} with diagnostics, {elapsed:.1f} s",
            file=sys.stderr,
        )
    return 1 if failed else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
