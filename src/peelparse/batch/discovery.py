"""Which files a batch reads: paths as given, folders walked, manifests of paths and URLs.

Nothing found here is dropped without a word: a folder that cannot be listed, a folder reached
again through a link, and a manifest row that cannot be read each become an ``Input`` that
carries its error, so the batch writes an error record for it and goes on.
"""

from __future__ import annotations

import codecs
import csv
import fnmatch
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .tasks import STDIN, ErrorCode, Input, InputError

__all__ = ["DEFAULT_GLOBS", "discover", "read_manifest"]

DEFAULT_GLOBS = ("*.txt", "*.html", "*.htm")


def discover(paths: Iterable[str], globs: Sequence[str] = DEFAULT_GLOBS) -> Iterator[Input]:
    """Files as given; directories walked recursively (sorted) for names matching ``globs``,
    whatever their case (``PAGE.TXT`` is a page too, as on the systems that saved it)."""
    globs = tuple(pattern.casefold() for pattern in globs)
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            yield Input(given)
            continue
        yield from _walk(given, globs)


def _walk(top: str, globs: Sequence[str]) -> Iterator[Input]:
    """The matching files below ``top``, a folder's files before its subfolders, each sorted
    by name (the order of ``os.walk`` with sorted names).

    Links to folders are followed; a folder reached a second time (a link back up the tree,
    or two links to one folder) is read once and reported the second time. A folder that
    cannot be listed is reported.
    """
    seen: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            status = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield _refused(folder, ErrorCode.UNREADABLE, f"cannot list this folder: {error}")
            continue
        identity = (status.st_dev, status.st_ino)
        if identity in seen:
            yield _refused(
                folder,
                ErrorCode.FOLDER_LOOP,
                "this folder was already read (a link leads back to it); not read again",
            )
            continue
        seen.add(identity)
        subfolders = []
        for entry in entries:
            if _is_folder(entry):
                subfolders.append(entry.path)
            elif any(fnmatch.fnmatchcase(entry.name.casefold(), p) for p in globs):
                refusal = _not_a_file(entry)
                if refusal is None:
                    yield Input(entry.path)
                else:
                    yield _refused(entry.path, ErrorCode.UNREADABLE, refusal)
        stack.extend(reversed(subfolders))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows links
    except OSError:
        return False


def _not_a_file(entry: os.DirEntry[str]) -> str | None:
    """Why a matching name found in a folder is not read (None: it is a file, links followed).

    A pipe would wait for a writer for ever and a device never ends, so only files are opened.
    """
    try:
        if entry.is_file():
            return None
        if entry.is_symlink() and not os.path.exists(entry.path):
            return "a link to nothing (its target does not exist); not read"
    except OSError as error:  # a link to itself, or in a loop of links; no permission
        return f"{type(error).__name__}: {error.strerror or error}; not read"
    return "not a regular file (a pipe, socket or device found in a folder); not read"


def _refused(path: str, code: ErrorCode, message: str) -> Input:
    """An input found but not to be read: it becomes an error record naming why."""
    return Input(path, error=InputError(code, message))


# ------------------------------------------------------------------------------- manifests


_ROWS = re.compile(r"\r\n|\r|\n")


def read_manifest(path: str) -> Iterator[Input]:
    """Rows of ``path, url`` (the URL optional) from a TSV or CSV file; ``#`` starts a comment.

    The manifest is UTF-8 (or UTF-16 with a byte-order mark, as spreadsheets save "Unicode
    text"). The delimiter is a tab when the first row has one, else a comma. A first row whose
    first cell is ``path`` is a header. Relative paths are relative to the manifest's folder.
    A row that cannot be read (not UTF-8, a NUL, an unbalanced quote, no path) gives an
    ``Input`` carrying a ``bad-manifest-row`` error, named ``<manifest>:<line>``. Only opening
    or reading the manifest itself raises (``OSError``).
    """
    base = Path(path).parent
    delimiter: str | None = None
    for number, line in _lines(path):
        where = f"{path}:{number}"
        if isinstance(line, InputError):
            yield Input(where, error=line)
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if "\x00" in line:
            yield _bad_row(where, f"line {number} holds a NUL character")
            continue
        first_row = delimiter is None
        if delimiter is None:
            delimiter = "\t" if "\t" in line else ","
        row = _cells(line, delimiter)
        if row is None:
            yield _bad_row(where, f"line {number} is not a {_name(delimiter)} row")
            continue
        file = row[0].strip() if row else ""
        if first_row and file.lower() == "path":
            continue
        if not file:
            yield _bad_row(where, f"line {number} has no path")
            continue
        url = row[1].strip() if len(row) > 1 and row[1].strip() else None
        if file != STDIN and not os.path.isabs(file):
            file = str(base / file)
        yield Input(file, url)


def _lines(path: str) -> Iterator[tuple[int, str | InputError]]:
    """The manifest's lines (numbered from 1, without their line break), or for a line that
    is not text in the manifest's encoding, the error."""
    with open(path, "rb") as handle:
        start = handle.read(2)
        if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            text = (start + handle.read()).decode("utf-16", "replace")
            # Only CR and LF end a row, as in a UTF-8 manifest (splitlines would also break at
            # U+2028, form feeds and the like, which a file name may hold).
            for number, line in enumerate(_ROWS.split(text.rstrip("\r\n")), 1):
                if "\ufffd" in line:
                    yield number, _row_error(f"line {number} is not UTF-16")
                else:
                    yield number, line
            return
        handle.seek(0)
        for number, raw in enumerate(handle, 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield number, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as error:
                yield number, _row_error(f"line {number} is not UTF-8 (byte {error.start})")


def _cells(line: str, delimiter: str) -> list[str] | None:
    try:
        rows = list(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return rows[0] if rows else []


def _name(delimiter: str) -> str:
    return "tab-separated" if delimiter == "\t" else "comma-separated"


def _row_error(message: str) -> InputError:
    return InputError(ErrorCode.BAD_MANIFEST_ROW, message)


def _bad_row(where: str, message: str) -> Input:
    return Input(where, error=_row_error(message))
