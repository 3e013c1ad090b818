"""Report and diagnostics: buttons that write them, with progress and cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.context import AppContext
from edgegui.gui.progress import ProgressPanel
from edgegui.gui.tasks import blocking


class ReportsScreen(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.report_button = QPushButton("Write the &handover report…")
        self.report_button.setObjectName("reportButton")
        self.diagnostics_button = QPushButton("Collect &diagnostics…")
        self.diagnostics_button.setObjectName("diagnosticsButton")
        self.report_button.clicked.connect(
            lambda: self._start("report", "report.html", services.write_report)
        )
        self.diagnostics_button.clicked.connect(
            lambda: self._start("diagnostics", "diagnostics.tar.gz", services.collect_diagnostics)
        )
        self.progress = ProgressPanel(ctx.bridge, "reports")
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setObjectName("reportResult")
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "<b>Report</b>: what was commissioned, with preflight and health, for the "
                "customer.<br><b>Diagnostics</b>: logs and state of the device for support "
                "(secrets are redacted)."
            )
        )
        layout.addWidget(self.report_button)
        layout.addWidget(self.diagnostics_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.notes)
        layout.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.update_availability()  # imports the core modules: on first view, not at start-up

    def update_availability(self) -> None:
        missing = [f for f in ("report", "diagnostics") if not services.available(f)]
        self.report_button.setEnabled(services.available("report"))
        self.diagnostics_button.setEnabled(services.available("diagnostics"))
        self.notes.setText(f"Not in this build yet: {', '.join(missing)}." if missing else "")

    def _start(self, kind: str, suffix: str, write: Callable[..., Any]) -> None:
        if self.ctx.session is None:
            self.ctx.bridge.failed.emit(f"{kind}: connect to a device first", "")
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        default = str(Path.home() / f"edgegui-{kind}-{stamp}-{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, f"Save the {kind}", default)
        if path:
            self.ctx.runner.spawn(
                self.write_now(kind, Path(path), write),
                busy=[self.report_button, self.diagnostics_button],
            )

    async def write_now(self, kind: str, path: Path, write: Callable[..., Any]) -> Path:
        session = self.ctx.session
        if session is None:
            raise EdgeGUIError(f"{kind}: connect to a device first")
        token = self.progress.start(f"Writing the {kind}…")
        try:
            await blocking(
                write,
                session.transport,
                path,
                self.ctx.bridge.progress_for("reports"),
                token,
                session.secret_values,
            )
        finally:
            self.progress.finish("")
            self.update_availability()
        self.result.setText(f"Saved {path}")
        self.ctx.store.record(session.target, kind, str(path))
        return path
