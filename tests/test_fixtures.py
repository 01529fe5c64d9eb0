"""Golden tests: each fixture page against its hand-written expected record.

After a deliberate change of interpretation, ``PEELPARSE_REGENERATE=1 pytest
tests/test_fixtures.py`` rewrites the expectations; review the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import peelparse
from expected import comparable, expand, sparse
from helpers import FIXTURES, fixture_pages, read_page, url_of

PAGES = fixture_pages()


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_gives_expected_record(page: Path) -> None:
    report = peelparse.parse(read_page(page), source=page.name, url=url_of(page))
    actual = comparable(peelparse.to_dict(report))
    expected_path = page.with_name(page.stem + ".expected.json")
    if os.environ.get("PEELPARSE_REGENERATE"):
        expected_path.write_text(
            json.dumps(sparse(actual, page.name), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    given = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expand(given, page.name)


def test_there_are_at_least_forty_fixture_pages() -> None:
    assert len(PAGES) >= 40


def test_every_fixture_has_an_expectation() -> None:
    for page in PAGES:
        assert page.with_name(page.stem + ".expected.json").exists(), page.name
    assert FIXTURES.exists()
