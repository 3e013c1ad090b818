"""Main window: the device list (this computer first) beside the screens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.context import AppContext, Session
from edgegui.gui.errordialog import ErrorHook
from edgegui.gui.screens.connect import ConnectScreen
from edgegui.gui.screens.devices import DevicesScreen
from edgegui.gui.screens.fleet import FleetScreen
from edgegui.gui.screens.hardware import HardwareScreen
from edgegui.gui.screens.monitor import MonitorScreen
from edgegui.gui.screens.reports import ReportsScreen
from edgegui.gui.store import DeviceStore
from edgegui.gui.theme import apply_theme
from edgegui.gui.wizard.wizard import CommissionWizard

TARGET_ROLE = 256
WARM_UP_DELAY_MS = 300  # imports for the first Connect start once the window has painted
SCREEN_NAMES = ("Devices", "Connect", "Hardware", "Commission", "Monitor", "Report", "Fleet")


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

        self.devices = QListWidget()
        self.devices.setObjectName("deviceList")
        self.devices.itemActivated.connect(self._device_activated)
        self.devices.currentItemChanged.connect(self._device_selected)
        self.session_label = QLabel("Not connected")
        self.session_label.setObjectName("sessionLabel")
        self.session_label.setWordWrap(True)
        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 0)
        side_box.addWidget(QLabel("<b>Devices</b>"))
        side_box.addWidget(self.devices, 1)
        side_box.addWidget(self.session_label)

        self.devices_screen = DevicesScreen(self.ctx)
        self.connect_screen = ConnectScreen(self.ctx)
        self.hardware = HardwareScreen(self.ctx)
        self.wizard = CommissionWizard(self.ctx)
        self.monitor = MonitorScreen(self.ctx)
        self.reports = ReportsScreen(self.ctx)
        self.fleet = FleetScreen(self.ctx)
        self.screens = QTabWidget()
        self.screens.setObjectName("screens")
        pages = (
            self.devices_screen,
            self.connect_screen,
            self.hardware,
            self.wizard,
            self.monitor,
            self.reports,
            self.fleet,
        )
        for index, (name, page) in enumerate(zip(SCREEN_NAMES, pages, strict=True)):
            self.screens.addTab(page, name)
            self.screens.setTabToolTip(index, f"{name} (Ctrl+{index + 1})")

        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.screens)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([230, 1100])
        self.setCentralWidget(splitter)
        self._build_menus()

        self.devices_screen.open_requested.connect(self.open_device)
        self.connect_screen.connected.connect(self._connected)
        self.ctx.session_changed.connect(self._session_changed)
        self.reload_devices(select=initial_device)
        self.connect_screen.set_target(initial_device)
        self.resize(1366, 768)

    # -- menus and keyboard ------------------------------------------------------
    def _build_menus(self) -> None:
        for index in range(len(SCREEN_NAMES)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.screens.setCurrentIndex(i))
            self.addAction(action)
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

    def _theme_changed(self) -> None:
        self.ctx.store.set_preference("dark", "1" if self.dark_action.isChecked() else "0")
        self.ctx.store.set_preference("large", "1" if self.large_action.isChecked() else "0")
        self.apply_preferences()
        for table in self.findChildren(QTableWidget):  # rows follow the new font size
            table.resizeRowsToContents()

    # -- devices -----------------------------------------------------------------
    def reload_devices(self, select: str | None = None) -> None:
        select = select or self._selected_target() or "local://"
        self.devices.blockSignals(True)
        self.devices.clear()
        entries = [("This computer", "local://")]
        entries += [(d.name, d.target) for d in self.ctx.store.devices()]
        if select not in {t for _, t in entries}:
            entries.append((select, select))
        for name, target in entries:
            item = QListWidgetItem(name)
            item.setData(TARGET_ROLE, target)
            item.setToolTip(target)
            self.devices.addItem(item)
            if target == select:
                self.devices.setCurrentItem(item)
        self.devices.blockSignals(False)
        self.devices_screen.reload()

    def _selected_target(self) -> str | None:
        item = self.devices.currentItem()
        return None if item is None else str(item.data(TARGET_ROLE))

    def _device_selected(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.connect_screen.set_target(str(item.data(TARGET_ROLE)))

    def _device_activated(self, item: QListWidgetItem) -> None:
        self.open_device(str(item.data(TARGET_ROLE)))

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
        self.screens.setCurrentWidget(self.hardware)
        if self.auto_discover:
            self.hardware.start_discovery()

    def _session_changed(self, session: Session | None) -> None:
        self.session_label.setText(f"Connected: {session.target}" if session else "Not connected")
        self.devices_screen.reload()

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
