"""peelparse: read HMICFRS PEEL inspection pages into typed, traceable records.

>>> import peelparse
>>> report = peelparse.parse("Kent PEEL 2017\\n\\nEfficiency\\n\\nLast updated 09/11/2017\\nGood")
>>> report.id, report.grade
('peel-2017/kent/efficiency', <Grade.GOOD: 'good'>)

The names below are loaded on first use (PEP 562), so ``import peelparse`` costs next to
nothing until a page is parsed; ``from peelparse import parse`` works as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - what the lazy names are, for type checkers and IDEs
    from . import forces
    from .api import parse
    from .batch.pool import parse_many
    from .batch.tasks import Input, InputError, Result
    from .diagnostics import Code, PeelParseError
    from .grade_table import GradeRow, grades
    from .input.source import Span
    from .lex.tokenizer import tokenize
    from .lex.tokens import Token, TokenKind
    from .output.export import from_dict, from_json, to_dict, to_json
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

    __version__: str

#: Where each public name lives.
_HOMES = {
    "parse": "api",
    "Input": "batch.tasks",
    "InputError": "batch.tasks",
    "Result": "batch.tasks",
    "parse_many": "batch.pool",
    "Code": "diagnostics",
    "PeelParseError": "diagnostics",
    "GradeRow": "grade_table",
    "grades": "grade_table",
    "from_dict": "output.export",
    "from_json": "output.export",
    "to_dict": "output.export",
    "to_json": "output.export",
    **dict.fromkeys(
        ("Block", "Diagnostic", "Grade", "Heading", "Inspector", "Judgment", "ListBlock",
         "PageKind", "Paragraph", "Pillar", "PillarSummary", "Question", "Report", "Section",
         "Severity"),
        "records",
    ),
    "Span": "input.source",
    "tokenize": "lex.tokenizer",
    "Token": "lex.tokens",
    "TokenKind": "lex.tokens",
}  # fmt: skip

__all__ = [
    "Block",
    "Code",
    "Diagnostic",
    "Grade",
    "GradeRow",
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
    "forces",
    "from_dict",
    "from_json",
    "grades",
    "parse",
    "parse_many",
    "to_dict",
    "to_json",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("peelparse")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0+unknown"
    elif name == "forces":  # the registry module itself: peelparse.forces.lookup(...)
        value = importlib.import_module(".forces", __name__)
    elif name in _HOMES:
        value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'peelparse' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
