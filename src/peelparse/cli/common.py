"""What every sub-command shares: exit statuses, one-line errors, the parser class.

A command is a module with ``add_parser(commands)``, which calls ``add_command`` and sets
``run=`` to a function ``(args, parser) -> int``. The function returns an exit status, or
raises ``UsageError``, ``OutputError`` or ``Interrupted``; ``main`` turns those (and a closed
pipe, Ctrl-C or SIGTERM) into one line on stderr and the status below. Nothing a user can cause
prints a traceback; ``peelparse --debug COMMAND …`` shows one.
"""

from __future__ import annotations

import argparse
import signal
import sys
import textwrap
from typing import Any, NoReturn

from ..output.show import plural

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "EXIT_PIPE",
    "EXIT_STATUS",
    "EXIT_TERMINATED",
    "EXIT_USAGE",
    "EXIT_WORKER_LOST",
    "SHARED_STATUSES",
    "WORKER_LOST_STATUS",
    "Interrupted",
    "OutputError",
    "Parser",
    "UsageError",
    "add_command",
    "byte_count",
    "error",
    "exit_statuses",
    "plural",
    "positive_int",
    "say",
]

EXIT_OK = 0
#: An input failed (unreadable, binary, too large; with ``--strict`` an error diagnostic).
EXIT_FAILED = 1
#: The command was misused: bad options, no inputs, an output path that cannot be used.
EXIT_USAGE = 2
#: The output could not be written (disk full, read-only place): ``EX_IOERR`` of sysexits.h.
EXIT_OUTPUT = 74
#: A worker process died (killed from outside, or for memory): ``EX_TEMPFAIL``, try again.
EXIT_WORKER_LOST = 75
#: Ctrl-C (SIGINT), 128 + 2 as shells report it.
EXIT_INTERRUPTED = 130
#: The reader of stdout went away (``| head``): 128 + SIGPIPE, as a shell reports for ``cat``.
EXIT_PIPE = 141
#: SIGTERM (``timeout``, ``kill``), 128 + 15; SIGHUP (the terminal closed) is 128 + 1.
EXIT_TERMINATED = 143

#: How a command's ``--help`` ends, naming the statuses every command shares after its own.
SHARED_STATUSES = (
    "2 the command was misused; 74 the output could not be written (disk full, read-only); 130 "
    "interrupted (Ctrl-C; 143 for SIGTERM, 129 for SIGHUP); 141 stdout was closed early (as "
    "with '| head')."
)


def exit_statuses(own: str) -> str:
    """The exit-status paragraph of a command whose own statuses are ``own``."""
    # Neither "read-only" nor "'| head'" is split over two lines.
    text = f"exit status: {own}; {SHARED_STATUSES}".replace("'| head'", "'|\0head'")
    return textwrap.fill(text, width=92, break_on_hyphens=False).replace("\0", " ") + "\n"


#: The status of the commands that read pages with a pool of workers.
WORKER_LOST_STATUS = "75 a worker process died (killed, or out of memory)"

#: The epilog paragraph of the commands that read pages into records.
EXIT_STATUS = exit_statuses(
    "0 all inputs read; 1 an input failed (or, with --strict, had an error diagnostic); "
    + WORKER_LOST_STATUS
)


class UsageError(Exception):
    """The command was misused; the message names the option or path. Exit status 2."""


class OutputError(Exception):
    """The output could not be written; the message says what was left where. Exit 74."""


class Interrupted(Exception):  # noqa: N818 - a stop the user asked for, not an error
    """The run was stopped by a signal; the message says how far it got and what was kept."""

    def __init__(self, message: str, status: int = EXIT_INTERRUPTED) -> None:
        super().__init__(message)
        self.status = status


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where Ctrl-C would be so that the same clean-up runs."""

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        super().__init__(signum)
        #: 128 + the signal, as a shell reports it: 143 for SIGTERM, 129 for SIGHUP.
        self.status = 128 + signum
        self.how = "hung up" if signum == signal.SIGHUP else "terminated"


def stopped(stop: KeyboardInterrupt, progress: str) -> Interrupted:
    """The one line a run stopped by a signal ends with: how it stopped and how far it got."""
    if isinstance(stop, Terminated):
        return Interrupted(f"{stop.how} after {progress}", stop.status)
    return Interrupted(f"interrupted after {progress}", EXIT_INTERRUPTED)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line, not a usage block and a message."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


#: The largest ``--max-bytes``: far above any page (real pages are 5–200 KB), and small
#: enough that reading up to it is an ordinary read.
MAX_BYTES_LIMIT = 1 << 31


def byte_count(text: str) -> int:
    """An ``argparse`` type: a size in bytes, from 1 to ``MAX_BYTES_LIMIT``."""
    value = positive_int(text)
    if value > MAX_BYTES_LIMIT:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_BYTES_LIMIT} (2 GiB), not {value}")
    return value


def positive_int(text: str) -> int:
    """An ``argparse`` type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def add_command(
    commands: Any,
    name: str,
    *,
    help: str,
    description: str,
    epilog: str = "",
    statuses: str = EXIT_STATUS,
) -> argparse.ArgumentParser:
    """A sub-command's parser, with ``--debug`` and its exit statuses at the end of its help."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=description,
        epilog=(epilog + "\n" if epilog else "") + statuses,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_debug(parser)
    return parser


def add_debug(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a sub-command's default must not hide a --debug given before the sub-command.
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show a traceback instead of a one-line message when something fails",
    )


def say(message: str) -> None:
    """``peelparse: message`` on stderr (a file name's control characters shown, not obeyed)."""
    from ..output.show import visible

    print(f"peelparse: {visible(message)}", file=sys.stderr, flush=True)


def error(message: str) -> None:
    """``peelparse: error: message`` on stderr."""
    say(f"error: {message}")
