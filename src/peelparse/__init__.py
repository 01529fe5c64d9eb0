"""peelparse: read HMICFRS PEEL inspection pages into typed, traceable records.

>>> import peelparse
>>> report = peelparse.parse("Kent PEEL 2017\\n\\nEfficiency\\n\\nLast updated 09/11/2017\\nGood")
>>> report.id, report.grade
('peel-2017/kent/efficiency', <Grade.GOOD: 'good'>)
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .api import parse
from .batch import Input, InputError, Result, parse_many
from .diagnostics import Code, PeelParseError
from .export import from_dict, from_json, to_dict, to_json
from .records import (
    Block,
    Diagnostic,
    Grade,
    Heading,
    Inspector,
    Judgment,
    ListBlock,
    PageKind,
    Paragraph,
    Pillar,
    PillarSummary,
    Question,
    Report,
    Section,
    Severity,
)
from .source import Span
from .tokenizer import tokenize
from .tokens import Token, TokenKind

try:
    __version__ = version("peelparse")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Block",
    "Code",
    "Diagnostic",
    "Grade",
    "Heading",
    "Input",
    "InputError",
    "Inspector",
    "Judgment",
    "ListBlock",
    "PageKind",
    "Paragraph",
    "PeelParseError",
    "Pillar",
    "PillarSummary",
    "Question",
    "Report",
    "Result",
    "Section",
    "Severity",
    "Span",
    "Token",
    "TokenKind",
    "__version__",
    "from_dict",
    "from_json",
    "parse",
    "parse_many",
    "to_dict",
    "to_json",
    "tokenize",
]
