"""Extraction beyond one machine: a Dask bag of files to Parquet tables.

Nothing here distributes work by itself: Dask does. Install the extra
(``pip install 'peelparse[dask]'``), start or connect a ``distributed.Client``, then::

    from peelparse.batch.cluster import extract_to_parquet
    extract_to_parquet(paths, "tables/", npartitions=64)

Each table (``reports``, ``questions``, ``items``, ``judgments``, ``diagnostics``) becomes a
Parquet dataset directory ``tables/<table>/`` with the columns of ``peelparse.output.tables``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ..api import Format
from ..output.tables import COLUMNS, INTEGER_COLUMNS, TABLES, record_rows
from .tasks import DEFAULT_MAX_BYTES, Input, Task, run_task, to_record

__all__ = ["extract_to_parquet", "rows_for"]


def rows_for(
    path: str, format: Format = "auto", max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, list[dict[str, Any]]]:
    """The table rows of one file (an error row in ``reports`` when it cannot be read)."""
    result = run_task(Task(0, Input(path), None, format, False, max_bytes))
    return record_rows(to_record(result))


def _meta(table: str) -> dict[str, str]:
    return {c: "Int64" if c in INTEGER_COLUMNS else "string" for c in COLUMNS[table]}


def extract_to_parquet(
    paths: Iterable[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    npartitions: int | None = None,
    format: Format = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, str]:
    """Parse ``paths`` on the current Dask scheduler; write one Parquet dataset per table.

    Returns the directory of each table. Pages are parsed once (the bag is persisted), then
    each table is flattened from the same results.
    """
    import dask.bag

    from_sequence: Any = dask.bag.from_sequence  # dask's own hints are incomplete
    files = [os.fspath(p) for p in paths]
    partitions = npartitions or max(1, min(len(files), 100))
    bag = from_sequence(files, npartitions=partitions)
    parsed = bag.map(rows_for, format, max_bytes).persist()
    written: dict[str, str] = {}
    for table in TABLES:
        target = os.path.join(os.fspath(directory), table)
        frame = parsed.pluck(table).flatten().to_dataframe(meta=_meta(table))
        frame = frame.astype(_meta(table))
        frame.to_parquet(target, write_index=False, overwrite=True)
        written[table] = target
    return written
