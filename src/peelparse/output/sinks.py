"""Where records go: JSON, JSON Lines, or a directory of CSV or Parquet tables.

A sink is fed in input order and writes as it goes, so a batch never holds more than one
record (or one Parquet row group per table) in memory. ``prepare`` turns a record into what the
sink writes; it runs in the worker processes, so the writing process stays light.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from typing import IO, Any, Protocol

from .tables import COLUMNS, INTEGER_COLUMNS, TABLES, record_rows

__all__ = ["FORMATS", "MissingDependencyError", "Sink", "open_sink", "preparer"]

FORMATS = ("json", "jsonl", "csv", "parquet")
Record = dict[str, Any]

#: Rows buffered per table before a Parquet row group is written.
PARQUET_ROW_GROUP = 10_000


class MissingDependencyError(RuntimeError):
    """An optional dependency (pyarrow for Parquet) is not installed."""


class Sink(Protocol):
    def write(self, payload: Any) -> None: ...
    def close(self) -> None: ...


def _json_line(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False)


def _json_pretty(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2)


def preparer(format: str) -> Callable[[Record], Any]:
    """The function that turns a record into the ``format`` sink's payload."""
    return {
        "json": _json_pretty,
        "jsonl": _json_line,
        "csv": record_rows,
        "parquet": record_rows,
    }[format]


class JsonLinesSink:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, payload: str) -> None:
        self.out.write(payload + "\n")

    def close(self) -> None:
        self.out.flush()


class JsonSink:
    """One object for a single input, else an array, written element by element."""

    def __init__(self, out: IO[str], expected: int) -> None:
        self.out = out
        self.single = expected == 1  # ``expected`` need only count up to two
        self.count = 0

    def write(self, payload: str) -> None:
        if self.single:
            self.out.write(payload)
        else:
            self.out.write(("[\n" if self.count == 0 else ",\n") + payload)
        self.count += 1

    def close(self) -> None:
        if not self.single:
            self.out.write("[]" if self.count == 0 else "\n]")
        self.out.write("\n")
        self.out.flush()


class CsvSink:
    """``<dir>/<table>.csv`` with a header row, for each table."""

    def __init__(self, directory: str) -> None:
        os.makedirs(directory, exist_ok=True)
        # Open for the sink's lifetime; close() closes them.
        self.files = {
            table: open(os.path.join(directory, f"{table}.csv"), "w", encoding="utf-8", newline="")  # noqa: SIM115
            for table in TABLES
        }
        self.writers = {table: csv.writer(handle) for table, handle in self.files.items()}
        for table, writer in self.writers.items():
            writer.writerow(COLUMNS[table])

    def write(self, payload: dict[str, list[Record]]) -> None:
        for table, rows in payload.items():
            writer = self.writers[table]
            for row in rows:
                writer.writerow(["" if v is None else v for v in row.values()])

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


class ParquetSink:
    """``<dir>/<table>.parquet`` for each table, written in row groups."""

    def __init__(self, directory: str) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as error:
            raise MissingDependencyError(
                "--format parquet needs pyarrow: pip install 'peelparse[parquet]'"
            ) from error
        os.makedirs(directory, exist_ok=True)
        self.pa = pa
        self.schemas = {
            table: pa.schema(
                [(c, pa.int64() if c in INTEGER_COLUMNS else pa.string()) for c in columns]
            )
            for table, columns in COLUMNS.items()
        }
        self.writers = {
            table: pq.ParquetWriter(os.path.join(directory, f"{table}.parquet"), schema)
            for table, schema in self.schemas.items()
        }
        self.buffers: dict[str, list[Record]] = {table: [] for table in TABLES}

    def _flush(self, table: str) -> None:
        rows = self.buffers[table]
        if rows:
            batch = self.pa.RecordBatch.from_pylist(rows, schema=self.schemas[table])
            self.writers[table].write_batch(batch)
            rows.clear()

    def write(self, payload: dict[str, list[Record]]) -> None:
        for table, rows in payload.items():
            buffer = self.buffers[table]
            buffer.extend(rows)
            if len(buffer) >= PARQUET_ROW_GROUP:
                self._flush(table)

    def close(self) -> None:
        for table, writer in self.writers.items():
            self._flush(table)
            writer.close()


def open_sink(format: str, out: IO[str] | None, directory: str | None, expected: int) -> Sink:
    """The sink for ``format``: a stream for JSON formats, a directory for tables."""
    if format in ("csv", "parquet"):
        if directory is None:
            raise ValueError(f"--format {format} writes a directory of tables: give -o DIR")
        return CsvSink(directory) if format == "csv" else ParquetSink(directory)
    assert out is not None
    return JsonLinesSink(out) if format == "jsonl" else JsonSink(out, expected)
