"""Shared helpers: the fixture pages and their hand-written expectations."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_pages() -> list[Path]:
    """Every ``tests/fixtures/<case>.txt``, sorted so test ids are stable."""
    return sorted(FIXTURES.glob("*.txt"))


def read_page(path: Path) -> str:
    """The page exactly as saved: line breaks and byte-order marks untouched."""
    return path.read_bytes().decode("utf-8")


def url_of(path: Path) -> str | None:
    hint = path.with_suffix(".url")
    return hint.read_text(encoding="utf-8").strip() if hint.exists() else None
