"""Many pages in, one result per page out, in input order, with worker processes.

Workers read their own files (only paths cross process boundaries), so memory stays flat however
many pages stream through; results are yielded as they complete, in order.

How many workers: the ``jobs`` asked for (default: the cores this process may use), but never
more than there are inputs (the first ones are looked at before any worker starts) and never
more than available memory holds at ``WORKER_BASE + MEMORY_PER_BYTE × max_bytes`` each (the
peak a worker reaches on the worst page it accepts; see docs/robustness.md).

Each worker has a pipe of its own and one chunk of inputs at a time, not a share of
``multiprocessing.Pool``'s queues: a worker that dies (killed from outside, by the kernel for
memory, or crashed by a page) can leave a shared queue's lock taken and a pool stuck for ever.
Here its death is seen at once (its process sentinel), the worker is replaced, and its chunk is
sent again; it wrote which input it was reading where the main process can see it, so only
that input is suspected of the death.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import connection, get_context
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

#: Seconds a worker has to end once asked (or terminated) before it is killed.
STOP_GRACE = 3.0

#: Times in a row a worker that held nothing may die before the run gives up: workers that die
#: as they start, or are killed as fast as they are replaced, would never end.
IDLE_DEATHS_MAX = 3

#: Signals that stop a run: the main process handles them and stops the workers.
_STOP_SIGNALS = frozenset(
    (signal.SIGINT, signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))
)


class WorkerLostError(RuntimeError):
    """Workers keep dying: ones that held nothing, more than ``IDLE_DEATHS_MAX`` times in a
    row (killed as fast as they are replaced), or, for a caller that gave no ``on_lost``, one
    that was reading the same input twice. The run stops here, saying so."""


def _serve(inbox: Any, function: Callable[[Task], Any], reading: Any) -> None:  # pragma: no cover
    """A worker's life: chunks in, their results out, until told to stop (``None``) or the
    main process is gone. ``reading`` holds the position, in its chunk, of the input being
    read (-1 before the first, the chunk's length once all are read), for the main process to
    see if the worker dies."""
    _ignore_stop_signals()
    while True:
        try:
            chunk = inbox.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        results = []
        try:
            for position, task in enumerate(chunk):
                reading.value = position
                results.append(function(task))
            reading.value = len(chunk)
            message: tuple[bool, Any] = (True, results)
        except Exception as error:  # the caller's to see: raised again in the main process
            message = (False, error)
        inbox.send(message)


def _ignore_stop_signals() -> None:  # pragma: no cover - runs in the workers
    """In each worker: Ctrl-C and a hang-up are the main process's to handle (it stops the
    workers, so none prints a traceback of its own); SIGTERM, with which the main process
    stops workers, just ends it."""
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


class _Worker:
    """A worker process, the pipe to it, and the chunk it is reading (if any)."""

    def __init__(self, context: Any, function: Callable[[Task], Any]) -> None:
        self.pipe, inbox = context.Pipe()
        self.reading = context.RawValue("q", 0)
        self.process = context.Process(
            target=_serve, args=(inbox, function, self.reading), daemon=True
        )
        # Stop signals are held back until the worker ignores them; one that arrives
        # meanwhile reaches the main process once the worker is started.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            inbox.close()
        self.chunk: _Chunk | None = None

    def give(self, chunk: _Chunk) -> bool:
        """Send ``chunk``; False if the worker is gone (the chunk was not read)."""
        self.reading.value = -1  # not started: a death now blames no input
        try:
            self.pipe.send(chunk.tasks)
        except OSError:
            return False
        self.chunk = chunk
        return True

    def stop(self) -> None:
        """Ask an idle worker to end, end a busy one; either way, close the pipe."""
        if self.process.exitcode is None:
            if self.chunk is None:
                with contextlib.suppress(OSError):  # its end of the pipe is gone
                    self.pipe.send(None)
            else:
                self.process.terminate()
        self.pipe.close()


def _stop_all(workers: Iterable[_Worker]) -> None:
    """Stop ``workers``, killing any that has not ended within ``STOP_GRACE`` seconds."""
    workers = list(workers)
    for worker in workers:
        worker.stop()
    deadline = time.monotonic() + STOP_GRACE
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()


class _Run:
    """Workers, the chunks they read, and the results not yet yielded, in input order."""

    def __init__(
        self,
        workers: int,
        function: Callable[[Task], Any],
        on_lost: Callable[[Task, str], Any] | None,
    ) -> None:
        self.context = get_context("spawn" if sys.platform == "darwin" else "fork")
        self.function = function
        self.on_lost = on_lost
        self.size = workers
        self.workers: list[_Worker] = []
        #: Chunks to send before new ones: pieces of chunks whose worker died.
        self.again: collections.deque[_Chunk] = collections.deque()
        #: The results of each chunk not yet yielded, by piece (None: not come yet).
        self.done: dict[int, dict[tuple[int, ...], list[Any] | None]] = {}
        self.idle_deaths = 0

    def results(self, chunks: Iterator[list[Task]]) -> Iterator[Any]:
        numbered = enumerate(chunks)
        wanted = 0
        try:
            self.workers = [self._start() for _ in range(self.size)]
            self._feed(numbered)
            while wanted in self.done:
                pieces = self.done[wanted]
                if any(piece is None for piece in pieces.values()):
                    self._wait()
                    self._feed(numbered)
                    continue
                del self.done[wanted]
                wanted += 1
                for order in sorted(pieces):
                    yield from pieces[order] or ()
        finally:  # also on Ctrl-C, an error, or a consumer that stops early: no worker outlives us
            _stop_all(self.workers)

    def _start(self) -> _Worker:
        return _Worker(self.context, self.function)

    def _feed(self, numbered: Iterator[tuple[int, list[Task]]]) -> None:
        """Give every idle worker a chunk: a piece to read again first, else the next one."""
        for index, worker in enumerate(self.workers):
            while worker.chunk is None:
                if self.again:
                    chunk = self.again.popleft()
                else:
                    found = next(numbered, None)
                    if found is None:
                        return
                    number, tasks = found
                    self.done[number] = {(): None}
                    chunk = _Chunk((number,), tasks)
                if not worker.give(chunk):  # it died idle: the chunk goes to its replacement
                    self.again.appendleft(chunk)
                    worker = self._replace(index, worker)

    def _wait(self) -> None:
        """Take what the workers have sent; put what dead ones held back in line."""
        busy = [worker.pipe for worker in self.workers if worker.chunk is not None]
        ready = connection.wait(busy + [worker.process.sentinel for worker in self.workers])
        for index, worker in enumerate(self.workers):
            if worker.chunk is not None and worker.pipe in ready and self._receive(worker):
                continue  # its results came (a worker that died after sending is seen next)
            if worker.process.sentinel in ready or worker.pipe in ready:
                self._replace(index, worker)

    def _receive(self, worker: _Worker) -> bool:
        """Store ``worker``'s results; False if it died before they all came."""
        try:
            ok, payload = worker.pipe.recv()
        except Exception:  # the pipe closed, or a message cut short, by the worker's death
            return False
        chunk, worker.chunk = worker.chunk, None
        assert chunk is not None
        if not ok:
            raise payload
        self.done[chunk.order[0]][chunk.order[1:]] = payload
        self.idle_deaths = 0
        return True

    def _replace(self, index: int, worker: _Worker) -> _Worker:
        """A new worker in place of ``worker``, which died; what it was reading, in line."""
        if worker.process.exitcode is None:  # its pipe broke first: be sure it is gone
            worker.process.kill()
        worker.process.join()
        worker.pipe.close()
        how = _death(worker.process.exitcode or 0)
        chunk, worker.chunk = worker.chunk, None
        at = worker.reading.value
        if chunk is None or not 0 <= at < len(chunk.tasks):
            # It died idle, before it began, or having read everything: no input to blame.
            self.idle_deaths += 1
            if self.idle_deaths > IDLE_DEATHS_MAX:
                raise WorkerLostError(f"{how}; the workers keep dying")
            if chunk is not None:
                self._split(chunk, [(chunk.tasks, chunk.deaths)])
        else:
            self._blame(chunk, at, how)
        self.workers[index] = replacement = self._start()
        return replacement

    def _blame(self, chunk: _Chunk, at: int, how: str) -> None:
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
        message = f"{how} reading this input, twice; it may need more memory than there is"
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


def _death(exitcode: int) -> str:
    if exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
        if -exitcode in (signal.SIGKILL, signal.SIGTERM):  # as the kernel does for memory
            how += "; out of memory?"
    else:
        how = f"exited with status {exitcode}"
    return f"a worker process died ({how})"


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
