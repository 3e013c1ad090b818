"""Measures how long the event loop was kept from running (the "never freezes" check)."""

from __future__ import annotations

import asyncio
import time

TICK_S = 0.005


class StallMeter:
    """Ticks every few milliseconds on the asyncio loop; a late tick is a stall."""

    def __init__(self) -> None:
        self.largest_s = 0.0
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            late = time.perf_counter() - before - TICK_S
            self.ticks += 1
            self.largest_s = max(self.largest_s, late)
