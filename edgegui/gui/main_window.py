"""Main window: the device list (this computer first) beside the work area."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMainWindow, QSplitter


class MainWindow(QMainWindow):
    """EdgeGUI's main window.

    Signals: none yet; screens are added as the core grows.
    """

    def __init__(self, initial_device: str = "local://") -> None:
        super().__init__()
        self.setWindowTitle("EdgeGUI")
        self.devices = QListWidget()
        self.devices.setObjectName("deviceList")
        local = QListWidgetItem("This computer")
        local.setData(256, "local://")
        self.devices.addItem(local)
        if initial_device != "local://":
            other = QListWidgetItem(initial_device)
            other.setData(256, initial_device)
            self.devices.addItem(other)
        self.devices.setCurrentRow(0 if initial_device == "local://" else 1)
        detail = QLabel("Select a device to commission, deploy to or monitor.")
        detail.setWordWrap(True)
        splitter = QSplitter()
        splitter.addWidget(self.devices)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 3)
        self.setCentralWidget(splitter)
        self.resize(1024, 680)
