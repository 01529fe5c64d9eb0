"""``peelparse extract``: records from PEEL pages, one or many thousands.

Output to ``-o`` is staged (``peelparse.output.sinks``): an interrupted or failed run leaves the
previous file or tables as they were. Exit statuses: ``peelparse.cli.common``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Generator, Iterable, Iterator
from typing import Any

import attrs
from attrs import frozen

from ..api import Format
from ..batch.pool import WorkerLostError, map_tasks
from ..batch.progress import Progress
from ..batch.tasks import STDIN, ErrorCode, Input, Task, make_tasks, run_task, to_record
from ..output.show import visible
from ..output.sinks import (
    FORMATS,
    STDOUT,
    TABLE_FORMATS,
    MissingDependencyError,
    Output,
    OutputPathError,
    WriteError,
    open_output,
    preparer,
)
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    OutputError,
    UsageError,
    add_command,
    plural,
    say,
    stopped,
)
from .inputs import (
    add_input_arguments,
    add_input_format_argument,
    add_jobs_argument,
    iter_inputs,
    nothing_to_read,
    refuse_input_as_output,
    walks,
)

__all__ = ["EPILOG", "add_parser", "extract_command"]

EPILOG = """\
examples:
  peelparse extract --example                 the bundled Cheshire 2017 page
  peelparse extract page.txt                  one page: one JSON object on stdout
  peelparse extract pages/ --format jsonl -o records.jsonl
  peelparse extract pages/ --format csv -o tables/        reports.csv, questions.csv, …
  peelparse extract pages/ --format csv --excel -o tables/  CSV that Excel opens as UTF-8
  peelparse extract --manifest pages.tsv --format parquet -o tables/
  cat page.html | peelparse extract - --url https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/kent/
  peelparse show page.txt                     the record as a readable tree

--format json writes one object when the input is one file (or '-', or --example alone),
and an array for a folder, a manifest or more than one input, even if they hold one page.
-o writes to a temporary file beside OUT and renames it into place when the run ends, so an
interrupted or failed run leaves the previous OUT as it was.
"""


def add_parser(commands: Any) -> None:
    """The ``extract`` sub-command's options."""
    extract = add_command(
        commands,
        "extract",
        help="read pages and write their records",
        description="Read pages and write their records as JSON, JSON Lines, CSV or Parquet.",
        epilog=EPILOG,
    )
    inputs = add_input_arguments(extract)
    inputs.add_argument(
        "--url", metavar="URL", help="the page's address, used as a hint (one input only)"
    )
    add_input_format_argument(inputs)
    outputs = extract.add_argument_group("outputs")
    outputs.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json: one object (one file) or an array (anything more); jsonl: one record per "
        "line; csv, parquet: a folder of tables (reports, questions, items, judgments, "
        "pillars, diagnostics) (default: json)",
    )
    outputs.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="file (json, jsonl; default: stdout) or folder (csv, parquet), replaced only when "
        "the run ends",
    )
    outputs.add_argument(
        "--excel",
        action="store_true",
        help="with --format csv: start each file with a UTF-8 byte-order mark, so that Excel "
        "reads accents and curly quotes correctly",
    )
    outputs.add_argument(
        "--spans", action="store_true", help="add source spans [start, end] to every element"
    )
    running = extract.add_argument_group("running")
    running.add_argument(
        "--strict", action="store_true", help="treat an error diagnostic as a failed input"
    )
    add_jobs_argument(running)
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
            code, message = result.error.code, result.error.message
            # A strict error's message may state its code already: name it once.
            named = message if f"[{code}]" in message else f"[{code}] {message}"
            problem = f"{result.source}: {named}"
        return problem, diagnosed, preparer(self.format)(record)

    def lost(self, task: Task, message: str) -> tuple[str | None, bool, Any]:
        """In the main process: the error record of an input whose worker died twice."""
        return self(task.failed(ErrorCode.WORKER_LOST, message))


class Found:
    """The inputs as they are found, counted (the count says how far a stopped run got), and
    the sources and addresses seen twice, which would make two records look like one page."""

    def __init__(self, inputs: Iterator[Input]) -> None:
        self.inputs = inputs
        self.count = 0
        self.complete = False
        self.duplicates: list[str] = []

    def __iter__(self) -> Iterator[Input]:
        seen: dict[tuple[str, str], int] = {}
        for item in self.inputs:
            self.count += 1
            path = os.path.realpath(item.path) if item.path != STDIN else item.path
            for what, key in (("file", path), ("url", item.url)):
                if key is not None:
                    first = seen.setdefault((what, key), self.count)
                    if first != self.count:
                        self.duplicates.append(f"{what} {key!r} (inputs {first} and {self.count})")
            yield item
        self.complete = True


def _single(args: argparse.Namespace) -> bool:
    """Whether ``--format json`` writes one object: one file argument (or --example alone)."""
    if args.manifest:
        return False
    if not args.files:
        return bool(args.example)
    (given, *more) = args.files
    return not more and not args.example and (given == STDIN or not os.path.isdir(given))


def _open(args: argparse.Namespace) -> Output:
    if args.output is not None and not args.output.strip():
        raise UsageError("-o names no file or folder (an empty value; '-' is stdout)")
    refuse_input_as_output(args, args.output)
    if args.excel and args.format != "csv":
        raise UsageError(f"--excel writes CSV for Excel; not for --format {args.format}")
    try:
        return open_output(args.format, args.output, single=_single(args), excel=args.excel)
    except OutputPathError as error:
        given = args.output is not None and args.output != STDOUT
        raise UsageError(f"-o {error}" if given else str(error)) from None
    except MissingDependencyError as error:
        raise UsageError(str(error)) from None
    except WriteError as error:
        raise OutputError(str(error)) from None


def extract_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    found = Found(iter_inputs(args))
    stream = iter(found)
    first = list(itertools.islice(stream, 2))
    if not first:
        raise UsageError(nothing_to_read(args))
    if args.url:
        if len(first) != 1:
            raise UsageError("--url describes one page; give one input with it")
        first = [attrs.evolve(first[0], url=args.url)]
    if args.format in TABLE_FORMATS and args.output is None:
        raise UsageError(f"--format {args.format} writes a folder of tables: give -o FOLDER")
    show_progress = not args.quiet and sys.stderr.isatty()
    progress = Progress(0, enabled=show_progress)
    failed = diagnosed = 0
    started = time.perf_counter()
    output = _open(args)
    try:
        inputs: Iterable[Input] = itertools.chain(first, stream)
        if show_progress:  # the bar needs the count first; otherwise pages flow as found
            inputs = list(inputs)
            progress = Progress(len(inputs), enabled=True)
        input_format: Format = args.input_format
        tasks = make_tasks(
            inputs, format=input_format, strict=args.strict, max_bytes=args.max_bytes
        )
        extractor = Extractor(args.format, args.spans)
        results = map_tasks(extractor, tasks, args.jobs, extractor.lost)
        try:
            for problem, has_diagnostics, payload in results:
                output.write(payload)
                if problem is not None:
                    failed += 1
                    progress.interrupt(f"peelparse: {visible(problem)}")
                diagnosed += has_diagnostics
                progress.advance()
        finally:  # stops the workers now, even when the loop ends early
            if isinstance(results, Generator):
                results.close()
        output.commit()
    except KeyboardInterrupt as stop:
        progress.clear()
        kept = output.abort()
        if walks(args):  # folders and manifests are read as the run goes
            total, known = found.count, found.complete
        else:
            total, known = len(args.files) + args.example, True
        done = f"{output.written} of {plural(total, 'page')}" + ("" if known else " found so far")
        raise stopped(stop, f"{done}; {kept}") from None
    except WorkerLostError as lost:
        progress.clear()
        kept = output.abort()
        done = plural(output.written, "page")
        raise WorkerLostError(f"{lost}; stopped after {done}; {kept}") from None
    except WriteError as error:  # the output was aborted where it failed
        progress.clear()
        raise OutputError(str(error)) from None
    except BaseException:
        progress.clear()
        output.abort()
        raise
    progress.close()
    for duplicate in found.duplicates:  # every record was written; the warning says which
        say(f"warning: the same {duplicate}")
    if not args.quiet:
        elapsed = time.perf_counter() - started
        read = output.written - failed
        where = f"; wrote {output.where}" if output.where != "stdout" else ""
        twice = f", {plural(len(found.duplicates), 'duplicate')}" if found.duplicates else ""
        say(
            f"{plural(read, 'page')} read, {plural(failed, 'error')}, "
            f"{diagnosed} with diagnostics{twice}, {elapsed:.1f} s{where}"
        )
    return EXIT_FAILED if failed else EXIT_OK
