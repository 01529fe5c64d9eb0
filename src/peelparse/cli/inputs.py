"""The inputs a command reads: PATH…, ``--manifest``, ``--glob``, ``--example``, ``--jobs``.

``extract``, ``grades`` and ``check`` read pages the same way, so they share these options and
find their inputs through one function.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from importlib import resources
from types import TracebackType

from ..batch.discovery import DEFAULT_GLOBS, discover, read_manifest
from ..batch.pool import parse_many
from ..batch.tasks import DEFAULT_MAX_BYTES, STDIN, Input, Result
from .common import UsageError, byte_count, plural, positive_int, stopped

__all__ = [
    "EXAMPLE",
    "Reading",
    "add_input_arguments",
    "add_input_format_argument",
    "add_jobs_argument",
    "example_input",
    "gather_inputs",
    "iter_inputs",
    "nothing_to_read",
    "refuse_input_as_output",
    "walks",
]

EXAMPLE = "peel-2017__cheshire__effectiveness.txt"


def add_input_arguments(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """The options that say which pages to read, in an "inputs" group (returned)."""
    inputs = parser.add_argument_group("inputs")
    inputs.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="page text or HTML files, or folders (read recursively); '-' reads stdin",
    )
    inputs.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help="file names to take from folders (repeatable; default: "
        + ", ".join(DEFAULT_GLOBS)
        + ")",
    )
    inputs.add_argument(
        "--manifest",
        metavar="FILE",
        help="a TSV or CSV file of 'path[<tab or comma>url]' rows: each URL is recorded as the "
        "record's url and tells force, cycle, pillar and kind where the text does not",
    )
    inputs.add_argument(
        "--example", action="store_true", help=f"also read the bundled page {EXAMPLE}"
    )
    inputs.add_argument(
        "--max-bytes",
        type=byte_count,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse larger inputs unread, with an error record (default: {DEFAULT_MAX_BYTES}; "
        "real pages are 5–200 KB)",
    )
    return inputs


def add_jobs_argument(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        metavar="N",
        help="worker processes (default: the machine's cores; never more than the inputs, nor "
        "than memory holds)",
    )


def add_input_format_argument(group: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--input-format``, the same for every command that reads pages."""
    group.add_argument(
        "--input-format",
        choices=("auto", "text", "html"),
        default="auto",
        help="auto (default): .html/.htm files and content that starts like HTML are HTML, "
        "everything else is saved text",
    )


def example_input() -> Input:
    """The bundled example page, recorded under its file name."""
    return Input(str(resources.files("peelparse").joinpath("examples", EXAMPLE)), name=EXAMPLE)


def iter_inputs(args: argparse.Namespace) -> Iterator[Input]:
    """The inputs, lazily: folders are walked while the first pages are already parsed."""
    if args.example:
        yield example_input()
    if args.manifest:
        try:
            manifest = list(read_manifest(args.manifest))
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise UsageError(f"cannot read --manifest {args.manifest}: {reason}") from None
        yield from manifest
    yield from discover(args.files, tuple(args.glob or DEFAULT_GLOBS))


def nothing_to_read(args: argparse.Namespace) -> str:
    """Why no input was found (every FILE given is then an empty folder)."""
    if args.files:
        folders = ", ".join(args.files)
        globs = ", ".join(args.glob or DEFAULT_GLOBS)
        return f"nothing to read: no file in {folders} matches {globs} (--glob chooses names)"
    if args.manifest:
        return f"nothing to read: --manifest {args.manifest} lists no files"
    return "nothing to read: give FILE or FOLDER ('-' for stdin), --manifest FILE or --example"


def walks(args: argparse.Namespace) -> bool:
    """Whether the inputs are found as the run goes (a folder or a manifest), not all given."""
    return bool(args.manifest) or any(f != STDIN and os.path.isdir(f) for f in args.files)


def refuse_input_as_output(args: argparse.Namespace, output: str | None) -> None:
    """A ``-o`` that names one of the files given, or the manifest, would replace an input with
    its own records: a usage error, before anything is read."""
    if output is None or output == "-":
        return
    target = os.path.realpath(output)
    given = [f for f in args.files if f != STDIN]
    if args.manifest:
        given.append(args.manifest)
    for path in given:
        if os.path.realpath(path) == target:
            raise UsageError(f"-o {output} is also an input: give another output")


def gather_inputs(args: argparse.Namespace) -> list[Input]:
    """Every input, for a command that needs them all before it can answer; at least one."""
    found = list(iter_inputs(args))
    if not found:
        raise UsageError(nothing_to_read(args))
    return found


class Reading:
    """The results of ``inputs``, counted as they come, for a ``with`` block: leaving it stops
    the workers, and a signal that stopped the run becomes the one line saying how far it got
    and what ``kept`` (``"nothing written"``, ``"out.csv left as it was"``)."""

    def __init__(self, inputs: list[Input], args: argparse.Namespace, kept: str) -> None:
        self.total = len(inputs)
        self.kept = kept
        self.count = 0
        self._results = parse_many(inputs, jobs=args.jobs, max_bytes=args.max_bytes)

    def __iter__(self) -> Iterator[Result]:
        for result in self._results:
            self.count += 1
            yield result

    def __enter__(self) -> Reading:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: TracebackType | None
    ) -> None:
        close = getattr(self._results, "close", None)
        if close is not None:  # now, not when the generator is collected
            close()
        if isinstance(error, KeyboardInterrupt):
            progress = f"{self.count} of {plural(self.total, 'input')}; {self.kept}"
            raise stopped(error, progress) from None
