"""Report and diagnostics: the handover report (PDF, HTML or JSON, with a preview) and a
redacted diagnostics bundle, written with progress and cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.cards import scrolling, wrapped
from edgegui.gui.context import AppContext
from edgegui.gui.progress import ProgressPanel
from edgegui.gui.tasks import blocking

REPORT_FILTERS = "PDF document (*.pdf);;Web page (*.html);;JSON data (*.json)"
REMEMBERED = ("technician", "site", "customer")  # kept between sessions as preferences


class ReportsScreen(QWidget):
    """Signals: report_written(str path): a handover report was saved (and previewed)."""

    report_written = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label, hint in (
            ("technician", "&Technician", "who commissioned the device"),
            ("site", "&Site", "store, plant or cabinet"),
            ("customer", "C&ustomer", "who receives the device"),
            ("stack", "St&ack", "every stack EdgeGUI deployed (or one name)"),
        ):
            edit = QLineEdit(placeholderText=hint)
            edit.setObjectName(f"report_{name}")
            if name in REMEMBERED:
                edit.setText(ctx.store.preference(f"report.{name}"))
            self.fields[name] = edit
            form.addRow(label, edit)
        self.report_button = QPushButton("Write the &handover report…")
        self.report_button.setObjectName("reportButton")
        self.report_button.clicked.connect(self._ask_report_path)
        self.preview = QTextBrowser()
        self.preview.setObjectName("reportPreview")
        self.preview.setPlaceholderText("The report appears here once written.")
        # Tables are 100 % wide plus their border: a needless scroll bar otherwise.
        self.preview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        report_box = QGroupBox("Handover report")
        report_layout = QVBoxLayout(report_box)
        report_layout.addWidget(
            wrapped(
                "What was commissioned, read from the device now: hardware, preflight, "
                "hardening as the containers run, health, peripheral checks and the audit "
                "trail. PDF, HTML or JSON."
            )
        )
        report_layout.addLayout(form)
        report_layout.addWidget(self.report_button)
        report_layout.addWidget(self.preview, 1)

        self.diagnostics_button = QPushButton("Collect &diagnostics…")
        self.diagnostics_button.setObjectName("diagnosticsButton")
        self.diagnostics_button.clicked.connect(
            lambda: self._start("diagnostics", "diagnostics.tar.gz", services.collect_diagnostics)
        )
        diagnostics_box = QGroupBox("Diagnostics")
        diagnostics_row = QHBoxLayout(diagnostics_box)
        diagnostics_row.addWidget(
            wrapped("Logs and state of the device for support (secrets are redacted)."), 1
        )
        diagnostics_row.addWidget(self.diagnostics_button)

        self.progress = ProgressPanel(ctx.bridge, "reports")
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setObjectName("reportResult")
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(report_box, 1)
        inner.addWidget(diagnostics_box)
        inner.addWidget(self.progress)
        inner.addWidget(self.result)
        inner.addWidget(self.notes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(content))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.update_availability()  # imports the core modules: on first view, not at start-up

    def update_availability(self) -> None:
        missing = [f for f in ("report", "diagnostics") if not services.available(f)]
        self.report_button.setEnabled(services.available("report"))
        self.diagnostics_button.setEnabled(services.available("diagnostics"))
        self.notes.setText(f"Not in this build yet: {', '.join(missing)}." if missing else "")

    def details(self) -> services.ReportDetails:
        text = {name: edit.text().strip() for name, edit in self.fields.items()}
        return services.ReportDetails(
            technician=text["technician"],
            site=text["site"],
            customer=text["customer"],
            stack=text["stack"] or None,
        )

    # -- the handover report ---------------------------------------------------------
    def _ask_report_path(self) -> None:
        if self.ctx.session is None:
            self.ctx.bridge.failed.emit("report: connect to a device first", "")
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        default = str(Path.home() / f"edgegui-report-{stamp}.pdf")
        path, _ = QFileDialog.getSaveFileName(self, "Save the report", default, REPORT_FILTERS)
        if path:
            self.ctx.runner.spawn(
                self.write_report_now(Path(path)),
                busy=[self.report_button, self.diagnostics_button],
            )

    async def write_report_now(self, path: Path) -> Path:
        """Read the device, save the report at ``path`` (format by suffix), preview it."""
        session = self.ctx.session
        if session is None:
            raise EdgeGUIError("report: connect to a device first")
        details = self.details()
        for name in REMEMBERED:
            self.ctx.store.set_preference(f"report.{name}", getattr(details, name))
        token = self.progress.start("Writing the handover report…")
        try:
            report = await blocking(
                services.build_report,
                session.transport,
                details,
                self.ctx.bridge.progress_for("reports"),
                token,
                session.secret_values,
            )
            await blocking(services.save_report, report, path)
            html = await blocking(services.report_preview_html, report)
        finally:
            self.progress.finish("")
            self.update_availability()
        self.preview.setHtml(html)
        self.result.setText(f"Saved {path}")
        self.ctx.store.record(session.target, "report", str(path))
        self.report_written.emit(str(path))
        return path

    # -- diagnostics -----------------------------------------------------------------
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
