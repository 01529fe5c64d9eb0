"""One input to one result: read, size check, binary check, decode, parse.

This runs in the worker processes. One bad input never stops a batch: whatever it holds, it
becomes an error result with a stable code (``ErrorCode``, or in strict mode the code of its
first error diagnostic) and the batch goes on. No exception leaves ``run_task``.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
from attrs import field, frozen

from ..api import Format, decode, parse_decoded, url_error
from ..diagnostics import Code, PeelParseError
from ..input.decoding import MostlyUndecodableError, binary_limit, has_nul
from ..output.export import to_dict
from ..records import Report

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN",
    "ErrorCode",
    "Input",
    "InputError",
    "Result",
    "Task",
    "make_tasks",
    "printable",
    "run_task",
    "to_record",
]

#: Inputs larger than this are refused without being read (5 MB; real pages are 5–200 KB).
DEFAULT_MAX_BYTES = 5_000_000
STDIN = "-"


class ErrorCode(enum.StrEnum):
    """Why an input gave no record. Stable strings: pipelines match on them."""

    #: Missing, no permission, a folder given as a file or one that cannot be listed, a path
    #: the system refuses.
    UNREADABLE = "unreadable"
    #: NUL characters, or more than a tenth of the bytes undecodable.
    BINARY = "binary"
    #: Larger than ``max_bytes``; not read.
    TOO_LARGE = "too-large"
    #: The manifest URL (or ``--url``) is not one Python's URL parser reads.
    BAD_URL = "bad-url"
    #: The bytes could not be decoded at all (never expected: decoding replaces what is bad).
    BAD_ENCODING = "bad-encoding"
    #: The HTML parser failed or stopped before the end of the page (its ``html-unreadable``
    #: diagnostic gives this code in strict mode too).
    HTML_UNPARSABLE = "html-unparsable"
    #: A manifest row that cannot be read: not UTF-8, a NUL, an unbalanced quote, no path.
    BAD_MANIFEST_ROW = "bad-manifest-row"
    #: A folder reached again through a link (a loop, or a second link to it): read once.
    FOLDER_LOOP = "folder-loop"
    #: The worker process reading this input died, twice (read alone the second time): the page
    #: may take more memory than there is, or crash the parser (killed by the kernel or from
    #: outside). The other inputs the worker held are read again and give their records.
    WORKER_LOST = "worker-lost"
    #: A failure of peelparse itself on this input (a bug: please report it with the input).
    INTERNAL = "internal-error"


def _code(value: str) -> ErrorCode | Code:
    """``value`` as the code it names: an ``ErrorCode`` member, else a diagnostic ``Code``."""
    if isinstance(value, ErrorCode | Code):
        return value
    for codes in (ErrorCode, Code):
        with contextlib.suppress(ValueError):
            return codes(value)
    raise ValueError(f"{value!r} is neither an ErrorCode nor a diagnostic Code")


@frozen
class InputError:
    """Why an input gave no record.

    ``code`` is an ``ErrorCode``, or in strict mode the diagnostic ``Code`` of the page's first
    error diagnostic (both are ``str`` enums: ``code == "too-large"`` holds; a string given is
    turned into its member). ``message`` says what went wrong, in one line.
    """

    code: ErrorCode | Code = field(converter=_code)
    message: str


@frozen
class Input:
    """One page to read: a file path (or ``-`` for stdin) and, optionally, its URL and the
    name to record it under.

    ``error`` marks an input found to be bad before it could be read (a manifest row that
    cannot be read, a folder that cannot be listed): it gives that error record.
    """

    path: str
    url: str | None = None
    name: str | None = None
    error: InputError | None = None

    @property
    def source(self) -> str:
        """What the record's ``source`` says: the name it was given, else the path."""
        return self.name or self.path


@frozen
class Result:
    """The outcome for one input: a report, or an error; ``url`` is the address it was given
    (a failed input keeps it too, so that it can be fetched again)."""

    source: str
    report: Report | None = None
    error: InputError | None = None
    url: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@frozen
class Task:
    """What a worker needs for one input (``data`` only for stdin)."""

    index: int
    input: Input
    data: bytes | None
    format: Format
    strict: bool
    max_bytes: int

    def failed(self, code: ErrorCode, message: str) -> Task:
        """This task, giving the error record ``code`` without reading its input."""
        return attrs.evolve(self, input=attrs.evolve(self.input, error=_fail(code, message)))


def printable(name: str) -> str:
    """``name`` as a string any encoder writes: a file name's undecodable bytes (which Python
    keeps as lone surrogates) become ``\\xNN`` escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape") if _escaped_only(name) else None
        if raw is not None:
            return raw.decode("utf-8", "backslashreplace")
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


def _escaped_only(name: str) -> bool:
    """Every surrogate in ``name`` is one ``surrogateescape`` made (U+DC80–U+DCFF)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in name)


def _fail(code: ErrorCode | Code, message: str) -> InputError:
    return InputError(code, message)


#: A wildcard a shell expands (``*``, ``?``, ``[…]``): a missing file named so was a pattern.
_UNEXPANDED = re.compile(r"[*?]|\[.*\]")


def _read(task: Task) -> bytes | InputError:
    if task.data is not None:
        data = task.data
    else:
        path = task.input.path
        try:
            size = os.stat(path).st_size
            if size > task.max_bytes:
                return _fail(ErrorCode.TOO_LARGE, f"{size:,} bytes is {_over(task.max_bytes)}")
            with open(path, "rb") as handle:
                data = handle.read(task.max_bytes + 1)
        except OSError as error:
            reason = f"{type(error).__name__}: {error.strerror}"
            if isinstance(error, FileNotFoundError) and _UNEXPANDED.search(path):
                reason += " (a pattern no file matched? the shell passes it on as it is)"
            return _fail(ErrorCode.UNREADABLE, reason)
        except ValueError as error:  # a path the system cannot take (a NUL in it)
            return _fail(ErrorCode.UNREADABLE, f"not a usable path: {error}")
    if len(data) > task.max_bytes:
        return _fail(ErrorCode.TOO_LARGE, _over(task.max_bytes))
    return data


def _over(limit: int) -> str:
    """What a ``too-large`` message says of the limit, named for callers of ``parse_many`` and
    users of the command line alike."""
    return f"more than the limit of {limit:,} bytes (max_bytes / --max-bytes); not read"


def _format_for(path: str, chosen: Format) -> Format:
    if chosen == "auto" and path.lower().endswith((".html", ".htm")):
        return "html"
    return chosen


def run_task(task: Task) -> Result:
    """Read, check, decode and parse one input; never raises, whatever the input holds."""
    source = printable(task.input.source)
    url = task.input.url
    try:
        outcome = _run(task, source)
    except Exception as error:  # no input may stop a batch, whatever goes wrong (issue 11)
        return Result(
            source=source,
            url=url,
            error=_fail(
                ErrorCode.INTERNAL,
                f"peelparse failed on this input ({type(error).__name__}: {error}); "
                "please report it with the input",
            ),
        )
    if isinstance(outcome, InputError):
        return Result(source=source, url=url, error=outcome)
    return Result(source=source, url=url, report=outcome)


def _run(task: Task, source: str) -> Report | InputError:
    given = task.input
    if given.error is not None:
        return given.error
    if given.url is not None and (problem := url_error(given.url)) is not None:
        return _fail(ErrorCode.BAD_URL, problem)
    data = _read(task)
    if isinstance(data, InputError):
        return data
    binary = _fail(ErrorCode.BINARY, "binary data (NUL bytes or mostly undecodable)")
    if has_nul(data):  # before decoding: binary data is never decoded
        return binary
    try:
        page = decode(data, _format_for(given.path, task.format), limit=binary_limit(len(data)))
    except MostlyUndecodableError:  # given up as soon as the limit was passed
        return binary
    except (UnicodeError, LookupError) as error:
        return _fail(ErrorCode.BAD_ENCODING, f"cannot be decoded: {error}")
    try:
        report = parse_decoded(page, source=source, url=given.url, strict=task.strict)
    except PeelParseError as failure:
        found = failure.diagnostic  # the record names the code; the message says where and what
        if found.code == Code.HTML_UNREADABLE:  # the same record as without strict
            return _fail(ErrorCode.HTML_UNPARSABLE, found.message)
        return _fail(found.code, f"{found.line}:{found.column}: {found.message}")
    for diagnostic in report.diagnostics:
        if diagnostic.code == Code.HTML_UNREADABLE:
            return _fail(ErrorCode.HTML_UNPARSABLE, diagnostic.message)
    return report


def to_record(result: Result, *, spans: bool = False) -> dict[str, Any]:
    """The JSON record of a result: the report's record with ``"status": "ok"``, or an error
    record ``{"source", "url", "status": "error", "error": {"code", "message"}}``."""
    if result.report is None:
        assert result.error is not None
        return {
            "source": result.source,
            "url": result.url,
            "status": "error",
            "error": {"code": str(result.error.code), "message": result.error.message},
        }
    return {**to_dict(result.report, spans=spans), "status": "ok"}


def read_stdin(max_bytes: int) -> bytes:
    """Standard input, at most ``max_bytes + 1`` bytes (one more tells it is too large), read
    in pieces so that a large limit reserves no memory of its own."""
    stdin = sys.stdin
    if stdin is None:  # the shell closed it (``<&-``)
        raise OSError(errno.EBADF, "standard input is closed")
    if hasattr(stdin, "buffer"):
        pieces = []
        left = max_bytes + 1
        while left > 0:
            piece = stdin.buffer.read(min(left, 1 << 20))
            if not piece:
                break
            pieces.append(piece)
            left -= len(piece)
        return b"".join(pieces)
    # A text stream without bytes (tests, embedding): bytes it could not decode go back to
    # what they were, other lone surrogates stay invalid UTF-8; both are then reported.
    text = stdin.read(max_bytes + 1)
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


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
        data = None
        if given.path == STDIN and given.error is None:
            try:
                data = read_stdin(max_bytes)
            except (OSError, ValueError) as error:  # closed, or not readable here
                problem = InputError(ErrorCode.UNREADABLE, f"cannot read stdin: {error}")
                given = Input(given.path, given.url, given.name, problem)
        yield Task(index, given, data, format, strict, max_bytes)
