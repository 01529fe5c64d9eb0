"""A one-line progress bar on stderr: count, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Redraws at most ten times a second; does nothing when disabled."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.perf_counter()
        self.drawn = 0.0

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.drawn >= 0.1 or self.done == self.total:
            self.drawn = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        minutes, seconds = divmod(int(left), 60)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} pages "
            f"{rate:.1f}/s ETA {minutes}:{seconds:02d}"
        )

    def interrupt(self, message: str) -> None:
        """Print ``message`` on its own line (the bar, if shown, is redrawn after it)."""
        if self.enabled and self.done:
            self.stream.write("\r\x1b[K")
        print(message, file=self.stream)
        self.drawn = 0.0

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()
