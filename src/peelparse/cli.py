"""The ``peelparse`` command: extract records from saved PEEL pages.

Exit status: 0 when every input was read, 1 when an input failed (unreadable, or with
``--strict`` an error diagnostic), 2 on misuse (unknown options, no inputs).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .api import Format, parse
from .diagnostics import PeelParseError
from .export import to_dict

__all__ = ["main"]

EXAMPLE = "peel-2017__cheshire__effectiveness.txt"

_DESCRIPTION = """\
Read HMICFRS PEEL pages (the text of a page as saved from a browser, or its HTML) and write
one JSON record per page: title, force, cycle, pillar, grades, dates, questions, judgments and
everything else described in docs/records.md.
"""

_EPILOG = """\
examples:
  peelparse extract --example                 the bundled Cheshire 2017 page
  peelparse extract page.txt                  one page, pretty JSON on stdout
  peelparse extract pages/*.txt --format jsonl -o records.jsonl
  cat page.txt | peelparse extract - --url https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/kent/

exit status: 0 all inputs read; 1 an input failed (or, with --strict, had an error
diagnostic); 2 the command was misused.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peelparse",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"peelparse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    extract = commands.add_parser(
        "extract",
        help="read pages and write their records as JSON",
        description="Read pages and write their records as JSON or JSON Lines.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument(
        "files", nargs="*", metavar="FILE", help="saved page text or HTML files; '-' reads stdin"
    )
    extract.add_argument(
        "--example", action="store_true", help=f"also read the bundled page {EXAMPLE}"
    )
    extract.add_argument(
        "--format",
        choices=("json", "jsonl"),
        default="json",
        help="json: one object (one input) or an array; jsonl: one record per line (default: json)",
    )
    extract.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    extract.add_argument(
        "--strict", action="store_true", help="treat an error diagnostic as a failed input"
    )
    extract.add_argument(
        "--url", metavar="URL", help="the page's address, used as a hint (one input only)"
    )
    extract.add_argument(
        "--spans", action="store_true", help="add source spans [start, end] to every element"
    )
    extract.add_argument(
        "--input-format",
        choices=("auto", "text", "html"),
        default="auto",
        help="how to read inputs: auto (default) takes .html/.htm files and content that "
        "starts like HTML as HTML, everything else as saved text",
    )
    return parser


def _inputs(args: argparse.Namespace) -> Iterator[tuple[str, bytes | None, str | None]]:
    """``(source, data, error)`` per input, in the order given."""
    if args.example:
        data = resources.files("peelparse").joinpath("examples", EXAMPLE).read_bytes()
        yield EXAMPLE, data, None
    for name in args.files:
        if name == "-":
            stdin = sys.stdin
            raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
            yield "-", raw, None
            continue
        try:
            yield name, Path(name).read_bytes(), None
        except OSError as error:
            yield name, None, f"{type(error).__name__}: {error.strerror or error}"


def _format_for(name: str, chosen: str) -> Format:
    if chosen == "text":
        return "text"
    if chosen == "html" or name.lower().endswith((".html", ".htm")):
        return "html"
    return "auto"


def _error_record(source: str, code: str, message: str) -> dict[str, Any]:
    return {"source": source, "status": "error", "error": {"code": code, "message": message}}


def extract(args: argparse.Namespace, out: TextIO) -> int:
    status = 0
    records: list[dict[str, Any]] = []
    for source, data, error in _inputs(args):
        if data is None:
            record = _error_record(source, "unreadable", error or "")
            print(f"peelparse: {source}: {error}", file=sys.stderr)
            status = 1
        else:
            try:
                report = parse(
                    data,
                    source=source,
                    url=args.url,
                    strict=args.strict,
                    format=_format_for(source, args.input_format),
                )
            except PeelParseError as failure:
                print(f"peelparse: {source}:{failure}", file=sys.stderr)
                record = _error_record(source, failure.diagnostic.code, str(failure))
                status = 1
            else:
                record = to_dict(report, spans=args.spans)
        if args.format == "jsonl":
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            records.append(record)
    if args.format == "json":
        document: object = records[0] if len(records) == 1 else records
        out.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.files and not args.example:
        parser.error("extract needs at least one FILE (or '-' for stdin, or --example)")
    if args.url and len(args.files) + args.example > 1:
        parser.error("--url describes one page; give one input with it")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            return extract(args, out)
    return extract(args, sys.stdout)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
