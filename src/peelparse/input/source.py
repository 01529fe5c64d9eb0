"""Line and column positions for half-open character offsets.

Every position in peelparse is an offset into the text exactly as the caller gave it; lines and
columns are computed on demand from a table of line starts built once. Lines and columns are
both 1-based, as editors and compilers print them.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["LINE_BREAK", "LINE_BREAK_SPLIT", "Source", "Span"]

#: Only these end a line; other Unicode separators (U+2028, form feed) stay inside the line.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: The same, capturing, for ``split``: lines and their breaks alternate.
LINE_BREAK_SPLIT = re.compile(r"(\r\n|\r|\n)")


class Span(NamedTuple):
    """A half-open range ``[start, end)`` of character offsets into the source text.

    A named tuple, not an attrs class: pages make one per block, item and question, and a
    tuple is several times cheaper to create.
    """

    start: int
    end: int

    def __repr__(self) -> str:
        return f"Span({self.start}, {self.end})"


#: How many lookups count line feeds before the line-start table is built.
_COUNTED = 4


class Source:
    """The input text plus its line-start table."""

    __slots__ = ("_line_starts", "_lookups", "html_lines", "text")

    def __init__(self, text: str, html_lines: Sequence[int] | None = None) -> None:
        self.text = text
        #: For text laid out from HTML: the HTML source line of each line of ``text``.
        self.html_lines = html_lines
        self._line_starts: array[int] | None = None
        self._lookups = 0

    @property
    def line_starts(self) -> array[int]:
        """Offsets where lines start (an ``array``: eight bytes a line, not forty)."""
        if self._line_starts is None:
            text = self.text
            starts = array("q", [0])
            if "\r" in text:
                starts.extend(m.end() for m in LINE_BREAK.finditer(text))
            else:  # one character to look for: ``str.find`` is far cheaper than the pattern
                at = text.find("\n")
                while at >= 0:
                    starts.append(at + 1)
                    at = text.find("\n", at + 1)
            self._line_starts = starts
        return self._line_starts

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of ``offset`` (from 0 to the text's length)."""
        text = self.text
        if not 0 <= offset <= len(text):
            raise ValueError(f"offset {offset} is outside the text (0 to {len(text)})")
        if self._line_starts is None and self._lookups < _COUNTED and "\r" not in text:
            # A page's first few lookups (most pages have a diagnostic or two, if any) count
            # the line feeds before the offset: less work than a table of every line start.
            self._lookups += 1
            return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def html_line(self, offset: int) -> int | None:
        """The HTML source line ``offset`` came from, for text laid out from HTML."""
        if not self.html_lines:
            return None
        line = self.line_column(offset)[0]
        return self.html_lines[min(line, len(self.html_lines)) - 1]

    def excerpt(self, span: Span) -> str:
        return self.text[span.start : span.end]
