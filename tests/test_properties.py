"""Properties that hold for any text: no crash, lossless tokens, nothing silently dropped."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import peelparse
from helpers import spans_of, traced_values, unaccounted_lines
from peelparse import Report, TokenKind, tokenize
from peelparse.lex.lexicon import GRADES
from strategies import FIXTURE_TEXTS, FURNITURE, mutated_fixtures, pages

K = TokenKind
any_text = st.one_of(st.text(), pages(), mutated_fixtures())
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_text)
def test_lenient_parsing_never_raises(text: str) -> None:
    report = peelparse.parse(text)
    assert isinstance(report, Report)


@SETTINGS
@given(any_text)
def test_tokens_tile_the_input(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(text[t.start : t.end] for t in tokens) == text
    assert all(a.end == b.start for a, b in itertools.pairwise(tokens))


@SETTINGS
@given(any_text)
def test_every_non_blank_line_is_accounted_for(text: str) -> None:
    report = peelparse.parse(text)
    assert unaccounted_lines(text, report) == []


def test_every_fixture_line_is_accounted_for() -> None:
    for text in FIXTURE_TEXTS:
        assert unaccounted_lines(text, peelparse.parse(text)) == []


@SETTINGS
@given(any_text)
def test_json_round_trip_keeps_values_and_spans(text: str) -> None:
    report = peelparse.parse(text)
    assert peelparse.from_json(peelparse.to_json(report)) == report
    restored = peelparse.from_json(peelparse.to_json(report, spans=True))
    assert restored == report
    assert spans_of(restored) == spans_of(report)
    assert spans_of(peelparse.from_json(peelparse.to_json(report))) != spans_of(report) or not any(
        spans_of(report)
    )


@SETTINGS
@given(any_text)
def test_every_text_value_is_traced_to_the_text_it_was_read_from(text: str) -> None:
    restored = peelparse.from_json(peelparse.to_json(peelparse.parse(text), spans=True))
    for value, span, name in traced_values(restored):
        excerpt = " ".join(text[span.start : span.end].split())
        if name == "text" and excerpt != value:  # a judgment: the first sentence of its paragraph
            assert excerpt.startswith(value), (name, value, excerpt)
        else:
            assert excerpt == value, (name, value, excerpt)


def _graded(record: object) -> Iterator[tuple[object, object]]:
    """Every (grade, grade_span) pair in a record and its parts."""
    if not attrs.has(type(record)):
        return
    if getattr(record, "grade_span", None) is not None:
        yield record.grade, record.grade_span  # type: ignore[attr-defined]
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        for part in value if isinstance(value, tuple) else (value,):
            yield from _graded(part)


@SETTINGS
@given(any_text)
def test_every_grade_span_holds_the_words_of_its_grade(text: str) -> None:
    restored = peelparse.from_json(peelparse.to_json(peelparse.parse(text), spans=True))
    for grade, span in _graded(restored):
        assert isinstance(span, peelparse.Span)
        words = " ".join(text[span.start : span.end].casefold().split())
        assert GRADES[words] is grade, (words, grade)


@SETTINGS
@given(any_text)
def test_spans_point_at_the_text_they_claim(text: str) -> None:
    report = peelparse.parse(text)
    for question in report.questions:
        assert question.span is not None
        assert " ".join(report.excerpt(question.span).split()) == question.text
    for diagnostic in report.diagnostics:
        assert diagnostic.span is not None
        assert report.line_column(diagnostic.span) == (diagnostic.line, diagnostic.column)


@SETTINGS
@given(any_text)
def test_strict_raises_exactly_when_an_error_diagnostic_exists(text: str) -> None:
    report = peelparse.parse(text)
    errors = [d for d in report.diagnostics if d.severity is peelparse.Severity.ERROR]
    if errors:
        with pytest.raises(peelparse.PeelParseError) as caught:
            peelparse.parse(text, strict=True)
        assert caught.value.diagnostic in errors  # the first one found, raised at once
    else:
        assert peelparse.parse(text, strict=True) == report


def _insert_furniture(text: str, positions: list[int], lines: list[str]) -> str:
    """Furniture as the page shows it: its own block (blank rendering) or its own line."""
    rows = text.split("\n")
    blank = "\n\n" in text
    slots = [i for i, row in enumerate(rows) if row == ""] if blank else list(range(len(rows)))
    if not slots:
        return text
    targets = [(slots[p % len(slots)], line) for p, line in zip(positions, lines, strict=False)]
    for at, line in sorted(targets, reverse=True):  # from the end, so indices stay valid
        rows[at:at] = ["", line] if blank else [line]
    return "\n".join(rows)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([t for t in FIXTURE_TEXTS if "\r" not in t]),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=5),
    st.lists(st.sampled_from(FURNITURE), min_size=5, max_size=5),
)
def test_inserting_furniture_changes_no_record(
    text: str, positions: list[int], lines: list[str]
) -> None:
    before = peelparse.parse(text)
    after = peelparse.parse(_insert_furniture(text, positions, lines))
    strip = {"diagnostics": (), "text": None}
    assert attrs.evolve(after, **strip) == attrs.evolve(before, **strip)
    assert [d.code for d in after.diagnostics] == [d.code for d in before.diagnostics]


def test_judgment_grades_are_traced_on_every_overview_fixture() -> None:
    traced = 0
    for text in FIXTURE_TEXTS:
        report = peelparse.parse(text)
        for judgment in report.judgments:
            if judgment.grade is not None and judgment.span is not None:
                assert judgment.grade_span is not None, judgment
                assert list(_graded(judgment)) == [(judgment.grade, judgment.grade_span)]
                traced += 1
    assert traced >= 6  # the overview fixtures state at least two graded judgments each


@SETTINGS
@given(any_text)
def test_tokens_without_blanks_are_the_tokens_less_the_blank_ones(text: str) -> None:
    from peelparse.lex.tokenizer import iter_tokens

    everything = list(iter_tokens(text))
    assert list(iter_tokens(text, blanks=False)) == [t for t in everything if t.kind is not K.BLANK]


@SETTINGS
@given(st.lists(any_text, min_size=2, max_size=4))
def test_a_page_reads_the_same_whatever_was_read_before(texts: list[str]) -> None:
    """The tokenizer keeps what short lines read as, across pages: no page may change how
    another is read."""
    from peelparse.lex import tokenizer

    alone = []
    for text in texts:
        tokenizer._READ.clear()
        alone.append(list(tokenizer.iter_tokens(text)))
    assert [list(tokenizer.iter_tokens(text)) for text in texts] == alone
    assert [list(tokenizer.iter_tokens(text)) for text in reversed(texts)] == alone[::-1]
