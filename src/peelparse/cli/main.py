"""The ``peelparse`` command line: one sub-command per module of this package.

Exit status: 0 when every input was read, 1 when an input failed (unreadable, binary, too
large, or with ``--strict`` an error diagnostic), 2 on misuse (unknown options, no inputs).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .. import __version__
from ..output.schema import record_schema
from . import check, extract, grades
from .extract import EPILOG

__all__ = ["main"]

_DESCRIPTION = """\
Read HMICFRS PEEL pages (the text of a page as saved from a browser, or its HTML) and write
one record per page: title, force, cycle, pillar, grades, dates, questions, judgments and
everything else described in docs/records.md.
"""


def _schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    print(json.dumps(record_schema(), indent=2, ensure_ascii=False))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peelparse",
        description=_DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"peelparse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    extract.add_parser(commands)
    grades.add_parser(commands)
    check.add_parser(commands)
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema (draft 2020-12) of a record",
        description="Print the JSON Schema (draft 2020-12) that every record validates against.",
    )
    schema.set_defaults(run=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    status: int = args.run(args, parser)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
