"""Ctrl-C, SIGTERM and a closed pipe, for real: the command line in a subprocess.

To interrupt a run at a known point without timing, one input is a FIFO, named in a manifest
(a FIFO found by walking a folder is refused unread): the worker that reaches it blocks in
``open`` until a writer appears. The test waits until a reader holds the
FIFO (then the run is under way and cannot finish), opens it for writing without writing, and
sends the signal.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from helpers import SEED

PAGES = 300
FIFO_AT = 200

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and signals")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder of ``PAGES`` pages, the one at ``FIFO_AT`` a FIFO, and ``pages.tsv`` listing
    them in order (pass ``manifest(corpus)`` to the command)."""
    folder = tmp_path / "pages"
    folder.mkdir()
    rows = []
    for number in range(PAGES):
        path = folder / f"page-{number:04d}.txt"
        if number == FIFO_AT:
            os.mkfifo(path)
        else:
            shutil.copy(SEED, path)
        rows.append(f"{path}\n")
    (tmp_path / "pages.tsv").write_text("".join(rows), encoding="utf-8")
    return folder


def manifest(corpus: Path) -> tuple[str, str]:
    return "--manifest", str(corpus.parent / "pages.tsv")


def start(*argv: str, stdout: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    """The command line in a new session, so that a signal can go to its whole group."""
    return subprocess.Popen(
        [sys.executable, "-m", "peelparse", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def hold_fifo(fifo: Path, process: subprocess.Popen[bytes]) -> int:
    """Wait until a reader has ``fifo`` open; open it for writing and return the descriptor
    (the reader then blocks in ``read`` until it is closed)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO:  # pragma: no cover - ENXIO: no reader yet
                raise
        time.sleep(0.02)
    raise AssertionError("no worker reached the FIFO")  # pragma: no cover


def family(process: subprocess.Popen[bytes]) -> list[psutil.Process]:
    return psutil.Process(process.pid).children(recursive=True)


def survivors(processes: list[psutil.Process]) -> list[int]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process.pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def stop(
    process: subprocess.Popen[bytes], fifo: Path, how: signal.Signals, *, group: bool
) -> tuple[list[psutil.Process], bytes, str]:
    held = hold_fifo(fifo, process)
    try:
        workers = family(process)
        if group:  # as a terminal's Ctrl-C: the main process and every worker
            os.killpg(process.pid, how)
        else:
            process.send_signal(how)
        out, err = process.communicate(timeout=120)
    finally:
        os.close(held)
    return workers, out or b"", err.decode()


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_ctrl_c_stops_every_worker_and_keeps_the_previous_output(
    corpus: Path, tmp_path: Path, jobs: str
) -> None:
    target = tmp_path / "records.json"
    target.write_text("previous\n", encoding="utf-8")
    process = start("extract", *manifest(corpus), "--jobs", jobs, "-o", str(target))
    workers, _, err = stop(process, corpus / f"page-{FIFO_AT:04d}.txt", signal.SIGINT, group=True)
    assert process.returncode == 130, err
    pattern = (
        r"peelparse: interrupted after ([0-9]+) of [0-9]+ pages( found so far)?; "
        rf"{re.escape(str(target))} left as it was\n"
    )
    assert re.fullmatch(pattern, err), err
    done = re.fullmatch(pattern, err)
    assert done is not None
    assert int(done.group(1)) <= FIFO_AT
    if jobs == "2":
        assert len(workers) >= 2
    assert survivors(workers) == []
    assert target.read_text("utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if ".peelparse-" in p.name] == []


def test_ctrl_c_to_stdout_says_how_many_records_went_there(corpus: Path) -> None:
    # A file, not a pipe the test would have to drain as it goes: a full pipe holds the run
    # back (workers get no more pages while records cannot be written), short of the FIFO.
    with (corpus.parent / "stdout.jsonl").open("wb") as stdout:
        process = start(
            "extract", *manifest(corpus), "--jobs", "2", "--format", "jsonl", stdout=stdout.fileno()
        )
        workers, _, err = stop(
            process, corpus / f"page-{FIFO_AT:04d}.txt", signal.SIGINT, group=False
        )
    out = (corpus.parent / "stdout.jsonl").read_bytes()
    assert process.returncode == 130, err
    done = re.match(r"peelparse: interrupted after ([0-9]+) of [0-9]+ pages", err)
    assert done is not None, err
    count = int(done.group(1))
    if count == 0:  # the signal came before the first results reached the main process
        assert err.endswith("; nothing written to stdout\n"), err
    else:
        plural = "" if count == 1 else "s"
        assert err.endswith(f"; the first {count} record{plural} went to stdout\n"), err
    assert err.count("\n") == 1
    # A record cut by the signal while stdout was full is flushed on the way out, so one more
    # line than the count may arrive: the message counts the records whose write completed.
    assert len(out.splitlines()) in (count, count + 1)
    assert all(line.endswith(b"}") for line in out.splitlines())
    assert survivors(workers) == []


@pytest.mark.parametrize(
    ("how", "status", "said", "group"),
    [
        (signal.SIGTERM, 143, "terminated", False),
        (signal.SIGHUP, 129, "hung up", True),  # a closed terminal: to every process
    ],
)
def test_sigterm_and_sighup_stop_the_run_as_ctrl_c_does(
    corpus: Path, tmp_path: Path, how: signal.Signals, status: int, said: str, group: bool
) -> None:
    tables = tmp_path / "tables"
    process = start(
        "extract", *manifest(corpus), "--jobs", "2", "--format", "csv", "-o", str(tables)
    )
    workers, _, err = stop(process, corpus / f"page-{FIFO_AT:04d}.txt", how, group=group)
    assert process.returncode == status, err
    assert err.startswith(f"peelparse: {said} after ")
    assert err.endswith(f"; nothing written to {tables}\n")
    assert err.count("\n") == 1
    assert survivors(workers) == []
    assert sorted(tmp_path.iterdir()) == [corpus, corpus.parent / "pages.tsv"]  # no tables


@pytest.mark.parametrize(
    ("command", "kept"),
    [
        (("grades", "-o", "-"), "nothing written"),
        (("grades", "-o", "{target}"), "{target} left as it was"),
        (("check",), "nothing printed"),
    ],
)
def test_grades_and_check_say_how_far_they_got(
    corpus: Path, tmp_path: Path, command: tuple[str, ...], kept: str
) -> None:
    target = tmp_path / "grades.csv"
    target.write_text("previous\n", encoding="utf-8")
    argv = [word.format(target=target) for word in command]
    process = start(*argv, *manifest(corpus), "--jobs", "2")
    workers, out, err = stop(process, corpus / f"page-{FIFO_AT:04d}.txt", signal.SIGINT, group=True)
    assert process.returncode == 130, err
    done = re.fullmatch(
        rf"peelparse: interrupted after ([0-9]+) of {PAGES} inputs; "
        rf"{re.escape(kept.format(target=target))}\n",
        err,
    )
    assert done is not None, err
    assert int(done.group(1)) <= FIFO_AT
    assert out == b""
    assert survivors(workers) == []
    assert target.read_text("utf-8") == "previous\n"


def test_a_closed_pipe_ends_the_run_quietly(corpus: Path) -> None:
    os.unlink(corpus / f"page-{FIFO_AT:04d}.txt")
    process = start(
        "extract", *manifest(corpus), "--jobs", "2", "--format", "jsonl", stdout=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b'{"schema_version"')
    workers = family(process)
    process.stdout.close()  # as `| head -1` does once it has its line
    err = process.communicate(timeout=120)[1].decode()
    assert (process.returncode, err) == (141, "")
    assert survivors(workers) == []


@pytest.mark.parametrize("format", ["json", "jsonl"])
def test_example_into_head_prints_no_traceback(format: str) -> None:
    command = f"{sys.executable} -m peelparse extract --example --format {format} | head -1"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith("{")
    assert "Traceback" not in done.stderr
    assert "Error" not in done.stderr


def test_show_into_head_prints_no_traceback() -> None:
    command = f"{sys.executable} -m peelparse show --example --full | head -1"
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False)
    assert re.match(r"L[0-9]+ Cheshire PEEL 2017 ", done.stdout)
    assert done.stderr == ""  # show prints nothing else


def test_a_worker_killed_from_outside_costs_no_page(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "records.json"
    target.write_text("previous\n", encoding="utf-8")
    process = start("extract", *manifest(corpus), "--jobs", "2", "-o", str(target))
    held = hold_fifo(corpus / f"page-{FIFO_AT:04d}.txt", process)
    workers = family(process)
    assert len(workers) >= 2
    os.kill(workers[0].pid, signal.SIGKILL)  # as the kernel does when memory runs out
    os.close(held)
    while process.poll() is None:  # a reader of the FIFO read again gets an empty page
        try:
            os.close(os.open(corpus / f"page-{FIFO_AT:04d}.txt", os.O_WRONLY | os.O_NONBLOCK))
        except OSError as error:
            if error.errno != errno.ENXIO:  # pragma: no cover - ENXIO: no reader yet
                raise
        time.sleep(0.02)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    assert re.match(rf"peelparse: {PAGES} pages read, 0 errors, ", err.decode()), err.decode()
    records = json.loads(target.read_text("utf-8"))
    assert [Path(r["source"]).name for r in records] == [
        f"page-{number:04d}.txt" for number in range(PAGES)
    ]
    assert all(r["status"] == "ok" for r in records)
    assert survivors(workers) == []


def test_workers_end_when_the_main_process_is_killed(corpus: Path) -> None:
    process = start("extract", *manifest(corpus), "--jobs", "2", "--format", "jsonl")
    held = hold_fifo(corpus / f"page-{FIFO_AT:04d}.txt", process)
    workers = family(process)
    assert len(workers) >= 2
    process.kill()  # no clean-up runs: the workers see their pipes end
    process.wait(timeout=30)  # (not communicate: the workers hold its stderr open)
    assert process.stderr is not None
    process.stderr.close()
    os.close(held)  # the worker reading the FIFO finishes its page, then sees it too
    deadline = time.monotonic() + 30
    while survivors(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert survivors(workers) == []
