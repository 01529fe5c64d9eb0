"""``peelparse show`` and ``repr(report)``: a record as a person reads it."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import attrs
import pytest

import peelparse
from helpers import FIXTURES, SEED, read_page, run
from peelparse.input.source import Span
from peelparse.output.show import grade_name, plural, show, span_of

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def drawn(report: peelparse.Report, *, width: int = 100, color: bool | None = None) -> str:
    screen = io.StringIO()
    show(report, file=screen, width=width, color=color)
    return screen.getvalue()


def test_the_example_shows_every_question_with_its_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(["show", "--example"], capsys)
    assert (status, err) == (0, "")
    report = peelparse.parse(read_page(SEED))
    assert len(report.questions) == 3
    for question in report.questions:
        assert question.span is not None
        line = report.line_column(question.span)[0]
        assert f"L{line} question {question.number}. " in out
    assert "Cheshire PEEL 2017" in out
    assert "peel-2017/cheshire/effectiveness" in out
    assert "kind pillar · force Cheshire · cycle 2017 · pillar effectiveness" in out
    assert "grade Good" in out
    assert "last updated 22 March 2018" in out
    assert "Ungraded" in out  # question 5
    assert "areas for improvement (4)" in out
    assert "L38 • identifying vulnerability;" in out
    assert out.rstrip().endswith("diagnostics: none")
    assert not ANSI.search(out)  # captured, not a terminal: no colour


def test_summary_shows_its_first_lines_and_full_shows_all(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, short, _ = run(["show", str(SEED)], capsys)
    _, full, _ = run(["show", str(SEED), "--full"], capsys)
    assert "… 4 more blocks (--full shows all)" in short
    assert "L24 " not in short  # the summary's last paragraph
    assert "L24 " in full
    assert "L44 However" not in short  # a question's paragraph
    assert "L44 However" in full
    assert "--full shows all" not in full


def test_overview_shows_judgments_pillar_blocks_and_inspector() -> None:
    page = FIXTURES / "overview-2016-early-pillar-blocks.txt"
    out = drawn(peelparse.parse(read_page(page)))
    assert "judgments (3)" in out
    assert re.search(r"L11 efficiency Good  The extent", out)
    assert "pillars (2)" in out
    assert "L31 efficiency Good  updated 3 November 2016" in out
    assert "L17 inspector Michael Cunningham" in out


def test_sections_and_observations_and_causes_of_concern() -> None:
    sections = drawn(peelparse.parse(read_page(FIXTURES / "assessment-2021-22-compact.txt")))
    assert "(no title)" in sections
    assert "L2 Our judgments  3 paragraphs" in sections
    assert "L1 Overall summary  no text" in sections
    concern = FIXTURES / "pillar-2018-effectiveness-concern-recommendations.txt"
    out = drawn(peelparse.parse(read_page(concern)))
    assert "causes of concern (1)" in out
    assert "recommendations (3)" in out
    assert "L33 • train all call handlers" in out
    observations = FIXTURES / "overview-2017-observations-blocks.txt"
    assert "observations (" in drawn(peelparse.parse(read_page(observations)))


def test_diagnostics_come_last_with_line_and_column() -> None:
    report = peelparse.parse("Kent PEEL 2017\n\nKent Police is good.\n\nOutstanding\n")
    lines = drawn(report, width=300).rstrip().splitlines()
    assert lines[-2].endswith("diagnostics (1)")
    assert "└── L5:1 error [stray-grade] grade line 'Outstanding' " in lines[-1]


def test_html_input_shows_lines_of_the_html_source(capsys: pytest.CaptureFixture[str]) -> None:
    markup = FIXTURES / "html" / "peel-2017__cheshire__effectiveness.html"
    status, out, _ = run(["show", str(markup)], capsys)
    assert status == 0
    assert "(lines of the HTML source)" in " ".join(out.split())
    report = peelparse.parse(markup.read_bytes())
    question = report.questions[0]
    assert question.span is not None
    assert f"L{report.html_line(question.span)} question 3. " in out


def test_colour_on_request_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    report = peelparse.parse(read_page(SEED))
    assert ANSI.search(drawn(report, color=True))
    assert not ANSI.search(drawn(report, color=False))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    screen = io.StringIO()
    screen.isatty = lambda: True  # type: ignore[method-assign]
    show(report, file=screen, width=100)
    assert not ANSI.search(screen.getvalue())


def test_wide_text_is_wrapped_to_the_width() -> None:
    report = peelparse.parse(read_page(SEED))
    screen = io.StringIO()
    show(report, file=screen, width=60)
    lines = screen.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 60
    assert len(lines) > len(drawn(report).splitlines())


def test_color_option(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["show", "--example", "--color", "always"], capsys)
    assert ANSI.search(out)
    _, out, _ = run(["show", "--example", "--color", "never"], capsys)
    assert not ANSI.search(out)


def test_stdin_and_url(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Overall summary\nThe force is good.\n"))
    status, out, _ = run(["show", "-", "--url", "/peel-reports/kent-2021-22/"], capsys)
    assert status == 0
    assert "peel-2021/kent" in out
    assert "url /peel-reports/kent-2021-22/" in out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["show", "{tmp}/missing.txt"], 1, "missing.txt: [unreadable]"),
        (["show", "{tmp}"], 2, "is a folder; show reads one page"),
        (["show", "--example", "{tmp}/x.txt"], 2, "give FILE"),
        (["show"], 2, "give FILE"),
    ],
)
def test_show_mistakes_are_one_line(
    argv: list[str], status: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got, out, err = run([a.format(tmp=tmp_path) for a in argv], capsys)
    assert (got, out) == (status, "")
    assert err.startswith("peelparse: error: ")
    assert err.count("\n") == 1
    assert message in err


def test_values_show_the_lines_of_their_own_spans(capsys: pytest.CaptureFixture[str]) -> None:
    """Single values (title, headline, grade, date, a question's grade, a pillar block's
    headline) carry the lines of their own spans, read by name (``VALUE_SPANS``)."""
    report = peelparse.parse(read_page(SEED))
    assert span_of(report, "title") == report.title_span
    assert span_of(report.questions[0]) == report.questions[0].span
    lines = {
        name: report.line_column(getattr(report, f"{name}_span"))[0]
        for name in ("title", "headline_question", "grade", "last_updated")
    }
    _, out, _ = run(["show", "--example"], capsys)
    assert out.startswith(f"L{lines['title']} Cheshire PEEL 2017  ")
    assert f"L{lines['headline_question']} headline How effective" in out
    assert f"L{lines['grade']} grade Good" in out
    assert f"L{lines['last_updated']} last updated 22 March 2018" in out
    question = report.questions[0]
    assert question.grade_span is not None
    graded = report.line_column(question.grade_span)[0]
    assert f"Good L{graded}" in " ".join(out.split())

    @attrs.frozen
    class WithSpans:
        title_span: Span = Span(0, 18)  # noqa: RUF009 - a NamedTuple, immutable
        grade_span: tuple[int, int] = (100, 104)
        headline_question_span: object = "not a span"

    spanned = WithSpans()
    assert span_of(spanned, "title") == Span(0, 18)
    assert span_of(spanned, "grade") == Span(100, 104)
    assert span_of(spanned, "headline_question") is None
    assert span_of(spanned, "last_updated") is None
    assert span_of(spanned, "inspector") is None  # looked up as inspector_span


def test_a_pillar_block_headline_carries_its_line() -> None:
    page = FIXTURES / "overview-2016-early-pillar-blocks.txt"
    report = peelparse.parse(read_page(page))
    block = report.pillars[0]
    assert block.headline_question_span is not None
    line = report.line_column(block.headline_question_span)[0]
    assert f"L{line} How effective is the force" in drawn(report)


def test_grade_names() -> None:
    assert grade_name(peelparse.Grade.REQUIRES_IMPROVEMENT) == "Requires improvement"
    assert grade_name(peelparse.Grade.NOT_YET_GRADED) == "Not yet graded"
    assert grade_name(None) == "no grade shown"


def test_a_report_from_json_shows_without_lines() -> None:
    report = peelparse.from_json(peelparse.to_json(peelparse.parse(read_page(SEED))))
    out = drawn(report)
    assert "question 3. How effective" in out
    assert not re.search(r"\bL[0-9]+ ", out)


def test_report_repr_is_one_short_line() -> None:
    report = peelparse.parse(read_page(SEED))
    assert repr(report) == "<Report peel-2017/cheshire/effectiveness pillar good, 3 questions>"
    untitled = peelparse.parse("Some text\n", source="x.txt")
    assert repr(untitled) == "<Report 'x.txt' unknown, 0 questions>"
    stray = peelparse.parse("Kent PEEL 2017\n\nKent Police is good.\n\nOutstanding\n")
    assert repr(stray) == "<Report peel-2017/kent pillar, 0 questions, 1 diagnostic>"
    assert repr(peelparse.Report()) == "<Report (no id) unknown, 0 questions>"
    two = attrs.evolve(report, diagnostics=stray.diagnostics * 2, questions=report.questions[:1])
    assert repr(two).endswith("good, 1 question, 2 diagnostics>")


def test_a_pages_escape_sequences_are_shown_not_obeyed(capsys: pytest.CaptureFixture[str]) -> None:
    page = "Kent PEEL 2017\n\nThe force is good.\x1b]52;c;cHduZWQ=\x1b\\ \x1b[2J\u202egnirts\n"
    report = peelparse.parse(page)
    from peelparse.output.show import show

    show(report, file=sys.stdout, color=False, width=200)
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert r"good.\x1b]52;c;cHduZWQ=\x1b\ \x1b[2J\u202egnirts" in out


def test_one_plural_helper_serves_show_and_the_commands() -> None:
    from peelparse.cli import check, common, extract, grades

    assert [plural(n, "page") for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert common.plural is plural
    assert check.plural is extract.plural is grades.plural is plural
