"""Page identity: kinds that never lie, canonical forces and cycles, ids that never collide.

Fixture pages hold the full cases; these tests pin single rules, and read every fixture with
and without its address.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import peelparse
from helpers import fixture_pages, read_page, unaccounted_lines, url_of
from peelparse import PageKind

SITE = "https://www.justiceinspectorates.gov.uk/hmicfrs"
WITH_ADDRESS = [p for p in fixture_pages() if url_of(p) is not None]


@pytest.mark.parametrize(
    ("title", "force", "force_id", "id_"),
    [
        ("Kent Police PEEL 2017", "Kent", "kent", "peel-2017/kent/efficiency"),
        ("Durham Constabulary PEEL 2018", "Durham", "durham", "peel-2018/durham/efficiency"),
        ("Devon & Cornwall PEEL 2016", "Devon and Cornwall", "devon-and-cornwall",
         "peel-2016/devon-and-cornwall/efficiency"),
        ("Metropolitan Police Service PEEL 2017", "Metropolitan", "metropolitan",
         "peel-2017/metropolitan/efficiency"),
        ("Dyfed-Powys PEEL 2015", "Dyfed-Powys", "dyfed-powys", "peel-2015/dyfed-powys/efficiency"),
    ],
)  # fmt: skip
def test_a_title_in_any_spelling_gives_the_canonical_force_and_id(
    title: str, force: str, force_id: str, id_: str
) -> None:
    report = peelparse.parse(f"{title}\n\nEfficiency\n\nThe force is good.\n")
    assert (report.title, report.force, report.force_id, report.id) == (title, force, force_id, id_)
    assert report.diagnostics == ()


def test_a_force_that_is_none_of_the_43_stays_as_printed_with_a_warning_and_no_id() -> None:
    report = peelparse.parse("Gotham PEEL 2017\n\nEfficiency\n")
    assert (report.force, report.force_id, report.year) == ("Gotham", None, 2017)
    assert report.id is None  # the id's force part is a force_id: a name that is none has none
    assert [d.code for d in report.diagnostics] == ["unknown-force"]


def test_a_fire_and_rescue_page_at_a_police_report_address_stays_what_it_says() -> None:
    text = (
        "Nottinghamshire 2018/19\n\nRead more about NottinghamshireThis is HMICFRS’s first "
        "annual assessment of fire and rescue services.\n\nThe extent to which the service is "
        "effective at keeping people safe and secure from fire and other risks is good.\n"
    )
    report = peelparse.parse(text, url=f"{SITE}/peel-2018/nottinghamshire/")
    assert (report.kind, report.id, report.force, report.judgments) == (
        PageKind.UNKNOWN,
        None,
        None,
        (),
    )
    assert [(d.code, d.line) for d in report.diagnostics] == [
        ("not-a-report", 3),
        ("url-conflict", 3),
    ]


@pytest.mark.parametrize(
    ("path", "cycle", "year"),
    [
        ("/peel-2017/kent/", "2017", 2017),
        ("/peel-2018/kent/", "2018/19", 2018),
        ("/peel-assessments/peel-reports/kent-2021-22/", "2021/22", 2021),
        ("/peel-assessments/peel-reports/kent-2023-25/", "2023/25", 2023),
        ("/peel-assessments/peel-reports/kent-2023-2025/", "2023/25", 2023),
    ],
)
def test_cycles_are_canonical_ascii(path: str, cycle: str, year: int) -> None:
    report = peelparse.parse("Overall summary\n\nThe force is good.\n", url=SITE + path)
    assert (report.cycle, report.year) == (cycle, year)
    assert report.cycle.isascii()  # type: ignore[union-attr]


def test_an_other_inspections_page_without_a_pillar_has_its_own_id() -> None:
    text = (
        "Cleveland PEEL 2015\n\nOther inspections\n\n"
        "How well has the force performed in our other inspections?\n\nSome words.\n"
    )
    other = peelparse.parse(text)
    overview = peelparse.parse("Cleveland 2015\n\nThe force is good.\n")
    assert (other.kind, other.pillar, other.id) == (
        PageKind.PILLAR,
        None,
        "peel-2015/cleveland/other-inspections",
    )
    assert other.id != overview.id == "peel-2015/cleveland"


def test_a_title_less_page_with_an_overview_address_is_read_as_an_overview() -> None:
    text = (
        "The extent to which the force is effective at keeping people safe and reducing crime "
        "is good.\n\nMatt Parr, Her Majesty’s Inspector of Constabulary\n\nContact Matt Parr\n\n"
        "HMI's observations\n\nThe force has improved.\n"
    )
    report = peelparse.parse(text, url=f"{SITE}/peel-2017/kent/")
    assert (report.kind, report.id, report.title) == (PageKind.OVERVIEW, "peel-2017/kent", None)
    assert report.judgments[0].grade is peelparse.Grade.GOOD
    assert report.inspector is not None
    assert report.sections == ()


def test_a_non_report_address_makes_the_page_unknown_at_line_one() -> None:
    text = "Nottinghamshire 2018/19\n\nThe service is good at keeping people safe.\n"
    report = peelparse.parse(text, url=f"{SITE}/frs-assessment/frs-2018/nottinghamshire/")
    assert (report.kind, report.id, report.force, report.title) == (
        PageKind.UNKNOWN,
        None,
        None,  # a fire and rescue service is not the police force of the same name
        "Nottinghamshire 2018/19",
    )
    (clue,) = report.diagnostics
    assert (clue.code, clue.severity, clue.line, clue.column) == (
        "not-a-report",
        peelparse.Severity.INFO,
        1,
        1,
    )
    assert "fire and rescue" in clue.message


def test_text_and_address_that_disagree_keep_the_text_and_point_at_its_line() -> None:
    text = "Skip to content\n\nKent PEEL 2017\n\nEfficiency\n\nThe force is good.\n"
    report = peelparse.parse(text, url=f"{SITE}/peel-2016/essex/legitimacy/")
    conflicts = {(d.message.split()[3], d.line) for d in report.diagnostics}
    assert conflicts == {("force", 3), ("year", 3), ("cycle", 3), ("pillar", 5)}
    assert (report.force, report.year, report.pillar) == ("Kent", 2017, peelparse.Pillar.EFFICIENCY)


def test_a_published_line_above_the_title_does_not_swallow_it() -> None:
    text = "Published on: 2 May 2019\n\nKent PEEL 2017\n\nEfficiency\n\nThe force is good.\n"
    report = peelparse.parse(text)
    assert (report.title, report.id, report.diagnostics) == (
        "Kent PEEL 2017",
        "peel-2017/kent/efficiency",
        (),
    )


@pytest.mark.parametrize("page", WITH_ADDRESS, ids=[p.stem for p in WITH_ADDRESS])
def test_without_its_address_a_page_keeps_its_text_and_invents_nothing(page: Path) -> None:
    text = read_page(page)
    with_url = peelparse.parse(text, source=page.name, url=url_of(page))
    alone = peelparse.parse(text, source=page.name)
    assert (alone.source, alone.url, with_url.url) == (page.name, None, url_of(page))
    if alone.title is None and alone.kind is not PageKind.UNKNOWN:
        assert (alone.force, alone.year, alone.id) == (None, None, None)
    if alone.kind is with_url.kind and alone.kind is not PageKind.UNKNOWN:
        content = ("summary", "questions", "judgments", "observations", "pillars", "sections")
        assert attrs.asdict(alone, filter=lambda a, _: a.name in content) == attrs.asdict(
            with_url, filter=lambda a, _: a.name in content
        )


def test_every_report_in_the_fixtures_has_a_canonical_force_id() -> None:
    from peelparse.forces import FORCES

    ids = {force.id for force in FORCES}
    for page in fixture_pages():
        report = peelparse.parse(read_page(page), url=url_of(page))
        if report.kind is not PageKind.UNKNOWN and report.force is not None:
            assert report.force_id in ids, page.name
        if report.kind is PageKind.UNKNOWN:
            assert report.id is None
            assert (report.judgments, report.questions, report.pillars) == ((), (), ())
            assert report.inspector is None


LETTER = (
    "Kent Police: PEEL Cause of concern revisit letter\n"
    "Published on: 5 May 2022\n"
    "Background\n"
    "We wrote to the force about its crime recording in 2021.\n"
    "Chief Constable\n"
    "Jane Smith\n"
    "Kent Police\n"
    "Dear Chief Constable,\n"
    "We revisited the force in April.\n"
    "What we found\n"
    "In detail\n"
    "The force has made progress.\n"
)


def test_a_compact_address_block_is_text_but_a_heading_and_its_sub_heading_are_headings() -> None:
    report = peelparse.parse(LETTER)
    assert report.kind is PageKind.UNKNOWN
    headings = [section.heading for section in report.sections]
    assert headings == ["Background", "What we found", "In detail"]
    background = [block.text for block in report.sections[0].blocks]
    assert background[1:5] == [
        "Chief Constable",
        "Jane Smith",
        "Kent Police",
        "Dear Chief Constable,",
    ]
    assert unaccounted_lines(LETTER, report) == []


@pytest.mark.parametrize(
    ("page", "line", "what"),
    [
        (
            "Concerns about Cleveland Police’s performance\n\nThe force must do better.\n",
            1,
            "a news page",
        ),
        (
            "Cleveland Police needs to improve in some areas\n\nIt must do better.\n",
            1,
            "a news page",
        ),
        (
            "Service Assessment Data Table 2023/25\n\nFigures for each service.\n",
            1,
            "a fire and rescue service's page",
        ),
        (
            "Cheshire 2018/19\n\nHM Inspector's summary\n\nThe service has improved.\n",
            3,
            "a fire and rescue service's page",
        ),
    ],
)
def test_more_pages_that_are_no_report_say_so(page: str, line: int, what: str) -> None:
    report = peelparse.parse(page)
    assert (report.kind, report.id) == (PageKind.UNKNOWN, None)
    # A news page names its force (kept); a fire and rescue service is no police force.
    assert report.force_id == ("cleveland" if "news" in what else None)
    [clue] = report.diagnostics
    assert (clue.code, clue.line, clue.message) == (
        "not-a-report",
        line,
        f"not a police PEEL report: {what}",
    )


@pytest.mark.parametrize(
    "page",
    [
        "Cheshire 2018/19\n\nHM Inspector’s summary\n\nThe force has improved.\n",  # police: ’
        "Kent Police PEEL 2017\n\nEfficiency\n\nThe force is efficient.\n",
        "Kent Police is good at keeping people safe and reducing crime.\n\nMore text.\n",
    ],
)
def test_police_pages_that_name_the_force_in_full_are_not_mistaken_for_news(page: str) -> None:
    assert not any(d.code == "not-a-report" for d in peelparse.parse(page).diagnostics)
