"""A one-line progress bar on stderr: count, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ETA_AFTER_FRACTION", "ETA_AFTER_SECONDS", "Progress"]

#: The rate and time left are shown once this many seconds have passed...
ETA_AFTER_SECONDS = 3.0
#: ...or this fraction of the work is done: before that, starting workers dominates the rate.
ETA_AFTER_FRACTION = 0.01


class Progress:
    """Redraws at most ten times a second; does nothing when disabled."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.perf_counter()
        self.drawn = 0.0
        self.shown = False

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.drawn >= 0.1 or self.done == self.total:
            self.drawn = now
            self.stream.write("\r" + self.line(now) + "\x1b[K")
            self.stream.flush()
            self.shown = True

    def line(self, now: float) -> str:
        """The bar for ``now`` (a ``time.perf_counter()`` value)."""
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} pages"
        elapsed = now - self.started
        settled = elapsed >= ETA_AFTER_SECONDS or (
            self.total and self.done >= ETA_AFTER_FRACTION * self.total
        )
        if not settled or elapsed <= 0 or not self.done:
            return bar
        rate = self.done / elapsed
        return f"{bar} {rate:.1f}/s ETA {_duration((self.total - self.done) / rate)}"

    def clear(self) -> None:
        """Take the bar off the screen (before a message that ends the run)."""
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def interrupt(self, message: str) -> None:
        """Print ``message`` on its own line (the bar, if shown, is redrawn after it)."""
        self.clear()
        print(message, file=self.stream)
        self.drawn = 0.0

    def close(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
