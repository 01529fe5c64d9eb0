"""Many pages in, one result per page out, in input order, with worker processes.

Workers read their own files (only paths cross process boundaries), so memory stays flat however
many pages stream through; results are yielded as they complete, in order.

How many workers: the ``jobs`` asked for (default: the cores this process may use), but never
more than there are inputs (the first ones are looked at before any worker starts) and never
more than available memory holds at ``WORKER_BASE + MEMORY_PER_BYTE × max_bytes`` each (the
peak a worker reaches on the worst page it accepts; see docs/robustness.md).

Each worker reads one chunk of inputs at a time through a pipe of its own (batch/worker.py
says why not ``multiprocessing.Pool``). A worker that dies is replaced and its chunk sent again;
only the input it was reading is suspected, read alone, and given up if a worker dies reading
it again. Chunks are handed out only a few ahead of the results being yielded, so one slow page
does not make the others' results pile up.
"""

from __future__ import annotations

import collections
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import connection, get_context
from typing import Any

from ..api import Format
from .tasks import DEFAULT_MAX_BYTES, ErrorCode, Input, Result, Task, make_tasks, run_task
from .worker import Worker, stop_all

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

#: Deaths in a row that no input can be blamed for (a worker that dies idle, before it begins a
#: chunk, or once it has read all of it) before the run gives up: workers that die as they
#: start, or are killed as fast as they are replaced, would never end.
UNBLAMED_DEATHS_MAX = 3

#: Chunks handed out ahead of the one whose results are awaited, per worker.
AHEAD = 4


class WorkerLostError(RuntimeError):
    """Workers keep dying with no input to blame, more than ``UNBLAMED_DEATHS_MAX`` times in a
    row (killed as fast as they are replaced), or, for a caller that gave no ``on_lost``, while
    reading the same input twice. The run stops here, saying so."""


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
    """``function`` over ``tasks`` in order: inline for one worker, else in worker processes.

    The workers are ``jobs`` (default: the cores), capped by the number of tasks and by
    available memory (see the module's docstring); with one, nothing is forked.

    A worker that dies (killed from outside, by the kernel for memory, or crashed by a page)
    costs no result: it is replaced and its chunk read again; an input that was being read
    when two workers died gives ``on_lost(task, message)``, called here, in place of its
    result (without ``on_lost``: ``WorkerLostError``).
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
    size = CHUNK if len(head) == jobs * CHUNK else max(1, len(head) // (workers * 4))
    yield from _Run(workers, function, on_lost).results(_chunked(everything, min(size, CHUNK)))


def _chunked(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    while chunk := list(itertools.islice(tasks, size)):
        yield chunk


class _Chunk:
    """Inputs sent to a worker together. ``order`` places its results among the others: a
    chunk's number, then, for the pieces of a chunk whose worker died, their places in it.
    ``deaths`` counts the workers that died reading its one input (single-input pieces)."""

    __slots__ = ("deaths", "order", "tasks")

    def __init__(self, order: tuple[int, ...], tasks: list[Task], deaths: int = 0) -> None:
        self.order = order
        self.tasks = tasks
        self.deaths = deaths


class _Run:
    """Workers, the chunks they read, and the results not yet yielded, in input order."""

    def __init__(
        self,
        jobs: int,
        function: Callable[[Task], Any],
        on_lost: Callable[[Task, str], Any] | None,
    ) -> None:
        self.context = get_context("spawn" if sys.platform == "darwin" else "fork")
        self.function = function
        self.on_lost = on_lost
        self.jobs = jobs
        self.workers: list[Worker] = []
        #: Chunks to send before new ones: pieces of chunks whose worker died.
        self.again: collections.deque[_Chunk] = collections.deque()
        #: The results of each chunk not yet yielded, by piece (None: not come yet).
        self.done: dict[int, dict[tuple[int, ...], list[Any] | None]] = {}
        self.unblamed_deaths = 0

    def results(self, chunks: Iterator[list[Task]]) -> Iterator[Any]:
        numbered = enumerate(chunks)
        wanted = 0
        try:
            for _ in range(self.jobs):  # one by one: a failed start still stops the others
                self.workers.append(self._start())
            while True:
                self._feed(numbered)
                if wanted not in self.done:  # every chunk fed was yielded: nothing is left
                    return
                parts = [part for _, part in sorted(self.done[wanted].items())]
                if None in parts:
                    self._wait()
                    continue
                del self.done[wanted]
                wanted += 1
                for part in parts:
                    assert part is not None  # (all came)
                    yield from part
        finally:  # also on Ctrl-C, an error, or a consumer that stops early: no worker outlives us
            stop_all(self.workers)

    def _start(self) -> Worker:
        return Worker(self.context, self.function)

    def _feed(self, numbered: Iterator[tuple[int, list[Task]]]) -> None:
        """Give every idle worker a chunk: a piece to read again first, else the next one, as
        long as no more than ``AHEAD`` chunks a worker wait to be yielded."""
        for index, worker in enumerate(self.workers):
            while worker.held is None:
                if self.again:
                    chunk = self.again.popleft()
                else:
                    if len(self.done) >= AHEAD * self.jobs:
                        return
                    found = next(numbered, None)
                    if found is None:
                        return
                    number, tasks = found
                    self.done[number] = {(): None}
                    chunk = _Chunk((number,), tasks)
                if not worker.give(chunk, chunk.tasks):  # it died idle: to its replacement
                    self.again.appendleft(chunk)
                    worker = self._replace(index, worker)

    def _wait(self) -> None:
        """Take what the workers have sent; put what dead ones held back in line."""
        busy = [worker.pipe for worker in self.workers if worker.held is not None]
        ready = connection.wait(busy + [worker.process.sentinel for worker in self.workers])
        for index, worker in enumerate(self.workers):
            chunk = worker.held
            if chunk is not None and worker.pipe in ready:
                received = worker.receive()
                if received is not None:  # (a worker that died after sending is seen next)
                    ok, payload = received
                    if not ok:
                        raise payload
                    self.done[chunk.order[0]][chunk.order[1:]] = payload
                    self.unblamed_deaths = 0
                    continue
            if worker.process.sentinel in ready or worker.pipe in ready:
                self._replace(index, worker)

    def _replace(self, index: int, worker: Worker) -> Worker:
        """A new worker in place of ``worker``, which died; what it was reading, in line."""
        how = worker.bury()
        chunk, worker.held = worker.held, None
        at = worker.reading.value
        if chunk is None or not 0 <= at < len(chunk.tasks):
            # It died idle, before it began, or having read everything: no input to blame.
            self.unblamed_deaths += 1
            if self.unblamed_deaths > UNBLAMED_DEATHS_MAX:
                raise WorkerLostError(f"{how}; the workers keep dying")
            if chunk is not None:
                self._split(chunk, [(chunk.tasks, chunk.deaths)])
        else:
            self._blame(chunk, at, how, worker.out_of_memory)
        self.workers[index] = replacement = self._start()
        return replacement

    def _blame(self, chunk: _Chunk, at: int, how: str, out_of_memory: bool) -> None:
        """The input at ``at`` was being read when its worker died: read it alone, and once
        more it gives ``on_lost``; the inputs around it are read again as they were."""
        suspect = chunk.tasks[at]
        deaths = (chunk.deaths if len(chunk.tasks) == 1 else 0) + 1
        if deaths < 2:
            pieces = [(chunk.tasks[:at], 0), ([suspect], deaths), (chunk.tasks[at + 1 :], 0)]
            self._split(chunk, pieces)
            return
        if self.on_lost is None:
            raise WorkerLostError(f"{how} reading the same input twice")
        message = f"{how} reading this input, twice"
        if out_of_memory:
            message += "; it may need more memory than there is"
        self.done[chunk.order[0]][chunk.order[1:]] = [self.on_lost(suspect, message)]

    def _split(self, chunk: _Chunk, pieces: list[tuple[list[Task], int]]) -> None:
        """Send ``chunk`` again as ``pieces`` (empty ones left out), in its place."""
        place = self.done[chunk.order[0]]
        del place[chunk.order[1:]]
        for number, (tasks, deaths) in enumerate(pieces):
            if tasks:
                order = (*chunk.order, number)
                place[order[1:]] = None
                self.again.append(_Chunk(order, tasks, deaths))


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
