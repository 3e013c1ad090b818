"""Readable error dialogs: one line, with the details behind a button."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class ErrorDialog(QMessageBox):
    """A one-line error; the traceback or command output sits under "Show Details…"."""

    def __init__(self, summary: str, details: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("EdgeGUI — error")
        self.setText(summary)
        if details:
            self.setDetailedText(details)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)


class ErrorHook:
    """Shows every failure reported through the bridge, one dialog at a time."""

    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.current: ErrorDialog | None = None
        self.shown: list[str] = []  # summaries, for the history and for tests

    def show(self, summary: str, details: str) -> None:
        self.shown.append(summary)
        if self.current is not None and self.current.isVisible():
            self.current.setText(self.current.text() + "\n" + summary)
            return
        self.current = ErrorDialog(summary, details, self.parent)
        self.current.open()  # window-modal, never a nested event loop
