"""One worker process: a pipe of its own, one chunk of inputs at a time, and what it tells the
main process if it dies.

Not a share of ``multiprocessing.Pool``'s queues: a worker that dies (killed from outside, by
the kernel for memory, or crashed by a page) can leave a shared queue's lock taken and a pool
stuck for ever. A worker here is seen to die at once (its process sentinel), and it has written
which input of its chunk it was reading where the main process can read it, so only that input
is suspected of the death.

The contract of a worker: it ignores Ctrl-C and hang-ups (the main process handles them and
stops the workers, so no worker prints a traceback of its own); SIGTERM ends it; it ends when
told to (``None``) or when the main process is gone (its pipe ends).
"""

from __future__ import annotations

import contextlib
import signal
import time
import traceback
from collections.abc import Callable, Iterable
from multiprocessing.reduction import ForkingPickler
from typing import Any

__all__ = ["STOP_GRACE", "RemoteTraceback", "Worker", "death", "stop_all"]

#: Seconds a worker has to end once asked (or terminated) before it is killed.
STOP_GRACE = 3.0

#: Signals that stop a run: the main process handles them and stops the workers.
STOP_SIGNALS = frozenset(
    (signal.SIGINT, signal.SIGTERM, *((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()))
)


class RemoteTraceback(Exception):  # noqa: N818 - the traceback, not an error of its own
    """The traceback of an exception raised in a worker, as its ``__cause__`` in the caller."""

    def __str__(self) -> str:
        return f"\n\n(in the worker process)\n{self.args[0]}"


def serve(
    inbox: Any, main_end: Any, function: Callable[[Any], Any], reading: Any
) -> None:  # pragma: no cover - runs in the workers
    """A worker's life: chunks in, their results out, until told to stop or the main process
    is gone. ``reading`` holds the position, in its chunk, of the input being read (-1 before
    the first, the chunk's length once all are read)."""
    main_end.close()  # a forked copy of the main process's end would keep the pipe open
    ignore_stop_signals()
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
            message: tuple[bool, Any, str] = (True, results, "")
        except Exception as error:  # the caller's to see: raised again in the main process
            message = (False, error, traceback.format_exc())
        try:
            data = bytes(ForkingPickler.dumps(message))
        except Exception as error:  # a result or an exception that cannot cross: say so
            cannot = RuntimeError(f"a worker's result cannot be sent back: {error!r}")
            data = bytes(ForkingPickler.dumps((False, cannot, traceback.format_exc())))
        try:
            inbox.send_bytes(data)
        except OSError:  # the main process is gone
            return


def ignore_stop_signals() -> None:  # pragma: no cover - runs in the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


class Worker:
    """A worker process, the pipe to it, and the chunk it is reading (``held``: the caller's
    record of it, None when idle)."""

    def __init__(self, context: Any, function: Callable[[Any], Any]) -> None:
        self.pipe, inbox = context.Pipe()
        self.reading = context.RawValue("q", 0)
        self.process = context.Process(
            target=serve, args=(inbox, self.pipe, function, self.reading), daemon=True
        )
        # Stop signals are held back until the worker ignores them; one that arrives
        # meanwhile reaches the main process once the worker is started.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            inbox.close()
        self.held: Any = None
        #: Whether the main process killed it (its pipe broke while it still ran).
        self.killed = False

    def give(self, held: Any, tasks: list[Any]) -> bool:
        """Send ``tasks``; False if the worker is gone (they were not read)."""
        self.reading.value = -1  # not started: a death now blames no input
        self.held = held  # before sending: a stop during the send ends a busy worker
        try:
            self.pipe.send(tasks)
        except OSError:
            self.held = None
            return False
        return True

    def receive(self) -> tuple[bool, Any] | None:
        """``(True, results)`` or ``(False, exception)`` for the chunk it held; None if it
        died before they all came."""
        try:
            data = self.pipe.recv_bytes()
        except (EOFError, OSError):  # the pipe closed, or a message cut short, by its death
            return None
        self.held = None
        ok, payload, remote = ForkingPickler.loads(data)
        if not ok:
            payload.__cause__ = RemoteTraceback(remote)
        return ok, payload

    def bury(self) -> str:
        """Make sure the worker is gone; how it died, in words."""
        if self.process.exitcode is None:  # its pipe broke first
            self.killed = True
            self.process.kill()
        self.process.join()
        self.pipe.close()
        return death(self.process.exitcode or 0, killed_here=self.killed)

    @property
    def out_of_memory(self) -> bool:
        """Whether it may have died for memory: the kernel's killer sends SIGKILL."""
        return self.process.exitcode == -signal.SIGKILL and not self.killed

    def stop(self) -> None:
        """Ask an idle worker to end, end a busy one; either way, close the pipe."""
        if self.process.exitcode is None:
            if self.held is None:
                with contextlib.suppress(OSError):  # its end of the pipe is gone
                    self.pipe.send(None)
            else:
                self.process.terminate()
        self.pipe.close()


def stop_all(workers: Iterable[Worker]) -> None:
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


def death(exitcode: int, *, killed_here: bool = False) -> str:
    """How a worker ended, for a message: the kernel's out-of-memory killer sends SIGKILL."""
    if killed_here:
        how = "its pipe broke; stopped"
    elif exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
        if -exitcode == signal.SIGKILL:  # what the kernel sends when memory runs out
            how += "; out of memory?"
    else:
        how = f"exited with status {exitcode}"
    return f"a worker process died ({how})"
