"""Many pages in, one result per page out, in input order, with a process pool.

Workers read their own files (only paths cross process boundaries), so memory stays flat however
many pages stream through; results are yielded as they complete, in order.

How many workers: the ``jobs`` asked for (default: the cores this process may use), but never
more than there are inputs (the first ones are looked at before any worker starts) and never
more than available memory holds at ``WORKER_BASE + MEMORY_PER_BYTE × max_bytes`` each (the
peak a worker reaches on the worst page it accepts; see docs/robustness.md).
"""

from __future__ import annotations

import collections
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
from .tasks import DEFAULT_MAX_BYTES, ErrorCode, Input, Result, Task, make_tasks, run_task

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
    """Workers keep dying: ones that held nothing, more than ``IDLE_DEATHS_MAX`` times in a
    row (killed as fast as they are replaced), or, for a caller that gave no ``on_lost``, one
    that held an input twice. The run stops here, saying so, rather than wait for ever."""


def _start_worker(taken: Any) -> None:  # pragma: no cover - runs in the workers
    """In each worker: Ctrl-C and a hang-up are the main process's to handle (it stops the
    pool, so no worker prints a traceback of its own); SIGTERM, with which the pool stops
    workers, just ends it. ``taken`` is where the worker says which chunk it works on."""
    global _taken
    _taken = taken
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
    function: Callable[[Task], Any],
    tasks: Iterable[Task],
    jobs: int | None,
    on_lost: Callable[[Task, str], Any] | None = None,
) -> Iterator[Any]:
    """``function`` over ``tasks`` in order: inline for one worker, else a process pool.

    The workers are ``jobs`` (default: the cores), capped by the number of tasks and by
    available memory (see the module's docstring); with one, nothing is forked.

    A worker that dies (killed from outside, by the kernel for memory, or crashed by a page)
    costs no result: the pool is replaced and what the worker held is read again, one input at
    a time; an input in hand of two dead workers gives ``on_lost(task, message)``, called here,
    in place of its result (without ``on_lost``: ``WorkerLostError``).
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
    run = _Run(workers, function, on_lost)
    yield from run.results(_chunked(everything, min(chunk, CHUNK)))


#: Times in a row a pool may lose a worker that held nothing before the run gives up: workers
#: that die as they start, or are killed as fast as they are replaced, would never end.
IDLE_DEATHS_MAX = 3

#: In a worker: the shared slots in which it writes its process id when it takes a chunk.
_taken: Any = None


class _Flight:
    """A chunk on its way through the pool, or its results once known."""

    __slots__ = ("deaths", "pending", "results", "slot", "tasks")

    def __init__(self, tasks: list[Task], deaths: int = 0) -> None:
        self.tasks = tasks
        #: How many dead workers have held this chunk.
        self.deaths = deaths
        self.slot = -1
        self.pending: Any = None
        self.results: list[Any] | None = None


class _Run:
    """A pool and the chunks in flight through it, yielded in input order.

    A worker that dies may leave the pool's queues locked (idle workers wait for tasks holding
    a lock), so the whole pool is replaced: results already come are kept, the chunk the dead
    worker had taken (it wrote its pid in the chunk's slot) is sent again one input at a time,
    the other chunks as they were.
    """

    def __init__(
        self,
        workers: int,
        function: Callable[[Task], Any],
        on_lost: Callable[[Task, str], Any] | None,
    ) -> None:
        self.workers = workers
        self.function = _OverChunk(function)
        self.on_lost = on_lost
        self.context = get_context("spawn" if sys.platform == "darwin" else "fork")
        #: Chunks in flight at most: enough to keep every worker busy, few to keep memory flat.
        self.window = workers * 4
        # A slot per input in flight: chunks split into single inputs still find one.
        self.taken = self.context.RawArray("q", self.window * CHUNK)
        self.free = list(range(len(self.taken)))
        self.flights: collections.deque[_Flight] = collections.deque()
        self.idle_deaths = 0
        self.pool, self.processes = self._start()

    def _start(self) -> tuple[Any, set[Any]]:
        # Workers start with the stop signals held back until they ignore them; one that
        # arrives meanwhile reaches the main process once the pool is started.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            before = set(multiprocessing.active_children())
            pool = self.context.Pool(
                self.workers, initializer=_start_worker, initargs=(self.taken,)
            )
            started = {p for p in multiprocessing.active_children() if p not in before}
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return pool, started

    def results(self, chunks: Iterator[list[Task]]) -> Iterator[Any]:
        try:
            while True:
                while len(self.flights) < self.window and (tasks := next(chunks, None)):
                    self.flights.append(self._send(_Flight(tasks)))
                if not self.flights:
                    return
                first = self.flights[0]
                if first.results is None:
                    try:
                        first.results = first.pending.get(timeout=WATCH)
                    except multiprocessing.TimeoutError:
                        self._look_at_workers()
                        continue
                self.flights.popleft()
                self._free(first)
                self.idle_deaths = 0
                yield from first.results
        finally:  # also on Ctrl-C, an error, or a consumer that stops early: no worker outlives us
            _stop(self.pool, self.processes)

    def _send(self, flight: _Flight) -> _Flight:
        flight.slot = self.free.pop()
        self.taken[flight.slot] = 0
        flight.pending = self.pool.apply_async(self.function, ((flight.slot, flight.tasks),))
        return flight

    def _free(self, flight: _Flight) -> None:
        if flight.slot >= 0:
            self.free.append(flight.slot)
            flight.slot = -1

    def _look_at_workers(self) -> None:
        """If a worker has died: a new pool, and every chunk not done sent to it again."""
        self.processes.update(self.pool._pool)  # the pool replaces dead workers, forgetting them
        dead = {p.pid: p.exitcode for p in self.processes if p.exitcode is not None}
        if not dead:
            return
        for flight in self.flights:
            if flight.results is None and flight.pending.ready():
                flight.results = flight.pending.get()
        held = {id(f) for f in self.flights if f.results is None and self.taken[f.slot] in dead}
        how = _death(next(iter(dead.values())))
        if not held:
            self.idle_deaths += 1
            if self.idle_deaths > IDLE_DEATHS_MAX:
                raise WorkerLostError(f"{how}; the pool keeps losing its workers")
        _stop(self.pool, self.processes)
        self.pool, self.processes = self._start()
        flights: collections.deque[_Flight] = collections.deque()
        for flight in self.flights:
            if flight.results is not None:
                flights.append(flight)
                continue
            self._free(flight)
            if id(flight) not in held:
                flights.append(self._send(flight))
            elif len(flight.tasks) > 1:  # which input killed it is not known: one at a time
                flights.extend(self._send(_Flight([task], 1)) for task in flight.tasks)
            elif flight.deaths < 1:  # alone for the first time: perhaps not its fault
                flights.append(self._send(_Flight(flight.tasks, 1)))
            else:
                flights.append(self._given_up(flight, how))
        self.flights = flights

    def _given_up(self, flight: _Flight, how: str) -> _Flight:
        if self.on_lost is None:
            raise WorkerLostError(f"{how} with pages in hand; try again, perhaps with fewer --jobs")
        message = f"{how} reading this input, twice; it may need more memory than there is"
        flight.results = [self.on_lost(task, message) for task in flight.tasks]
        return flight


class _OverChunk:
    """``function`` over a chunk of tasks, in a worker that first says it took the chunk."""

    def __init__(self, function: Callable[[Task], Any]) -> None:
        self.function = function

    def __call__(self, work: tuple[int, list[Task]]) -> list[Any]:  # pragma: no cover - workers
        slot, chunk = work
        _taken[slot] = os.getpid()
        return [self.function(task) for task in chunk]


def _chunked(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    while chunk := list(itertools.islice(tasks, size)):
        yield chunk


def _death(exitcode: int) -> str:
    if exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
    else:
        how = f"exited with status {exitcode}"
    return f"a worker process died ({how}; out of memory?)"


def _stop(pool: Any, workers: Iterable[Any]) -> None:
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
    return map_tasks(run_task, tasks, jobs, _run_lost)


def _run_lost(task: Task, message: str) -> Result:
    """The error result of an input whose worker died twice."""
    return run_task(task.failed(ErrorCode.WORKER_LOST, message))
