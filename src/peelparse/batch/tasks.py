"""One input to one result: read, size check, decode, binary check, parse.

This runs in the worker processes. One bad input never stops a batch: it becomes an error
result (unreadable, binary, too large) and the batch goes on.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from attrs import frozen

from ..api import Format, decode, parse_decoded
from ..diagnostics import PeelParseError
from ..input.decoding import looks_binary
from ..output.export import to_dict
from ..records import Report

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN",
    "Input",
    "InputError",
    "Result",
    "Task",
    "make_tasks",
    "run_task",
    "to_record",
]

#: Inputs larger than this are refused without being read (20 MB).
DEFAULT_MAX_BYTES = 20_000_000
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
        """What the record's ``source`` says: the name it was given, else the path."""
        return self.name or self.path


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
