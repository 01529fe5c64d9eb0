"""Which files a batch reads: paths as given, folders walked, manifests of paths and URLs."""

from __future__ import annotations

import csv
import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .tasks import STDIN, Input

__all__ = ["DEFAULT_GLOBS", "discover", "read_manifest"]

DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm")


def discover(paths: Iterable[str], globs: Sequence[str] = DEFAULT_GLOBS) -> Iterator[Input]:
    """Files as given; directories walked recursively (sorted) for names matching ``globs``."""
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            yield Input(given)
            continue
        for folder, subfolders, names in os.walk(given):
            subfolders.sort()
            for name in sorted(names):
                if any(fnmatch.fnmatch(name, pattern) for pattern in globs):
                    yield Input(os.path.join(folder, name))


def read_manifest(path: str) -> Iterator[Input]:
    """Rows of ``path, url`` (the URL optional) from a TSV or CSV file; ``#`` starts a comment.

    The delimiter is a tab when the first row has one, else a comma. A first row whose first
    cell is ``path`` is a header. Relative paths are relative to the manifest's folder.
    """
    base = Path(path).parent
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return
    delimiter = "\t" if "\t" in lines[0] else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    if rows and rows[0] and rows[0][0].strip().lower() == "path":
        rows = rows[1:]
    for row in rows:
        file = row[0].strip()
        url = row[1].strip() if len(row) > 1 and row[1].strip() else None
        if file != STDIN and not os.path.isabs(file):
            file = str(base / file)
        yield Input(file, url)
