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
        self.compose = _code_view("composeView")
        self.diff = _code_view("diffView")
        tabs = QTabWidget()
        tabs.addTab(self.compose, "Compose file")
        tabs.addTab(self.diff, "Changes against the device")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Review</b> what will be deployed."))
        layout.addWidget(self.summary)
        layout.addWidget(tabs, 1)

    def show_rendered(self, summary: str, compose_yaml: str, diff: str) -> None:
        self.summary.setText(summary)
        self.compose.setPlainText(compose_yaml)
        self.diff.setPlainText(diff)
