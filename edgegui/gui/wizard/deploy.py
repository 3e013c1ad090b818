"""Step 5: deploy with one progress bar (bytes, rate, ETA when images travel), an ordered
checklist that ticks as steps finish, and the result with the next actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.events import Progress
from edgegui.gui.bridge import CoreBridge
from edgegui.gui.cards import Checklist
from edgegui.gui.icons import icon, status_icon
from edgegui.gui.progress import ProgressPanel, human_bytes
from edgegui.gui.tables import STRETCH, read_only_table, set_row
from edgegui.gui.theme import set_tone, tone_colour

SEND, WRITE, HEALTH = "Send images from the bundle", "Write the stack's files", "Check health"


def start_waves(compose: dict[str, Any]) -> list[list[str]]:
    """The services in the groups the deploy starts together, dependencies first."""
    from edgegui.core.deploy.spec import waves_of  # the deploy package: loaded by warm-up

    services = compose.get("services") or {}
    return waves_of({name: list(body.get("depends_on") or []) for name, body in services.items()})


class DeployStep(QWidget):
    """Signals: next_action(str screen): "report" or "monitor" from the result's buttons;
    again(): commission another stack."""

    next_action = Signal(str)
    again = Signal()

    def __init__(self, bridge: CoreBridge) -> None:
        super().__init__()
        self.bundle = QLineEdit(placeholderText="images already on the device (no bundle)")
        self.bundle.setObjectName("deployBundle")
        self.bundle.setAccessibleName("Image bundle file")
        browse = QPushButton("&Bundle…")
        browse.setAccessibleName("Choose an image bundle")
        browse.clicked.connect(self._browse)
        self.deploy_button = QPushButton(icon("rocket"), "&Deploy to the device")
        self.deploy_button.setObjectName("deployButton")
        self.progress = ProgressPanel(bridge, "deploy")
        self.progress.follows_events = False  # this step drives the bar: one bar, all steps
        self.bar = self.progress.bar
        self.bar.setTextVisible(True)
        self.steps = Checklist("deploySteps")
        self.service_rows: dict[str, int] = {}

        self.verdict_icon = QLabel()
        self.result = QLabel("")
        self.result.setObjectName("deployResult")
        self.result.setWordWrap(True)
        self.services = read_only_table(
            "deployServices", ["Service", "State", "Health"], [STRETCH] * 3
        )
        self.report_button = QPushButton(icon("file-text"), "Write the handover &report")
        self.report_button.setObjectName("nextReport")
        self.report_button.clicked.connect(lambda: self.next_action.emit("report"))
        self.monitor_button = QPushButton(icon("activity"), "&Monitor this device")
        self.monitor_button.setObjectName("nextMonitor")
        self.monitor_button.clicked.connect(lambda: self.next_action.emit("monitor"))
        self.again_button = QPushButton("Commission &another stack")
        self.again_button.setObjectName("nextAgain")
        self.again_button.clicked.connect(self.again)
        self.outcome = QWidget()
        outcome = QVBoxLayout(self.outcome)
        outcome.setContentsMargins(0, 0, 0, 0)
        verdict = QHBoxLayout()
        verdict.addWidget(self.verdict_icon)
        verdict.addWidget(self.result, 1)
        outcome.addLayout(verdict)
        outcome.addWidget(self.services)
        # The next actions one under the other: three big buttons in a row are wider than a
        # 1024-pixel screen in large-controls mode.
        outcome.addWidget(QLabel("<b>Next</b>"))
        for button in (self.report_button, self.monitor_button, self.again_button):
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            outcome.addLayout(row)
        outcome.addStretch(1)
        self.outcome.hide()

        bundle_row = QHBoxLayout()
        bundle_label = QLabel("&Images:")
        bundle_label.setBuddy(self.bundle)
        bundle_row.addWidget(bundle_label)
        bundle_row.addWidget(self.bundle, 1)
        bundle_row.addWidget(browse)
        bundle_row.addWidget(self.deploy_button)
        body = QHBoxLayout()
        checklist = QVBoxLayout()
        checklist.addWidget(QLabel("<b>Steps</b>"))
        checklist.addWidget(self.steps, 1)
        body.addLayout(checklist, 2)
        body.addWidget(self.outcome, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bundle_row)
        layout.addWidget(self.progress)
        layout.addLayout(body, 1)
        bridge.progress.connect(self._on_progress)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Image bundle", str(Path.home()))
        if path:
            self.bundle.setText(path)

    def bundle_path(self) -> Path | None:
        text = self.bundle.text().strip()
        return Path(text).expanduser() if text else None

    # -- the checklist -------------------------------------------------------------
    def prepare(self, compose: dict[str, Any], with_bundle: bool) -> None:
        """The ordered steps of a deploy of ``compose``, all pending."""
        order = [name for wave in start_waves(compose) for name in wave]
        titles = ([SEND] if with_bundle else []) + [WRITE] + [f"Start {s}" for s in order]
        self.steps.set_steps([*titles, HEALTH])
        self.service_rows = {name: titles.index(f"Start {name}") for name in order}
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setFormat("")

    def reset(self) -> None:
        self.steps.clear()
        self.steps.states = []
        self.service_rows = {}
        self.services.setRowCount(0)
        self.result.setText("")
        self.outcome.hide()

    def _row_of(self, title: str) -> int | None:
        titles = self.steps.titles()
        return titles.index(title) if title in titles else None

    def _advance_to(self, row: int | None) -> None:
        """Everything before ``row`` is done; ``row`` runs."""
        self.bar.setRange(0, 1000)  # the panel starts busy; from the first step on it counts
        if row is None:
            return
        for earlier in range(row):
            if self.steps.states[earlier] in ("pending", "running"):
                self.steps.set_state(earlier, "done")
        self.steps.set_state(row, "running")
        finished = sum(s == "done" for s in self.steps.states)
        self.bar.setValue(int(1000 * finished / max(1, self.steps.count())))

    def _on_progress(self, operation: str, event: Progress) -> None:
        if operation != "deploy" or not self.steps.count():
            return
        if event.task == "transfer":
            self._advance_to(self._row_of(SEND))
            self._show_bytes(event)
            return
        message = event.message
        if message == "writing files":
            self._advance_to(self._row_of(WRITE))
        elif message.startswith("starting ") and self._wave_rows(message[9:]):
            rows = self._wave_rows(message[9:])  # one wave: "starting a, b" starts both
            self._advance_to(rows[0])
            for row in rows[1:]:
                self.steps.set_state(row, "running")
        elif message == "starting services":
            self._advance_to(self._row_of(HEALTH) if not self.service_rows else None)
        self.bar.setFormat(message[:1].upper() + message[1:] if message else "")
        self.progress.label.setText(f"Deploying: {message}" if message else "Deploying…")

    def _wave_rows(self, names: str) -> list[int]:
        rows = [self.service_rows.get(name) for name in names.split(", ")]
        return sorted(row for row in rows if row is not None) if None not in rows else []

    def _show_bytes(self, event: Progress) -> None:
        if not event.total:
            return
        self.bar.setValue(int(1000 * (event.fraction or 0.0)))
        text = f"{human_bytes(event.done)} of {human_bytes(event.total)}"
        if event.rate > 0:
            text += f" · {human_bytes(event.rate)}/s"
        if event.eta is not None:
            text += f" · {event.eta:.0f} s left"
        self.bar.setFormat(text)
        self.progress.label.setText(
            f"Sending images: {event.message}" if event.message else "Sending images"
        )

    # -- the result ----------------------------------------------------------------
    def show_outcome(
        self, ok: bool, reason: str, rolled_back: bool, services: dict[str, Any]
    ) -> None:
        states = self.steps.states
        for row, state in enumerate(states):
            if ok and state in ("pending", "running"):
                self.steps.set_state(row, "done")
        if not ok:
            running = [r for r, s in enumerate(states) if s == "running"]
            failed = running[0] if running else self.steps.count() - 1
            if failed >= 0:
                self.steps.set_state(failed, "failed", f"{self.steps.titles()[failed]}: {reason}")
            for row, state in enumerate(self.steps.states):
                if state == "pending":
                    self.steps.set_state(row, "skipped")
        self.bar.setVisible(True)  # the bar stays, full or where it stopped
        self.bar.setRange(0, 1000)
        self.bar.setValue(1000 if ok else self.bar.value())
        self.bar.setFormat("Deployed" if ok else "Failed")
        verdict = (
            "Deployed: every service is up (and healthy where it has a health check)."
            if ok
            else f"Deploy failed: {reason}"
        )
        if rolled_back:
            verdict += " The previous version was restored."
        self.result.setText(verdict)
        set_tone(self.result, "pass" if ok else "fail")
        self.verdict_icon.setPixmap(status_icon("pass" if ok else "fail").pixmap(32, 32))
        self.services.setRowCount(len(services))
        rows_height = self.services.verticalHeader().defaultSectionSize() * max(1, len(services))
        self.services.setMaximumHeight(rows_height + self.services.horizontalHeader().height() + 6)
        for row, (name, info) in enumerate(sorted(services.items())):
            info = info if isinstance(info, dict) else {"state": str(info)}
            state, health = str(info.get("state", "")), str(info.get("health") or "none")
            checked = health not in ("none", "")
            shown = health if checked else "no health check"
            cells = [QTableWidgetItem(name), QTableWidgetItem(state), QTableWidgetItem(shown)]
            cells[1].setForeground(tone_colour("pass" if state == "running" else "fail"))
            health_tone = "pass" if health == "healthy" else "warn" if checked else "muted"
            cells[2].setForeground(tone_colour(health_tone))
            set_row(self.services, row, cells)
        self.outcome.show()
        self.report_button.setFocus()
