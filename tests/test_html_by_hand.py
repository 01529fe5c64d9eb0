"""HTML written by hand, in markup unlike the generated twins, read into the records it means.

The twins in ``tests/fixtures/html/`` are written by ``tests/html_fixtures.py`` from the text,
so their agreement with the text is partly by construction. These pages were written by hand
the way other sites and page builders mark the same content up: nested ``div``/``span``
blocks, a definition list, a table; two must give the record of their text fixture, one its own
hand-written record.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest

import peelparse
from expected import comparable, expand
from helpers import FIXTURES, read_page, url_of

BY_HAND = FIXTURES / "html-by-hand"
TWINS = sorted(p for p in BY_HAND.glob("*.*.html"))


@pytest.mark.parametrize("markup", TWINS, ids=[p.name for p in TWINS])
def test_hand_written_markup_gives_the_record_of_its_text(markup: Path) -> None:
    text = FIXTURES / f"{markup.name.split('.')[0]}.txt"
    from_text = peelparse.parse(read_page(text), url=url_of(text))
    from_html = peelparse.parse(markup.read_bytes(), url=url_of(text))
    strip = {"source": None, "diagnostics": (), "text": None}
    assert attrs.evolve(from_html, **strip) == attrs.evolve(from_text, **strip)
    assert [d.code for d in from_html.diagnostics] == [d.code for d in from_text.diagnostics]


def test_a_table_of_grades_is_read_as_a_list_of_its_rows() -> None:
    markup = BY_HAND / "assessment-2021-22-judgments-table.html"
    report = peelparse.parse(markup.read_bytes(), source=markup.name, url=url_of(markup))
    expected = json.loads(markup.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert comparable(peelparse.to_dict(report)) == expand(expected, markup.name)


def test_there_are_hand_written_pages_of_every_markup() -> None:
    kinds = {p.name.split(".")[1] for p in TWINS}
    assert {"nested-divs", "definition-list"} <= kinds
    assert (BY_HAND / "assessment-2021-22-judgments-table.html").exists()
