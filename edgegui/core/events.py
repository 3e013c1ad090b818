"""Progress events and cancellation shared by the CLI and the GUI.

Long operations take an optional ``progress`` callback and an optional
``CancelToken``; the CLI prints the events, the GUI turns them into Qt signals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from edgegui.core.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """One step of a long operation: ``done`` of ``total`` units (bytes, steps)."""

    task: str
    done: int = 0
    total: int | None = None
    message: str = ""
    unit: str = "B"
    started: float = field(default_factory=time.monotonic)

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)

    @property
    def rate(self) -> float:
        """Units per second since the operation started."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate, or None when unknown."""
        if not self.total or self.rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.rate)


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """Progress sink that drops events."""


class CancelToken:
    """Thread-safe flag a long operation polls between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled by the user")
