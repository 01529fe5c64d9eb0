"""Where ``peelparse extract`` writes: staged output, output errors, JSON shapes, types."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import FIXTURES, SEED, run
from peelparse.output import sinks
from peelparse.output.tables import COLUMNS, DATE_COLUMNS, INTEGER_COLUMNS

FINDINGS = FIXTURES / "findings-2018-effectiveness-areas-first.txt"


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders a run left behind."""
    return [p.name for p in folder.rglob("*") if ".peelparse-" in p.name]


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in (SEED, FINDINGS):
        shutil.copy(page, folder / page.name)
    return folder


def stop_after(count: int, error: BaseException) -> object:
    """A stand-in for ``Output.write`` that raises ``error`` once ``count`` records are written."""
    original = sinks.Output.write

    def write(output: sinks.Output, payload: object) -> None:
        if output.written >= count:
            raise error
        original(output, payload)

    return write


# -- JSON shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "array"),
    [
        (["{seed}"], False),
        (["--example"], False),
        (["{folder}"], True),  # a folder holding one page is still a folder
        (["{seed}", "{seed}"], True),
        (["--example", "{seed}"], True),
        (["--manifest", "{manifest}"], True),
    ],
)
def test_json_is_an_object_for_one_file_and_an_array_otherwise(
    inputs: list[str], array: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    manifest = tmp_path / "pages.tsv"
    manifest.write_text(f"{SEED}\n", encoding="utf-8")
    argv = [a.format(seed=SEED, folder=folder, manifest=manifest) for a in inputs]
    status, out, _ = run(["extract", *argv], capsys)
    assert status == 0
    assert isinstance(json.loads(out), list) is array


def test_json_from_stdin_is_an_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SEED.read_text("utf-8")))
    status, out, _ = run(["extract", "-", "-o", "-"], capsys)
    assert status == 0
    assert json.loads(out)["grade"] == "good"


# -- staged output ----------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_an_interrupted_run_leaves_the_previous_file_untouched(
    format: str,
    pages: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / f"records.{format}"
    target.write_text("previous\n", encoding="utf-8")
    monkeypatch.setattr(sinks.Output, "write", stop_after(1, KeyboardInterrupt()))
    status, out, err = run(["extract", str(pages), "--format", format, "-o", str(target)], capsys)
    assert (status, out) == (130, "")
    assert err == f"peelparse: interrupted after 1 of 2 pages; {target} left as it was\n"
    assert target.read_text("utf-8") == "previous\n"
    assert leftovers(tmp_path) == []


def test_an_interrupted_run_to_a_new_file_writes_nothing(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "records.json"
    monkeypatch.setattr(sinks.Output, "write", stop_after(0, KeyboardInterrupt()))
    status, _, err = run(["extract", str(pages), "-o", str(target)], capsys)
    assert status == 130
    assert err == f"peelparse: interrupted after 0 of 2 pages; nothing written to {target}\n"
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_an_interrupted_run_to_stdout_says_what_went_there(
    pages: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sinks.Output, "write", stop_after(1, KeyboardInterrupt()))
    status, out, err = run(["extract", str(pages)], capsys)
    assert status == 130
    assert err == "peelparse: interrupted after 1 of 2 pages; the first 1 record went to stdout\n"
    assert out.startswith("[\n{")
    assert not out.rstrip().endswith("]")  # a cut-off array must not pass for a whole one


def test_a_finished_run_replaces_the_file_and_keeps_its_permissions(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "records.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    target.chmod(0o640)
    status, _, err = run(["extract", str(pages), "--format", "jsonl", "-o", str(target)], capsys)
    assert status == 0
    assert len(target.read_text("utf-8").splitlines()) == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert err.endswith(f"; wrote {target}\n")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["extract", "grades"])
def test_a_read_only_file_is_not_replaced(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("previous\n", encoding="utf-8")
    target.chmod(0o444)
    status, _, err = run([command, str(pages), "-o", str(target)], capsys)
    assert status == 2
    assert err == f"peelparse: error: -o {target} is read-only: not replaced\n"
    assert target.read_text("utf-8") == "previous\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["extract", "grades"])
@pytest.mark.parametrize("exists", [True, False])
def test_a_read_only_file_system_is_an_output_error_whether_the_file_exists_or_not(
    pages: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    exists: bool,
) -> None:
    target = tmp_path / "out.csv"
    if exists:
        target.write_text("previous\n", encoding="utf-8")
    monkeypatch.setattr(sinks, "_read_only_place", lambda folder: folder == str(tmp_path))
    status, _, err = run([command, str(pages), "-o", str(target)], capsys)
    kept = f"{target} left as it was" if exists else "nothing written"
    assert (status, err) == (
        74,
        f"peelparse: error: cannot write {target}: Read-only file system; {kept}\n",
    )
    assert leftovers(tmp_path) == []


def test_a_symlinked_target_is_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.json"
    real.write_text("previous\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run(["extract", str(SEED), "-o", str(link)], capsys)[0] == 0
    assert link.is_symlink()
    assert json.loads(real.read_text("utf-8"))["grade"] == "good"


def test_a_device_is_written_to_not_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["extract", str(SEED), "-o", os.devnull], capsys)
    assert status == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert err.endswith(f"; wrote {os.devnull}\n")


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_tables_replace_their_files_and_leave_other_files_alone(
    format: str, pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "notes.txt").write_text("mine", encoding="utf-8")
    (tables / f"reports.{format}").write_text("stale", encoding="utf-8")
    status, _, _ = run(["extract", str(pages), "--format", format, "-o", str(tables)], capsys)
    assert status == 0
    names = sorted(p.name for p in tables.iterdir())
    assert names == sorted(["notes.txt", *(f"{t}.{format}" for t in COLUMNS)])
    assert (tables / "notes.txt").read_text("utf-8") == "mine"
    read = pd.read_csv if format == "csv" else pd.read_parquet
    assert len(read(tables / f"reports.{format}")) == 2
    assert leftovers(tmp_path) == []


def test_a_new_tables_folder_appears_only_when_the_run_ends(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    monkeypatch.setattr(sinks.Output, "write", stop_after(1, KeyboardInterrupt()))
    status, _, err = run(["extract", str(pages), "--format", "csv", "-o", str(tables)], capsys)
    assert status == 130
    assert err.endswith(f"; nothing written to {tables}\n")
    assert not tables.exists()
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    status, _, _ = run(["extract", str(pages), "--format", "csv", "-o", str(tables)], capsys)
    assert status == 0
    assert sorted(p.name for p in tables.iterdir()) == sorted(f"{t}.csv" for t in COLUMNS)


def test_an_interrupted_table_run_leaves_the_previous_tables(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    assert run(["extract", str(SEED), "--format", "csv", "-o", str(tables)], capsys)[0] == 0
    before = {p.name: p.read_bytes() for p in tables.iterdir()}
    monkeypatch.setattr(sinks.Output, "write", stop_after(1, KeyboardInterrupt()))
    status, _, err = run(["extract", str(pages), "--format", "csv", "-o", str(tables)], capsys)
    assert status == 130
    assert err.endswith(f"; {tables} left as it was\n")
    assert {p.name: p.read_bytes() for p in tables.iterdir()} == before


# -- output errors ----------------------------------------------------------------------------


def test_a_full_disk_is_an_output_error(pages: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not os.path.exists("/dev/full"):  # pragma: no cover - Linux has it
        pytest.skip("no /dev/full here")
    status, _, err = run(["extract", str(pages), "-o", "/dev/full"], capsys)
    assert status == 74
    assert err == "peelparse: error: cannot write /dev/full: No space left on device; " + (
        "the output on /dev/full is incomplete\n"
    )


def test_a_full_disk_on_stdout_is_an_output_error_without_a_traceback() -> None:
    if not os.path.exists("/dev/full"):  # pragma: no cover - Linux has it
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "peelparse", "extract", "--example"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 74
    assert done.stderr.startswith("peelparse: error: cannot write stdout: No space left")
    assert done.stderr.count("\n") == 1


def test_a_failing_write_midway_keeps_the_previous_file(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "records.json"
    target.write_text("previous\n", encoding="utf-8")

    def full(self: sinks.JsonSink, payload: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sinks.JsonSink, "write", full)
    status, _, err = run(["extract", str(pages), "-o", str(target)], capsys)
    assert status == 74
    assert err == (
        f"peelparse: error: cannot write {target}: No space left on device; "
        f"{target} left as it was\n"
    )
    assert target.read_text("utf-8") == "previous\n"
    assert leftovers(tmp_path) == []


def test_a_place_that_cannot_be_written_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(path: str, *args: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    status, _, err = run(["extract", str(SEED), "-o", str(tmp_path / "x.json")], capsys)
    assert status == 74
    assert err == f"peelparse: error: cannot write {tmp_path / 'x.json'}: Permission denied; " + (
        "nothing written\n"
    )

    def refuse_folder(path: str, mode: int = 0o777) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "mkdir", refuse_folder)
    tables = tmp_path / "tables"
    status, _, err = run(["extract", str(SEED), "--format", "csv", "-o", str(tables)], capsys)
    assert status == 74
    assert "Read-only file system" in err


def test_a_read_only_system_folder_is_an_output_error(capsys: pytest.CaptureFixture[str]) -> None:
    target = "/sys/peelparse-test.json"
    try:
        with open(target, "w"):  # pragma: no cover - /sys refuses even root
            pass
        os.unlink(target)  # pragma: no cover
        pytest.skip("/sys is writable here")  # pragma: no cover
    except OSError:
        pass
    status, _, err = run(["extract", str(SEED), "-o", target], capsys)
    assert status == 74
    assert err.startswith(f"peelparse: error: cannot write {target}: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["-o", "{tmp}/missing/x.json"],
            "-o {tmp}/missing/x.json: folder {tmp}/missing does not exist",
        ),
        (["-o", "{tmp}/file.txt/x.json"], "folder {tmp}/file.txt is not a folder"),
        (["-o", "{tmp}"], "-o {tmp} is a folder; --format json writes one file"),
        (["--format", "csv", "-o", "{tmp}/file.txt"], "-o {tmp}/file.txt is a file"),
        (["--format", "csv", "-o", "{tmp}/missing/tables"], "folder {tmp}/missing does not exist"),
        (["--format", "parquet", "-o", "-"], "--format parquet writes a folder of tables"),
        (["--format", "jsonl", "--excel"], "--excel writes CSV for Excel; not for --format jsonl"),
    ],
)
def test_an_unusable_output_path_is_a_usage_error(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    argv = [a.format(tmp=tmp_path) for a in argv]
    status, out, err = run(["extract", str(SEED), *argv], capsys)
    assert (status, out) == (2, "")
    assert err.startswith("peelparse: error: ")
    assert err.count("\n") == 1
    assert message.format(tmp=tmp_path) in err
    assert leftovers(tmp_path) == []


# -- types ------------------------------------------------------------------------------------


def test_parquet_has_real_types(
    pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    assert run(["extract", str(pages), "--format", "parquet", "-o", str(tables)], capsys)[0] == 0
    for table, columns in COLUMNS.items():
        schema = pq.read_schema(tables / f"{table}.parquet")
        for column in columns:
            expected = (
                pa.int64()
                if column in INTEGER_COLUMNS
                else pa.date32()
                if column in DATE_COLUMNS
                else pa.string()
            )
            assert schema.field(column).type == expected, (table, column)
    reports = pd.read_parquet(tables / "reports.parquet").set_index("report_id")
    assert str(reports["year"].dtype) == "Int64"
    assert reports.loc["peel-2017/cheshire/effectiveness", "last_updated"] == datetime.date(
        2018, 3, 22
    )
    questions = pd.read_parquet(tables / "questions.parquet")
    assert str(questions["number"].dtype) == "Int64"
    assert questions["number"].isna().any()  # unnumbered questions stay null


def test_parquet_without_pyarrow_makes_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    tables = tmp_path / "tables"
    status, _, err = run(["extract", str(SEED), "--format", "parquet", "-o", str(tables)], capsys)
    assert status == 2
    assert "pip install 'peelparse[parquet]'" in err
    assert not tables.exists()
    assert leftovers(tmp_path) == []


def test_excel_csv_starts_with_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, excel = tmp_path / "plain", tmp_path / "excel"
    assert run(["extract", str(SEED), "--format", "csv", "-o", str(plain)], capsys)[0] == 0
    argv = ["extract", str(SEED), "--format", "csv", "--excel", "-o", str(excel)]
    assert run(argv, capsys)[0] == 0
    for table in COLUMNS:
        data = (excel / f"{table}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbfsource,")
        assert data[3:] == (plain / f"{table}.csv").read_bytes()
    items = (excel / "items.csv").read_text("utf-8-sig")
    assert "’" in items  # curly quotes survive as UTF-8


# -- the corners of staging -------------------------------------------------------------------


def test_parquet_row_groups_and_an_interrupted_parquet_run(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sinks, "PARQUET_ROW_GROUP", 1)
    tables = tmp_path / "tables"
    assert run(["extract", str(pages), "--format", "parquet", "-o", str(tables)], capsys)[0] == 0
    assert pq.ParquetFile(tables / "reports.parquet").num_row_groups == 2
    monkeypatch.setattr(sinks.Output, "write", stop_after(1, KeyboardInterrupt()))
    argv = ["extract", str(pages), "--format", "parquet", "-o", str(tmp_path / "new")]
    assert run(argv, capsys)[0] == 130
    assert not (tmp_path / "new").exists()
    assert leftovers(tmp_path) == []


def test_a_temporary_name_in_use_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / f".x.json.peelparse-{os.getpid()}-0.tmp"
    taken.write_text("someone else's", encoding="utf-8")
    assert run(["extract", str(SEED), "-o", str(tmp_path / "x.json")], capsys)[0] == 0
    assert taken.read_text("utf-8") == "someone else's"
    assert json.loads((tmp_path / "x.json").read_text("utf-8"))["grade"] == "good"


def test_a_tables_folder_made_by_someone_else_meanwhile_is_filled_file_by_file(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    original = sinks.Output.write

    def write(output: sinks.Output, payload: object) -> None:
        tables.mkdir(exist_ok=True)
        (tables / "notes.txt").write_text("mine", encoding="utf-8")
        original(output, payload)

    monkeypatch.setattr(sinks.Output, "write", write)
    assert run(["extract", str(pages), "--format", "csv", "-o", str(tables)], capsys)[0] == 0
    assert sorted(p.name for p in tables.iterdir()) == sorted(
        ["notes.txt", *(f"{t}.csv" for t in COLUMNS)]
    )
    assert leftovers(tmp_path) == []


def test_a_failure_to_move_the_output_into_place_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.json"
    target.write_text("previous\n", encoding="utf-8")

    def refuse(source: str, destination: str) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", refuse)
    status, _, err = run(["extract", str(SEED), "-o", str(target)], capsys)
    assert status == 74
    assert err == (
        f"peelparse: error: cannot write {target}: Invalid cross-device link; "
        f"{target} left as it was\n"
    )
    assert target.read_text("utf-8") == "previous\n"
    assert leftovers(tmp_path) == []


def test_a_tables_folder_half_replaced_says_which_tables_are_new(
    pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    original = os.replace
    moved: list[str] = []

    def second_fails(source: str, destination: str) -> None:
        if moved:
            raise OSError(28, "No space left on device")
        original(source, destination)
        moved.append(os.path.basename(destination))

    monkeypatch.setattr(os, "replace", second_fails)
    status, _, err = run(["extract", str(pages), "--format", "csv", "-o", str(tables)], capsys)
    assert status == 74
    assert err == (
        f"peelparse: error: cannot write {tables}: No space left on device; "
        f"{tables} half replaced: {moved[0]} new, the rest as it was\n"
    )
    assert sorted(p.name for p in tables.iterdir()) == moved
    assert leftovers(tmp_path) == []


def test_a_pipe_closed_before_the_array_ends_is_still_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def closed(self: sinks.JsonSink) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sinks.JsonSink, "close", closed)
    assert run(["extract", str(SEED), str(SEED)], capsys)[::2] == (141, "")


@pytest.mark.parametrize(
    ("error", "status"), [(OSError(24, "Too many open files"), 74), (KeyboardInterrupt(), 130)]
)
def test_a_failure_while_the_tables_are_opened_leaves_no_folder(
    error: BaseException,
    status: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def fail(self: sinks.CsvSink, directory: str, encoding: str = "utf-8") -> None:
        raise error

    monkeypatch.setattr(sinks.CsvSink, "__init__", fail)
    tables = tmp_path / "tables"
    got, _, err = run(["extract", str(SEED), "--format", "csv", "-o", str(tables)], capsys)
    assert got == status
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_every_items_row_has_a_documented_section() -> None:
    import peelparse
    from helpers import read_page
    from peelparse.output.tables import SECTIONS, record_rows

    seen = set()
    for page in sorted(FIXTURES.glob("*.txt")):
        record = peelparse.to_dict(peelparse.parse(read_page(page), source=page.name))
        seen.update(row["section"] for row in record_rows(record)["items"])
    assert seen <= set(SECTIONS)
    assert {"summary", "content", "area_for_improvement", "cause_of_concern"} <= seen


def test_an_aborted_parquet_writer_that_cannot_close_stays_quiet(tmp_path: Path) -> None:
    sink = sinks.ParquetSink(str(tmp_path))
    writer = next(iter(sink.writers.values()))

    class FullDisk:
        def close(self) -> None:
            raise OSError(28, "No space left on device")

    writer.writer = FullDisk()
    sink.abort()
    assert not writer.is_open  # so that its __del__ does not try, and fail, again


@pytest.mark.parametrize("command", ["extract", "grades"])
def test_an_output_that_is_also_an_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    page = tmp_path / "page.csv"
    shutil.copy(SEED, page)
    before = page.read_bytes()
    output = f"{tmp_path}/./page.csv"  # the same file, spelled otherwise
    status, _, err = run([command, str(page), "-o", str(output)], capsys)
    assert status == 2
    assert err == f"peelparse: error: -o {output} is also an input: give another output\n"
    assert page.read_bytes() == before
