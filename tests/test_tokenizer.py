"""The text tokenizer: line kinds, values, glued links, cut lines, and a token-dump snapshot.

Snapshots in tests/snapshots/<case>.tokens show every fixture page as the machine sees it, one
token per line, so a tokenizer change shows up as a reviewable diff. Regenerate them after a
deliberate change with ``PEELPARSE_REGENERATE=1 pytest tests/test_tokenizer.py``.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest

from helpers import fixture_pages, read_page
from peelparse import Grade, Pillar, TokenKind, tokenize
from peelparse.lex.tokenizer import classify
from peelparse.lex.tokens import Dated, Pillared, Titled

K = TokenKind
SNAPSHOTS = Path(__file__).parent / "snapshots"
PAGES = fixture_pages()


def dump(text: str) -> str:
    return "".join(f"{token!r}\n" for token in tokenize(text))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_token_dump_snapshot(page: Path) -> None:
    snapshot = SNAPSHOTS / f"{page.stem}.tokens"
    actual = dump(read_page(page))
    if os.environ.get("PEELPARSE_REGENERATE"):
        snapshot.write_text(actual, encoding="utf-8")
    assert actual == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "kind", "value"),
    [
        ("Good", K.GRADE, Grade.GOOD),
        ("Requires improvement", K.GRADE, Grade.REQUIRES_IMPROVEMENT),
        ("To be graded", K.GRADE, Grade.NOT_YET_GRADED),
        ("Not being graded", K.GRADE, Grade.UNGRADED),
        ("Ungraded", K.GRADE, Grade.UNGRADED),
        ("Effectiveness", K.PILLAR, Pillared(Pillar.EFFECTIVENESS)),
        ("Other inspections", K.PILLAR, Pillared(None)),
        ("Questions for Legitimacy", K.QUESTIONS_FOR, Pillared(Pillar.LEGITIMACY)),
        ("3", K.NUMBER, 3),
        ("Areas for improvement", K.AREAS_FOR_IMPROVEMENT, None),
        ("Area for improvement", K.AREAS_FOR_IMPROVEMENT, None),
        ("Cause of concern", K.CAUSE_OF_CONCERN, None),
        ("Recommendations", K.RECOMMENDATIONS, None),
        ("HMI's observations", K.OBSERVATIONS, None),
        ("HMI’s observations", K.OBSERVATIONS, None),
        ("HM Inspector’s observations", K.SECTION, None),
        ("PEEL 2023–2025", K.SECTION, None),
        ("Skip to content", K.FURNITURE, None),
        ("Contact Zoë Billingham (e-mail address)", K.FURNITURE, None),
        ("Read more about Kent 2016", K.FURNITURE, None),
        ("View the five questions for effectiveness", K.FURNITURE, None),
        ("Detailed findings for question 2", K.FURNITURE, None),
        ("Published on: 2 May 2019", K.PUBLISHED, None),
        ("How well the force tackles crime", K.HEADLINE, Pillared(Pillar.EFFECTIVENESS)),
        ("How legitimately does the force treat the public and its workforce?", K.HEADLINE,
         Pillared(Pillar.LEGITIMACY)),
        ("How well does the force plan for the future?", K.QUESTION, None),
        ("Kent Police is outstanding at keeping people safe.", K.TEXT, None),
        ("Assessing current demand", K.HEADING, None),
        ("Read my assessment of Kent below.", K.TEXT, None),
        ("Contact the local team", K.HEADING, None),
        ("Contact Zoë Billingham", K.CONTACT, None),
        ("Contact Management Strategy", K.CONTACT, None),
        ("Contact HMICFRS", K.FURNITURE, None),
        ("Read the full report for Kent Police", K.FURNITURE, None),
        ("Read the full report for the force's response times.", K.TEXT, None),
        ("PEEL: Police effectiveness, efficiency and legitimacy 2018/19 – Kent Police",
         K.REPORT_LINK, None),
        ("Read more about Devon & Cornwall", K.FURNITURE, None),
        ("Read more about Kent Fire and Rescue Service", K.HEADING, None),
    ],
)  # fmt: skip
def test_classify(line: str, kind: TokenKind, value: object) -> None:
    assert classify(line) == (kind, value)


def test_dates_and_cut_dates() -> None:
    assert classify("Last updated 22/03/2018") == (
        K.LAST_UPDATED,
        Dated(datetime.date(2018, 3, 22), True),
    )
    assert classify("Last updated 31/02/2018") == (K.LAST_UPDATED, Dated(None, True))
    assert classify("Last updated 22/03/") == (K.LAST_UPDATED, Dated(None, False))
    assert classify("Last updated") == (K.LAST_UPDATED, Dated(None, False))
    assert classify("Last updated: 09/11/2017") == (
        K.LAST_UPDATED,
        Dated(datetime.date(2017, 11, 9), True),
    )


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Avon and Somerset PEEL 2015", Titled("Avon and Somerset", 2015, None, True)),
        ("Kent 2018/19", Titled("Kent", 2018, "19", False)),
        ("Kent Police PEEL 2017", Titled("Kent Police", 2017, None, True)),
        ("Durham Constabulary PEEL 2018", Titled("Durham Constabulary", 2018, None, True)),
        ("Devon & Cornwall 2016", Titled("Devon & Cornwall", 2016, None, False)),
        ("Metropolitan Police Service 2017", Titled("Metropolitan Police Service", 2017, None,
                                                    False)),
        ("Gotham PEEL 2017", Titled("Gotham", 2017, None, True)),  # an unknown force, by shape
    ],
)  # fmt: skip
def test_titles_carry_the_name_as_printed_and_the_cycle(line: str, title: Titled) -> None:
    assert classify(line) == (K.TITLE, title)


@pytest.mark.parametrize(
    "line",
    [
        "Read more about Kent 2016",
        "HMIC is consulting on its proposed inspection programme for 2017/18",
        "Gotham 2017",  # no force, no PEEL
        "The year was 2017",
    ],
)
def test_lines_that_look_like_titles_are_not(line: str) -> None:
    assert classify(line)[0] is not K.TITLE


def test_cut_last_lines() -> None:
    assert classify("How e", cut=True) == (K.HEADLINE, Pillared(None))  # three pillars' headlines
    assert classify("How effec", cut=True) == (K.HEADLINE, Pillared(Pillar.EFFECTIVENESS))
    assert classify("How well does the force use its res", cut=True)[0] is K.QUESTION
    assert classify("What are the public perc", cut=True)[0] is K.QUESTION
    assert classify("What the force does well is wor", cut=True)[0] is K.TEXT
    assert classify("Does the force act with integ", cut=True)[0] is K.HEADLINE
    assert classify("HM In", cut=True)[0] is K.SECTION
    assert classify("Areas for impro", cut=True)[0] is K.AREAS_FOR_IMPROVEMENT
    assert classify("The force has a go", cut=True)[0] is K.TEXT
    assert classify("The force has a go")[0] is K.HEADING


def test_bullets_and_depth() -> None:
    tokens = tokenize("  • first\n    • nested\n- dash\n  1. numbered\n2. not a bullet\n")
    assert [(t.kind, t.text, t.value) for t in tokens] == [
        (K.BULLET, "first", 2),
        (K.BULLET, "nested", 4),
        (K.BULLET, "dash", 0),
        (K.BULLET, "numbered", 2),
        (K.TEXT, "2. not a bullet", None),
    ]


def test_glued_link_is_split_into_two_tokens() -> None:
    text = "Read more about KentThis is HMICFRS’s fifth PEEL assessment."
    link, rest = tokenize(text)
    assert (link.kind, link.text, link.start, link.end) == (K.FURNITURE, "Read more about Kent",
                                                            0, 20)  # fmt: skip
    assert (rest.kind, rest.text, rest.column) == (K.TEXT, text[20:], 21)


def test_read_more_followed_by_a_space_is_a_sentence() -> None:
    (token,) = tokenize("Read more about Kent Police and its work in the county.")
    assert token.kind is K.TEXT


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_and_tiling_for_each_line_break(newline: str) -> None:
    text = newline.join(["Kent PEEL 2017", "", "Good", "  ", "x"])
    tokens = tokenize(text)
    assert "".join(text[t.start : t.end] for t in tokens) == text
    assert [t.line for t in tokens] == [1, 2, 3, 4, 5]
    # The last line is cut (no line break after it), so it is never promoted to a heading.
    assert [t.kind for t in tokens] == [K.TITLE, K.BLANK, K.GRADE, K.BLANK, K.TEXT]


def test_byte_order_mark_and_nbsp() -> None:
    tokens = tokenize("\ufeffSkip to content\n\u00a0\nGood")
    assert [t.kind for t in tokens] == [K.FURNITURE, K.BLANK, K.GRADE]
    assert tokens[0].start == 0


def test_token_repr_is_one_line() -> None:
    (token,) = tokenize("Good")
    assert repr(token) == "GRADE@1:1 'Good'"
