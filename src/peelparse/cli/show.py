"""``peelparse show``: one page's record as a readable tree, each value with its line."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ..batch.tasks import DEFAULT_MAX_BYTES, STDIN, Input, make_tasks, run_task
from .common import EXIT_FAILED, EXIT_OK, UsageError, add_command, error, exit_statuses
from .inputs import add_input_format_argument

__all__ = ["add_parser", "show_command"]

EPILOG = """\
examples:
  peelparse show --example                    the bundled Cheshire 2017 page
  peelparse show page.html --color always | less -R     colour kept through a pager
  peelparse show - --url https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/kent/ < page.txt

Each value is shown with the line it came from (L30: line 30 of FILE; of the HTML source
for HTML input). Colour on a terminal, none when piped or when NO_COLOR is set.
"""


def add_parser(commands: Any) -> None:
    show = add_command(
        commands,
        "show",
        help="print one page's record as a readable tree",
        description="Print one page's record as a tree: title, kind, force, cycle, grade and "
        "date; the summary's first lines; each question with its grade, lists and areas for "
        "improvement; judgments and pillar blocks; diagnostics last.",
        epilog=EPILOG,
        statuses=exit_statuses("0 the record was shown; 1 the page could not be read"),
    )
    show.add_argument(
        "file", nargs="?", metavar="FILE", help="a page's text or HTML; '-' reads stdin"
    )
    show.add_argument("--example", action="store_true", help="the bundled example page")
    show.add_argument("--url", metavar="URL", help="the page's address, used as a hint")
    add_input_format_argument(show)
    show.add_argument(
        "--full", action="store_true", help="every paragraph, uncut (default: the first lines)"
    )
    show.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto (default): on a terminal, unless NO_COLOR is set",
    )
    show.set_defaults(run=show_command)


def _input(args: argparse.Namespace) -> Input:
    from .inputs import example_input

    if args.example == (args.file is not None):
        raise UsageError("show reads one page: give FILE ('-' for stdin) or --example")
    if args.example:
        return example_input()
    if args.file != STDIN and os.path.isdir(args.file):
        raise UsageError(
            f"{args.file} is a folder; show reads one page (peelparse extract reads folders)"
        )
    return Input(args.file)


def show_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ..output.show import show

    given = _input(args)
    (task,) = make_tasks(
        [Input(given.path, args.url, given.name)],
        format=args.input_format,
        strict=False,
        max_bytes=DEFAULT_MAX_BYTES,
    )
    result = run_task(task)
    if result.report is None:
        assert result.error is not None
        error(f"{result.source}: [{result.error.code}] {result.error.message}")
        return EXIT_FAILED
    color = {"auto": None, "always": True, "never": False}[args.color]
    show(result.report, full=args.full, color=color)
    return EXIT_OK
