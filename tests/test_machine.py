"""The machine as data: every family's table is complete, terminates, and is the one the docs show.

docs/architecture.md shows the tables generated from the code; after a deliberate change to a
table, ``PEELPARSE_REGENERATE=1 pytest tests/test_machine.py`` rewrites that part of the doc.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peelparse.lex.tokens import TokenKind
from peelparse.machine.family import FAMILIES, Family, tables_markdown
from peelparse.machine.table import Go, State, check, describe, do, goto, when

DOC = Path(__file__).parents[1] / "docs" / "architecture.md"
BEGIN, END = "<!-- tables: generated from the code -->", "<!-- tables: end -->"


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
def test_every_table_reads_every_token_in_bounded_steps(family: Family) -> None:
    check(family.table)
    assert State.START in family.table


def test_a_table_that_would_read_a_token_forever_is_refused() -> None:
    looping = {State.START: ({}, goto(State.SUMMARY)), State.SUMMARY: ({}, goto(State.START))}
    with pytest.raises(ValueError, match="forever"):
        check(looping)
    guarded = {
        State.START: ({}, when(lambda w, t: True, Go(), goto(State.SUMMARY))),
        State.SUMMARY: ({TokenKind.TEXT: goto(State.START)}, Go()),
    }
    with pytest.raises(ValueError, match="TEXT would be read again forever"):
        check(guarded)


def test_a_table_that_goes_to_a_missing_state_is_refused() -> None:
    with pytest.raises(ValueError, match="not in the table"):
        check({State.START: ({}, do(lambda w, t: None, State.QUESTION))})


def test_the_description_shows_every_state_and_transition() -> None:
    table = FAMILIES[0].table
    text = describe(table)
    header = text.splitlines()[0]
    assert all(state.name in header for state in table)
    assert "question_grade" in text
    assert "↺ QUESTION" in text


def test_docs_show_the_tables_of_the_code() -> None:
    doc = DOC.read_text(encoding="utf-8")
    head, rest = doc.split(BEGIN)
    _, tail = rest.split(END)
    generated = f"{head}{BEGIN}\n\n{tables_markdown()}\n{END}{tail}"
    if os.environ.get("PEELPARSE_REGENERATE"):
        DOC.write_text(generated, encoding="utf-8")
    assert doc == generated
