"""The grades table: rows built from records, from fixture collections, and from the command line.

Most tests build ``Report`` records directly, so they state the table's rules whatever the
parser does; the collection tests run real page texts through the parser, each against the
hand-checked ``grades.csv`` beside its pages.
"""

from __future__ import annotations

import csv
import datetime
import doctest
import importlib
import io
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peelparse
from grade_pages import REAL, E, F, L, overview, pillar_page, question
from helpers import FIXTURES, assert_usage_error, fixture_pages
from peelparse.batch.discovery import read_manifest
from peelparse.batch.tasks import InputError, Result
from peelparse.cli import grades as grades_cli
from peelparse.cli import main
from peelparse.grade_table import (
    COLUMNS,
    Claim,
    GradeRow,
    Level,
    Status,
    build_table,
    grades,
)
from peelparse.output.sinks import MissingDependencyError
from peelparse.records import (
    Diagnostic,
    Grade,
    PageKind,
    Pillar,
    Report,
    Severity,
)

COLLECTIONS = FIXTURES / "collections"


def only(rows: Sequence[GradeRow], pillar: Pillar = E, number: int | None = None) -> GradeRow:
    [row] = [r for r in rows if r.pillar is pillar and r.question == number]
    return row


# --- the rules, on records -------------------------------------------------------------------


def test_one_real_grade_gives_a_final_row_that_agrees() -> None:
    [row] = grades([pillar_page()])
    assert (row.force_id, row.force, row.cycle, row.year) == ("kent", "Kent", "2016", 2016)
    assert (row.pillar, row.level, row.question, row.question_text) == (E, Level.PILLAR, None, None)
    assert (row.grade, row.grade_rank, row.status, row.agree) == (Grade.GOOD, 4, Status.FINAL, True)
    assert (row.n_sources, row.sources, row.conflicts) == (1, ("peel-2016/kent/effectiveness",), ())


@pytest.mark.parametrize(
    ("grade", "rank"),
    [
        (Grade.OUTSTANDING, 5),
        (Grade.GOOD, 4),
        (Grade.ADEQUATE, 3),
        (Grade.REQUIRES_IMPROVEMENT, 2),
        (Grade.INADEQUATE, 1),
        (Grade.UNGRADED, None),
        (Grade.NOT_YET_GRADED, None),
    ],
)
def test_grade_rank(grade: Grade, rank: int | None) -> None:
    [row] = grades([pillar_page(grade=grade)])
    assert row.grade is grade
    assert row.grade_rank == rank


def test_a_real_grade_beats_not_yet_graded_saved_earlier_or_later() -> None:
    december = overview(
        judgments={E: Grade.NOT_YET_GRADED}, blocks={E: (Grade.NOT_YET_GRADED, None)}
    )
    march = overview(judgments={E: Grade.GOOD}, blocks={E: (Grade.GOOD, "2017-03-02")})
    for batch in ([december, march], [march, december]):
        [row] = grades(batch)
        assert (row.grade, row.status, row.agree) == (Grade.GOOD, Status.FINAL, True)
        assert row.sources == ("peel-2016/kent",)  # one page, saved twice: one source


def test_not_yet_graded_alone_is_provisional() -> None:
    [row] = grades([overview(judgments={E: Grade.NOT_YET_GRADED})])
    assert (row.grade, row.grade_rank, row.status, row.agree) == (
        Grade.NOT_YET_GRADED,
        None,
        Status.PROVISIONAL,
        True,
    )


def test_ungraded_beats_not_yet_graded_and_a_real_grade_beats_ungraded() -> None:
    [row] = grades(
        [pillar_page(grade=Grade.UNGRADED), overview(judgments={E: Grade.NOT_YET_GRADED})]
    )
    assert (row.grade, row.status, row.agree) == (Grade.UNGRADED, Status.UNGRADED, True)
    # 2014: the effectiveness page says "Ungraded", the overview's prose gives the grade.
    [row] = grades(
        [
            pillar_page(cycle="2014", grade=Grade.UNGRADED),
            overview(cycle="2014", judgments={E: Grade.GOOD}),
        ]
    )
    assert (row.grade, row.status, row.agree, row.conflicts) == (Grade.GOOD, Status.FINAL, True, ())
    assert row.n_sources == 2


def test_differing_grades_disagree_and_the_most_recent_capture_wins() -> None:
    page = pillar_page(pillar=F, grade=Grade.GOOD, last_updated="2018-03-22", cycle="2017")
    early = overview(
        cycle="2017",
        judgments={F: Grade.REQUIRES_IMPROVEMENT},
        blocks={F: (Grade.REQUIRES_IMPROVEMENT, "2017-11-09")},
    )
    [row] = grades([page, early])
    assert (row.grade, row.status, row.agree) == (Grade.GOOD, Status.FINAL, False)
    assert row.conflicts == (
        Claim(grade=Grade.GOOD, sources=("peel-2017/kent/efficiency",)),
        Claim(grade=Grade.REQUIRES_IMPROVEMENT, sources=("peel-2017/kent",)),
    )
    assert row.as_dict()["conflicts"] == (
        "good (peel-2017/kent/efficiency); requires_improvement (peel-2017/kent)"
    )
    # Dated the other way round, the overview wins; still not hidden.
    later = overview(cycle="2017", blocks={F: (Grade.REQUIRES_IMPROVEMENT, "2018-06-01")})
    [row] = grades([page, later])
    assert (row.grade, row.agree) == (Grade.REQUIRES_IMPROVEMENT, False)


def test_a_judgment_takes_the_date_of_its_pages_pillar_block() -> None:
    page = pillar_page(grade=Grade.GOOD, last_updated="2017-03-02")
    capture = overview(
        judgments={E: Grade.OUTSTANDING}, blocks={E: (Grade.OUTSTANDING, "2017-04-01")}
    )
    [row] = grades([page, capture])
    assert row.grade is Grade.OUTSTANDING
    judgment_only = overview(judgments={E: Grade.OUTSTANDING})
    [row] = grades([page, judgment_only])  # undated: the dated page is more recent
    assert row.grade is Grade.GOOD


def test_ties_prefer_the_pillar_page_then_findings_then_block_then_judgment() -> None:
    date = "2019-05-02"
    page = pillar_page(cycle="2018/19", grade=Grade.GOOD, last_updated=date)
    findings = pillar_page(
        cycle="2018/19", grade=Grade.ADEQUATE, last_updated=date, kind=PageKind.FINDINGS
    )
    block = overview(cycle="2018/19", blocks={E: (Grade.INADEQUATE, date)})
    judgment = overview(
        cycle="2018/19",
        judgments={E: Grade.OUTSTANDING},
        blocks={E: (Grade.OUTSTANDING, date)},
        source="other-capture.txt",
    )
    assert only(grades([page, findings, block, judgment])).grade is Grade.GOOD
    assert only(grades([findings, block, judgment])).grade is Grade.ADEQUATE
    # A judgment and a block of the same page and date: the block's grade.
    mixed = overview(
        cycle="2018/19", judgments={E: Grade.OUTSTANDING}, blocks={E: (Grade.INADEQUATE, date)}
    )
    row = only(grades([mixed]))
    assert (row.grade, row.agree) == (Grade.INADEQUATE, False)


def test_ties_of_everything_are_broken_by_grade_not_by_input_order() -> None:
    one = overview(judgments={E: Grade.GOOD}, source="a.txt")
    two = overview(judgments={E: Grade.REQUIRES_IMPROVEMENT}, source="b.txt")
    assert grades([one, two]) == grades([two, one])
    assert not grades([one, two])[0].agree


def test_sources_are_ids_else_paths_sorted_and_counted() -> None:
    unnamed = pillar_page(id=None, source="saved/kent-effectiveness.txt")
    rows = grades([overview(judgments={E: Grade.GOOD}), unnamed, pillar_page()])
    row = only(rows)
    assert row.sources == (
        "peel-2016/kent",
        "peel-2016/kent/effectiveness",
        "saved/kent-effectiveness.txt",
    )
    assert row.n_sources == 3
    assert row.as_dict()["sources"] == ";".join(row.sources)


def test_every_stated_value_is_in_sources_even_a_superseded_one() -> None:
    rows = grades([overview(judgments={E: Grade.NOT_YET_GRADED}, source="x"), pillar_page()])
    assert only(rows).sources == ("peel-2016/kent", "peel-2016/kent/effectiveness")


@pytest.mark.parametrize(
    "page",
    [
        pillar_page(kind=PageKind.UNKNOWN),
        attrs.evolve(pillar_page(), force_id=None),
        attrs.evolve(pillar_page(), year=None),
        attrs.evolve(pillar_page(), cycle=None),
        pillar_page(
            diagnostics=(
                Diagnostic(
                    code="not-a-report",
                    message="a fire and rescue service",
                    line=1,
                    column=1,
                    severity=Severity.WARNING,
                ),
            )
        ),
        attrs.evolve(overview(judgments={E: Grade.GOOD}), force_id=None),
    ],
    ids=["unknown-kind", "no-force", "no-year", "no-cycle", "not-a-report", "overview-no-force"],
)
def test_pages_that_are_no_police_report_give_no_row(page: Report) -> None:
    assert grades([page]) == ()


def test_assessment_pages_give_rows_only_when_they_state_grades() -> None:
    silent = Report(
        id="peel-2021/kent", kind=PageKind.ASSESSMENT, force="Kent", force_id="kent",
        year=2021, cycle="2021/22",
    )  # fmt: skip
    assert grades([silent]) == ()
    stating = attrs.evolve(silent, pillar=E, grade=Grade.ADEQUATE)
    assert [r.grade for r in grades([stating])] == [Grade.ADEQUATE]


def test_a_page_without_pillar_gives_no_pillar_or_question_row() -> None:
    other = pillar_page(
        pillar=L,
        questions=(question(1, "How well does the force understand leadership?", Grade.GOOD),),
    )
    assert len(grades([other])) == 2
    assert grades([attrs.evolve(other, pillar=None)]) == ()


def test_question_rows_by_printed_number() -> None:
    page = pillar_page(
        cycle="2017",
        questions=(
            question(3, "How effective is the force at protecting those?", Grade.GOOD),
            question(5, "How effective are the force’s specialist capabilities?", Grade.UNGRADED),
            question(
                4, "How effective is the force at tackling serious and organised crime?", None
            ),
        ),
    )
    rows = grades([page])
    assert [(r.level, r.question, r.grade, r.status) for r in rows] == [
        (Level.PILLAR, None, Grade.GOOD, Status.FINAL),
        (Level.QUESTION, 3, Grade.GOOD, Status.FINAL),
        (Level.QUESTION, 5, Grade.UNGRADED, Status.UNGRADED),
    ]
    assert rows[1].question_text == "How effective is the force at protecting those?"
    assert rows[1].sources == ("peel-2017/kent/effectiveness",)


def test_an_unprinted_number_comes_from_the_stock_questions() -> None:
    text = "How effective is the force at investigating crime and reducing re-offending?"
    row = only(grades([pillar_page(questions=(question(None, text, Grade.GOOD),))]), E, 2)
    assert (row.question_text, row.grade) == (text, Grade.GOOD)
    # Case, curly apostrophes, spacing and the question mark do not matter.
    text = "HOW EFFECTIVE ARE THE FORCE'S  specialist capabilities"
    assert only(grades([pillar_page(questions=(question(None, text, Grade.GOOD),))]), E, 5)


def test_an_unprinted_number_comes_from_another_page_that_prints_it() -> None:
    text = "How well does the force understand leadership?"
    unnumbered = pillar_page(pillar=L, questions=(question(None, text, Grade.GOOD),))
    numbered = pillar_page(
        force_id="essex", pillar=L, grade=None, questions=(question(4, text + " ", None),)
    )
    rows = grades([unnumbered, numbered])
    assert only(rows, L, 4).force_id == "kent"
    # Pages that print different numbers for it teach nothing.
    other = pillar_page(
        force_id="surrey", pillar=L, grade=None, questions=(question(2, text, None),)
    )
    table = build_table([unnumbered, numbered, other])
    assert [r.question for r in table.rows] == [None]
    assert [(u.source, u.text, u.grade) for u in table.unnumbered] == [
        ("peel-2016/kent/legitimacy", text, Grade.GOOD)
    ]


def test_a_question_with_no_number_to_be_found_is_left_out_and_reported_once() -> None:
    text = "How effective is the force at reducing crime and preventing offending?"
    page = pillar_page(cycle="2014", questions=(question(None, text, Grade.GOOD),))
    table = build_table([page, page])
    assert [r.level for r in table.rows] == [Level.PILLAR]
    assert len(table.unnumbered) == 1


def test_question_grades_merge_across_pillar_and_findings_pages() -> None:
    text = "How well does the force plan for the future?"
    cut = "How well does the force plan for the fut"
    page = pillar_page(cycle="2018/19", pillar=F, questions=(question(2, cut, Grade.GOOD),))
    findings = pillar_page(
        cycle="2018/19",
        pillar=F,
        kind=PageKind.FINDINGS,
        questions=(question(None, text, Grade.REQUIRES_IMPROVEMENT),),
        last_updated="2019-09-27",
    )
    row = only(grades([page, findings]), F, 2)
    assert row.question_text == text  # the longest text stated
    assert (row.grade, row.agree, row.n_sources) == (Grade.REQUIRES_IMPROVEMENT, False, 2)


def test_rows_are_sorted_by_force_cycle_pillar_in_page_order_then_question() -> None:
    batch = [
        pillar_page(force_id="essex", pillar=L),
        pillar_page(force_id="avon-and-somerset", cycle="2017", pillar=F),
        pillar_page(
            force_id="avon-and-somerset",
            pillar=F,
            cycle="2016",
            questions=(
                question(2, "How well does the force use its resources?", Grade.GOOD),
                question(1, "How well does the force understand demand?", Grade.GOOD),
            ),
        ),
        pillar_page(force_id="avon-and-somerset", cycle="2016", pillar=E),
        overview(force_id="avon-and-somerset", cycle="2018/19", judgments={L: Grade.GOOD}),
    ]
    keys = [(r.force_id, r.cycle, r.pillar.value, r.question) for r in grades(batch)]
    assert keys == [
        ("avon-and-somerset", "2016", "effectiveness", None),
        ("avon-and-somerset", "2016", "efficiency", None),
        ("avon-and-somerset", "2016", "efficiency", 1),
        ("avon-and-somerset", "2016", "efficiency", 2),
        ("avon-and-somerset", "2017", "efficiency", None),
        ("avon-and-somerset", "2018/19", "legitimacy", None),
        ("essex", "2016", "legitimacy", None),
    ]


def test_results_of_parse_many_are_taken_and_failures_skipped() -> None:
    failed = Result(source="gone.txt", error=InputError("unreadable", "no such file"))
    ok = Result(source="kent.txt", report=pillar_page())
    assert grades([failed, ok]) == grades([pillar_page()])


def test_the_flat_row_has_exactly_the_columns() -> None:
    [row] = grades([pillar_page(grade=Grade.NOT_YET_GRADED)])
    flat = row.as_dict()
    assert tuple(flat) == COLUMNS == (
        "force_id", "force", "cycle", "year", "pillar", "question", "question_text", "level",
        "grade", "grade_rank", "status", "agree", "n_sources", "sources", "conflicts",
    )  # fmt: skip
    assert flat["grade"] == "not_yet_graded"
    assert flat["status"] == "provisional"
    assert flat["conflicts"] is None
    assert str(Claim(grade=Grade.GOOD, sources=("a", "b"))) == "good (a, b)"


def test_the_public_names() -> None:
    assert peelparse.grades is grades
    assert peelparse.GradeRow is GradeRow
    importlib.import_module("peelparse.cli.grades")  # a module named grades would shadow it
    assert peelparse.grades is grades


# --- properties ------------------------------------------------------------------------------

FORCE_IDS = ("kent", "essex", "dyfed-powys")
CYCLES = ("2015", "2016", "2018/19")
dates = st.none() | st.dates(datetime.date(2014, 1, 1), datetime.date(2020, 12, 31))
page_grades = st.none() | st.sampled_from(Grade)
QUESTIONS = (
    "How effective is the force at investigating crime and reducing re-offending?",
    "How well does the force plan for the future?",
    "How well does the force understand leadership?",
)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    """A police report record stating grades in any of the places a page can."""
    force_id = draw(st.sampled_from(FORCE_IDS))
    cycle = draw(st.sampled_from(CYCLES))
    kind = draw(st.sampled_from([PageKind.PILLAR, PageKind.OVERVIEW, PageKind.FINDINGS]))
    capture = draw(st.integers(0, 2))
    if kind is PageKind.OVERVIEW:
        pillars = draw(st.lists(st.sampled_from([E, F, L]), unique=True, max_size=3))
        blocks = {}
        for pillar in draw(st.lists(st.sampled_from([E, F, L]), unique=True, max_size=3)):
            date = draw(dates)
            blocks[pillar] = (draw(st.sampled_from(Grade)), date.isoformat() if date else None)
        return overview(
            force_id=force_id,
            cycle=cycle,
            judgments={p: draw(st.sampled_from(Grade)) for p in pillars},
            blocks=blocks,
            source=f"capture-{capture}/{force_id}.txt",
        )
    date = draw(dates)
    return pillar_page(
        force_id=force_id,
        cycle=cycle,
        pillar=draw(st.sampled_from([E, F, L])),
        kind=kind,
        grade=draw(page_grades),
        last_updated=date.isoformat() if date else None,
        questions=tuple(
            question(draw(st.none() | st.integers(1, 3)), draw(st.sampled_from(QUESTIONS)), g)
            for g in draw(st.lists(page_grades, max_size=3))
        ),
        source=f"capture-{capture}/{force_id}-{kind.value}.txt",
    )


batches = st.lists(reports(), max_size=12)


@settings(max_examples=150, deadline=None)
@given(batch=batches, seed=st.randoms(use_true_random=False))
def test_shuffling_the_inputs_leaves_the_table_unchanged(
    batch: list[Report], seed: random.Random
) -> None:
    shuffled = list(batch)
    seed.shuffle(shuffled)
    assert build_table(shuffled) == build_table(batch)


@settings(max_examples=150, deadline=None)
@given(batch=batches)
def test_every_grade_a_page_states_is_in_its_rows_sources(batch: list[Report]) -> None:
    table = build_table(batch)
    rows = {(r.force_id, r.cycle, r.pillar, r.question): r for r in table.rows}
    for report in batch:
        assert report.force_id is not None
        assert report.cycle is not None
        stated: list[tuple[Pillar, int | None, Grade]] = [
            *((j.pillar, None, j.grade) for j in report.judgments if j.pillar and j.grade),
            *((b.pillar, None, b.grade) for b in report.pillars if b.pillar and b.grade),
        ]
        if report.pillar is not None and report.grade is not None:
            stated.append((report.pillar, None, report.grade))
        for pillar, number, grade in stated:
            row = rows[report.force_id, report.cycle, pillar, number]
            assert report.id in row.sources
            if grade in REAL:
                assert row.status is Status.FINAL
                assert row.agree or any(grade is claim.grade for claim in row.conflicts)
        numbered = [q for q in report.questions if q.grade is not None]
        for q in numbered:
            left_out = [u for u in table.unnumbered if u.text == q.text and u.source == report.id]
            assert report.pillar is not None
            found = [
                row
                for (f, c, p, n), row in rows.items()
                if (f, c, p) == (report.force_id, report.cycle, report.pillar)
                and n is not None
                and (n == q.number or q.number is None)
                and report.id in row.sources
            ]
            assert found or left_out


@settings(max_examples=150, deadline=None)
@given(batch=batches)
def test_grade_status_and_agree_follow_the_stated_grades(batch: list[Report]) -> None:
    for row in grades(batch):
        if row.agree:
            assert row.conflicts == ()
        else:
            assert len(row.conflicts) >= 2
            assert row.grade in {claim.grade for claim in row.conflicts}
            # a page whose captures disagree is named "<id> in <path>", one name a capture
            named = {name.split(" in ")[0] for claim in row.conflicts for name in claim.sources}
            assert named <= set(row.sources)
        assert row.status is (
            Status.FINAL
            if row.grade in REAL
            else Status.UNGRADED
            if row.grade is Grade.UNGRADED
            else Status.PROVISIONAL
        )
        assert row.n_sources == len(row.sources) == len(set(row.sources))
        assert list(row.sources) == sorted(row.sources)


PARSED = [
    peelparse.parse(page.read_text(encoding="utf-8"), source=page.name) for page in fixture_pages()
]


@settings(max_examples=40, deadline=None)
@given(order=st.permutations(PARSED))
def test_shuffling_parsed_fixture_pages_leaves_the_table_unchanged(order: list[Report]) -> None:
    assert grades(order) == grades(PARSED)


# --- fixture collections ---------------------------------------------------------------------


def collection_reports(name: str) -> list[Report]:
    results = peelparse.parse_many(read_manifest(str(COLLECTIONS / name / "manifest.tsv")), jobs=1)
    return [r.report for r in results if r.report is not None]


def expected_rows(name: str) -> list[dict[str, str]]:
    with open(COLLECTIONS / name / "grades.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("name", ["captures", "conflict", "fire-and-rescue"])
def test_collection_gives_its_table(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = str(COLLECTIONS / name / "manifest.tsv")
    status = main(["grades", "--manifest", manifest, "--jobs", "1", "-q"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert csv_rows(out) == expected_rows(name)


def test_captures_a_real_grade_replaces_not_yet_graded_and_captures_count_once() -> None:
    rows = grades(collection_reports("captures"))
    kent = only([r for r in rows if r.force_id == "kent"], E)
    assert (kent.grade, kent.status, kent.agree) == (Grade.GOOD, Status.FINAL, True)
    assert kent.sources == ("peel-2016/kent", "peel-2016/kent/effectiveness")
    cambridgeshire = [r for r in rows if r.force_id == "cambridgeshire"]
    assert only(cambridgeshire, E).status is Status.PROVISIONAL


def test_conflict_is_shown_not_hidden() -> None:
    rows = grades(collection_reports("conflict"))
    row = only(rows, F)
    assert (row.agree, row.grade) == (False, Grade.GOOD)
    assert row.as_dict()["conflicts"] == (
        "good (peel-2017/essex/efficiency); requires_improvement (peel-2017/essex)"
    )


def test_no_row_comes_from_a_fire_and_rescue_page() -> None:
    """Needs the classification of non-report pages (records.md): the fire and rescue
    "Nottinghamshire 2018/19" page must be kind unknown, not Nottinghamshire Police's overview."""
    rows = grades(collection_reports("fire-and-rescue"))
    assert [(r.pillar, r.grade, r.agree) for r in rows] == [
        (E, Grade.GOOD, True),
        (F, Grade.GOOD, True),
        (L, Grade.GOOD, True),
    ]


# --- the command line ------------------------------------------------------------------------


def test_grades_writes_csv_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "grades.csv"
    folder = str(COLLECTIONS / "conflict")
    status = main(["grades", folder, "--jobs", "1", "-o", str(out)])
    _, err = capsys.readouterr()
    assert status == 0
    assert err == "peelparse: 3 inputs, 0 errors, 4 rows\n"
    with open(out, encoding="utf-8", newline="") as handle:
        assert list(csv.DictReader(handle)) == expected_rows("conflict")


def test_grades_walks_folders_with_glob(capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(COLLECTIONS / "conflict")
    status = main(["grades", folder, "--glob", "*efficiency.txt", "--jobs", "1", "-q"])
    out, _ = capsys.readouterr()
    assert status == 0
    assert [row["sources"] for row in csv_rows(out)] == ["peel-2017/essex/efficiency"] * 2


def test_grades_writes_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "grades.parquet"
    manifest = str(COLLECTIONS / "conflict" / "manifest.tsv")
    assert main(["grades", "--manifest", manifest, "--jobs", "1", "-q", "-o", str(out)]) == 0
    table = pq.read_table(out)
    assert table.column_names == list(COLUMNS)
    assert str(table.schema.field("year").type) == "int64"
    assert str(table.schema.field("agree").type) == "bool"
    assert table.to_pylist() == [row.as_dict() for row in grades(collection_reports("conflict"))]
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_parquet(out)  # nullable types, not floats with NaN for the gaps
    assert {c: str(frame[c].dtype) for c in ("year", "question", "grade_rank", "agree")} == {
        "year": "Int64",
        "question": "Int64",
        "grade_rank": "Int64",
        "agree": "boolean",
    }


def test_a_failed_input_is_reported_and_the_table_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    efficiency = str(COLLECTIONS / "conflict" / "essex-2017-efficiency.txt")
    status = main(["grades", str(missing), efficiency, "--jobs", "1"])
    out, err = capsys.readouterr()
    assert status == 1
    assert f"peelparse: {missing}: [unreadable]" in err
    assert err.endswith("peelparse: 2 inputs, 1 error, 2 rows\n")
    assert len(csv_rows(out)) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["grades"], "nothing to read"),
        (["grades", "x.txt", "-o", "grades.xlsx"], "give a .csv or .parquet file"),
        (["grades", "--manifest", "/nonexistent/manifest.tsv"], "cannot read --manifest"),
        (["grades", "x.txt", "--jobs", "0"], "must be at least 1"),
    ],
)
def test_grades_misuse_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_usage_error(argv, message, capsys)


def test_parquet_without_pyarrow_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the extra were not installed
    out = tmp_path / "g.parquet"
    status = main(["grades", str(COLLECTIONS / "conflict"), "-o", str(out)])
    assert status == 2
    assert capsys.readouterr().err == (
        f"peelparse: error: -o {out} needs pyarrow: pip install 'peelparse[parquet]'\n"
    )
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(MissingDependencyError, match=r"^Parquet output needs pyarrow: pip"):
        grades_cli.write_parquet([], str(out))
    assert list(tmp_path.iterdir()) == []


def test_the_module_docstring_runs() -> None:
    from peelparse import grade_table

    failures, tried = doctest.testmod(grade_table, verbose=False)
    assert (failures, tried > 0) == (0, True)


def test_the_table_replaces_its_file_only_when_it_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "grades.csv"
    target.write_text("the previous table\n", encoding="utf-8")

    def fail(rows: object, out: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grades_cli, "write_csv", fail)
    status = main(["grades", str(COLLECTIONS / "conflict"), "-o", str(target), "--jobs", "1"])
    assert status == 74
    assert capsys.readouterr().err.endswith(
        f"peelparse: error: {target}: No space left on device; {target} left as it was\n"
    )
    assert target.read_text(encoding="utf-8") == "the previous table\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv"]  # no temporary left
    monkeypatch.undo()
    assert main(["grades", str(COLLECTIONS / "conflict"), "-o", str(target), "-q"]) == 0
    assert target.read_text(encoding="utf-8").startswith("force_id,force,cycle")
    missing = tmp_path / "nowhere" / "grades.csv"
    assert main(["grades", str(COLLECTIONS / "conflict"), "-o", str(missing)]) == 2


def test_captures_of_one_page_that_disagree_are_named_by_their_paths() -> None:
    text = "Kent PEEL 2017\n\nEfficiency\n\nLast updated {date}\n{grade}\n\nWords.\n"
    december = peelparse.parse(text.format(date="01/12/2017", grade="Good"), source="dec.txt")
    march = peelparse.parse(text.format(date="22/03/2018", grade="Inadequate"), source="mar.txt")
    (row,) = grades([december, march])
    assert (row.grade, row.agree, row.sources) == (
        Grade.INADEQUATE,
        False,
        ("peel-2017/kent/efficiency",),
    )
    assert [str(claim) for claim in row.conflicts] == [
        "good (peel-2017/kent/efficiency in dec.txt)",
        "inadequate (peel-2017/kent/efficiency in mar.txt)",
    ]
