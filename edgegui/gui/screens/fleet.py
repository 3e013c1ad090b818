"""Fleet: a device list (CSV) commissioned with one template and one bundle, N at a time,
each device's state live in a table. The run happens on worker threads; its events reach
the table through the bridge's ``progress`` signal (operation ``fleet``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import CancelToken
from edgegui.gui import services
from edgegui.gui.context import AppContext
from edgegui.gui.tables import read_only_table, set_row
from edgegui.gui.tasks import blocking

COLUMNS = ["Device", "Target", "Site", "State", "Progress", "Time", "Sent", "Report"]
STATE_COLUMN, PROGRESS_COLUMN = 3, 4


def _load(path: Path) -> list[Any]:
    from edgegui.core.fleet import read_devices

    return read_devices(path)


class FleetScreen(QWidget):
    """Signals:
    devices_loaded(int count): a device list was read.
    finished(object FleetSummary): a fleet run ended.
    """

    devices_loaded = Signal(int)
    finished = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.devices: list[Any] = []
        self.csv_path: Path | None = None
        self.cancel: CancelToken | None = None
        self.rows: dict[str, int] = {}
        self.list_button = QPushButton("Device &list…")
        self.list_button.clicked.connect(self._ask_list)
        self.list_label = QLabel("No device list (CSV: target, name, site, identity, …)")
        self.template = QComboBox()
        self.template.setObjectName("fleetTemplate")
        self.bundle = QLineEdit(placeholderText="image bundle (optional), read once for all")
        self.bundle.setObjectName("fleetBundle")
        self.parallel = QSpinBox(minimum=1, maximum=64, value=4)
        self.parallel.setPrefix("at once: ")
        self.deploy_button = QPushButton("&Deploy to all")
        self.deploy_button.setObjectName("fleetDeploy")
        self.deploy_button.clicked.connect(lambda: self.ctx.runner.spawn(self.deploy_now()))
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.table = read_only_table("fleetTable", COLUMNS)
        self.summary = QLabel("")
        self.summary.setObjectName("fleetSummary")
        self.summary.setWordWrap(True)
        self.list_label.setWordWrap(True)  # a long CSV path wraps instead of widening the window
        self.template.setAccessibleName("Fleet template")
        self.bundle.setAccessibleName("Image bundle for the fleet")
        self.parallel.setAccessibleName("Devices deployed at once")
        template_label = QLabel("&Template")
        template_label.setBuddy(self.template)
        top = QHBoxLayout()
        top.addWidget(self.list_button)
        top.addWidget(self.list_label, 1)
        choices = QHBoxLayout()  # two rows, so large controls still fit a 1024-px screen
        choices.addWidget(template_label)
        choices.addWidget(self.template, 1)
        choices.addWidget(self.parallel)
        run = QHBoxLayout()
        run.addWidget(self.bundle, 1)
        run.addWidget(self.deploy_button)
        run.addWidget(self.cancel_button)
        intro = QLabel("<b>Fleet</b> — many devices at once; a rerun skips devices "
                       "already at this version and retries failed ones.")  # fmt: skip
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(choices)
        layout.addLayout(run)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        ctx.bridge.progress.connect(self._event)
        self._templates_loaded = False

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._templates_loaded:  # templates load YAML and schemas: on first view
            self._templates_loaded = True
            self.ctx.runner.spawn(self._load_templates())

    async def _load_templates(self) -> None:
        entries = await blocking(services.templates)
        self.template.addItems([entry.name for entry in entries])

    def _ask_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Device list", "", "CSV (*.csv)")
        if path:
            self.ctx.runner.spawn(self.load_devices(Path(path)))

    async def load_devices(self, path: Path) -> int:
        """Read the CSV and show one row per device."""
        self.show_devices(await blocking(_load, path), path)
        return len(self.devices)

    def show_devices(self, devices: list[Any], path: Path) -> None:
        """One row per device of the list read from ``path``, nothing run yet."""
        self.devices = devices
        self.csv_path = path
        self.list_label.setText(f"{path} — {len(self.devices)} devices")
        self.rows = {d.name: row for row, d in enumerate(self.devices)}
        self.table.setRowCount(len(self.devices))
        for row, device in enumerate(self.devices):
            set_row(self.table, row, [device.name, device.target, device.site, "—", "", "", "",
                                      ""])  # fmt: skip
        self.devices_loaded.emit(len(self.devices))

    async def deploy_now(self, template: str | None = None) -> Any:
        """Deploy the chosen template to every listed device; rows follow live."""
        if not self.devices or self.csv_path is None:
            raise EdgeGUIError("fleet: choose a device list first")
        name = template or self.template.currentText()
        if not name:
            raise EdgeGUIError("fleet: choose a template")
        bundle = Path(self.bundle.text()) if self.bundle.text().strip() else None
        reports = self.csv_path.with_name(f"{self.csv_path.stem}-reports")
        self.cancel = CancelToken()
        listener = self.ctx.bridge.progress_for("fleet")
        self.deploy_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.summary.setText(f"Deploying {name} to {len(self.devices)} devices…")
        try:
            summary = await blocking(
                _run_from_csv, self.csv_path, name, bundle, self.parallel.value(), reports,
                lambda event: listener(event), self.cancel,
            )  # fmt: skip
        finally:
            self.deploy_button.setEnabled(True)
            self.cancel_button.setEnabled(False)
        self._show_summary(summary)
        self.finished.emit(summary)
        return summary

    def _cancel(self) -> None:
        if self.cancel is not None:
            self.cancel.cancel()

    def _event(self, operation: str, event: Any) -> None:
        if operation != "fleet" or getattr(event, "device", None) not in self.rows:
            return
        row = self.rows[event.device]
        detail = event.message
        if event.total:
            detail = f"{(event.done or 0) / 1e6:.1f}/{event.total / 1e6:.1f} MB"
        self.table.item(row, STATE_COLUMN).setText(event.state)
        self.table.item(row, PROGRESS_COLUMN).setText(detail)

    def _show_summary(self, summary: Any) -> None:
        for outcome in summary.outcomes:
            row = self.rows.get(outcome.name)
            if row is None:
                continue
            sent = f"{outcome.bytes_sent / 1e6:.1f} MB" if outcome.bytes_sent else "—"
            report = str(outcome.report_path) if outcome.report_path else "—"
            for column, text in (
                (3, outcome.result),
                (4, outcome.reason),
                (5, f"{outcome.duration_s:.1f} s"),
                (6, sent),
                (7, report),
            ):
                self.table.item(row, column).setText(text)  # fmt: skip
        failed = sum(1 for o in summary.outcomes if not o.ok)
        self.summary.setText(
            f"{len(summary.outcomes)} devices, {failed} failed, {summary.duration_s:.1f} s."
        )


def _run_from_csv(path: Path, template_name: str, bundle: Path | None, parallel: int,
                  report_dir: Path, listener: Any, cancel: CancelToken) -> Any:  # fmt: skip
    """Re-read the list with the template's secrets known, check references, run."""
    from edgegui.core.fleet import FleetPlan, run_fleet
    from edgegui.core.fleet.devices_csv import devices_for_template
    from edgegui.core.templates import load_template

    template = load_template(template_name)
    devices = devices_for_template(path, template)
    plan = FleetPlan(template=template, stack=template.name, report_dir=report_dir)
    return run_fleet(devices, plan, bundle=bundle, parallel=parallel, listener=listener,
                     cancel=cancel)  # fmt: skip
