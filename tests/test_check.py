"""``peelparse check`` and the inventory behind it: what a batch holds and lacks, and the gate."""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
from pathlib import Path

import pytest

import helpers
from grade_pages import E, F, L, overview, pillar_page
from helpers import FIXTURES, assert_usage_error
from peelparse.batch.tasks import InputError, Result
from peelparse.cli.check import parse_share, render_text
from peelparse.inventory import FINDINGS, CellState, known_findings, take_inventory
from peelparse.records import Diagnostic, Grade, PageKind, Pillar, Question, Report, Severity

COLLECTIONS = FIXTURES / "collections"
CAPTURES = str(COLLECTIONS / "captures" / "manifest.tsv")
CONFLICT = str(COLLECTIONS / "conflict" / "manifest.tsv")
FIRE = str(COLLECTIONS / "fire-and-rescue" / "manifest.tsv")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``peelparse check ARGV…`` in one process (workers are not what these tests are about)."""
    return helpers.run([*argv, "--jobs", "1"], capsys)


def text_of(inventory_input: list[Result | Report]) -> str:
    out = io.StringIO()
    render_text(take_inventory(inventory_input), out)
    return out.getvalue()


# --- the inventory ---------------------------------------------------------------------------


def test_pages_by_kind_and_cycle_errors_and_diagnostics() -> None:
    warning = Diagnostic(
        code="url-conflict", message="…", line=1, column=1, severity=Severity.WARNING
    )
    batch: list[Result | Report] = [
        pillar_page(diagnostics=(warning, warning)),
        overview(cycle="2017", diagnostics=(warning,)),
        Report(source="news.txt", kind=PageKind.UNKNOWN),
        Result(source="gone.txt", error=InputError("unreadable", "FileNotFoundError")),
        Result(source="ok.txt", report=pillar_page(pillar=F)),
    ]
    inventory = take_inventory(batch)
    assert inventory.inputs == 5
    assert inventory.pages == {
        "pillar": {"2016": 2},
        "overview": {"2017": 1},
        "unknown": {"none": 1},
    }
    assert [(f.source, f.code) for f in inventory.failures] == [("gone.txt", "unreadable")]
    [counted] = inventory.diagnostics
    assert (counted.code, counted.severity, counted.count, counted.pages) == (
        "url-conflict",
        "warning",
        3,
        2,
    )
    assert inventory.count("url-conflict") == 2  # pages that carry it
    assert inventory.count("unreadable") == 1
    assert inventory.count("error") == 1
    assert inventory.count("unknown") == 1


def test_report_pages_lacking_force_year_or_id_by_kind() -> None:
    untitled = Report(source="untitled.txt", kind=PageKind.PILLAR, pillar=E)
    no_year = Report(source="2021.txt", kind=PageKind.ASSESSMENT, force="Kent", force_id="kent")
    news = Report(source="news.txt", kind=PageKind.UNKNOWN)  # never has an id: not counted
    inventory = take_inventory([untitled, no_year, news, pillar_page()])
    assert inventory.lacking == {
        "pillar": {"force": ("untitled.txt",), "year": ("untitled.txt",), "id": ("untitled.txt",)},
        "assessment": {"year": ("2021.txt",), "id": ("2021.txt",)},
    }
    assert inventory.count("incomplete") == 2
    text = text_of([untitled, no_year, news])
    assert "a URL supplies them" in text
    assert "  pillar: untitled.txt" in text


def test_the_matrix_covers_every_force_for_the_cycles_and_pillars_the_batch_grades() -> None:
    batch: list[Result | Report] = [
        overview(judgments={E: Grade.NOT_YET_GRADED, F: Grade.GOOD, L: Grade.REQUIRES_IMPROVEMENT}),
        pillar_page(force_id="essex", pillar=F, grade=Grade.UNGRADED),
        overview(force_id="surrey", cycle="2017", judgments={E: Grade.GOOD}),
        overview(force_id="surrey", cycle="2017", judgments={E: Grade.INADEQUATE}, source="2"),
    ]
    inventory = take_inventory(batch)
    assert dict(inventory.pillars) == {"2016": (E, F, L), "2017": (E,)}
    assert len(inventory.forces) == 43
    assert len(inventory.matrix) == 43 * 4
    states = {(c.force_id, c.cycle, c.pillar): c.state for c in inventory.matrix}
    assert states["kent", "2016", E] is CellState.PROVISIONAL
    assert states["kent", "2016", F] is CellState.FINAL
    assert states["essex", "2016", F] is CellState.UNGRADED
    assert states["essex", "2016", E] is CellState.MISSING
    assert states["surrey", "2017", E] is CellState.CONFLICT
    assert states["wiltshire", "2017", E] is CellState.MISSING
    # Settled: kent efficiency and legitimacy, essex efficiency (ungraded), surrey (conflict).
    assert inventory.settled == 4
    assert inventory.coverage == pytest.approx(4 / 172)
    assert inventory.count("provisional") == 1
    assert inventory.count("missing") == 172 - 5
    assert inventory.count("conflict") == 1


def test_an_empty_matrix_has_no_coverage() -> None:
    inventory = take_inventory([Report(source="news.txt", kind=PageKind.UNKNOWN)])
    assert inventory.matrix == ()
    assert inventory.coverage == 0.0
    assert "no page of the batch states a pillar grade" in text_of(
        [Report(source="news.txt", kind=PageKind.UNKNOWN)]
    )


def test_text_form_shows_marks_layouts_and_truncates_long_lists() -> None:
    forces = ["kent", "essex", "surrey", "sussex", "dorset", "durham", "gwent", "cumbria",
              "norfolk", "suffolk", "cheshire", "wiltshire"]  # fmt: skip
    batch: list[Result | Report] = []
    for force_id in forces:  # twelve conflicts, one per force
        batch.append(pillar_page(force_id=force_id, cycle="2015", pillar=F, grade=Grade.GOOD))
        batch.append(overview(force_id=force_id, cycle="2015", judgments={F: Grade.INADEQUATE}))
    batch += [
        pillar_page(cycle="2016", pillar=Pillar.LEADERSHIP, grade=Grade.UNGRADED),
        pillar_page(cycle="2016", pillar=E, grade=Grade.OUTSTANDING),
        *(Result(source=f"gone-{i}.txt", error=InputError("binary", "NUL")) for i in range(11)),
        *(
            pillar_page(
                force_id="essex",
                cycle="2014",
                id=f"peel-2014/essex/{i}",
                questions=(Question(number=None, text=f"Question {i}?", grade=Grade.GOOD),),
            )
            for i in range(11)
        ),
    ]
    text = text_of(batch)
    assert "  2014: effectiveness\n  2015: efficiency\n  2016: effectiveness leadership" in text
    assert text.count("… (1 more; --format json lists all)") == 2  # failures, unnumbered
    assert "… (2 more; --format json lists all)" in text  # conflicts
    assert "  cheshire 2015 efficiency: good (peel-2015/cheshire/efficiency); " in text
    assert "key: O outstanding" in text
    kent = next(line for line in text.splitlines() if line.strip().startswith("Kent"))
    assert kent.split()[1:] == [".", "!", "Ou"]


def test_known_findings_include_diagnostic_and_error_codes() -> None:
    known = known_findings()
    assert set(FINDINGS) <= known
    assert {"not-a-report", "unknown-force", "stray-grade", "unreadable", "too-large"} <= known
    assert "bogus" not in known


@pytest.mark.parametrize(
    ("text", "share"), [("0.95", 0.95), ("95%", 0.95), ("0", 0.0), ("100%", 1.0)]
)
def test_parse_share(text: str, share: float) -> None:
    assert parse_share(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["1.5", "-1", "ninety", "101%"])
def test_parse_share_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_share(text)


# --- the command -----------------------------------------------------------------------------


def test_check_reports_the_batch_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["check", "--manifest", CAPTURES], capsys)
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "peelparse check: 5 inputs, 5 pages read, 0 errors"
    assert "  each cell: effectiveness efficiency legitimacy" in lines
    assert any(line.split() == ["Cambridgeshire", "?GR"] for line in lines)
    assert any(line.split() == ["Kent", "GGG"] for line in lines)
    assert "  41 forces that no page grades: Avon and Somerset" in out
    assert "Coverage: 5 of 129 force × cycle × pillar cells settled (3.9%)" in lines
    assert not any(line.startswith("exit") for line in lines)


def test_fail_on_conflict_passes_a_clean_batch(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["check", "--manifest", CAPTURES, "--fail-on", "conflict"], capsys)
    assert status == 0
    assert out.splitlines()[-1] == "exit 0: no --fail-on finding, coverage sufficient"


def test_fail_on_conflict_fails_a_planted_conflict(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["check", "--manifest", CONFLICT, "--fail-on", "error,conflict"], capsys)
    assert status == 1
    assert (
        "  essex 2017 efficiency: good (peel-2017/essex/efficiency); "
        "requires_improvement (peel-2017/essex) -> good"
    ) in out
    assert out.splitlines()[-1] == "exit 1: --fail-on conflict: 1"
    # Without --fail-on the conflict is reported, not fatal.
    assert run(["check", "--manifest", CONFLICT], capsys)[0] == 0


def test_json_form_is_complete(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        ["check", "--manifest", CONFLICT, "--format", "json", "--fail-on", "conflict"], capsys
    )
    document = json.loads(out)
    assert status == document["status"] == 1
    assert document["failed"] == ["--fail-on conflict: 1"]
    assert document["fail_on"] == ["conflict"]
    assert document["pages"] == {"pillar": {"2017": 2}, "overview": {"2017": 1}}
    assert len(document["matrix"]) == 43 * 3
    essex = [c for c in document["matrix"] if c["force_id"] == "essex"]
    assert [(c["pillar"], c["state"], c["grade"]) for c in essex] == [
        ("effectiveness", "final", "good"),
        ("efficiency", "conflict", "good"),
        ("legitimacy", "final", "good"),
    ]
    assert document["coverage"] == {"cells": 129, "settled": 3, "share": round(3 / 129, 4)}
    assert document["findings"]["conflict"] == 1
    assert document["conflicts"][0]["conflicts"].startswith("good (peel-2017/essex/efficiency)")


def test_error_records_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "manifest.tsv"
    page = COLLECTIONS / "conflict" / "essex-2017-efficiency.txt"
    manifest.write_text(f"{page}\nmissing.txt\n", encoding="utf-8")
    status, out, _ = run(["check", "--manifest", str(manifest)], capsys)
    assert status == 0
    assert "Inputs not read (1)" in out
    assert f"  {tmp_path / 'missing.txt'}: [unreadable]" in out
    status, out, _ = run(["check", "--manifest", str(manifest), "--fail-on", "error"], capsys)
    assert status == 1
    assert out.splitlines()[-1] == "exit 1: --fail-on error: 1"


def test_min_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["check", "--manifest", CAPTURES, "--min-coverage", "100%"], capsys)
    assert status == 1
    assert out.splitlines()[-1] == "exit 1: --min-coverage 100.0%: coverage is 3.9%"
    assert run(["check", "--manifest", CAPTURES, "--min-coverage", "0.03"], capsys)[0] == 0


def test_fail_on_a_diagnostic_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "atlantis.txt"
    page.write_text("Atlantis PEEL 2017\n\nEfficiency\n\nLast updated 09/11/2017\nGood\n")
    status, out, _ = run(["check", str(page), "--fail-on", "unknown-force"], capsys)
    assert status == 1
    assert "unknown-force" in out
    assert run(["check", str(page), "--fail-on", "stray-grade"], capsys)[0] == 0


def test_untitled_pages_lack_identity_until_a_url_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "untitled.txt"
    shutil.copy(FIXTURES / "pillar-2014-compact-untitled.txt", page)
    status, out, _ = run(["check", str(page), "--fail-on", "incomplete"], capsys)
    assert status == 1
    assert "Report pages lacking force, year or id" in out
    manifest = tmp_path / "manifest.tsv"
    url = "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2014/kent/effectiveness/"
    manifest.write_text(f"untitled.txt\t{url}\n", encoding="utf-8")
    status, out, _ = run(["check", "--manifest", str(manifest), "--fail-on", "incomplete"], capsys)
    assert status == 0
    assert "lacking" not in out


def test_fire_and_rescue_pages_are_not_reports(capsys: pytest.CaptureFixture[str]) -> None:
    """Needs the classification of non-report pages (records.md): both fire and rescue pages
    are kind unknown with a not-a-report diagnostic, and Nottinghamshire Police's row agrees."""
    status, out, _ = run(
        ["check", "--manifest", FIRE, "--format", "json", "--fail-on", "not-a-report"], capsys
    )
    document = json.loads(out)
    assert document["pages"]["overview"] == {"2018/19": 1}
    assert sum(document["pages"]["unknown"].values()) == 2  # by cycle, if their titles name one
    assert document["findings"]["conflict"] == 0
    assert (status, document["failed"]) == (1, ["--fail-on not-a-report: 2"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check"], "nothing to read"),
        (["check", "x.txt", "--fail-on", "conflict,bogus"], "unknown finding bogus"),
        (["check", "x.txt", "--min-coverage", "2"], "must be between 0 and 1"),
        (["check", "x.txt", "--format", "yaml"], "invalid choice"),
    ],
)
def test_check_misuse_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_usage_error(argv, message, capsys)


def test_a_complete_batch_shows_every_force_and_full_coverage() -> None:
    from peelparse.inventory import _the_forces

    batch: list[Result | Report] = [
        pillar_page(force_id=force_id, grade=Grade.GOOD) for force_id, _ in _the_forces()
    ]
    inventory = take_inventory(batch)
    assert inventory.coverage == 1.0
    assert inventory.count("missing") == 0
    text = text_of(batch)
    assert "that no page grades" not in text
    assert "Coverage: 43 of 43 force × cycle × pillar cells settled (100.0%)" in text


def test_question_conflicts_are_listed_with_their_number() -> None:
    text = "How well does the force plan for the future?"
    batch: list[Result | Report] = [
        pillar_page(cycle="2018/19", pillar=F, questions=(Question(number=2, text=text, grade=g),))
        for g in (Grade.GOOD, Grade.INADEQUATE)
    ]
    batch[1] = pillar_page(
        cycle="2018/19",
        pillar=F,
        kind=PageKind.FINDINGS,
        questions=(Question(number=2, text=text, grade=Grade.INADEQUATE),),
    )
    batch.append(
        pillar_page(
            cycle="2014",
            questions=(Question(number=None, text="Unheard of?", grade=Grade.GOOD),),
        )
    )
    shown = text_of(batch)
    assert "  kent 2018/19 efficiency question 2: good (peel-2018/kent/efficiency); " in shown
    assert shown.endswith(
        "Graded questions without a number (1): not in the grades table\n"
        "  peel-2014/kent/effectiveness: Unheard of? (good)\n"
        "\n"
        "Grades table: 3 rows, 3 with a real grade\n"
        "Coverage: 2 of 86 force × cycle × pillar cells settled (2.3%)\n"
    )


def test_a_coverage_just_below_the_minimum_is_shown_below_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(["check", "--manifest", CAPTURES, "--format", "json"], capsys)
    counts = json.loads(out)["coverage"]
    coverage = counts["settled"] / counts["cells"]
    just_above = f"{coverage * 100 + 0.004:.4f}%"  # the same to one decimal
    status, out, _ = run(["check", "--manifest", CAPTURES, "--min-coverage", just_above], capsys)
    assert status == 1
    verdict = re.fullmatch(
        r"exit 1: --min-coverage (\S+)%: coverage is (\S+)%", out.splitlines()[-1]
    )
    assert verdict is not None
    assert float(verdict[2]) < float(verdict[1])
