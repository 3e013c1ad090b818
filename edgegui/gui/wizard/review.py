"""Step 4: review the rendered Compose file and its difference from what runs now."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget


def _code_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


class ReviewStep(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        # What rendering for this device changed on its own (values read from the device,
        # limits its engine cannot enforce): amber, never silent.
        self.notes = QLabel("")
        self.notes.setObjectName("renderNotes")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #9a6700;")
        self.notes.hide()
        self.compose = _code_view("composeView")
        self.diff = _code_view("diffView")
        tabs = QTabWidget()
        tabs.addTab(self.compose, "Compose file")
        tabs.addTab(self.diff, "Changes against the device")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Review</b> what will be deployed."))
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(tabs, 1)

    def show_rendered(
        self, summary: str, compose_yaml: str, diff: str, notes: list[str] | None = None
    ) -> None:
        self.summary.setText(summary)
        self.notes.setText("\n".join(f"• {note}" for note in notes or ()))
        self.notes.setVisible(bool(notes))
        self.compose.setPlainText(compose_yaml)
        self.diff.setPlainText(diff)
