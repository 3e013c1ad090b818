"""The one bridge from core events (raised on worker threads) to Qt signals.

Core callbacks run on worker threads; they only ever emit these signals, and Qt queues
them to the widgets on the GUI thread (model: Electrum's QtEventListener).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from edgegui.core.events import Progress, ProgressCallback


class CoreBridge(QObject):
    """Signals:
    progress(str operation, Progress event): a step of a long operation.
    line(str stream, str text): a line of logs or terminal output for ``stream``.
    host_key_question(object HostKeyQuestion): a worker waits for the user's answer.
    failed(str summary, str details): an operation failed; shown by the error hook.
    """

    progress = Signal(str, object)
    line = Signal(str, str)
    host_key_question = Signal(object)
    failed = Signal(str, str)

    def progress_for(self, operation: str) -> ProgressCallback:
        """A core progress callback that reaches widgets through ``progress``."""

        def emit(event: Progress) -> None:
            self.progress.emit(operation, event)

        return emit

    def lines_for(self, stream: str) -> Any:
        """A ``str -> None`` callback that reaches widgets through ``line``."""

        def emit(text: str) -> None:
            self.line.emit(stream, text)

        return emit
