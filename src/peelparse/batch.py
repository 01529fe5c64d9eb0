"""Many pages in, one result per page out, in input order, with a process pool.

Workers read their own files (only paths cross process boundaries), so memory stays flat however
many pages stream through; results are yielded as they complete, in order. One bad input never
stops a batch: it becomes an error result (unreadable, binary, too large) and the batch goes on.
"""

from __future__ import annotations

import csv
import enum
import fnmatch
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from attrs import frozen

from .api import Format, decode, parse_decoded
from .decoding import looks_binary
from .diagnostics import PeelParseError
from .export import to_dict
from .records import Report

__all__ = [
    "DEFAULT_GLOBS",
    "DEFAULT_MAX_BYTES",
    "Input",
    "InputError",
    "Result",
    "discover",
    "parse_many",
    "read_manifest",
    "to_record",
]

#: Inputs larger than this are refused without being read (20 MB).
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm")
#: Inputs a worker takes at a time: enough to keep messages between processes few, few enough
#: to keep output flowing and memory flat.
CHUNK = 32
STDIN = "-"


@frozen
class Input:
    """One page to read: a file path (or ``-`` for stdin) and, optionally, its URL and the
    name to record it under."""

    path: str
    url: str | None = None
    name: str | None = None

    @property
    def source(self) -> str:
        """What the record's ``source`` says: the URL, else the name, else the path."""
        return self.url or self.name or self.path


@frozen
class InputError:
    """Why an input gave no record: ``unreadable``, ``binary``, ``too-large``, or in strict
    mode the code of its first error diagnostic."""

    code: str
    message: str


@frozen
class Result:
    """The outcome for one input: a report, or an error."""

    source: str
    report: Report | None = None
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class ErrorCode(enum.StrEnum):
    UNREADABLE = "unreadable"
    BINARY = "binary"
    TOO_LARGE = "too-large"


# ------------------------------------------------------------------------------ discovery


def discover(paths: Iterable[str], globs: Sequence[str] = DEFAULT_GLOBS) -> Iterator[Input]:
    """Files as given; directories walked recursively (sorted) for names matching ``globs``."""
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            yield Input(given)
            continue
        for folder, subfolders, names in os.walk(given):
            subfolders.sort()
            for name in sorted(names):
                if any(fnmatch.fnmatch(name, pattern) for pattern in globs):
                    yield Input(os.path.join(folder, name))


def read_manifest(path: str) -> Iterator[Input]:
    """Rows of ``path, url`` (the URL optional) from a TSV or CSV file; ``#`` starts a comment.

    The delimiter is a tab when the first row has one, else a comma. A first row whose first
    cell is ``path`` is a header. Relative paths are relative to the manifest's folder.
    """
    base = Path(path).parent
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return
    delimiter = "\t" if "\t" in lines[0] else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    if rows and rows[0] and rows[0][0].strip().lower() == "path":
        rows = rows[1:]
    for row in rows:
        file = row[0].strip()
        url = row[1].strip() if len(row) > 1 and row[1].strip() else None
        if file != STDIN and not os.path.isabs(file):
            file = str(base / file)
        yield Input(file, url)


# ------------------------------------------------------------------------------- one input


@frozen
class Task:
    """What a worker needs for one input (``data`` only for stdin)."""

    index: int
    input: Input
    data: bytes | None
    format: Format
    strict: bool
    max_bytes: int


def _read(task: Task) -> bytes | InputError:
    if task.data is not None:
        data = task.data
    else:
        path = task.input.path
        try:
            size = os.stat(path).st_size
            if size > task.max_bytes:
                return InputError(
                    ErrorCode.TOO_LARGE,
                    f"{size} bytes is more than --max-bytes {task.max_bytes}; not read",
                )
            with open(path, "rb") as handle:
                data = handle.read(task.max_bytes + 1)
        except OSError as error:
            return InputError(ErrorCode.UNREADABLE, f"{type(error).__name__}: {error.strerror}")
    if len(data) > task.max_bytes:
        return InputError(
            ErrorCode.TOO_LARGE, f"more than --max-bytes {task.max_bytes} bytes; not read"
        )
    return data


def _format_for(path: str, chosen: Format) -> Format:
    if chosen == "auto" and path.lower().endswith((".html", ".htm")):
        return "html"
    return chosen


def run_task(task: Task) -> Result:
    """Read, decode, check and parse one input; never raises for a bad input."""
    source = task.input.source
    data = _read(task)
    if isinstance(data, InputError):
        return Result(source=source, error=data)
    page = decode(data, _format_for(task.input.path, task.format))
    if page.decoded is not None and looks_binary(data, page.decoded):
        return Result(
            source=source,
            error=InputError(ErrorCode.BINARY, "binary data (NUL bytes or mostly undecodable)"),
        )
    try:
        report = parse_decoded(page, source=source, url=task.input.url, strict=task.strict)
    except PeelParseError as failure:
        return Result(source=source, error=InputError(failure.diagnostic.code, str(failure)))
    return Result(source=source, report=report)


def to_record(result: Result, *, spans: bool = False) -> dict[str, Any]:
    """The JSON record of a result: the report's record with ``"status": "ok"``, or an error
    record ``{"source", "status": "error", "error": {"code", "message"}}``."""
    if result.report is None:
        assert result.error is not None
        return {
            "source": result.source,
            "status": "error",
            "error": {"code": result.error.code, "message": result.error.message},
        }
    return {**to_dict(result.report, spans=spans), "status": "ok"}


# ------------------------------------------------------------------------------ the batch


def read_stdin(max_bytes: int) -> bytes:
    """Standard input, at most ``max_bytes + 1`` bytes (one more tells it is too large)."""
    stdin = sys.stdin
    if hasattr(stdin, "buffer"):
        return stdin.buffer.read(max_bytes + 1)
    return stdin.read().encode("utf-8")  # a text stream without bytes (tests, embedding)


def make_tasks(
    inputs: Iterable[str | os.PathLike[str] | Input],
    *,
    format: Format,
    strict: bool,
    max_bytes: int,
) -> Iterator[Task]:
    """One task per input, in order; stdin is read here, since workers cannot."""
    for index, item in enumerate(inputs):
        given = item if isinstance(item, Input) else Input(os.fspath(item))
        data = read_stdin(max_bytes) if given.path == STDIN else None
        yield Task(index, given, data, format, strict, max_bytes)


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def map_tasks(
    function: Callable[[Task], Any], tasks: Iterable[Task], jobs: int | None
) -> Iterator[Any]:
    """``function`` over ``tasks`` in order: inline for one job, else a process pool."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        yield from map(function, tasks)
        return
    with get_context("spawn" if sys.platform == "darwin" else "fork").Pool(jobs) as pool:
        yield from pool.imap(function, tasks, chunksize=CHUNK)


def parse_many(
    inputs: Iterable[str | os.PathLike[str] | Input],
    *,
    jobs: int | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    format: Format = "auto",
) -> Iterator[Result]:
    """Parse many files, yielding one ``Result`` per input, in input order.

    ``inputs`` are paths (``"-"`` reads stdin) or ``Input(path, url)``. ``jobs`` processes run in
    parallel (default: the machine's cores). A file larger than ``max_bytes`` is refused unread.
    """
    tasks = make_tasks(inputs, format=format, strict=strict, max_bytes=max_bytes)
    yield from map_tasks(run_task, tasks, jobs)
