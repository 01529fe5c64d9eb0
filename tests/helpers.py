"""What the tests share: the fixture pages, the seed page, the command line run in-process,
and the checks that every line of a page is accounted for and every value traced to its text."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import peelparse
from peelparse import Report, Span, TokenKind, tokenize
from peelparse.cli import main

K = TokenKind

FIXTURES = Path(__file__).parent / "fixtures"
#: The HTML twin of every text fixture (written by ``tests/html_fixtures.py``).
HTML = FIXTURES / "html"
#: The one complete real page (Cheshire PEEL 2017 Effectiveness), and an overview excerpt.
SEED = FIXTURES / "peel-2017__cheshire__effectiveness.txt"
OVERVIEW = FIXTURES / "overview-2016-early-pillar-blocks.txt"


def fixture_pages() -> list[Path]:
    """Every ``tests/fixtures/<case>.txt``, sorted so test ids are stable."""
    return sorted(FIXTURES.glob("*.txt"))


def read_page(path: Path) -> str:
    """The page exactly as saved: line breaks and byte-order marks untouched."""
    return path.read_bytes().decode("utf-8")


def url_of(path: Path) -> str | None:
    """The address a fixture page was saved from, when it has a ``<case>.url``."""
    hint = path.with_suffix(".url")
    return hint.read_text(encoding="utf-8").strip() if hint.exists() else None


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``peelparse ARGV…`` in this process: exit status, stdout, stderr."""
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


#: Lines whose meaning is the page's structure; their values land in typed fields.
MARKERS = {
    K.FURNITURE, K.CONTACT, K.REPORT_LINK, K.PILLAR, K.QUESTIONS_FOR, K.AREAS_FOR_IMPROVEMENT,
    K.CAUSE_OF_CONCERN, K.RECOMMENDATIONS, K.OBSERVATIONS, K.PUBLISHED,
}  # fmt: skip


def assert_usage_error(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``argv`` is misuse: exit status 2 and one line naming ``message``, no usage block."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("peelparse: error: ")
    assert err.count("\n") == 1
    assert message in err


def record_spans(value: object) -> Iterator[tuple[int, int]]:
    """Every span a record written with ``spans=True`` carries, anywhere in it."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "span" or key.endswith("_span"):
                if item is not None:
                    yield item[0], item[1]
            elif key.endswith("_spans"):
                yield from ((s[0], s[1]) for s in item)
            else:
                yield from record_spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from record_spans(item)


def unaccounted_lines(text: str, report: Report) -> list[str]:
    """Lines of content that no value of the record was read from (by its span), that are not
    furniture or a structural marker, and that no diagnostic points at."""
    spans = sorted(record_spans(peelparse.to_dict(report, spans=True)))
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))  # furthest end so far
    diagnosed = {d.line for d in report.diagnostics}
    missing = []
    for token in tokenize(text):
        if token.kind is K.BLANK or token.kind in MARKERS or token.line in diagnosed:
            continue
        if token.kind is K.LAST_UPDATED and token.end == len(text) and not token.dated.complete:
            continue  # a page cut off inside its date: the one line the docs let go unread
        before = bisect.bisect_left(starts, token.end)  # spans that start before the token ends
        if before and reach[before - 1] > token.start:  # … and one of them reaches into it
            continue
        missing.append(repr(token))
    return missing


def traced_values(record: object) -> Iterator[tuple[str, Span, str]]:
    """Every string value of a record with the span it was read from, and the field's name."""
    if not attrs.has(type(record)):
        return
    fields = attrs.fields(type(record))
    principal = {"Paragraph": "text", "Heading": "text", "Question": "text",
                 "Judgment": "text", "Section": "heading"}.get(type(record).__name__)  # fmt: skip
    for field in fields:
        value = getattr(record, field.name)
        if field.metadata.get("span"):
            if field.name == "span":
                named = principal
            elif field.name == "item_spans":
                named = "items"
            else:
                named = field.name.removesuffix("_spans").removesuffix("_span")
            if named is None or value in (None, ()):
                continue
            traced = getattr(record, named)
            if isinstance(traced, str):
                yield traced, value, named
            elif isinstance(traced, tuple) and all(isinstance(v, str) for v in traced):
                yield from ((v, s, named) for v, s in zip(traced, value, strict=True))
        elif isinstance(value, tuple):
            for item in value:
                yield from traced_values(item)
        else:
            yield from traced_values(value)


def spans_of(record: object) -> list[object]:
    """Every span field of a record and its parts, in order."""
    found: list[object] = []
    if attrs.has(type(record)):
        for field in attrs.fields(type(record)):
            value = getattr(record, field.name)
            if field.metadata.get("span"):
                found.append(value)
            elif isinstance(value, tuple):
                for item in value:
                    found.extend(spans_of(item))
            elif field.metadata.get("export", True):
                found.extend(spans_of(value))
    return found
