"""The command line, run in-process through ``main(argv)``."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import FIXTURES, OVERVIEW, SEED, run
from peelparse.cli import main


def test_example_gives_the_seed_record(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["extract", "--example"], capsys)
    assert status == 0
    expected = json.loads(
        (FIXTURES / "peel-2017__cheshire__effectiveness.expected.json").read_text("utf-8")
    )
    assert json.loads(out) == {**expected, "status": "ok"}


def test_jsonl_keeps_input_order_and_source(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["extract", "--format", "jsonl", str(OVERVIEW), str(SEED)], capsys)
    assert status == 0
    lines = out.splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(OVERVIEW), str(SEED)]
    assert json.loads(lines[1])["id"] == "peel-2017/cheshire/effectiveness"


def test_json_with_several_inputs_is_an_array(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["extract", str(SEED), str(SEED)], capsys)
    assert status == 0
    assert [r["kind"] for r in json.loads(out)] == ["pillar", "pillar"]


def test_stdin_and_url_hint(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Overall summary\nThe force is good."))
    status, out, _ = run(["extract", "-", "--url", "/peel-reports/kent-2021-22/"], capsys)
    assert status == 0
    record = json.loads(out)
    assert (record["source"], record["url"], record["id"], record["kind"]) == (
        "-",
        "/peel-reports/kent-2021-22/",
        "peel-2021/kent",
        "assessment",
    )


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.jsonl"
    status, out, _ = run(["extract", str(SEED), "--format", "jsonl", "-o", str(target)], capsys)
    assert (status, out) == (0, "")
    assert json.loads(target.read_text("utf-8"))["grade"] == "good"


def test_missing_file_is_an_error_record_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.txt"
    status, out, err = run(["extract", "--format", "jsonl", str(missing), str(SEED)], capsys)
    assert status == 1
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["status"] == "error"
    assert first["error"]["code"] == "unreadable"
    assert second["id"] == "peel-2017/cheshire/effectiveness"
    assert "nope.txt" in err


def test_strict_turns_error_diagnostics_into_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Kent PEEL 2017\n\nKent Police is good.\n\nOutstanding\n", encoding="utf-8")
    assert run(["extract", str(page)], capsys)[0] == 0
    status, out, err = run(["extract", "--strict", "--format", "jsonl", str(page)], capsys)
    assert status == 1
    record = json.loads(out)
    assert record["error"]["code"] == "stray-grade"
    assert "5:1" in err


def test_spans_flag_adds_spans(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["extract", "--spans", str(SEED)], capsys)
    assert status == 0
    assert json.loads(out)["questions"][0]["span"][0] > 0


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        ([], "COMMAND"),
        (["extract"], "nothing to read"),
        (["extract", "--format", "xml", "x"], "--format"),
        (["extract", "a", "b", "--url", "/u"], "--url"),
        (["extract", "--jobs", "abc", "x"], "--jobs: expected a whole number, not 'abc'"),
        (["extract", "--jobs", "0", "x"], "--jobs: must be at least 1"),
        (["extract", "--example", "--format", "csv"], "--format csv writes a folder"),
        (["extract", "--example", "--excel"], "--excel"),
        (["show"], "give FILE"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, "")
    assert err.startswith("peelparse: error: ")
    assert err.count("\n") == 1
    assert named in err


def test_help_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract", "--help"])
    assert caught.value.code == 0
    text = capsys.readouterr().out
    assert "--format {json,jsonl,csv,parquet}" in text
    assert "exit status" in text


def test_console_script_runs_as_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peelparse", "extract", "--example", "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Cheshire PEEL 2017"


def test_html_files_and_html_on_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    markup = FIXTURES / "html" / "peel-2017__cheshire__effectiveness.html"
    status, out, _ = run(["extract", str(markup)], capsys)
    assert status == 0
    assert json.loads(out)["id"] == "peel-2017/cheshire/effectiveness"
    monkeypatch.setattr(sys, "stdin", io.StringIO(markup.read_text("utf-8")))
    status, out, _ = run(["extract", "-"], capsys)
    assert json.loads(out)["grade"] == "good"
    renamed = tmp_path / "page.txt"
    renamed.write_text("<p>Kent PEEL 2017</p>", encoding="utf-8")
    status, out, _ = run(["extract", str(renamed)], capsys)
    assert json.loads(out)["id"] is None  # read as text: a paragraph with tags in it
    status, out, _ = run(["extract", "--input-format", "html", str(renamed)], capsys)
    assert json.loads(out)["id"] == "peel-2017/kent"


def test_invalid_utf8_is_a_diagnostic_with_its_byte_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"Kent PEEL 2017\n\nKent Police is \xfe good.\n")
    status, out, _ = run(["extract", str(page)], capsys)
    assert status == 0
    (diagnostic,) = json.loads(out)["diagnostics"]
    assert diagnostic["code"] == "invalid-utf8"
    assert "byte 31" in diagnostic["message"]
    status, out, _ = run(["extract", "--strict", "--format", "jsonl", str(page)], capsys)
    assert status == 1
    assert json.loads(out)["error"]["code"] == "invalid-utf8"


# -- exits like a Unix tool -------------------------------------------------------------------


class ClosedPipe(io.StringIO):
    """A stdout whose reader went away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_is_quiet_and_exits_141(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["extract", "--example", str(SEED), "--jobs", "1"]) == 141
    assert main(["show", "--example"]) == 141
    assert capsys.readouterr().err == ""


def test_debug_shows_the_traceback_instead(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peelparse.cli.common import Interrupted, OutputError, UsageError
    from peelparse.output import sinks

    with pytest.raises(UsageError, match="--jobs"):
        main(["--debug", "extract", "--jobs", "abc", "x"])
    with pytest.raises(UsageError, match="does not exist"):
        main(["extract", "--example", "-o", str(tmp_path / "no" / "x.json"), "--debug"])

    def full(self: sinks.JsonSink, payload: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sinks.JsonSink, "write", full)
    with pytest.raises(OutputError, match="No space left"):
        main(["--debug", "extract", "--example", "-o", str(tmp_path / "x.json")])

    def stop(self: sinks.JsonSink, payload: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sinks.JsonSink, "write", stop)
    with pytest.raises(Interrupted, match="interrupted after 0 of 1 page;"):
        main(["--debug", "extract", "--example"])
    monkeypatch.setattr("peelparse.output.show.show", lambda *a, **k: stop(None, ""))  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        main(["--debug", "show", "--example"])


@pytest.mark.parametrize(
    ("signal_number", "status", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_outside_a_batch_is_one_line(
    signal_number: int,
    status: int,
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = signal.getsignal(signal.SIGTERM)

    def signalled(*args: object, **options: object) -> None:
        os.kill(os.getpid(), signal_number)
        time.sleep(5)  # the handler raises at once; this only keeps the test from racing it

    monkeypatch.setattr("peelparse.output.show.show", signalled)
    assert main(["show", "--example"]) == status
    assert capsys.readouterr().err == f"peelparse: {said}\n"
    assert signal.getsignal(signal.SIGTERM) == before


def test_sigterm_inside_a_batch_names_how_far_it_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from peelparse.cli.common import Terminated
    from peelparse.output import sinks

    original = sinks.Output.write

    def write(output: sinks.Output, payload: object) -> None:
        if output.written == 1:
            raise Terminated
        original(output, payload)

    monkeypatch.setattr(sinks.Output, "write", write)
    status, _, err = run(["extract", "--format", "jsonl", "--jobs", "1", str(SEED), str(SEED)],
                         capsys)  # fmt: skip
    assert status == 143
    assert err == "peelparse: terminated after 1 of 2 pages; the first 1 record went to stdout\n"


def test_the_command_line_runs_outside_the_main_thread(capsys: pytest.CaptureFixture[str]) -> None:
    statuses: list[int] = []
    worker = threading.Thread(target=lambda: statuses.append(main(["extract", "--example"])))
    worker.start()
    worker.join()
    assert statuses == [0]
    assert json.loads(capsys.readouterr().out)["grade"] == "good"


def test_a_strict_error_names_its_code_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Kent PEEL 2017\n\nKent Police is good.\n\nOutstanding\n", encoding="utf-8")
    status, _, err = run(["extract", "--strict", "-q", str(page)], capsys)
    assert status == 1
    (line,) = err.splitlines()
    assert line.startswith(f"peelparse: {page}: ")
    assert line.count("stray-grade") == 1


def test_a_missing_file_is_an_error_not_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(["extract", str(tmp_path / "nope.txt"), str(SEED)], capsys)
    assert status == 1
    assert err.splitlines()[-1].startswith("peelparse: 1 page read, 1 error, ")


def test_nothing_to_read_names_the_folder_and_the_globs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    status, _, err = run(["extract", str(tmp_path), "--glob", "*.htm"], capsys)
    assert status == 2
    assert err == (
        f"peelparse: error: nothing to read: no file in {tmp_path} matches *.htm "
        "(--glob chooses names)\n"
    )


@pytest.mark.parametrize(
    ("command", "own"),
    [
        ([], ("0 all inputs read", "1 an input failed")),
        (["extract"], ("0 all inputs read", "1 an input failed")),
        (["show"], ("0 the record was shown", "1 the page could not be read")),
        (["grades"], ("0 every input was read", "1 an input failed")),
        (["check"], ("0 the batch passes", "1 a --fail-on finding is present")),
        (["schema"], ("0 the schema was written",)),
    ],
)
def test_help_lists_every_exit_status(
    command: list[str], own: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*command, "--help"])
    assert caught.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    shared = ("2 the command was misused", "74 the output could not be written", "130 interrupted",
              "141 stdout was closed early")  # fmt: skip
    for status in (*own, *shared):
        assert status in text, status
    assert text.count("exit status:") == 1


def test_an_unknown_option_points_at_its_command_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["extract", "--example", "--bogus"], capsys)
    assert (status, err) == (
        2,
        "peelparse: error: unrecognized arguments: --bogus (see 'peelparse extract --help')\n",
    )


def test_inputs_read_twice_are_named_and_counted_but_every_record_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-2017/cheshire/effectiveness/"
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    manifest = tmp_path / "pages.tsv"
    manifest.write_text(
        f"{SEED}\t{url}\n{copy}\t{url}\n{SEED.parent}/./{SEED.name}\n", encoding="utf-8"
    )
    status, out, err = run(["extract", "--manifest", str(manifest), "--format", "jsonl"], capsys)
    assert status == 0
    assert len(out.splitlines()) == 3
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings == [
        f"peelparse: warning: the same url {url!r} (inputs 1 and 2)",
        f"peelparse: warning: the same file {str(SEED.resolve())!r} (inputs 1 and 3)",
    ]
    assert "3 pages read, 0 errors, 0 with diagnostics, 2 duplicates" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "--example"],
        ["show", "--example"],
        ["schema"],
        ["grades", str(FIXTURES / "collections" / "conflict"), "--jobs", "1"],
        ["check", str(FIXTURES / "collections" / "conflict"), "--jobs", "1"],
    ],
)
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_74(
    argv: list[str], stdout: str
) -> None:
    target = {"full": "open('/dev/full', 'w')", "closed": "None"}[stdout]
    script = (
        f"import sys; sys.stdout = {target}\n"
        "from peelparse.cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 74, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("peelparse: error:") == 1
