"""Monitor: containers with live CPU and memory charts, health, restarts and alerts;
logs; and a terminal."""

from __future__ import annotations

from collections import defaultdict, deque

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.context import AppContext, Session
from edgegui.gui.progress import human_bytes
from edgegui.gui.screens.logs import LogsPane
from edgegui.gui.screens.sparkline import Sparkline
from edgegui.gui.screens.terminal import TerminalPane
from edgegui.gui.tables import read_only_table, set_row
from edgegui.gui.tasks import blocking

REFRESH_MS = 5000
HISTORY = 120
COLUMNS = ("Container", "Stack", "State", "Health", "Restarts", "CPU", "Memory", "Image")


class ContainersPane(QWidget):
    """Signals: refreshed(object MonitorView) after each snapshot is on screen."""

    refreshed = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setObjectName("refreshMonitor")
        self.refresh_button.clicked.connect(self.start_refresh)
        self.auto = QCheckBox(f"&Live (every {REFRESH_MS // 1000} s)")
        self.auto.setObjectName("liveMonitor")
        self.auto.toggled.connect(self._auto_toggled)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.taken = QLabel("No snapshot yet.")
        self.table = read_only_table("containersTable", COLUMNS)
        self.table.itemSelectionChanged.connect(self._show_charts)
        self.cpu = Sparkline("CPU", "%", QColor(42, 130, 218), HISTORY)
        self.cpu.ceiling = 100.0
        self.memory = Sparkline("Memory", "MiB", QColor(46, 160, 67), HISTORY)
        self.alerts = QListWidget()
        self.alerts.setObjectName("alertsList")
        self.history: dict[str, tuple[deque[float], deque[float]]] = defaultdict(
            lambda: (deque(maxlen=HISTORY), deque(maxlen=HISTORY))
        )
        self.busy = False
        self.last: services.MonitorView | None = None
        top = QHBoxLayout()
        top.addWidget(self.refresh_button)
        top.addWidget(self.auto)
        top.addWidget(self.taken, 1)
        charts = QWidget()
        chart_box = QVBoxLayout(charts)
        chart_box.setContentsMargins(0, 0, 0, 0)
        chart_box.addWidget(self.cpu)
        chart_box.addWidget(self.memory)
        alerts = QWidget()
        alert_box = QVBoxLayout(alerts)
        alert_box.setContentsMargins(0, 0, 0, 0)
        alert_box.addWidget(QLabel("<b>Alerts</b>"))
        alert_box.addWidget(self.alerts)
        bottom = QSplitter()
        bottom.addWidget(charts)
        bottom.addWidget(alerts)
        bottom.setSizes([600, 400])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

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
        selected = self.selected_name()
        self.table.setRowCount(len(view.containers))
        for row, c in enumerate(view.containers):
            cpu = "…" if c.cpu_percent is None else f"{c.cpu_percent:.1f} %"
            memory = "" if c.mem_bytes is None else human_bytes(c.mem_bytes)
            if c.mem_bytes is not None and c.mem_limit:
                memory += f" of {human_bytes(c.mem_limit)}"
            cells = (
                c.name,
                c.stack,
                c.state,
                c.health or "—",
                str(c.restarts),
                cpu,
                memory,
                c.image,
            )
            set_row(self.table, row, cells)
            cpu_history, mem_history = self.history[c.name]
            cpu_history.append(c.cpu_percent or 0.0)
            mem_history.append((c.mem_bytes or 0) / 2**20)
            if c.name == selected:
                self.table.selectRow(row)
        if selected is None and view.containers:
            self.table.selectRow(0)
        self.alerts.clear()
        self.alerts.addItems(list(view.alerts) or ["No alerts."])
        self.taken.setText(f"{len(view.containers)} containers.")
        self._show_charts()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.text() if item else None

    def _show_charts(self) -> None:
        name = self.selected_name()
        for chart, series in ((self.cpu, 0), (self.memory, 1)):
            chart.samples.clear()
            if name is not None:
                chart.title = f"{'CPU' if series == 0 else 'Memory'} of {name}"
                chart.samples.extend(self.history[name][series])
            chart.update()


class MonitorScreen(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.containers = ContainersPane(ctx)
        self.logs = LogsPane(ctx)
        self.terminal = TerminalPane(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.containers, "Containers")
        self.tabs.addTab(self.logs, "Logs")
        self.tabs.addTab(self.terminal, "Terminal")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.containers.refreshed.connect(
            lambda view: self.logs.set_containers([c.name for c in view.containers])
        )
        ctx.session_changed.connect(self._session_changed)

    def _session_changed(self, session: Session | None) -> None:
        self.containers.last = None
        if session is None:
            self.containers.auto.setChecked(False)
            self.terminal.stop_shell()
