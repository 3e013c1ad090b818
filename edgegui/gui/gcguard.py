"""Python's garbage collector runs on the GUI thread only, while the GUI runs.

The cyclic collector runs in whichever thread happens to allocate. When that is a worker
thread (a device snapshot, an SSH read), the PySide wrappers it collects delete their Qt
objects there, but Qt objects must die on the thread that owns them. So automatic collection
is off while the event loop runs, and a timer on the GUI thread collects as CPython would, by
the same thresholds (the "GarbageCollector" helper PySide and PyQt applications use).
"""

from __future__ import annotations

import gc
import warnings

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.was_enabled = gc.isenabled()

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.was_enabled:
            gc.enable()

    def check(self) -> None:
        """Collect the generations whose counts passed CPython's own thresholds."""
        thresholds = gc.get_threshold()
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                with warnings.catch_warnings():  # e.g. a socket docker-py left open
                    warnings.simplefilter("ignore", ResourceWarning)
                    gc.collect(generation)
                return
