"""Many pages in, one result per page out, in input order, with a process pool.

Workers read their own files (only paths cross process boundaries), so memory stays flat however
many pages stream through; results are yielded as they complete, in order.

How many workers: the ``jobs`` asked for (default: the cores this process may use), but never
more than there are inputs (the first ones are looked at before any worker starts) and never
more than available memory holds at ``WORKER_BASE + MEMORY_PER_BYTE × max_bytes`` each (the
peak a worker reaches on the worst page it accepts; see docs/robustness.md).
"""

from __future__ import annotations

import itertools
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

__all__ = [
    "WorkerLostError",
    "available_memory",
    "default_jobs",
    "map_tasks",
    "parse_many",
    "worker_budget",
]

#: Inputs a worker takes at a time: enough to keep messages between processes few, few enough
#: to keep output flowing and memory flat.
CHUNK = 32
#: A worker's peak memory is at most this many bytes per input byte, plus ``WORKER_BASE``
#: (the bound the test suite holds the parser to on its worst inputs).
MEMORY_PER_BYTE = 50
WORKER_BASE = 100 * 1024 * 1024


#: Seconds between looks at the workers while a result is awaited.
WATCH = 1.0

#: Seconds a pool has to stop before its workers are killed and it is left behind.
STOP_GRACE = 3.0

#: Signals that stop a run: the main process handles them and stops the workers.
_STOP_SIGNALS = frozenset(
    (signal.SIGINT, signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))
)


class WorkerLostError(RuntimeError):
    """A worker process died with inputs in hand (killed from outside, or by the kernel for
    memory). A pool does not say which inputs it held and would wait for them for ever, so the
    run stops here, saying so."""


def _start_worker() -> None:  # pragma: no cover - runs in the workers
    """In each worker: Ctrl-C and a hang-up are the main process's to handle (it stops the
    pool, so no worker prints a traceback of its own); SIGTERM, with which the pool stops
    workers, just ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def default_jobs() -> int:
    """The machine's cores (those this process may use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def available_memory() -> int | None:
    """Bytes of memory available to new processes (``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not on Linux
        return None


def worker_budget(max_bytes: int) -> int:
    """The memory one worker may need: its peak on the largest page it accepts."""
    return WORKER_BASE + MEMORY_PER_BYTE * max_bytes


def _memory_jobs(max_bytes: int) -> int:
    """How many workers available memory holds (at least one)."""
    available = available_memory()
    if available is None:
        return sys.maxsize
    return max(1, available // worker_budget(max_bytes))


def map_tasks(
    function: Callable[[Task], Any], tasks: Iterable[Task], jobs: int | None
) -> Iterator[Any]:
    """``function`` over ``tasks`` in order: inline for one worker, else a process pool.

    The workers are ``jobs`` (default: the cores), capped by the number of tasks and by
    available memory (see the module's docstring); with one, nothing is forked.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    pending = iter(tasks)
    head = list(itertools.islice(pending, 1))
    if head:
        jobs = min(jobs, _memory_jobs(head[0].max_bytes))
    # Look at the first inputs: never more workers than inputs, and chunks that share few
    # inputs out among all the workers.
    head.extend(itertools.islice(pending, jobs * CHUNK - len(head)))
    workers = min(jobs, len(head))
    everything = itertools.chain(head, pending)
    if workers <= 1:
        yield from map(function, everything)
        return
    chunk = CHUNK if len(head) == jobs * CHUNK else max(1, len(head) // (workers * 4))
    context = get_context("spawn" if sys.platform == "darwin" else "fork")
    # Workers start with the stop signals held back until they ignore them; one that arrives
    # meanwhile reaches the main process once the pool is started.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        before = set(multiprocessing.active_children())
        pool = context.Pool(workers, initializer=_start_worker)
        started = [p for p in multiprocessing.active_children() if p not in before]
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    try:
        # Chunks made here, not by ``imap``, whose chunked iterator cannot wait with a timeout.
        chunks = pool.imap(_OverChunk(function), _chunked(everything, min(chunk, CHUNK)))
        for results in _watched(pool, started, chunks):
            yield from results
    finally:  # also on Ctrl-C, an error, or a consumer that stops early: no worker outlives us
        _stop(pool, started)


class _OverChunk:
    """``function`` over a chunk of tasks, in a worker."""

    def __init__(self, function: Callable[[Task], Any]) -> None:
        self.function = function

    def __call__(self, chunk: list[Task]) -> list[Any]:  # pragma: no cover - in the workers
        return [self.function(task) for task in chunk]


def _chunked(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    while chunk := list(itertools.islice(tasks, size)):
        yield chunk


def _watched(pool: Any, started: list[Any], results: Any) -> Iterator[Any]:
    """``results`` as they come, looking at the workers whenever one is slow to come: a worker
    that has exited mid-run (they run until the pool stops them) raises ``WorkerLostError``."""
    workers = set(started)
    while True:
        # The replacements too: the pool restarts dead workers (and forgets the dead).
        workers.update(pool._pool)
        try:
            result = results.next(timeout=WATCH)
        except StopIteration:
            return
        except multiprocessing.TimeoutError:
            for worker in workers:
                if worker.exitcode is not None:
                    raise WorkerLostError(_death(worker.exitcode)) from None
            continue
        yield result


def _death(exitcode: int) -> str:
    if exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exited with status {exitcode}"
    return (
        f"a worker process died ({how}; out of memory?) with pages in hand; "
        "try again, perhaps with fewer --jobs"
    )


def _stop(pool: Any, workers: list[Any]) -> None:
    """Terminate ``pool``, waiting at most ``STOP_GRACE`` seconds.

    ``Pool.terminate`` can deadlock: a worker killed while it sends a result leaves the result
    queue's lock taken, and the pool's task thread then waits on it for ever (seen on Ctrl-C
    with large results). So it runs in a thread of its own; if it has not returned in time,
    the workers are killed and the stuck clean-up is left to end with the process.
    """
    stopper = threading.Thread(target=pool.terminate, name="peelparse-stop", daemon=True)
    stopper.start()
    stopper.join(STOP_GRACE)
    if stopper.is_alive():
        for worker in [*workers, *pool._pool]:  # the first ones, and any that replaced them
            worker.kill()


def parse_many(
    inputs: Iterable[str | os.PathLike[str] | Input],
    *,
    jobs: int | None = None,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    format: Format = "auto",
) -> Iterator[Result]:
    """Parse many files, yielding one ``Result`` per input, in input order.

    ``inputs`` is a list (or any iterable) of paths (``"-"`` reads stdin) or
    ``Input(path, url)``; a single path is misuse (``TypeError``). ``jobs`` processes run in
    parallel (default: the cores; never more than the inputs, nor than memory holds). A file
    larger than ``max_bytes`` is refused unread. Whatever an input holds, it gives one
    ``Result`` (an error result if it cannot be read) and the others go on.
    """
    if isinstance(inputs, str | bytes | os.PathLike | Input):
        raise TypeError(
            f"parse_many() takes an iterable of paths, not one {type(inputs).__name__}: "
            "pass a list, parse_many([path])"
        )
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if max_bytes < 0:
        raise ValueError(f"max_bytes must not be negative, not {max_bytes}")
    tasks = make_tasks(iter(inputs), format=format, strict=strict, max_bytes=max_bytes)
    return map_tasks(run_task, tasks, jobs)
