"""Monitor: containers with image name, state, health, uptime and restarts as badges; device
CPU, memory, disk and temperature as charts; alerts by severity; logs; and a terminal."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.cards import Badge
from edgegui.gui.context import AppContext, Session
from edgegui.gui.icons import icon, status_icon
from edgegui.gui.progress import human_bytes
from edgegui.gui.screens.charts import DeviceCharts, import_numpy, import_plotting
from edgegui.gui.screens.logs import LogsPane
from edgegui.gui.screens.terminal import TerminalPane
from edgegui.gui.tables import read_only_table, set_row
from edgegui.gui.tasks import blocking
from edgegui.gui.theme import tone_colour

REFRESH_MS = 5000
COLUMNS = ("Container", "Image", "State", "Health", "Uptime", "Restarts", "CPU", "Memory")
STATE_TONES = {"running": "pass", "restarting": "warn", "paused": "warn", "created": "muted"}
HEALTH_TONES = {"healthy": "pass", "starting": "info", "unhealthy": "fail"}
SEVERITY_TONES = {"critical": "fail", "warning": "warn"}


def short_bytes(count: float) -> str:
    """``38 MiB``, ``1.5 GiB``: whole numbers from ten up (a narrow column)."""
    text = human_bytes(count)
    number, _, unit = text.partition(" ")
    return f"{float(number):.0f} {unit}" if float(number) >= 10 else text


def uptime(seconds: float | None) -> str:
    """``42 s``, ``12 min``, ``5 h 12 min``, ``3 d 4 h``."""
    if seconds is None:
        return "—"
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


class ContainersPane(QWidget):
    """Signals: refreshed(object MonitorView) after each snapshot is on screen."""

    refreshed = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.refresh_button = QPushButton(icon("refresh-cw"), "&Refresh")
        self.refresh_button.setObjectName("refreshMonitor")
        self.refresh_button.clicked.connect(self.start_refresh)
        self.auto = QCheckBox(f"&Live (every {REFRESH_MS // 1000} s)")
        self.auto.setObjectName("liveMonitor")
        self.auto.toggled.connect(self._auto_toggled)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.taken = QLabel("No snapshot yet.")
        self.taken.setObjectName("monitorTaken")
        self.table = read_only_table("containersTable", COLUMNS)
        self.table.setAccessibleName("Containers")
        self.charts = DeviceCharts()
        self.alerts = QListWidget()
        self.alerts.setObjectName("alertsList")
        self.alerts.setAccessibleName("Alerts")
        self.alerts.setWordWrap(True)
        self.busy = False
        self.last: services.MonitorView | None = None
        top = QHBoxLayout()
        top.addWidget(self.refresh_button)
        top.addWidget(self.auto)
        top.addWidget(self.taken, 1)
        alerts = QWidget()
        alert_box = QVBoxLayout(alerts)
        alert_box.setContentsMargins(0, 0, 0, 0)
        alert_box.addWidget(QLabel("<b>Alerts</b>"))
        alert_box.addWidget(self.alerts)
        bottom = QSplitter()
        bottom.setChildrenCollapsible(False)
        bottom.addWidget(self.charts)
        bottom.addWidget(alerts)
        bottom.setSizes([700, 300])
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(bottom)
        split.setSizes([250, 350])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.charts_task: object = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.charts_task is None:  # pyqtgraph loads off the GUI thread, on first view
            self.charts_task = self.ctx.runner.spawn(self.load_charts())

    async def load_charts(self) -> None:
        await blocking(import_numpy)
        self.charts.build(import_plotting())

    def _auto_toggled(self, on: bool) -> None:
        if on:
            self.timer.start()
            self._tick()
        else:
            self.timer.stop()

    def _tick(self) -> None:
        if not self.busy and self.ctx.session is not None:
            self.start_refresh()

    def start_refresh(self) -> None:
        self.ctx.runner.spawn(self.refresh_now(), busy=[self.refresh_button])

    async def refresh_now(self) -> services.MonitorView:
        session = self.ctx.session
        if session is None:
            raise EdgeGUIError("monitor: connect to a device first")
        self.busy = True
        try:
            view = await blocking(services.monitor_snapshot, session.transport, self.last)
        except EdgeGUIError:
            self.auto.setChecked(False)  # one error dialog, not one every 5 s
            raise
        finally:
            self.busy = False
        self.last = view
        self.show_view(view)
        self.refreshed.emit(view)
        return view

    def show_view(self, view: services.MonitorView) -> None:
        self.table.setRowCount(len(view.containers))
        for row, c in enumerate(view.containers):
            cpu = "…" if c.cpu_percent is None else f"{c.cpu_percent:.1f} %"
            memory = "" if c.mem_bytes is None else short_bytes(c.mem_bytes)
            if c.mem_bytes is not None and c.mem_limit:
                memory += f" / {short_bytes(c.mem_limit)}"
            name = QTableWidgetItem(c.name)
            name.setToolTip(f"stack {c.stack}" if c.stack else "not in a stack")
            cells = [name, c.image, "", "", uptime(c.uptime_s), "", cpu, memory]
            set_row(self.table, row, cells)
            self._badge(row, 2, c.state, STATE_TONES.get(c.state, "fail"))
            self._badge(row, 3, c.health or "no check", HEALTH_TONES.get(c.health, "muted"))
            self._badge(row, 5, str(c.restarts), "pass" if not c.restarts else "warn")
        self.table.resizeColumnsToContents()
        self.alerts.clear()
        for alert in view.alerts:
            tone = SEVERITY_TONES.get(alert.severity, "warn")
            item = QListWidgetItem(status_icon(tone), f"{alert.severity.upper()}: {alert.text}")
            item.setForeground(tone_colour(tone))
            self.alerts.addItem(item)
        if not view.alerts:
            self.alerts.addItem(QListWidgetItem(status_icon("pass"), "No alerts."))
        running = sum(c.state == "running" for c in view.containers)
        self.taken.setText(f"{running} of {len(view.containers)} containers running.")
        self.charts.add(view.device)

    def _badge(self, row: int, column: int, text: str, tone: str) -> None:
        # Screen readers read the item; the badge covers the cell, so it shows no text itself.
        item = QTableWidgetItem()
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        item.setToolTip(text)
        self.table.setItem(row, column, item)
        holder = QWidget()
        box = QHBoxLayout(holder)
        box.setContentsMargins(4, 1, 4, 1)
        box.addWidget(Badge(text, tone))
        box.addStretch(1)
        self.table.setCellWidget(row, column, holder)


class MonitorScreen(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.containers = ContainersPane(ctx)
        self.logs = LogsPane(ctx)
        self.terminal = TerminalPane(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("monitorTabs")
        self.tabs.addTab(self.containers, icon("layers"), "Containers")
        self.tabs.addTab(self.logs, icon("list-tree"), "Logs")
        self.tabs.addTab(self.terminal, icon("terminal"), "Terminal")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.containers.refreshed.connect(
            lambda view: self.logs.set_containers([c.name for c in view.containers])
        )
        ctx.session_changed.connect(self._session_changed)

    def _session_changed(self, session: Session | None) -> None:
        self.containers.last = None
        self.containers.charts.clear()
        if session is None:
            self.containers.auto.setChecked(False)
            self.terminal.stop_shell()
