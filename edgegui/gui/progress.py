"""A progress line with a Cancel button, fed by core Progress events through the bridge."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from edgegui.core.events import CancelToken, Progress
from edgegui.gui.bridge import CoreBridge


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(count) < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} GiB"


def describe(event: Progress) -> str:
    """``pull image: 12.0 MiB of 40.0 MiB, 3.1 MiB/s, 9 s left`` and simpler forms."""
    text = event.task + (f": {event.message}" if event.message else "")
    if event.unit == "B" and event.total:
        text += f" — {human_bytes(event.done)} of {human_bytes(event.total)}"
        if event.rate > 0:
            text += f", {human_bytes(event.rate)}/s"
    elif event.total:
        text += f" — {event.done} of {event.total}"
    if event.eta is not None:
        text += f", {event.eta:.0f} s left"
    return text


class ProgressPanel(QWidget):
    """Shows the running operation ``operation``; Cancel sets the token it hands out."""

    def __init__(self, bridge: CoreBridge, operation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operation = operation
        self.token: CancelToken | None = None
        self.follows_events = True  # False: the owner drives label and bar itself
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName(f"Cancel the {operation}")
        self.cancel_button.setObjectName(f"{operation}Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 3)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.cancel_button)
        bridge.progress.connect(self._on_progress)
        self.finish("")

    def start(self, message: str) -> CancelToken:
        self.token = CancelToken()
        self.label.setText(message)
        self.bar.setRange(0, 0)  # busy until a first event says how much
        self.bar.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        return self.token

    def finish(self, message: str) -> None:
        self.token = None
        self.label.setText(message)
        self.bar.setVisible(False)
        self.cancel_button.setVisible(False)

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText(self.label.text() + " — cancelling…")

    def _on_progress(self, operation: str, event: Progress) -> None:
        if operation != self.operation or self.token is None or not self.follows_events:
            return
        self.label.setText(describe(event))
        if event.total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * (event.fraction or 0.0)))
        else:
            self.bar.setRange(0, 0)
