"""Many pages in, one result per page out, in input order, with a process pool.

Workers read their own files (only paths cross process boundaries), so memory stays flat however
many pages stream through; results are yielded as they complete, in order.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from typing import Any

from ..api import Format
from .tasks import DEFAULT_MAX_BYTES, Input, Result, Task, make_tasks, run_task

__all__ = ["default_jobs", "map_tasks", "parse_many"]

#: Inputs a worker takes at a time: enough to keep messages between processes few, few enough
#: to keep output flowing and memory flat.
CHUNK = 32


#: Seconds a pool has to stop before its workers are killed.
STOP_GRACE = 5.0

#: Signals that stop a run: the main process handles them and stops the workers.
_STOP_SIGNALS = frozenset((signal.SIGINT, signal.SIGTERM))


def _start_worker() -> None:  # pragma: no cover - runs in the workers
    """In each worker: Ctrl-C is the main process's to handle (it stops the pool, so no worker
    prints a traceback of its own); SIGTERM, with which the pool stops workers, just ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def map_tasks(
    function: Callable[[Task], Any], tasks: Iterable[Task], jobs: int | None
) -> Iterator[Any]:
    """``function`` over ``tasks`` in order: inline for one job, else a process pool."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1:
        yield from map(function, tasks)
        return
    context = get_context("spawn" if sys.platform == "darwin" else "fork")
    # Workers start with the stop signals held back until they ignore them; one that arrives
    # meanwhile reaches the main process once the pool is started.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        before = set(multiprocessing.active_children())
        pool = context.Pool(jobs, initializer=_start_worker)
        workers = [p for p in multiprocessing.active_children() if p not in before]
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        yield from pool.imap(function, tasks, chunksize=CHUNK)
    finally:  # also on Ctrl-C, an error, or a consumer that stops early: no worker outlives us
        _stop(pool, workers)


def _stop(pool: Any, workers: list[Any]) -> None:
    """Terminate ``pool``. Stopping a pool midway can deadlock inside ``multiprocessing``
    (a queue lock held by a busy worker); if it has not stopped within ``STOP_GRACE``
    seconds, its workers are killed and the stuck clean-up is left to end with the process."""
    stopper = threading.Thread(target=pool.terminate, name="peelparse-stop", daemon=True)
    stopper.start()
    stopper.join(STOP_GRACE)
    if stopper.is_alive():  # pragma: no cover - the deadlock is rare and not reproducible
        for worker in workers:
            worker.kill()
        stopper.join(STOP_GRACE)


def parse_many(
    inputs: Iterable[str | os.PathLike[str] | Input],
    *,
    jobs: int | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    format: Format = "auto",
) -> Iterator[Result]:
    """Parse many files, yielding one ``Result`` per input, in input order.

    ``inputs`` are paths (``"-"`` reads stdin) or ``Input(path, url)``. ``jobs`` processes run in
    parallel (default: the machine's cores). A file larger than ``max_bytes`` is refused unread.
    """
    tasks = make_tasks(inputs, format=format, strict=strict, max_bytes=max_bytes)
    yield from map_tasks(run_task, tasks, jobs)
