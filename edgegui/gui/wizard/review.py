"""Step 4: review the rendered Compose file, its difference from what runs now, and a
security summary: waivers in amber with their reasons, limits the device cannot enforce."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.gui.cards import Card, StatusLine, scrolling, wrapped

if TYPE_CHECKING:
    from edgegui.core.templates import RenderedStack

# "SCANNER_GID=20: the group owning …": a parameter the render filled in from the device.
READ_FROM_DEVICE = re.compile(r"^[A-Z][A-Z0-9_]*=")
HARDENED = (
    "read-only root, no capabilities, no new privileges, non-root user, memory/CPU/pids "
    "limits, log rotation, ports on one address, seccomp profile edge-default"
)


def _code_view(name: str, accessible: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setReadOnly(True)
    view.setTabChangesFocus(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


class SecuritySummary(Card):
    """What runs hardened, what each waiver gives up and why, what the device cannot enforce."""

    def __init__(self) -> None:
        super().__init__("Security summary", "shield-alert", "Security summary")
        self.waivers: list[StatusLine] = []
        self.limits: list[StatusLine] = []

    def show_stack(self, rendered: RenderedStack | None, notes: list[str]) -> None:
        self.clear()
        self.waivers, self.limits = [], []
        if rendered is None:
            return
        waived = {w.service for w in rendered.waivers}
        hardened = [name for name in rendered.services if name not in waived]
        if hardened:
            self.body.addWidget(
                StatusLine("pass", f"{', '.join(hardened)}: fully hardened", HARDENED)
            )
        for waiver in rendered.waivers:
            self.waivers.append(StatusLine("warn", waiver.describe()))
        if self.waivers:
            self.body.addWidget(wrapped("<b>Waivers</b> (written in the template, with reasons)"))
        for line in self.waivers:
            self.body.addWidget(line)
        read = [note for note in notes if READ_FROM_DEVICE.match(note)]
        self.limits = [StatusLine("warn", note) for note in notes if note not in read]
        if self.limits:
            self.body.addWidget(wrapped("<b>Limits this device cannot enforce</b>"))
        for line in self.limits:
            self.body.addWidget(line)
        if read:
            self.body.addWidget(wrapped("<b>Values read from the device</b>"))
        for note in read:
            self.body.addWidget(StatusLine("pass", note))
        if rendered.bindings:
            self.body.addWidget(wrapped("<b>Hardware passed in</b>"))
            for binding in rendered.bindings.values():
                text = f"{binding.slot}: {binding.describe()}"
                self.body.addWidget(wrapped(text, "muted", paths=True))


class ReviewStep(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.summary = wrapped("")
        self.summary.setObjectName("reviewSummary")
        # Kept for scripts and tests: the notes as one amber text.
        self.notes = QLabel("")
        self.notes.setObjectName("renderNotes")
        self.notes.hide()
        self.security = SecuritySummary()
        self.compose = _code_view("composeView", "Compose file")
        self.diff = _code_view("diffView", "Changes against the device")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compose, "Compose file")
        self.tabs.addTab(self.diff, "Changes against the device")
        security = scrolling(self.security)
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(self.tabs)
        split.addWidget(security)
        split.setSizes([560, 440])
        heading = QLabel("<b>Review</b> what will be deployed.")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def show_rendered(
        self,
        summary: str,
        compose_yaml: str,
        diff: str,
        notes: list[str] | None = None,
        rendered: RenderedStack | None = None,
    ) -> None:
        self.summary.setText(summary)
        self.notes.setText("\n".join(f"• {note}" for note in notes or ()))
        self.security.show_stack(rendered, list(notes or ()))
        self.compose.setPlainText(compose_yaml)
        self.diff.setPlainText(diff)
