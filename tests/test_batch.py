"""Batch extraction: inputs, order, bad files, tables, schema, and Dask."""

from __future__ import annotations

import dataclasses
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import peelparse
from helpers import FIXTURES, OVERVIEW, SEED, fixture_pages, read_page, run
from peelparse.batch import pool, worker
from peelparse.batch.discovery import discover, read_manifest
from peelparse.batch.pool import WorkerLostError, map_tasks
from peelparse.batch.tasks import Input, Result, Task, run_task, to_record
from peelparse.cli import extract, main
from peelparse.output.schema import record_schema
from peelparse.output.tables import COLUMNS

ROOT = Path(__file__).parent.parent


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of pages (text, HTML, nested) plus the broken files a real batch meets."""
    root = tmp_path / "pages"
    (root / "html").mkdir(parents=True)
    for page in [*fixture_pages()[:12], SEED]:
        shutil.copy(page, root / page.name)
    for page in sorted((FIXTURES / "html").glob("*.html"))[:3]:
        shutil.copy(page, root / "html" / page.name)
    (root / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (root / "huge.txt").write_bytes(b"Kent PEEL 2017\n" + b"x" * 30000)
    (root / "stray-byte.txt").write_bytes(b"Kent PEEL 2017\n\nKent Police is \xff good.\n")
    (root / "notes.md").write_text("not a page", encoding="utf-8")
    return root


def test_discover_walks_directories_sorted_with_globs(corpus: Path) -> None:
    found = [Path(i.path).relative_to(corpus).as_posix() for i in discover([str(corpus)])]
    top = [p for p in found if "/" not in p]
    assert top == sorted(top)
    assert "notes.md" not in found
    assert "html/" + sorted((FIXTURES / "html").glob("*.html"))[0].name in found
    only_html = list(discover([str(corpus)], ("*.html",)))
    assert len(only_html) == 3


@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_manifest_gives_sources_and_hints(tmp_path: Path, delimiter: str) -> None:
    page = tmp_path / "untitled.txt"
    page.write_text("Our judgments\nThe force is good.\n", encoding="utf-8")
    manifest = tmp_path / "pages.tsv"
    url = "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-reports/kent-2021-22/"
    manifest.write_text(
        f"path{delimiter}url\n# a comment\nuntitled.txt{delimiter}{url}\n{SEED}\n",
        encoding="utf-8",
    )
    inputs = list(read_manifest(str(manifest)))
    assert [i.url for i in inputs] == [url, None]
    first, second = peelparse.parse_many(inputs, jobs=1)
    assert first.report is not None
    assert (first.report.id, first.report.source, first.report.url) == (
        "peel-2021/kent",
        first.source,
        url,
    )
    assert first.source.endswith("untitled.txt")  # the path stays the source
    assert second.source == str(SEED)


def test_parse_many_keeps_order_and_isolates_bad_inputs(corpus: Path) -> None:
    inputs = [i.path for i in discover([str(corpus)])]
    results = list(peelparse.parse_many(inputs, jobs=2, max_bytes=20000))
    assert [r.source for r in results] == inputs
    by_name = {Path(r.source).name: r for r in results}
    assert by_name["binary.txt"].error == peelparse.InputError("binary", by_name[
        "binary.txt"].error.message)  # type: ignore[union-attr]  # fmt: skip
    assert by_name["huge.txt"].error == peelparse.InputError(
        "too-large",  # named for a caller of parse_many as well as for the command line
        "30,015 bytes is more than the limit of 20,000 bytes (max_bytes / --max-bytes); not read",
    )
    stray = by_name["stray-byte.txt"]
    assert stray.ok
    assert stray.report is not None
    assert [d.code for d in stray.report.diagnostics] == ["invalid-utf8"]
    assert "byte 31" in stray.report.diagnostics[0].message
    missing = list(peelparse.parse_many([str(corpus / "missing.txt")], jobs=1))
    assert missing[0].error is not None
    assert missing[0].error.code == "unreadable"


def test_parallel_and_serial_give_the_same_results(corpus: Path) -> None:
    inputs = [i.path for i in discover([str(corpus)])]
    serial = list(peelparse.parse_many(inputs, jobs=1))
    parallel = list(peelparse.parse_many(inputs, jobs=2))
    assert serial == parallel


def test_strict_batch_turns_error_diagnostics_into_error_results(corpus: Path) -> None:
    (result,) = peelparse.parse_many([str(corpus / "stray-byte.txt")], jobs=1, strict=True)
    assert result.error is not None
    assert result.error.code == "invalid-utf8"


def test_cli_jsonl_over_a_directory(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["extract", str(corpus), "--jobs", "2", "--format", "jsonl", "--max-bytes", "20000"]
    status, out, err = run(argv, capsys)
    assert status == 1
    records = [json.loads(line) for line in out.splitlines()]
    expected_order = [i.path for i in discover([str(corpus)])]
    assert [r["source"] for r in records] == expected_order
    statuses = {Path(r["source"]).name: (r["status"], r.get("error", {}).get("code")) for r in
                records}  # fmt: skip
    assert statuses["binary.txt"] == ("error", "binary")
    assert statuses["huge.txt"] == ("error", "too-large")
    assert statuses["stray-byte.txt"] == ("ok", None)
    assert err.splitlines()[-1].startswith(f"peelparse: {len(records) - 2} pages read, 2 errors, ")
    assert "binary.txt: [binary]" in err


def test_cli_quiet_prints_only_errors(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["extract", "-q", str(SEED), "--format", "jsonl"], capsys)
    assert (status, err) == (0, "")


@pytest.mark.parametrize(("format", "jobs"), [("csv", "1"), ("parquet", "2")])
def test_tables_load_in_pandas_with_consistent_keys(
    corpus: Path, tmp_path: Path, format: str, jobs: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tables"
    argv = ["extract", str(corpus), "--format", format, "-o", str(out), "--jobs", jobs]
    status, _, _ = run(argv, capsys)
    assert status == 1
    read = pd.read_csv if format == "csv" else pd.read_parquet
    tables = {name: read(out / f"{name}.{format}") for name in COLUMNS}
    for name, frame in tables.items():
        assert list(frame.columns) == list(COLUMNS[name])
    reports = tables["reports"]
    assert reports["source"].is_unique
    assert set(reports["status"]) == {"ok", "error"}
    for name in ("questions", "items", "judgments", "diagnostics"):
        assert set(tables[name]["source"]) <= set(reports["source"])
    seeded = reports[reports["source"].str.endswith(SEED.name)].iloc[0]
    assert (seeded["report_id"], seeded["grade"], int(seeded["questions"])) == (
        "peel-2017/cheshire/effectiveness",
        "good",
        3,
    )
    questions = tables["questions"]
    seed_questions = questions[questions["source"] == seeded["source"]]
    assert list(seed_questions["number"]) == [3, 4, 5]
    items = tables["items"]
    aoi = items[(items["source"] == seeded["source"]) & (items["section"] ==
                "area_for_improvement")]  # fmt: skip
    assert len(aoi) == 4
    assert set(aoi["question_position"]) == {1}


def test_parquet_without_pyarrow_is_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    status, _, err = run(["extract", str(SEED), "--format", "parquet", "-o", str(tmp_path)],
                         capsys)  # fmt: skip
    assert status == 2
    assert "pip install 'peelparse[parquet]'" in err


def test_tables_need_an_output_directory(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["extract", str(SEED), "--format", "csv"], capsys)
    assert status == 2
    assert "give -o FOLDER" in err


def test_schema_is_valid_and_every_fixture_record_validates() -> None:
    schema = record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for page in fixture_pages():
        record = peelparse.to_dict(peelparse.parse(read_page(page), source=page.name))
        validator.validate(record)
        validator.validate({**record, "status": "ok"})
    error = {
        "source": "x",
        "url": "https://example.org/x/",
        "status": "error",
        "error": {"code": "binary", "message": "m"},
    }
    validator.validate(error)
    broken = peelparse.to_dict(peelparse.parse(read_page(SEED)))
    broken["grade"] = "excellent"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    del broken["grade"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["schema"], capsys)
    assert status == 0
    assert json.loads(out) == record_schema()


def test_dask_example_script_on_a_local_two_worker_cluster(corpus: Path, tmp_path: Path) -> None:
    tables = tmp_path / "dask"
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "dask_extract.py"), str(corpus), str(tables),
         "--workers", "2", "--partition-bytes", "20000"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[0] == f"reports: {tables / 'reports'}"
    paths = sorted(i.path for i in discover([str(corpus)]))
    reports = pd.read_parquet(tables / "reports")
    assert sorted(reports["source"]) == paths
    assert str(reports["year"].dtype) == "Int64"
    serial = list(peelparse.parse_many(paths, jobs=1))
    expected_questions = sum(len(r.report.questions) for r in serial if r.report is not None)
    assert len(pd.read_parquet(tables / "questions")) == expected_questions
    sizes = sum(min(Path(p).stat().st_size, 20000) for p in paths)
    parts = sorted(p.name for p in (tables / "reports").iterdir())
    assert 2 <= len(parts) <= 2 * sizes // 20000 + 2  # sized by bytes, not one per file
    for table in COLUMNS:
        assert sorted(p.name for p in (tables / table).iterdir()) == parts


def test_the_dask_recipe_in_the_docs_runs_as_written(corpus: Path, tmp_path: Path) -> None:
    text = (ROOT / "docs" / "batch.md").read_text("utf-8")
    section = text[text.index("## Beyond one machine: Dask") :]
    recipe = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    assert 'if __name__ == "__main__":' in recipe
    assert corpus == tmp_path / "pages"
    script = tmp_path / "recipe.py"
    script.write_text(recipe, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    reports = pd.read_parquet(tmp_path / "tables" / "reports")
    assert len(reports) == len(list(discover([str(corpus)])))


def test_dask_in_process_with_the_synchronous_scheduler(corpus: Path, tmp_path: Path) -> None:
    import dask

    from peelparse.batch.cluster import extract_to_parquet, partition, rows_for

    paths = [i.path for i in discover([str(corpus)])]
    target = tmp_path / "tables"
    stale = target / "reports" / "part-00099.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier, larger run")
    with dask.config.set(scheduler="synchronous"):
        written = extract_to_parquet(paths, target, partition_bytes=10**9)
    assert not stale.exists()
    assert sorted(p.name for p in (target / "reports").iterdir()) == ["part-00000.parquet"]
    reports = pd.read_parquet(written["reports"])
    assert sorted(reports["source"]) == sorted(paths)
    assert set(reports["status"]) == {"ok", "error"}
    assert rows_for(str(SEED))["reports"][0]["report_id"] == "peel-2017/cheshire/effectiveness"
    sizes = {p: Path(p).stat().st_size for p in paths}
    groups = partition([*paths, str(corpus / "missing.txt")], 5000)
    assert [p for group in groups for p in group] == [*paths, str(corpus / "missing.txt")]
    for group in groups:
        assert len(group) == 1 or sum(sizes.get(p, 0) for p in group) <= 5000
    assert partition([], 1) == []
    with pytest.raises(ValueError, match="at least 1"):
        partition(paths, 0)


def test_parse_many_reads_stdin_once(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(SEED.read_bytes())

    monkeypatch.setattr(sys, "stdin", Stdin)
    (result,) = peelparse.parse_many(["-"], jobs=1)
    assert result.report is not None
    assert (result.source, result.report.id) == ("-", "peel-2017/cheshire/effectiveness")


def test_jobs_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(peelparse.parse_many([str(SEED)], jobs=0))
    assert main(["extract", str(SEED), "--jobs", "0"]) == 2


def test_empty_and_missing_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert list(read_manifest(str(empty))) == []
    status, _, err = run(["extract", "--manifest", str(tmp_path / "missing.tsv")], capsys)
    assert status == 2
    assert "cannot read --manifest" in err
    status, _, err = run(["extract", "--manifest", str(empty)], capsys)
    assert status == 2
    assert f"--manifest {empty} lists no files" in err


def test_progress_bar_draws_count_rate_and_eta() -> None:
    from peelparse.batch.progress import Progress

    screen = io.StringIO()
    progress = Progress(4, enabled=True, stream=screen)
    for _ in range(2):
        progress.advance()
    progress.interrupt("peelparse: x.txt: [binary] binary data")
    progress.advance()
    progress.advance()
    progress.close()
    drawn = screen.getvalue()
    assert "2/4 pages" in drawn or "1/4 pages" in drawn
    assert "4/4 pages" in drawn
    assert "peelparse: x.txt: [binary]" in drawn
    assert drawn.endswith("\n")
    quiet = io.StringIO()
    silent = Progress(3, enabled=False, stream=quiet)
    silent.advance()
    silent.clear()
    silent.close()
    assert quiet.getvalue() == ""


def test_no_eta_until_a_few_seconds_or_one_percent_have_passed() -> None:
    from peelparse.batch.progress import ETA_AFTER_SECONDS, Progress

    progress = Progress(31920, enabled=False)
    start = progress.started
    progress.done = 1  # the first page, a tenth of a second in: the rate means nothing yet
    assert progress.line(start + 0.11).endswith("1/31920 pages")
    progress.done = 319  # under 1 %
    assert "ETA" not in progress.line(start + ETA_AFTER_SECONDS - 0.5)
    progress.done = 320  # 1 %
    assert progress.line(start + 2.0).endswith("320/31920 pages 160.0/s ETA 3:17")
    progress.done = 12  # a slow run: a few seconds are enough
    assert ETA_AFTER_SECONDS == 3.0
    assert progress.line(start + 3.0).endswith("12/31920 pages 4.0/s ETA 2:12:57")
    assert progress.line(start).endswith("12/31920 pages")


def test_progress_clears_its_line_before_the_last_message() -> None:
    from peelparse.batch.progress import Progress

    screen = io.StringIO()
    progress = Progress(2, enabled=True, stream=screen)
    progress.advance()
    progress.clear()
    assert screen.getvalue().endswith("\r\x1b[K")
    progress.close()  # nothing drawn since: no new line
    assert screen.getvalue().endswith("\r\x1b[K")


def test_running_the_package_as_a_module(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import runpy

    monkeypatch.setattr(sys, "argv", ["peelparse", "extract", "--example", "-q"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("peelparse", run_name="__main__")
    assert caught.value.code == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Cheshire PEEL 2017"


def _ignore_sigterm() -> None:  # pragma: no cover - runs in a worker
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, worker.STOP_SIGNALS)  # ignored, not held back


def _sleep(task: Numbered) -> int:  # pragma: no cover - runs in a worker
    time.sleep(60)
    return task.number


def test_a_worker_that_does_not_stop_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "ignore_stop_signals", _ignore_sigterm)
    monkeypatch.setattr(worker, "STOP_GRACE", 0.2)
    busy = worker.Worker(multiprocessing.get_context("fork"), _sleep)
    assert busy.give("chunk 0", [Numbered(1)])
    idle = worker.Worker(multiprocessing.get_context("fork"), _sleep)
    started = time.monotonic()
    worker.stop_all([busy, idle])
    assert time.monotonic() - started < 5
    assert busy.process.exitcode == -signal.SIGKILL  # SIGTERM ignored: killed
    assert idle.process.exitcode == 0  # asked to end, it ended


def test_an_overviews_pillar_blocks_have_a_table_of_their_own() -> None:
    from peelparse.output.tables import record_rows

    record = peelparse.to_dict(peelparse.parse(read_page(OVERVIEW), source="o.txt"))
    rows = record_rows(record)["pillars"]
    assert [(r["pillar_position"], r["pillar"], r["last_updated"], r["grade"]) for r in rows] == [
        (1, "effectiveness", None, "not_yet_graded"),
        (2, "efficiency", "2016-11-03", "good"),
    ]
    assert {(r["source"], r["report_id"], r["force_id"]) for r in rows} == {
        ("o.txt", "peel-2016/cambridgeshire", "cambridgeshire")
    }


def test_a_failed_input_keeps_its_url(tmp_path: Path) -> None:
    url = "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/kent/"
    (result,) = peelparse.parse_many([Input(str(tmp_path / "gone.txt"), url)], jobs=1)
    record = to_record(result)
    assert (record["status"], record["url"], record["error"]["code"]) == (
        "error",
        url,
        "unreadable",
    )


def test_folders_are_read_whatever_the_case_of_the_names(tmp_path: Path) -> None:
    for name in ("a.txt", "B.TXT", "c.Html", "d.pdf"):
        (tmp_path / name).write_text("Kent PEEL 2017\n", encoding="utf-8")
    assert sorted(Path(i.path).name for i in discover([str(tmp_path)])) == [
        "B.TXT",
        "a.txt",
        "c.Html",
    ]


def test_an_error_record_is_not_read_as_a_report() -> None:
    with pytest.raises(ValueError, match="an error record"):
        peelparse.from_dict({"source": "x", "url": None, "status": "error", "error": {}})


def test_a_pipe_in_a_folder_is_an_error_record_not_a_wait(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.txt")
    (tmp_path / "y.txt").write_text("Kent PEEL 2017\n", encoding="utf-8")
    results = list(peelparse.parse_many(discover([str(tmp_path)]), jobs=1))
    assert [(Path(r.source).name, r.error.code if r.error else None) for r in results] == [
        ("x.txt", "unreadable"),
        ("y.txt", None),
    ]


def test_links_in_a_folder_that_lead_nowhere_are_error_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text("Kent PEEL 2017\n", encoding="utf-8")
    (tmp_path / "self.txt").symlink_to("self.txt")  # a link to itself
    (tmp_path / "a.txt").symlink_to("b.txt")  # two links in a loop
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    results = list(peelparse.parse_many(discover([str(tmp_path)]), jobs=1))
    found = {Path(r.source).name: (r.error.code, r.error.message) if r.error else None
             for r in results}  # fmt: skip
    assert found == {
        "a.txt": ("unreadable", "OSError: Too many levels of symbolic links; not read"),
        "b.txt": ("unreadable", "OSError: Too many levels of symbolic links; not read"),
        "gone.txt": ("unreadable", "a link to nothing (its target does not exist); not read"),
        "good.txt": None,
        "self.txt": ("unreadable", "OSError: Too many levels of symbolic links; not read"),
    }
    status, out, _ = run(["extract", str(tmp_path), "--format", "jsonl", "-q"], capsys)
    assert status == 1  # an input failed; not an output error
    assert len(out.splitlines()) == 5


def test_files_may_come_after_options(capsys: pytest.CaptureFixture[str]) -> None:
    first, second = sorted(FIXTURES.glob("overview-*.txt"))[:2]
    argv = ["extract", str(first), "-q", str(second), "--format", "jsonl"]
    status, out, _ = run(argv, capsys)
    assert status == 0
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(first), str(second)]
    assert main(["extract", str(first), "-q", "--bogus", str(second)]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
    status, out, _ = run(["extract", "-q", "--format", "jsonl", "--", str(first), "-q"], capsys)
    assert status == 1  # after --, "-q" is a file name (and no such file)
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(first), "-q"]


@dataclasses.dataclass(frozen=True)
class Numbered:
    """A stand-in task: ``map_tasks`` reads only ``max_bytes`` (to size the pool)."""

    number: int
    max_bytes: int = 1000


def _die_on_three(task: Numbered) -> int:  # pragma: no cover - runs in a worker
    if task.number == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return task.number


def test_an_input_that_kills_its_worker_twice_is_given_up_and_the_rest_read() -> None:
    tasks = [Numbered(number) for number in range(40)]
    lost: list[tuple[int, str]] = []

    def on_lost(task: Numbered, message: str) -> int:
        lost.append((task.number, message))
        return -1

    results = list(map_tasks(_die_on_three, tasks, 2, on_lost))  # type: ignore[arg-type]
    assert results == [-1 if n == 3 else n for n in range(40)]
    assert lost == [(3, lost[0][1])]
    assert re.fullmatch(
        r"a worker process died \(killed by SIGKILL; out of memory\?\) reading this input, "
        r"twice; it may need more memory than there is",
        lost[0][1],
    )


def test_without_on_lost_an_input_that_kills_its_worker_twice_stops_the_run() -> None:
    tasks = [Numbered(number) for number in range(8)]
    results = map_tasks(_die_on_three, tasks, 2)  # type: ignore[arg-type]
    with pytest.raises(
        WorkerLostError, match=r"killed by SIGKILL; .* reading the same input twice"
    ):
        list(results)


@dataclasses.dataclass(frozen=True)
class Marked:
    """A stand-in task whose first run kills its worker (it leaves a mark for the second)."""

    number: int
    mark: str
    max_bytes: int = 1000


def _die_once(task: Marked) -> int:  # pragma: no cover - runs in a worker
    if task.number == 5 and not os.path.exists(task.mark):
        Path(task.mark).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return task.number


def test_a_worker_killed_once_costs_no_result(tmp_path: Path) -> None:
    tasks = [Marked(number, str(tmp_path / "mark")) for number in range(100)]
    assert list(map_tasks(_die_once, tasks, 2)) == list(range(100))  # type: ignore[arg-type]
    assert (tmp_path / "mark").exists()  # the worker did die


def _die_on_five_then_on_two(task: Marked) -> int:  # pragma: no cover - runs in a worker
    first, second = Path(task.mark + ".5"), Path(task.mark + ".2")
    if task.number == 5 and not first.exists():
        first.touch()
        _die_counted(task)
    if task.number == 2 and first.exists() and not second.exists():  # read again, then killed
        second.touch()
        _die_counted(task)
    return task.number


def _die_counted(task: Marked) -> None:  # pragma: no cover - runs in a worker
    with open(task.mark + ".deaths", "a", encoding="utf-8") as deaths:
        deaths.write(f"{task.number}\n")
    os.kill(os.getpid(), signal.SIGKILL)


def test_only_the_input_being_read_is_blamed_for_a_death(tmp_path: Path) -> None:
    """Input 2 was read before input 5's death and is read again; a second death while it is
    read is its first: it is read alone once more, not given up. Blaming another input (or
    none) would read input 5 or 2 with others again, and kill a third worker."""
    tasks = [Marked(number, str(tmp_path / "mark")) for number in range(100)]
    lost: list[int] = []
    on_lost = lambda task, message: lost.append(task.number)  # noqa: E731
    assert list(map_tasks(_die_on_five_then_on_two, tasks, 2, on_lost)) == list(range(100))  # type: ignore[arg-type]
    assert lost == []
    assert (tmp_path / "mark.deaths").read_text("utf-8").split() == ["5", "2"]


def _raise_on_seven(task: Numbered) -> int:  # pragma: no cover - runs in a worker
    if task.number == 7:
        raise ValueError("seven")
    return task.number


def test_an_exception_in_a_worker_is_raised_in_the_caller_with_its_traceback() -> None:
    results = map_tasks(_raise_on_seven, [Numbered(n) for n in range(20)], 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="seven") as raised:
        list(results)
    assert isinstance(raised.value.__cause__, worker.RemoteTraceback)
    assert "_raise_on_seven" in str(raised.value.__cause__)
    assert multiprocessing.active_children() == []


class UnrebuildableError(Exception):
    """Pickles, but cannot be made again from its args: unpickling it fails."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


def _raise_what_cannot_cross(task: Numbered) -> object:  # pragma: no cover - in a worker
    if task.number == 3:
        raise UnrebuildableError("a", "b")
    if task.number == 5:
        return lambda: None  # a result that cannot be pickled
    return task.number


@pytest.mark.parametrize(
    ("left_out", "error"),
    [
        # Read back as it was, or the TypeError of rebuilding it: either way the real error.
        (5, (UnrebuildableError, TypeError)),
        (3, RuntimeError),
    ],
)
def test_what_cannot_cross_the_pipe_is_an_error_not_a_worker_death(
    left_out: int, error: type[Exception] | tuple[type[Exception], ...]
) -> None:
    tasks = [Numbered(n) for n in range(20) if n != left_out]
    with pytest.raises(error) as raised:
        list(map_tasks(_raise_what_cannot_cross, tasks, 2))  # type: ignore[arg-type]
    assert "worker process died" not in str(raised.value)
    assert multiprocessing.active_children() == []


def _slow_first(task: Numbered) -> int:  # pragma: no cover - runs in a worker
    if task.number == 0:
        time.sleep(1)
    return task.number


def test_one_slow_page_does_not_make_the_others_results_pile_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    most = [0]

    class Watched(pool._Run):
        def _wait(self) -> None:
            most[0] = max(most[0], len(self.done))
            super()._wait()

    monkeypatch.setattr(pool, "_Run", Watched)
    tasks = [Numbered(n) for n in range(3000)]
    assert list(map_tasks(_slow_first, tasks, 2)) == list(range(3000))  # type: ignore[arg-type]
    assert 2 <= most[0] <= pool.AHEAD * 2


def _die_at_start() -> None:  # pragma: no cover - runs in a worker
    os._exit(3)


def test_a_pool_that_keeps_losing_idle_workers_stops_the_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker, "ignore_stop_signals", _die_at_start)
    tasks = [Numbered(number + 4) for number in range(10)]
    with pytest.raises(WorkerLostError, match=r"exited with status 3.*the workers keep dying"):
        list(map_tasks(_die_on_three, tasks, 2))  # type: ignore[arg-type]


def test_parse_many_gives_an_input_that_kills_its_worker_twice_a_worker_lost_record(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    paths = []
    for number in range(6):
        paths.append(tmp_path / f"page-{number}.txt")
        paths[-1].write_text("Kent PEEL 2017\n\nSome text.\n", encoding="utf-8")
    monkeypatch.setattr(pool, "run_task", _kill_on_page_three)
    results = list(peelparse.parse_many([str(p) for p in paths], jobs=2))
    assert [r.error.code if r.error else None for r in results] == [
        None, None, None, "worker-lost", None, None
    ]  # fmt: skip
    assert [Path(r.source).name for r in results] == [p.name for p in paths]


def _kill_on_page_three(task: Task) -> Result:  # pragma: no cover - runs in a worker
    if task.input.path.endswith("page-3.txt") and task.input.error is None:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_task(task)


def test_a_pool_without_deaths_gives_every_result_in_order() -> None:
    tasks = [Numbered(number + 4) for number in range(100)]
    assert list(map_tasks(_die_on_three, tasks, 2)) == list(range(4, 104))  # type: ignore[arg-type]


def test_a_worker_that_exits_says_its_status() -> None:
    assert worker.death(3) == "a worker process died (exited with status 3)"
    assert worker.death(-99) == "a worker process died (killed by signal 99)"
    assert worker.death(-15) == "a worker process died (killed by SIGTERM)"
    assert worker.death(-9) == "a worker process died (killed by SIGKILL; out of memory?)"
    assert worker.death(-9, killed_here=True) == "a worker process died (its pipe broke; stopped)"


def test_the_python_table_of_records_md_names_every_public_name() -> None:
    text = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    table = text.split("## Python", 1)[1].split("\n## ", 1)[0]
    missing = [n for n in peelparse.__all__ if not re.search(rf"`{re.escape(n)}\b", table)]
    assert missing == []


def _kill_on_page_three_in_extract(task: Task) -> Result:  # pragma: no cover - in a worker
    if task.input.path.endswith("page-3.txt") and task.input.error is None:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_task(task)


def test_extract_writes_a_worker_lost_record_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(6):
        (tmp_path / f"page-{number}.txt").write_text("Kent PEEL 2017\n\nText.\n", "utf-8")
    monkeypatch.setattr(extract, "run_task", _kill_on_page_three_in_extract)
    status, out, err = run(["extract", str(tmp_path), "--jobs", "2", "--format", "jsonl"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in records] == ["ok"] * 3 + ["error"] + ["ok"] * 2
    assert records[3]["error"]["code"] == "worker-lost"
    assert status == 1
    assert re.search(r"page-3\.txt: \[worker-lost\] a worker process died \(killed by SIGKILL", err)
    assert "5 pages read, 1 error" in err


def test_a_line_break_in_a_file_name_is_shown_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad\nname.txt").write_bytes(b"\x00\x01")
    status, out, err = run(["extract", str(tmp_path), "--format", "jsonl"], capsys)
    assert status == 1
    assert json.loads(out)["source"] == str(tmp_path / "bad\nname.txt")  # the record keeps it
    assert err.splitlines()[0] == (
        f"peelparse: {tmp_path}/bad\\x0aname.txt: [binary] binary data (NUL bytes or mostly "
        "undecodable)"
    )


@pytest.mark.parametrize(("name", "hinted"), [("*.nomatch", True), ("p[12].txt", True),
                                              ("missing.txt", False)])  # fmt: skip
def test_a_missing_file_named_like_a_pattern_gets_a_hint(
    tmp_path: Path, name: str, hinted: bool
) -> None:
    [result] = peelparse.parse_many([str(tmp_path / name)])
    assert result.error is not None
    assert result.error.code == "unreadable"
    assert ("a pattern no file matched?" in result.error.message) is hinted
