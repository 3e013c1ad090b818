"""Main window: the device list (this computer first) beside the screens.

Extension points (LAN discovery and the Fleet screen, issue 14):
- ``add_screen(name, widget, icon_name)`` adds a tab (with its Ctrl+number shortcut);
- ``side.set_lan_widget(widget)`` puts the "found on the LAN" list under the device list;
  it reports live answers with ``device_list.set_reachable(target, ok)`` and opens a device
  with ``open_device(target)``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.context import AppContext, Session
from edgegui.gui.errordialog import ErrorHook
from edgegui.gui.icons import icon
from edgegui.gui.screens.connect import ConnectScreen
from edgegui.gui.screens.fleet import FleetScreen
from edgegui.gui.screens.lan import FoundDevicesPanel
from edgegui.gui.screens.monitor import MonitorScreen
from edgegui.gui.screens.overview import OverviewScreen
from edgegui.gui.screens.reports import ReportsScreen
from edgegui.gui.side.panel import SidePanel
from edgegui.gui.store import DeviceStore
from edgegui.gui.theme import apply_theme
from edgegui.gui.wizard.wizard import CommissionWizard

SIDE_WIDTH = 210
WARM_UP_DELAY_MS = 300  # imports for the first Connect start once the window has painted


class MainWindow(QMainWindow):
    """EdgeGUI's main window.

    Signals:
    ready(): the window is shown.
    closed(): the technician closed it (the application ends).
    """

    ready = Signal()
    closed = Signal()

    def __init__(
        self,
        initial_device: str = "local://",
        *,
        store: DeviceStore | None = None,
        known_hosts: Path | None = None,
        auto_discover: bool = True,
    ) -> None:
        super().__init__()
        self.setWindowTitle("EdgeGUI")
        self.ctx = AppContext(store or DeviceStore(), known_hosts)
        self.auto_discover = auto_discover
        self._warmed_up = False
        self.errors = ErrorHook(self)
        self.ctx.bridge.failed.connect(self.errors.show)

        self.side = SidePanel(self.ctx)
        self.devices = self.device_list = self.side.devices
        self.session_label = self.side.session_label
        self.devices.target_selected.connect(self._device_selected)
        self.devices.target_activated.connect(self.open_device)
        self.side.devices_changed.connect(lambda: self.reload_devices())

        self.connect_screen = ConnectScreen(self.ctx)
        self.overview = OverviewScreen(self.ctx)
        self.wizard = CommissionWizard(self.ctx)
        self.monitor = MonitorScreen(self.ctx)
        self.reports = ReportsScreen(self.ctx)
        self.fleet = FleetScreen(self.ctx)
        self.screens = QTabWidget()
        self.screens.setObjectName("screens")
        self.screens.setDocumentMode(True)
        self.screen_names: list[str] = []
        for name, page, icon_name in (
            ("Connect", self.connect_screen, "plug"),
            ("Overview", self.overview, "layout-dashboard"),
            ("Commission", self.wizard, "rocket"),
            ("Monitor", self.monitor, "activity"),
            ("Report", self.reports, "file-text"),
            ("Fleet", self.fleet, "network"),
        ):
            self.add_screen(name, page, icon_name)
        # Devices found on the LAN (mDNS, SSH sweep), under the device list.
        self.lan = FoundDevicesPanel(self.ctx, compact=True)
        self.lan.open_requested.connect(self.open_device)
        self.side.set_lan_widget(self.lan)

        self.splitter = splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.side)
        splitter.addWidget(self.screens)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([SIDE_WIDTH, 1100])
        self.side.setMinimumWidth(QFontMetrics(self.font()).averageCharWidth() * 26)
        self.setCentralWidget(splitter)
        self._build_menus()

        self.connect_screen.connected.connect(self._connected)
        self.wizard.next_action.connect(self._next_action)
        self.wizard.deployed.connect(lambda _ok: self.overview.refresh_details())
        self.ctx.session_changed.connect(self._session_changed)
        self.reload_devices(select=initial_device)
        self.connect_screen.set_target(initial_device)
        self.resize(1366, 768)

    def add_screen(self, name: str, widget: QWidget, icon_name: str = "box") -> int:
        """Add a screen as a tab with its Ctrl+number shortcut; returns its index."""
        index = self.screens.addTab(widget, icon(icon_name), name)
        self.screens.setTabToolTip(index, f"{name} (Ctrl+{index + 1})")
        self.screen_names.append(name)
        if index < 9:
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.screens.setCurrentIndex(i))
            self.addAction(action)
        return index

    # -- menus and keyboard ------------------------------------------------------
    def _build_menus(self) -> None:
        device_menu = self.menuBar().addMenu("&Device")
        disconnect = device_menu.addAction("&Disconnect")
        disconnect.triggered.connect(lambda: self.ctx.set_session(None))
        quit_action = device_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        view = self.menuBar().addMenu("&View")
        self.dark_action = view.addAction("&Dark theme")
        self.dark_action.setCheckable(True)
        self.large_action = view.addAction("&Large controls (touch screens)")
        self.large_action.setCheckable(True)
        store = self.ctx.store
        self.dark_action.setChecked(store.preference("dark") == "1")
        self.large_action.setChecked(store.preference("large") == "1")
        self.dark_action.toggled.connect(self._theme_changed)
        self.large_action.toggled.connect(self._theme_changed)

    def apply_preferences(self) -> None:
        """Apply the saved theme (done by run_app, not per window, as it is app-wide)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, dark=self.dark_action.isChecked(), large=self.large_action.isChecked())
        # Room for a device name and "SSH · seen 5 min ago", whatever the font size.
        metrics = QFontMetrics(QApplication.font())
        self.side.setMinimumWidth(metrics.averageCharWidth() * 24)
        width = metrics.averageCharWidth() * 32
        self.splitter.setSizes([width, max(400, self.width() - width)])

    def _theme_changed(self) -> None:
        self.ctx.store.set_preference("dark", "1" if self.dark_action.isChecked() else "0")
        self.ctx.store.set_preference("large", "1" if self.large_action.isChecked() else "0")
        self.apply_preferences()
        for table in self.findChildren(QTableWidget):  # rows follow the new font size
            table.resizeRowsToContents()
        self.devices.refresh()
        self.monitor.containers.charts.restyle()

    # -- devices -----------------------------------------------------------------
    def reload_devices(self, select: str | None = None) -> None:
        self.side.reload(select or self.devices.current_target() or "local://")

    def _device_selected(self, target: str) -> None:
        try:
            self.connect_screen.set_target(target)
        except EdgeGUIError as exc:
            self.ctx.bridge.failed.emit(str(exc), "")

    def open_device(self, target: str) -> None:
        """Show the Connect screen filled for ``target``."""
        try:
            self.connect_screen.set_target(target)
        except EdgeGUIError as exc:
            self.ctx.bridge.failed.emit(str(exc), "")
            return
        self.screens.setCurrentWidget(self.connect_screen)

    def _connected(self, target: str) -> None:
        self.reload_devices(select=target)
        self.screens.setCurrentWidget(self.overview)
        if self.auto_discover:
            self.overview.start_discovery()

    def _next_action(self, screen: str) -> None:
        """The commission result's buttons: open the Report or Monitor screen."""
        page = {"report": self.reports, "monitor": self.monitor}.get(screen)
        if page is not None:
            self.screens.setCurrentWidget(page)

    def _session_changed(self, session: Session | None) -> None:
        self.session_label.setText(f"Connected: {session.target}" if session else "Not connected")
        self.devices.set_session(session.target if session else None)

    # -- life cycle --------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop running tasks and close the device link (on quit, and by tests)."""
        self.ctx.runner.cancel_all()
        self.monitor.terminal.stop_shell()
        if self.ctx.session is not None:
            self.ctx.set_session(None)

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._warmed_up:  # after the first paint, not competing with it
            self._warmed_up = True
            QTimer.singleShot(WARM_UP_DELAY_MS, services.warm_up)
        self.ready.emit()

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]
        self.closed.emit()
