"""Step 5: deploy with per-step progress and cancel, then the result with health."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.events import Progress
from edgegui.gui.bridge import CoreBridge
from edgegui.gui.progress import ProgressPanel, describe
from edgegui.gui.tables import STRETCH, read_only_table, set_row


class DeployStep(QWidget):
    """The deploy button, a progress line per step seen so far, and the outcome."""

    def __init__(self, bridge: CoreBridge) -> None:
        super().__init__()
        self.deploy_button = QPushButton("&Deploy to the device")
        self.deploy_button.setObjectName("deployButton")
        self.progress = ProgressPanel(bridge, "deploy")
        self.steps = read_only_table("deploySteps", ["Step", "Progress"])
        self.result = QLabel("")
        self.result.setObjectName("deployResult")
        self.result.setWordWrap(True)
        self.services = read_only_table(
            "deployServices", ["Service", "State", "Health"], [STRETCH] * 3
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.deploy_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.services, 1)
        self._rows: dict[str, int] = {}
        bridge.progress.connect(self._on_progress)

    def reset(self) -> None:
        self._rows = {}
        self.steps.setRowCount(0)
        self.services.setRowCount(0)
        self.result.setText("")

    def _on_progress(self, operation: str, event: Progress) -> None:
        if operation != "deploy":
            return
        # Step counters ("2 of 4: writing files") get a row per step; byte counters
        # (transfers) update one row per task with size, rate and ETA.
        stepwise = event.unit in ("steps", "step", "services") and event.message
        key = f"{event.task}: {event.message}" if stepwise else event.task
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = self.steps.rowCount()
            self.steps.insertRow(row)
        title = event.message if stepwise else event.task
        detail = f"{event.done} of {event.total} {event.unit}" if stepwise else describe(event)
        set_row(self.steps, row, (title, detail))

    def show_outcome(
        self, ok: bool, reason: str, rolled_back: bool, services: dict[str, Any]
    ) -> None:
        verdict = (
            "Deployed: every service is up (and healthy where it has a health check)."
            if ok
            else f"Deploy failed: {reason}"
        )
        if rolled_back:
            verdict += " The previous version was restored."
        self.result.setText(verdict)
        self.services.setRowCount(len(services))
        for row, (name, info) in enumerate(sorted(services.items())):
            info = info if isinstance(info, dict) else {"state": str(info)}
            cells = (name, str(info.get("state", "")), str(info.get("health", "") or "—"))
            set_row(self.services, row, cells)
