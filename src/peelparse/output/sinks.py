"""Where records go: JSON, JSON Lines, or a folder of CSV or Parquet tables.

A sink is fed in input order and writes as it goes, so a batch never holds more than one
record (or one Parquet row group per table) in memory. ``preparer`` turns a record into what the
sink writes; it runs in the worker processes, so the writing process stays light.

Output to a path is staged: it is written to a temporary file (or folder) beside the target and
moved into place by ``Output.commit()`` only, so a run that is interrupted or fails leaves the
previous output as it was. A folder of tables is committed file by file (``reports.csv``,
``questions.csv``, …, each replaced in one rename); other files in that folder are left alone.
Devices and pipes (``/dev/stdout``, a FIFO) and stdout itself are written directly.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import errno
import itertools
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import IO, Any, Protocol

from .tables import COLUMNS, DATE_COLUMNS, INTEGER_COLUMNS, TABLES, record_rows

__all__ = [
    "FORMATS",
    "STDOUT",
    "TABLE_FORMATS",
    "MissingDependencyError",
    "Output",
    "OutputPathError",
    "ParquetSink",
    "Sink",
    "WriteError",
    "check_target",
    "open_output",
    "parquet_schema",
    "preparer",
    "require_pyarrow",
    "staged_path",
    "typed_schema",
    "untouched",
]

FORMATS = ("json", "jsonl", "csv", "parquet")
#: The formats that write a folder of tables rather than one file.
TABLE_FORMATS = ("csv", "parquet")
#: The output path that means standard output.
STDOUT = "-"
Record = dict[str, Any]

#: Rows buffered per table before a Parquet row group is written.
PARQUET_ROW_GROUP = 10_000


class MissingDependencyError(RuntimeError):
    """An optional dependency (pyarrow for Parquet) is not installed."""


class OutputPathError(ValueError):
    """The output path cannot take this format: a folder for a file, a missing parent folder."""


class WriteError(Exception):
    """Writing the output failed (disk full, read-only place, no permission).

    ``where`` is the output as the user named it, ``reason`` the system's words, ``kept`` what
    was left where (``"out.json left as it was"``).
    """

    def __init__(self, where: str, reason: str, kept: str) -> None:
        super().__init__(f"cannot write {where}: {reason}; {kept}")
        self.where = where
        self.reason = reason
        self.kept = kept


# What the workers prepare ------------------------------------------------------------------


def _json_line(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False)


def _json_pretty(record: Record) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2)


def _typed_rows(record: Record) -> dict[str, list[Record]]:
    """The table rows with dates as ``datetime.date``, as Parquet stores them."""
    tables = record_rows(record)
    for table, rows in tables.items():
        dates = DATE_COLUMNS.intersection(COLUMNS[table])
        for row in rows:
            for column in dates:
                if row[column] is not None:
                    row[column] = datetime.date.fromisoformat(row[column])
    return tables


def preparer(format: str) -> Callable[[Record], Any]:
    """The function that turns a record into the ``format`` sink's payload."""
    return {
        "json": _json_pretty,
        "jsonl": _json_line,
        "csv": record_rows,
        "parquet": _typed_rows,
    }[format]


# Sinks: write(payload) in order, then close() to finish the format or abort() to stop ---------


class Sink(Protocol):
    def write(self, payload: Any) -> None: ...
    def close(self) -> None: ...
    def abort(self) -> None: ...


class JsonLinesSink:
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, payload: str) -> None:
        self.out.write(payload + "\n")

    def close(self) -> None:
        self.out.flush()

    def abort(self) -> None:
        """Nothing to undo: each line is a whole record."""


class JsonSink:
    """One object when ``single``, else an array, written element by element."""

    def __init__(self, out: IO[str], *, single: bool) -> None:
        self.out = out
        self.single = single
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

    def abort(self) -> None:
        """The array is left open: a cut-off array must not pass for a whole one."""


class CsvSink:
    """``<dir>/<table>.csv`` with a header row, for each table.

    ``encoding="utf-8-sig"`` starts each file with a byte-order mark, by which Excel knows the
    file is UTF-8 (without it Excel reads curly quotes and accents as Windows-1252).
    """

    def __init__(self, directory: str, encoding: str = "utf-8") -> None:
        self.files: dict[str, IO[str]] = {}
        for table in TABLES:
            path = os.path.join(directory, f"{table}.csv")
            # Open for the sink's lifetime; close() or abort() closes them.
            self.files[table] = open(path, "w", encoding=encoding, newline="")  # noqa: SIM115
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

    def abort(self) -> None:
        for handle in self.files.values():
            # The disk that failed the run may fail the last flush too.
            with contextlib.suppress(OSError):
                handle.close()


def require_pyarrow(needed_by: str = "--format parquet") -> Any:
    """The pyarrow module, ``pyarrow.parquet`` loaded; without the ``parquet`` extra a
    ``MissingDependencyError``: ``<needed_by> needs pyarrow: pip install 'peelparse[parquet]'``.
    """
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise MissingDependencyError(
            f"{needed_by} needs pyarrow: pip install 'peelparse[parquet]'"
        ) from error
    return pyarrow


def parquet_schema(table: str) -> Any:
    """The Arrow schema of one of the record tables (see ``typed_schema``)."""
    return typed_schema(COLUMNS[table], integers=INTEGER_COLUMNS, dates=DATE_COLUMNS)


def typed_schema(
    columns: Sequence[str],
    *,
    integers: Collection[str] = (),
    dates: Collection[str] = (),
    booleans: Collection[str] = (),
) -> Any:
    """An Arrow schema of nullable int64, date32, bool and string columns.

    The schema carries pandas metadata naming the integer and boolean columns ``Int64`` and
    ``boolean``, so that pandas reads a year or a number as a nullable integer rather than as
    a float.
    """
    pa = require_pyarrow()
    fields = []
    described = []
    for column in columns:
        if column in integers:
            kind, pandas_type, numpy_type = pa.int64(), "int64", "Int64"
        elif column in dates:
            kind, pandas_type, numpy_type = pa.date32(), "date", "object"
        elif column in booleans:
            kind, pandas_type, numpy_type = pa.bool_(), "bool", "boolean"
        else:
            kind, pandas_type, numpy_type = pa.string(), "unicode", "object"
        fields.append(pa.field(column, kind))
        described.append(
            {
                "name": column,
                "field_name": column,
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": None,
            }
        )
    pandas = {
        "index_columns": [],
        "column_indexes": [],
        "columns": described,
        "creator": {"library": "peelparse", "version": "1"},
        "pandas_version": "2.0.0",
    }
    return pa.schema(fields, metadata={"pandas": json.dumps(pandas)})


class ParquetSink:
    """``<dir>/<table>.parquet`` for each table, written in row groups.

    ``name`` places each table's file below ``directory`` (``{table}`` is replaced).
    """

    def __init__(self, directory: str, name: str = "{table}.parquet") -> None:
        pa = require_pyarrow()
        self.pa = pa
        self.schemas = {table: parquet_schema(table) for table in TABLES}
        self.writers = {}
        for table, schema in self.schemas.items():
            path = os.path.join(directory, name.format(table=table))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            self.writers[table] = pa.parquet.ParquetWriter(path, schema)
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

    def abort(self) -> None:
        for writer in self.writers.values():
            try:
                writer.close()
            except OSError:
                pass
            finally:  # else its __del__ closes it again and prints that failure at exit
                writer.is_open = False


# Places: where a sink's files go, and how they are moved into place ----------------------------


def _fresh(folder: str, name: str, make: Callable[[str], Any]) -> tuple[str, Any]:
    """A new hidden ``.<name>.peelparse-<pid>-<n>.tmp`` in ``folder``, made by ``make``."""
    for attempt in itertools.count():  # pragma: no branch - ends at the first free name
        path = os.path.join(folder, f".{name}.peelparse-{os.getpid()}-{attempt}.tmp")
        try:
            return path, make(path)
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _parent(shown: str, target: str) -> None:
    """Refuse a target whose folder does not exist (as ``cp`` and ``>`` do)."""
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        given = os.path.dirname(os.path.normpath(shown)) or "."
        what = "is not a folder" if os.path.exists(folder) else "does not exist"
        raise OutputPathError(f"{shown}: folder {given} {what}")


def check_target(shown: str) -> None:
    """Raise ``OutputPathError`` now if ``shown`` could not be written at the end: its folder
    is missing, or it is a read-only file."""
    target = os.path.realpath(shown)
    if not _is_special(target):
        _parent(shown, target)
        _replaceable(shown, target)


def _replaceable(shown: str, target: str) -> None:
    """Refuse to replace a file that is read-only (no write permission bit, or none for us):
    writing over it with ``>`` would fail, and a rename must not be a way round that.

    A read-only file system is the place failing, not the user's choice of file: a
    ``WriteError``, as when a new file cannot be made there.
    """
    if _read_only_place(os.path.dirname(target)):
        raise WriteError(shown, os.strerror(errno.EROFS), untouched(shown))
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # nothing there yet (or nothing we can look at: the rename will say)
    if stat.S_ISREG(mode) and (not mode & 0o222 or not os.access(target, os.W_OK)):
        raise OutputPathError(f"{shown} is read-only: not replaced")


def _read_only_place(folder: str) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False


def _kept(where: str, existed: bool) -> str:
    return f"{where} left as it was" if existed else f"nothing written to {where}"


class _Direct:
    """Stdout, a device or a pipe: written as records come, nothing to move into place."""

    def __init__(self, stream: IO[str], where: str, *, owned: bool) -> None:
        self.stream = stream
        self.where = where
        self.owned = owned

    def commit(self) -> None:
        if self.owned:
            self.stream.close()
        else:
            self.stream.flush()

    def abort(self, written: int, *, failed: bool = False) -> str:
        with contextlib.suppress(OSError):
            self.commit()
        if failed:  # what reached the stream before the error is unknown
            return f"the output on {self.where} is incomplete"
        if not written:
            return f"nothing written to {self.where}"
        return f"the first {written} record{'' if written == 1 else 's'} went to {self.where}"


class _StagedFile:
    """A temporary file beside the target, renamed over it by ``commit``."""

    def __init__(self, shown: str, encoding: str) -> None:
        self.where = shown
        self.target = os.path.realpath(shown)
        _parent(shown, self.target)
        _replaceable(shown, self.target)
        self.existed = os.path.exists(self.target)
        folder, name = os.path.split(self.target)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        self.temp, descriptor = _fresh(folder, name, lambda path: os.open(path, flags, 0o666))
        self.stream = open(descriptor, "w", encoding=encoding)  # noqa: SIM115 - commit/abort

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.existed:
            with contextlib.suppress(OSError):  # the target may have gone meanwhile
                shutil.copymode(self.target, self.temp)  # keep the permissions it had
        os.replace(self.temp, self.target)

    def abort(self, written: int, *, failed: bool = False) -> str:
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)
        return _kept(self.where, self.existed)


class _StagedFolder:
    """A temporary folder inside the target (or beside it, if new), moved in by ``commit``."""

    def __init__(self, shown: str) -> None:
        self.where = shown
        self.target = os.path.realpath(shown)
        _parent(shown, self.target)
        self.existed = os.path.isdir(self.target)
        if self.existed:
            home, name = self.target, ""
        else:
            home, name = os.path.split(self.target)
        self.temp = _fresh(home, name, lambda path: os.mkdir(path, 0o777))[0]
        #: The tables ``commit`` has moved into place so far.
        self.moved: list[str] = []

    def commit(self) -> None:
        if not self.existed:
            try:
                os.rename(self.temp, self.target)
                return
            except OSError:  # created meanwhile: move the files in one by one
                os.makedirs(self.target, exist_ok=True)
        for name in sorted(os.listdir(self.temp)):
            os.replace(os.path.join(self.temp, name), os.path.join(self.target, name))
            self.moved.append(name)
        os.rmdir(self.temp)

    def abort(self, written: int, *, failed: bool = False) -> str:
        shutil.rmtree(self.temp, ignore_errors=True)
        if self.moved:  # a move failed half-way: say which tables are new
            return f"{self.where} half replaced: {', '.join(self.moved)} new, the rest as it was"
        return _kept(self.where, self.existed)


Place = _Direct | _StagedFile | _StagedFolder


@contextlib.contextmanager
def staged_path(shown: str) -> Iterator[str]:
    """A temporary path beside ``shown`` to write a whole file to; renamed over ``shown`` only
    when the block ends normally, deleted otherwise (the previous file stays as it was)."""
    target = os.path.realpath(shown)
    if _is_special(target):  # a pipe or a device is written as it is, not replaced
        yield target
        return
    _parent(shown, target)
    _replaceable(shown, target)
    existed = os.path.exists(target)
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    temp, descriptor = _fresh(folder, name, lambda path: os.open(path, flags, 0o666))
    os.close(descriptor)
    try:
        yield temp
        if existed:
            with contextlib.suppress(OSError):
                shutil.copymode(target, temp)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class Output:
    """A sink and the place it writes to: ``write`` payloads, then ``commit`` or ``abort``.

    ``write`` and ``commit`` raise ``WriteError`` when the system refuses (disk full,
    read-only); a ``BrokenPipeError`` (the reader of stdout went away) passes through as is.
    """

    def __init__(self, sink: Sink, place: Place) -> None:
        self.sink = sink
        self.place = place
        self.written = 0

    @property
    def where(self) -> str:
        return self.place.where

    def _failed(self, error: OSError) -> WriteError:
        kept = self.abort(failed=True)
        return WriteError(self.where, error.strerror or str(error), kept)

    def write(self, payload: Any) -> None:
        try:
            self.sink.write(payload)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from error
        self.written += 1

    def commit(self) -> None:
        try:
            self.sink.close()
            self.place.commit()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._failed(error) from error

    def abort(self, *, failed: bool = False) -> str:
        """Stop without finishing (``failed``: because writing failed); says what was left
        where. Never raises."""
        self.sink.abort()
        return self.place.abort(self.written, failed=failed)


def _is_special(path: str) -> bool:
    """A device, pipe or socket: renaming a file over it would be wrong."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except OSError:
        return False


def open_output(
    format: str, path: str | None, *, single: bool = False, excel: bool = False
) -> Output:
    """The output for ``format`` at ``path`` (``None`` or ``"-"``: stdout).

    ``single``: JSON is one object rather than an array. ``excel``: CSV with a byte-order
    mark. Raises ``OutputPathError`` for a path this format cannot use,
    ``MissingDependencyError`` for Parquet without pyarrow, and ``WriteError`` when the
    temporary file or folder cannot be made (no permission, read-only).
    """
    if format in TABLE_FORMATS:
        if path is None or path == STDOUT:
            raise OutputPathError(f"--format {format} writes a folder of tables: give -o FOLDER")
        if os.path.exists(path) and not os.path.isdir(path):
            raise OutputPathError(
                f"{path} is a file; --format {format} writes a folder of tables "
                "(reports, questions, …)"
            )
        if format == "parquet":
            require_pyarrow()  # before any folder is made
        try:
            folder = _StagedFolder(path)
        except OutputPathError:
            raise
        except OSError as error:
            raise WriteError(path, error.strerror or str(error), untouched(path)) from error
        try:
            sink: Sink = (
                CsvSink(folder.temp, "utf-8-sig" if excel else "utf-8")
                if format == "csv"
                else ParquetSink(folder.temp)
            )
        except OSError as error:
            raise WriteError(path, error.strerror or str(error), folder.abort(0)) from error
        except BaseException:  # Ctrl-C while the writers are made: leave no folder behind
            folder.abort(0)
            raise
        return Output(sink, folder)
    stream_place: _Direct | _StagedFile
    if path is None or path == STDOUT:
        stream_place = _Direct(sys.stdout, "stdout", owned=False)
    elif os.path.isdir(path):
        raise OutputPathError(
            f"{path} is a folder; --format {format} writes one file "
            "(--format csv or parquet writes a folder of tables)"
        )
    else:
        try:
            if _is_special(path):
                # Open for the run; commit() or abort() closes it.
                stream = open(path, "w", encoding="utf-8")  # noqa: SIM115
                stream_place = _Direct(stream, path, owned=True)
            else:
                stream_place = _StagedFile(path, "utf-8")
        except OutputPathError:
            raise
        except OSError as error:
            raise WriteError(path, error.strerror or str(error), untouched(path)) from error
    out = stream_place.stream
    sink = JsonLinesSink(out) if format == "jsonl" else JsonSink(out, single=single)
    return Output(sink, stream_place)


def untouched(path: str) -> str:
    """What a stopped or failed run left at ``path``: the file as it was, or nothing."""
    return f"{path} left as it was" if os.path.exists(path) else "nothing written"
