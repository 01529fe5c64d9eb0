"""The Python surface: parse(), strict mode, URL hints, positions, JSON round trips."""

from __future__ import annotations

import datetime
import doctest
from importlib import resources

import pytest

import peelparse
from helpers import FIXTURES, SEED, read_page
from peelparse import Grade, PageKind, PeelParseError, Pillar


def test_package_docstring_example_runs() -> None:
    failures, tried = doctest.testmod(peelparse, verbose=False)
    assert tried > 0
    assert failures == 0


def test_bundled_example_is_the_seed_page() -> None:
    bundled = resources.files("peelparse").joinpath(
        "examples", "peel-2017__cheshire__effectiveness.txt"
    )
    assert bundled.read_bytes() == SEED.read_bytes()


def test_seed_values_are_typed() -> None:
    report = peelparse.parse(read_page(SEED))
    assert report.kind is PageKind.PILLAR
    assert report.pillar is Pillar.EFFECTIVENESS
    assert report.last_updated == datetime.date(2018, 3, 22)
    assert [q.grade for q in report.questions] == [Grade.GOOD, Grade.GOOD, Grade.UNGRADED]
    assert [q.number for q in report.questions] == [3, 4, 5]
    assert isinstance(report.questions, tuple)


def test_other_types_are_a_type_error_not_a_diagnostic() -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        peelparse.parse(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format"):
        peelparse.parse("x", format="pdf")  # type: ignore[arg-type]


def test_bytes_are_decoded_and_bad_bytes_reported_by_offset() -> None:
    report = peelparse.parse(b"Kent PEEL 2017\n\nKent Police is good \xff at this.\n")
    assert report.id == "peel-2017/kent"
    (bad,) = report.diagnostics
    assert (bad.code, bad.line, bad.column) == ("invalid-utf8", 3, 21)
    assert "byte 36" in bad.message
    assert report.summary[0].text == "Kent Police is good \ufffd at this."  # type: ignore[union-attr]


def test_utf16_with_bom() -> None:
    page = "\ufeffKent PEEL 2017\r\n\r\nEfficiency\r\n".encode("utf-16-le")
    report = peelparse.parse(page)
    assert (report.id, report.diagnostics) == ("peel-2017/kent/efficiency", ())


def test_spans_point_at_their_text() -> None:
    text = read_page(SEED)
    report = peelparse.parse(text)
    question = report.questions[0]
    assert question.span is not None
    assert report.excerpt(question.span).rstrip("\n") == question.text
    assert report.line_column(question.span) == (30, 1)
    listing = question.blocks[1]
    assert isinstance(listing, peelparse.ListBlock)
    assert report.excerpt(listing.item_spans[0]) == "identifying vulnerability;"
    aoi_span = question.areas_for_improvement_spans[0]
    assert question.areas_for_improvement[0] in report.excerpt(aoi_span)


def test_strict_raises_with_line_column_and_text() -> None:
    page = "Kent PEEL 2017\n\nEfficiency\n\nKent Police is good.\n\nOutstanding\n"
    lenient = peelparse.parse(page)
    assert [d.code for d in lenient.diagnostics] == ["stray-grade"]
    with pytest.raises(PeelParseError) as caught:
        peelparse.parse(page, strict=True)
    assert caught.value.diagnostic == lenient.diagnostics[0]
    message = str(caught.value)
    assert message == (
        "7:1: error [stray-grade] grade line 'Outstanding' follows no date, question or pillar"
    )
    assert message.count("stray-grade") == message.count("Outstanding") == 1  # each said once
    assert caught.value.excerpt == "Outstanding"


def test_an_impossible_date_is_named_once_in_strict_mode() -> None:
    with pytest.raises(PeelParseError) as caught:
        peelparse.parse("Kent PEEL 2017\n\nEfficiency\n\nLast updated 31/02/2018\n", strict=True)
    assert (
        str(caught.value)
        == "5:1: error [invalid-date] 'Last updated 31/02/2018' is not a calendar date"
    )


@pytest.mark.parametrize("half", ["Last updated 22/03/", "Last updated 1/1/1", "Last updated"])
def test_a_half_date_mid_page_is_reported_but_not_on_a_cut_last_line(half: str) -> None:
    page = f"Kent PEEL 2017\n\nEfficiency\n\n{half}\n\nThe force is good.\n"
    report = peelparse.parse(page)
    assert [(d.code, d.line) for d in report.diagnostics] == [("invalid-date", 5)]
    cut = peelparse.parse(f"Kent PEEL 2017\n\nEfficiency\n\n{half}")
    assert (cut.last_updated, cut.diagnostics) == (None, ())


@pytest.mark.parametrize("space", ["\x0b", "\x0c", "\x1c", "\x1f", "\u00a0", "\u2003", "\t"])
def test_one_white_space_rule_for_every_line(space: str) -> None:
    line = f"Kent{space}Police is{space}{space}good at this."
    page = f"Kent PEEL 2017\n\nEfficiency\n\n{line}\n\n{space}{line}{space}\n"
    texts = [b.text for b in peelparse.parse(page).summary]  # type: ignore[union-attr]
    assert texts == ["Kent Police is good at this."] * 2


def test_an_empty_page_says_so_and_a_binary_one_fails_in_strict_mode() -> None:
    assert [d.code for d in peelparse.parse("").diagnostics] == ["empty-page"]
    assert [d.code for d in peelparse.parse(" \n\t\n").diagnostics] == ["empty-page"]
    binary = "Kent PEEL 2017\x00\x01\x02\x00"
    assert "binary" in [d.code for d in peelparse.parse(binary).diagnostics]
    with pytest.raises(PeelParseError, match=r"\[binary\]"):
        peelparse.parse(binary, strict=True)
    with pytest.raises(PeelParseError, match=r"\[empty-page\]"):
        peelparse.parse("", strict=True)


def test_strict_does_not_raise_on_warnings() -> None:
    page = "Kent PEEL 2017\n\nEfficiency\n\nKent Police is good.\n"
    report = peelparse.parse(
        page, url="https://example.org/peel-2017/essex/efficiency/", strict=True
    )
    assert [d.code for d in report.diagnostics] == ["url-conflict"]
    assert report.force == "Kent"


def test_url_fills_what_the_text_lacks() -> None:
    report = peelparse.parse("Our judgments\nThe force is good.", url="/peel-reports/kent-2021-22/")
    assert (report.kind, report.force, report.year, report.cycle, report.id) == (
        PageKind.ASSESSMENT,
        "Kent",
        2021,
        "2021/22",
        "peel-2021/kent",
    )
    assert report.source is None  # the address is the url, never the source
    assert report.url == "/peel-reports/kent-2021-22/"


def test_source_url_serves_as_hint_but_a_file_name_does_not() -> None:
    text = "The force is good."
    by_url = peelparse.parse(text, source="https://example.org/hmicfrs/peel-2016/kent/")
    assert by_url.kind is PageKind.OVERVIEW
    assert by_url.id == "peel-2016/kent"
    by_name = peelparse.parse(text, source="peel-2016__kent.txt")
    assert by_name.id is None
    assert by_name.source == "peel-2016__kent.txt"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x/hmicfrs/peel-2017/kent/", ("overview", "Kent", 2017, "2017", None)),
        ("/peel-2018/avon-and-somerset/efficiency/", ("pillar", "Avon and Somerset", 2018,
                                                     "2018/19", "efficiency")),
        ("/peel-2018/kent/legitimacy/detailed-findings", ("findings", "Kent", 2018, "2018/19",
                                                          "legitimacy")),
        ("/peel-reports/city-of-london-2023-2025/", ("assessment", "City of London", 2023,
                                                     "2023/25", None)),
        ("/peel-reports/hampshire-and-isle-of-wight-2021-22/", ("assessment", "Hampshire", 2021,
                                                                "2021/22", None)),
        ("/peel-2015/cleveland/other-inspections/", ("pillar", "Cleveland", 2015, "2015", None)),
    ],
)  # fmt: skip
def test_url_hint_paths(url: str, expected: tuple[object, ...]) -> None:
    from peelparse.machine.hints import read_url

    hint = read_url(url)
    assert hint is not None
    got = (
        hint.kind.value,
        hint.force.name if hint.force else None,
        hint.year,
        hint.cycle,
        hint.pillar.value if hint.pillar else None,
    )
    assert got == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.justiceinspectorates.gov.uk/hmicfrs/news/news-feed/kent-needs-to-improve/",
        "https://www.justiceinspectorates.gov.uk/hmicfrs/frs-assessment/frs-2018/nottinghamshire/",
        "/hmicfrs/publications/state-of-policing-2018/",
        "/hmicfrs/police-forces/durham/",
        "/hmicfrs/glossary/cause-of-concern/",
        "/hmicfrs/peel-assessments/what-is-peel/",
    ],
)
def test_an_address_that_is_no_report_says_so(url: str) -> None:
    from peelparse.machine.hints import read_url

    hint = read_url(url)
    assert hint is not None
    assert (hint.is_report, hint.kind, hint.force) == (False, PageKind.UNKNOWN, None)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/pages/2019/",
        "/peel-2015/peel-grades/",  # no force of the 43: not a report's address
        "http://[::1",  # unreadable: no hint, no exception
        "",
    ],
)
def test_an_address_that_says_nothing_gives_no_hint(url: str) -> None:
    from peelparse.machine.hints import read_url

    assert read_url(url) is None


@pytest.mark.parametrize("spans", [False, True])
def test_json_round_trip_of_every_fixture(spans: bool) -> None:
    for page in sorted(FIXTURES.glob("*.txt")):
        report = peelparse.parse(read_page(page), source=page.name)
        again = peelparse.from_json(peelparse.to_json(report, spans=spans))
        assert again == report, page.name
        if spans:
            assert again.questions == report.questions
            assert [q.span for q in again.questions] == [q.span for q in report.questions]


def test_from_dict_rejects_other_schema_versions() -> None:
    data = peelparse.to_dict(peelparse.parse("x"))
    data["schema_version"] = 2
    with pytest.raises(ValueError, match="schema_version"):
        peelparse.from_dict(data)


def test_reports_from_json_have_no_text_for_positions() -> None:
    report = peelparse.from_json(peelparse.to_json(peelparse.parse("Kent PEEL 2017")))
    with pytest.raises(ValueError, match="not parsed from text"):
        report.line_column(peelparse.Span(0, 1))


def test_a_headline_of_another_pillar_is_a_conflict() -> None:
    page = (
        "Kent PEEL 2017\n\nEfficiency\n\n"
        "How effective is the force at keeping people safe and reducing crime?\n"
    )
    report = peelparse.parse(page)
    assert report.pillar is Pillar.EFFICIENCY
    assert [d.code for d in report.diagnostics] == ["pillar-conflict"]


def test_xhtml_with_an_xml_declaration_is_read() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<body><h1>Kent PEEL 2017</h1>\n<p>Efficiency</p></body></html>"
    )
    for given in (page, page.encode("utf-8")):
        report = peelparse.parse(given)
        assert (report.id, report.diagnostics) == ("peel-2017/kent/efficiency", ())
        assert report.title is not None


def test_html_the_parser_refuses_is_an_error_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml import etree

    from peelparse.input import html

    class Refusing:
        def feed(self, data: str) -> None:
            raise etree.ParserError("Document is empty")

    monkeypatch.setattr(html, "_parser", Refusing)
    report = peelparse.parse("<html><body><p>Kent</p></body></html>")
    assert [d.code for d in report.diagnostics] == ["html-unreadable"]
    with pytest.raises(PeelParseError, match="html-unreadable"):
        peelparse.parse("<html><body><p>Kent</p></body></html>", strict=True)


def test_a_position_outside_the_text_is_refused() -> None:
    report = peelparse.parse("Kent PEEL 2017\n")
    assert report.line_column(peelparse.Span(15, 15)) == (2, 1)
    with pytest.raises(ValueError, match="outside the text"):
        report.line_column(peelparse.Span(10**9, 10**9))


def test_a_diagnostic_read_back_without_its_severity_gets_its_codes() -> None:
    from peelparse.diagnostics import Code, Diagnostic, Severity

    warning = Diagnostic(code=Code.UNKNOWN_FORCE, message="m", line=1, column=1)
    assert warning.severity is Severity.WARNING
    record = peelparse.to_dict(peelparse.parse("Cheshire PEEL 2017\n", source="x.txt"))
    record["diagnostics"] = [{"code": "unknown-force", "message": "m", "line": 1, "column": 1}]
    assert peelparse.from_dict(record).diagnostics == (warning,)


@pytest.mark.parametrize("argument", ["source", "url"])
@pytest.mark.parametrize("value", [b"https://www.example.org/", 5])
def test_a_source_or_url_of_the_wrong_type_is_a_type_error(argument: str, value: object) -> None:
    with pytest.raises(TypeError, match=rf"parse\(\) takes {argument} as a str or None, not "):
        peelparse.parse("x", **{argument: value})  # type: ignore[arg-type]
