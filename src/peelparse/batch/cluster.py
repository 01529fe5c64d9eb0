"""Extraction beyond one machine: files parsed on a Dask cluster into Parquet tables.

Nothing here distributes work by itself: Dask does. Install the extra
(``pip install 'peelparse[dask]'``), start or connect a ``distributed.Client``, then::

    from peelparse.batch.cluster import extract_to_parquet
    extract_to_parquet(paths, "tables/")

The files are cut into partitions of about ``partition_bytes`` each (by file size, in input
order); each partition is one Dask task that parses its pages once and writes one Parquet file
per table, ``tables/<table>/part-<n>.parquet``, with the same columns and types as
``peelparse extract --format parquet``. ``examples/dask_extract.py`` is a runnable script.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from typing import Any

from ..api import Format
from ..output.sinks import ParquetSink, preparer
from ..output.tables import TABLES, record_rows
from .tasks import DEFAULT_MAX_BYTES, Input, Task, run_task, to_record

__all__ = [
    "DEFAULT_PARTITION_BYTES",
    "extract_to_parquet",
    "partition",
    "rows_for",
    "write_partition",
]

#: Bytes of input per partition: a few seconds of parsing, a few MB of Parquet per table.
DEFAULT_PARTITION_BYTES = 32_000_000


def rows_for(
    path: str, format: Format = "auto", max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, list[dict[str, Any]]]:
    """The table rows of one file (an error row in ``reports`` when it cannot be read)."""
    result = run_task(Task(0, Input(path), None, format, False, max_bytes))
    return record_rows(to_record(result))


def partition(paths: Iterable[str], partition_bytes: int) -> list[list[str]]:
    """``paths`` in order, cut into runs of at most ``partition_bytes`` (a larger file is a
    run of its own; a file that cannot be sized counts as empty and fails where it falls)."""
    if partition_bytes < 1:
        raise ValueError(f"partition_bytes must be at least 1, not {partition_bytes}")
    runs: list[list[str]] = []
    current: list[str] = []
    size = 0
    for path in paths:
        try:
            length = os.stat(path).st_size
        except OSError:
            length = 0
        if current and size + length > partition_bytes:
            runs.append(current)
            current, size = [], 0
        current.append(path)
        size += length
    if current:
        runs.append(current)
    return runs


def write_partition(
    number: int,
    paths: list[str],
    directory: str,
    format: Format = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> int:
    """Parse ``paths`` and write ``<directory>/<table>/part-<number>.parquet`` for each table;
    returns the number of pages. Runs on a Dask worker."""
    prepare = preparer("parquet")
    sink = ParquetSink(directory, name=f"{{table}}/part-{number:05d}.parquet")
    try:
        for path in paths:
            result = run_task(Task(0, Input(path), None, format, False, max_bytes))
            sink.write(prepare(to_record(result)))
    except BaseException:
        sink.abort()
        raise
    sink.close()
    return len(paths)


def extract_to_parquet(
    paths: Iterable[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    partition_bytes: int = DEFAULT_PARTITION_BYTES,
    format: Format = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, str]:
    """Parse ``paths`` on the current Dask scheduler; write one Parquet dataset per table.

    ``directory`` must be a folder every worker can write to (a shared disk for a cluster of
    machines). Parts left there by an earlier run are removed first. Returns the folder of each
    table, for ``pandas.read_parquet`` or DuckDB's ``'<folder>/*.parquet'``.
    """
    import dask

    api: Any = dask  # dask's own hints are incomplete
    root = os.path.abspath(os.fspath(directory))
    runs = partition((os.fspath(p) for p in paths), partition_bytes)
    written = {table: os.path.join(root, table) for table in TABLES}
    for folder in written.values():
        os.makedirs(folder, exist_ok=True)
        for stale in glob.glob(os.path.join(glob.escape(folder), "part-*.parquet")):
            os.remove(stale)
    work = [
        api.delayed(write_partition, pure=False)(number, run, root, format, max_bytes)
        for number, run in enumerate(runs)
    ]
    api.compute(*work)
    return written
