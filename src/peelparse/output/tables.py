"""Records as tidy tables for data pipelines: reports, questions, items, judgments, pillars
(an overview's pillar blocks) and diagnostics.

Every row carries ``source`` (the input's path, unique within a batch), which joins the tables;
``report_id`` is the page's ``id`` and ``force_id`` its force's key, for readers who group by
page or force. Questions are keyed by ``question_position`` (1-based, in page order), since many
questions have no printed number. The reports table's columns are the report's own scalar
fields, in the contract's order, taken from the record class.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator, Mapping
from typing import Any

from ..records import Report
from .export import contract_fields, members_of

__all__ = ["COLUMNS", "DATE_COLUMNS", "INTEGER_COLUMNS", "TABLES", "record_rows"]

Row = dict[str, Any]


def _scalar(tp: Any) -> bool:
    """A field that holds one value (not a list or a part), as the reports table shows it."""
    kind = members_of(tp)[0]
    return kind in (str, int, datetime.date) or (
        isinstance(kind, type) and issubclass(kind, enum.Enum)
    )


_REPORT_SCALARS = tuple(
    f.name
    for f in contract_fields(Report)
    if _scalar(f.type) and f.name not in ("schema_version", "id", "source", "url")
)
_KEYS = ("source", "report_id", "force_id")

COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": (
        "source",
        "url",
        "status",
        "report_id",
        *_REPORT_SCALARS,
        "inspector_name",
        "inspector_role",
        "questions",
        "diagnostics",
        "error_code",
        "error_message",
    ),
    "questions": (*_KEYS, "question_position", "number", "text", "grade"),
    "items": (
        *_KEYS,
        "question_position",
        "section",
        "heading",
        "pillar",
        "block_position",
        "block_type",
        "list_position",
        "lead_in",
        "text",
    ),
    "judgments": (*_KEYS, "judgment_position", "pillar", "grade", "text"),
    "pillars": (
        *_KEYS,
        "pillar_position",
        "pillar",
        "headline_question",
        "last_updated",
        "grade",
    ),
    "diagnostics": (
        *_KEYS,
        "code",
        "severity",
        "message",
        "line",
        "column",
        "html_line",
    ),
}
TABLES = tuple(COLUMNS)
#: The columns that hold integers (or nothing); every other column holds text.
INTEGER_COLUMNS = frozenset(
    ("year", "questions", "diagnostics", "question_position", "number", "block_position",
     "list_position", "judgment_position", "pillar_position", "line", "column", "html_line")
)  # fmt: skip
#: The columns that hold an ISO date (or nothing).
DATE_COLUMNS = frozenset(("last_updated",))

#: The ``section`` column of ``items``: where on the page a text stands.
SECTIONS = (
    "summary",
    "content",
    "area_for_improvement",
    "cause_of_concern",
    "recommendation",
    "observation",
    "pillar_summary",
    "section",
)


def _blocks(
    base: Row, section: str, blocks: list[Mapping[str, Any]], **extra: Any
) -> Iterator[Row]:
    """One row per paragraph or heading, one per list item (with its lead-in)."""
    for position, block in enumerate(blocks, 1):
        row = {
            **base,
            "section": section,
            "block_position": position,
            "block_type": block["type"],
            **extra,
        }
        if block["type"] == "list":
            for item_position, item in enumerate(block["items"], 1):
                yield {
                    **row,
                    "list_position": item_position,
                    "lead_in": block["lead_in"],
                    "text": item,
                }
        else:
            yield {**row, "text": block["text"]}


def _entries(base: Row, section: str, entries: list[str]) -> Iterator[Row]:
    for position, text in enumerate(entries, 1):
        yield {
            **base,
            "section": section,
            "block_type": "item",
            "list_position": position,
            "text": text,
        }


def _items(record: Mapping[str, Any], base: Row) -> Iterator[Row]:
    yield from _blocks(base, "summary", record["summary"])
    for position, question in enumerate(record["questions"], 1):
        at = {**base, "question_position": position}
        yield from _blocks(at, "content", question["blocks"])
        yield from _entries(at, "area_for_improvement", question["areas_for_improvement"])
        yield from _entries(at, "cause_of_concern", question["causes_of_concern"])
        yield from _entries(at, "recommendation", question["recommendations"])
    yield from _blocks(base, "observation", record["observations"])
    for block in record["pillars"]:
        yield from _blocks(base, "pillar_summary", block["summary"], pillar=block["pillar"])
    for section in record["sections"]:
        heading = section["heading"]
        if not section["blocks"]:
            yield {**base, "section": "section", "heading": heading, "block_type": "heading"}
        yield from _blocks(base, "section", section["blocks"], heading=heading)


def _fill(table: str, row: Row) -> Row:
    return {column: row.get(column) for column in COLUMNS[table]}


def record_rows(record: Mapping[str, Any]) -> dict[str, list[Row]]:
    """The rows each table gets from one record (a ``to_dict`` record or an error record)."""
    source = record["source"]
    if record.get("status") == "error":
        error = record["error"]
        report = {
            "source": source,
            "url": record.get("url"),
            "status": "error",
            "error_code": error["code"],
            "error_message": error["message"],
        }
        return {table: [_fill(table, report)] if table == "reports" else [] for table in TABLES}
    base: Row = {"source": source, "report_id": record["id"], "force_id": record["force_id"]}
    inspector = record["inspector"] or {}
    report = {
        **base,
        **{k: record[k] for k in COLUMNS["reports"] if k in record},
        "status": "ok",
        "inspector_name": inspector.get("name"),
        "inspector_role": inspector.get("role"),
        "questions": len(record["questions"]),
        "diagnostics": len(record["diagnostics"]),
    }
    questions = [
        {
            **base,
            "question_position": position,
            "number": q["number"],
            "text": q["text"],
            "grade": q["grade"],
        }
        for position, q in enumerate(record["questions"], 1)
    ]
    judgments = [
        {**base, "judgment_position": position, **j}
        for position, j in enumerate(record["judgments"], 1)
    ]
    pillars = [
        {**base, "pillar_position": position, **{k: p[k] for k in COLUMNS["pillars"] if k in p}}
        for position, p in enumerate(record["pillars"], 1)
    ]
    diagnostics = [{**base, **d} for d in record["diagnostics"]]
    return {
        "reports": [_fill("reports", report)],
        "questions": [_fill("questions", row) for row in questions],
        "items": [_fill("items", row) for row in _items(record, base)],
        "judgments": [_fill("judgments", row) for row in judgments],
        "pillars": [_fill("pillars", row) for row in pillars],
        "diagnostics": [_fill("diagnostics", row) for row in diagnostics],
    }
