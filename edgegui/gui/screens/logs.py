"""Container logs with follow and a filter."""

from __future__ import annotations

import re

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import CancelToken
from edgegui.gui import services
from edgegui.gui.context import AppContext
from edgegui.gui.tasks import blocking

MAX_LINES = 5000  # older lines scroll away so a chatty container cannot eat the memory


class LogsPane(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.container = QComboBox()
        self.container.setObjectName("logContainer")
        self.container.setMinimumContentsLength(20)
        self.container.setAccessibleName("Container")
        self.filter = QLineEdit(placeholderText="filter (text or regular expression)")
        self.filter.setObjectName("logFilter")
        self.filter.setAccessibleName("Filter")
        self.follow_button = QPushButton("&Follow")
        self.follow_button.setObjectName("followLogs")
        self.follow_button.setCheckable(True)
        self.follow_button.toggled.connect(self._toggle)
        self.view = QPlainTextEdit(readOnly=True)
        self.view.setObjectName("logView")
        self.view.setAccessibleName("Log lines")
        self.view.setTabChangesFocus(True)
        self.view.setPlaceholderText(
            "Choose a container and press Follow: its last lines, then new ones as they come."
        )
        self.view.setMaximumBlockCount(MAX_LINES)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.lines: list[str] = []
        self.token: CancelToken | None = None
        row = QHBoxLayout()
        label = QLabel("&Container")
        label.setBuddy(self.container)
        row.addWidget(label)
        row.addWidget(self.container)
        row.addWidget(self.filter, 1)
        row.addWidget(self.follow_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self.filter.textChanged.connect(self._refilter)
        ctx.bridge.line.connect(self._on_line)

    def set_containers(self, names: list[str]) -> None:
        current = self.container.currentText()
        self.container.clear()
        self.container.addItems(names)
        if current in names:
            self.container.setCurrentText(current)

    def _matcher(self) -> re.Pattern[str]:
        text = self.filter.text()
        try:
            return re.compile(text, re.IGNORECASE)
        except re.error:
            return re.compile(re.escape(text), re.IGNORECASE)

    def _refilter(self) -> None:
        matcher = self._matcher()
        self.view.setPlainText("\n".join(line for line in self.lines if matcher.search(line)))

    def _on_line(self, stream: str, text: str) -> None:
        if stream != "logs":
            return
        self.lines = [*self.lines[-MAX_LINES + 1 :], text]
        if self._matcher().search(text):
            self.view.appendPlainText(text)

    def _toggle(self, on: bool) -> None:
        if on:
            self.ctx.runner.spawn(self.follow())
        elif self.token is not None:
            self.token.cancel()

    async def follow(self) -> None:
        session, name = self.ctx.session, self.container.currentText()
        if session is None or not name:
            self.follow_button.setChecked(False)
            raise EdgeGUIError("logs: connect to a device and choose a container first")
        self.token = token = CancelToken()
        self.lines = []
        self.view.clear()
        try:
            await blocking(
                services.follow_logs,
                session.transport,
                name,
                self.ctx.bridge.lines_for("logs"),
                token,
            )
        finally:
            self.token = None
            self.follow_button.setChecked(False)
