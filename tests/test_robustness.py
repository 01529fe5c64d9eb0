"""Hostile and broken input: bounded time and memory, clear errors, nothing lost.

Size checks here compare growth between a 1x and a 10x input (a ratio, never a wall-clock
limit), so they hold on any machine; each takes the best of a few runs to damp noise.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

import peelparse
from conftest import FIXTURES, fixture_pages, read_page
from peelparse import tokenize
from peelparse.cli import main
from peelparse.lex import lexicon as lx
from test_properties import unaccounted_lines

SEED = read_page(FIXTURES / "peel-2017__cheshire__effectiveness.txt")
OVERVIEW = read_page(FIXTURES / "overview-2016-early-pillar-blocks.txt")

#: Linear growth gives a ratio near 10 between 1x and 10x; quadratic gives 100.
LINEAR = 30.0


def best_time(function: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def growth(make: Callable[[int], str], small: int, parse: Callable[[str], object]) -> float:
    one, ten = make(small), make(small * 10)
    return best_time(lambda: parse(ten)) / max(best_time(lambda: parse(one)), 1e-6)


# ---------------------------------------------------------------------------- degenerate input


@pytest.mark.parametrize("text", ["", " ", "\n", "\r\n\r\n", " \t\u00a0\n\n  \n", "\ufeff"])
def test_empty_and_white_space_only(text: str) -> None:
    report = peelparse.parse(text)
    assert (report.kind, report.summary, report.sections, [d.code for d in report.diagnostics]) == (
        peelparse.PageKind.UNKNOWN,
        (),
        (),
        ["empty-page"],
    )


def test_a_single_huge_line() -> None:
    line = "The extent to which the force is effective is good. " * 1_000_000  # 53 MB
    report = peelparse.parse(line)
    (paragraph,) = report.summary
    assert paragraph.text == line.strip()  # type: ignore[union-attr]


def test_a_million_blank_lines_are_one_token() -> None:
    text = "Kent PEEL 2017" + "\n" * 1_000_000 + "Efficiency\n"
    tokens = tokenize(text)
    assert [t.kind.name for t in tokens] == ["TITLE", "BLANK", "PILLAR"]
    assert tokens[2].line == 1_000_001
    report = peelparse.parse(text)
    assert report.id == "peel-2017/kent/efficiency"


def test_a_million_bullets() -> None:
    text = "Kent PEEL 2017\n\nThe force should:\n\n" + "  • do one more thing;\n" * 1_000_000
    report = peelparse.parse(text)
    (listing,) = report.summary
    assert isinstance(listing, peelparse.ListBlock)
    assert len(listing.items) == 1_000_000
    assert listing.lead_in == "The force should:"


def test_control_characters_and_nul_in_text_are_content() -> None:
    text = "Kent PEEL 2017\n\nThe force\x00 is\x0b good\x1c at\x7f this.\n"
    report = peelparse.parse(text)
    assert report.id == "peel-2017/kent"
    assert unaccounted_lines(text, report) == []


def test_mixed_line_breaks() -> None:
    text = "Kent PEEL 2017\r\n\rEfficiency\n\r\nLast updated 09/11/2017\rGood\n\nKent is good.\r"
    report = peelparse.parse(text)
    assert (report.pillar, report.grade, report.summary[0].text) == (  # type: ignore[union-attr]
        peelparse.Pillar.EFFICIENCY,
        peelparse.Grade.GOOD,
        "Kent is good.",
    )
    tokens = tokenize(text)
    assert "".join(text[t.start : t.end] for t in tokens) == text


# -------------------------------------------------------------------------- pages run together


def test_two_pages_concatenated() -> None:
    text = SEED + "\n\n" + OVERVIEW
    report = peelparse.parse(text)
    assert report.id == "peel-2017/cheshire/effectiveness"
    assert "repeated-title" in [d.code for d in report.diagnostics]
    assert unaccounted_lines(text, report) == []


def test_a_page_repeated_twice() -> None:
    text = SEED + "\n\n" + SEED
    report = peelparse.parse(text)
    once = peelparse.parse(SEED).questions
    # The second copy's header lines fall into the last question; its questions follow.
    assert report.questions[:2] == once[:2]
    # The copy's headline is read as a question of its own (no number), then its questions.
    assert [q.number for q in report.questions] == [3, 4, 5, None, 3, 4, 5]
    assert report.questions[4:] == once
    assert [d.code for d in report.diagnostics].count("repeated-title") == 1
    assert unaccounted_lines(text, report) == []


def test_lines_shuffled() -> None:
    lines = SEED.split("\n")
    shuffled = "\n".join(lines[1::2] + lines[0::2])
    report = peelparse.parse(shuffled)
    assert unaccounted_lines(shuffled, report) == []


def test_a_page_with_only_furniture() -> None:
    text = (
        "Skip to content\n\nPlanned website downtime\n\nThe HMICFRS website will be unavailable "
        "for a short time from 11am on Thursday 18 April while we carry out essential "
        "maintenance. We apologise for any inconvenience this may cause.\n\nContact HMICFRS\n"
    )
    report = peelparse.parse(text)
    assert peelparse.to_dict(report) == peelparse.to_dict(peelparse.Report())


def test_a_different_sites_text() -> None:
    text = (
        "Python (programming language)\n\nPython is a high-level, general-purpose programming "
        "language.\n\nHistory\n\nPython was conceived in the late 1980s.\n\n- Readability;\n"
        "- Batteries included.\n"
    )
    report = peelparse.parse(text)
    assert (report.kind, report.title) == (
        peelparse.PageKind.UNKNOWN,
        "Python (programming language)",
    )
    assert [s.heading for s in report.sections] == ["History"]
    assert unaccounted_lines(text, report) == []


# ------------------------------------------------------------------------------- backtracking


def _patterns() -> dict[str, Callable[[str], object]]:
    """Every compiled pattern, called the way the code calls it (anchored or searching)."""
    from peelparse.input import html as html_input
    from peelparse.lex import tokenizer
    from peelparse.machine import hints, judgments

    calls: dict[str, Callable[[str], object]] = {}
    for module, how in ((lx, "anchored"), (tokenizer, "search"), (judgments, "search"),
                        (html_input, "search"), (hints, "search")):  # fmt: skip
        for name, value in vars(module).items():
            if not hasattr(value, "fullmatch") or not hasattr(value, "pattern"):
                continue
            if isinstance(value.pattern, bytes):
                continue
            if how == "anchored":
                calls[f"lexicon.{name}"] = lambda t, p=value: (p.match(t), p.fullmatch(t))
            else:
                calls[f"{module.__name__}.{name}"] = lambda t, p=value: p.search(t)
    return calls


ADVERSARIAL = {
    "spaces": lambda n: "Contact " + " " * n + "x",
    "dots": lambda n: "Last updated " + "." * n,
    "bullets": lambda n: "  " + "•" * n + "x",
    "digits": lambda n: "Kent PEEL " + "2" * n,
    "slashes": lambda n: "/peel-2017/" + "/" * n + "x",
    "words": lambda n: "How " + "is the force " * (n // 12) + "!",
    "commas": lambda n: "A" + ", B" * (n // 3) + ", Her Majesty’s Inspector of",
    "grades": lambda n: "the extent to which " + "is good " * (n // 8) + "x",
}


@pytest.mark.parametrize("shape", sorted(ADVERSARIAL))
def test_no_pattern_backtracks_on_hostile_lines(shape: str) -> None:
    make = ADVERSARIAL[shape]
    for name, call in _patterns().items():

        def run(text: str, call: Callable[[str], object] = call) -> None:
            for _ in range(5):
                call(text)

        ratio = growth(make, 2_000, run)
        assert ratio < LINEAR, f"{name} grows {ratio:.0f}x on {shape}"


def test_whole_pages_of_hostile_lines_parse_in_linear_time() -> None:
    for shape, make in ADVERSARIAL.items():
        ratio = growth(lambda n, make=make: "\n".join(make(100) for _ in range(n // 100)), 2_000,
                       peelparse.parse)  # fmt: skip
        assert ratio < LINEAR, f"{shape}: {ratio:.0f}x"


def test_a_judgment_paragraph_of_any_length_is_read_in_bounded_slices() -> None:
    text = "Kent 2017\n\nThe extent to which the force is effective " + "x " * 200_000 + "good.\n"
    report = peelparse.parse(text)
    (judgment,) = report.judgments
    assert (judgment.pillar, judgment.grade) == (peelparse.Pillar.EFFECTIVENESS, None)
    assert len(judgment.text) == 600  # a sentence is read this far, never further
    assert report.summary[0].text.endswith("good.")  # type: ignore[union-attr]


# --------------------------------------------------------------------------- linear resources


def _page_of_size(n: int) -> str:
    """A realistic page grown to n questions."""
    head = SEED.split("Questions for Effectiveness")[0]
    body = SEED.split("Questions for Effectiveness")[1]
    return head + "Questions for Effectiveness" + body * n


def test_time_grows_linearly_with_input() -> None:
    ratio = growth(_page_of_size, 20, peelparse.parse)
    assert ratio < LINEAR


def test_memory_grows_linearly_with_input() -> None:
    def peak(text: str) -> int:
        tracemalloc.start()
        peelparse.parse(text)
        _, high = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return high

    small, large = _page_of_size(20), _page_of_size(200)
    ratio = (peak(large) - len(large)) / max(peak(small) - len(small), 1)
    assert ratio < LINEAR


def test_html_time_grows_linearly_with_input() -> None:
    def make(n: int) -> str:
        return "<html><body>" + "<div><p>The force is good.</p><ul><li>x</li></ul></div>" * n

    assert growth(make, 500, peelparse.parse) < LINEAR


# ------------------------------------------------------------------------------ the CLI side


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_a_100_mb_file_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100_000_000)
    status, out, _ = run(["extract", str(huge), "--format", "jsonl"], capsys)
    assert status == 1
    record = json.loads(out)
    assert (record["status"], record["error"]["code"]) == ("error", "too-large")


def test_a_large_file_within_the_limit_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "long.txt"
    page.write_text(_page_of_size(300), encoding="utf-8")
    status, out, _ = run(["extract", str(page), "--format", "jsonl", "--max-bytes", "3000000"],
                         capsys)  # fmt: skip
    assert status == 0
    assert len(json.loads(out)["questions"]) == 3 * 300


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x00\x00\x00\x01binary\x00" * 100, "binary"),
        (bytes(range(128, 256)) * 40, "binary"),
    ],
)
def test_binary_files_are_error_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, code: str
) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(data)
    status, out, _ = run(["extract", str(page), "--format", "jsonl"], capsys)
    assert status == 1
    assert json.loads(out)["error"]["code"] == code


def test_every_fixture_survives_every_single_line_deletion() -> None:
    for page in fixture_pages():
        lines = read_page(page).split("\n")
        for index in range(len(lines)):
            text = "\n".join(lines[:index] + lines[index + 1 :])
            assert unaccounted_lines(text, peelparse.parse(text)) == [], (page.name, index)
