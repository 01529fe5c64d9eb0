"""The ``peelparse`` command line: one sub-command per module of this package.

Each module has ``add_parser(commands)``, registered in ``_parser`` below; what they share
(exit statuses, one-line errors) is in ``common``. ``main`` turns every failure a user can
cause into one line on stderr and an exit status, never a traceback (``--debug`` shows one).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType

from .. import __version__
from ..batch.pool import WorkerLostError
from . import check, extract, grades, show
from .common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_PIPE,
    EXIT_STATUS,
    EXIT_USAGE,
    EXIT_WORKER_LOST,
    Interrupted,
    OutputError,
    Parser,
    Terminated,
    UsageError,
    add_command,
    add_debug,
    error,
    exit_statuses,
    say,
)

__all__ = ["main"]

_DESCRIPTION = """\
Read HMICFRS PEEL pages (the text of a page as saved from a browser, or its HTML) and write
one record per page: title, force, cycle, pillar, grades, dates, questions, judgments and
everything else described in docs/records.md.
"""

_EPILOG = """\
examples:
  peelparse extract --example                 the bundled Cheshire 2017 page as JSON
  peelparse show --example                    the same record as a readable tree
  peelparse extract pages/ --format jsonl -o records.jsonl
  peelparse extract pages/ --format parquet -o tables/
  peelparse schema > record.schema.json
  peelparse COMMAND --help                    each command's options

"""


def _schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ..output.schema import record_schema

    print(json.dumps(record_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="peelparse",
        description=_DESCRIPTION,
        epilog=_EPILOG + EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"peelparse {__version__}")
    add_debug(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    extract.add_parser(commands)
    show.add_parser(commands)
    grades.add_parser(commands)
    check.add_parser(commands)
    schema = add_command(
        commands,
        "schema",
        help="print the JSON Schema (draft 2020-12) of a record",
        description="Print the JSON Schema (draft 2020-12) that every record validates against.",
        statuses=exit_statuses("0 the schema was written"),
    )
    schema.set_defaults(run=_schema)
    return parser


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, ``timeout``) and SIGHUP (the terminal closed) stop a run as Ctrl-C
    does: workers stopped, output left as it was. Signal handlers can only be set from the main
    thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stops = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = {stop: signal.signal(stop, _terminate) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler)


def _silence_stdout() -> None:
    """After a closed pipe or a failed write: send what is left in stdout's buffer nowhere, so
    that Python's flush at exit does not complain a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # not a real file (tests, embedding)
        pass


class _ClosedStdout(io.TextIOBase):
    """Stands for a standard output the shell closed (``>&-``): writing to it is an output
    error, not an ``AttributeError`` on ``None``."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass


def _more_files(extra: list[str], files: list[str]) -> list[str]:
    """Move the files among ``extra`` (what argparse left) into ``files``; what is left."""
    if "--" in extra:
        at = extra.index("--")
        extra, files_only = extra[:at], extra[at + 1 :]
    else:
        files_only = []
    if all(item == "-" or not item.startswith("-") for item in extra):
        files.extend(extra)
        extra = []
    files.extend(files_only)
    return extra


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    parser = _parser()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    if sys.stderr is None:  # the shell closed it (``2>&-``): messages go nowhere, quietly
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    for stream in (sys.stdout, sys.stderr):
        # A terminal or file that is not UTF-8 still gets every character, as an escape.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="backslashreplace")
    try:
        with _sigterm_as_interrupt():
            args, extra = parser.parse_known_args(argv)
            files = getattr(args, "files", None)
            if isinstance(files, list):
                # argparse takes a command's files up to the first option only: ``extract a
                # -q b`` reads both, as other Unix tools do; after ``--`` all are files.
                extra = _more_files(extra, files)
            if extra:
                raise UsageError(
                    f"unrecognized arguments: {' '.join(extra)} "
                    f"(see 'peelparse {args.command} --help')"
                )
            status: int = args.run(args, parser)
            sys.stdout.flush()  # a full disk shows here, while the message can still say so
            return status
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as cat does.
        _silence_stdout()
        return EXIT_PIPE
    except OSError as failure:
        # Inputs never raise (each becomes a record): what escapes is the output failing.
        if debug:
            raise
        error(f"cannot write the output: {failure.strerror or failure}")
        _silence_stdout()  # what is left in its buffer could only fail again, at exit
        return EXIT_OUTPUT
    except UsageError as failure:
        if debug:
            raise
        error(str(failure))
        return EXIT_USAGE
    except OutputError as failure:
        if debug:
            raise
        error(str(failure))
        return EXIT_OUTPUT
    except Interrupted as stop:
        if debug:
            raise
        say(str(stop))
        return stop.status
    except WorkerLostError as lost:
        if debug:
            raise
        error(str(lost))
        return EXIT_WORKER_LOST
    except KeyboardInterrupt as stop:
        if debug:
            raise
        if isinstance(stop, Terminated):
            say(stop.how)
            return stop.status
        say("interrupted")
        return EXIT_INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
