"""Devices: this computer and saved devices with their status at a glance, and history."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from edgegui.gui.context import AppContext
from edgegui.gui.screens.lan import FoundDevicesPanel
from edgegui.gui.tables import read_only_table, set_row

TARGET_ROLE = 256


def when(epoch: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(epoch)) if epoch else "never"


class DevicesScreen(QWidget):
    """Signals: open_requested(str target) when the technician picks a device to connect."""

    open_requested = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.table = read_only_table("savedDevices", ["Device", "Target", "Last seen", "Status"])
        self.table.cellActivated.connect(lambda row, _col: self._open(row))
        self.history = read_only_table("history", ["When", "Device", "Action", "Result"])
        open_button = QPushButton("&Open")
        open_button.clicked.connect(lambda: self._open(self.table.currentRow()))
        forget = QPushButton("&Forget")
        forget.clicked.connect(self._forget)
        self.lan = FoundDevicesPanel(ctx)
        self.lan.open_requested.connect(self.open_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(forget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Devices</b> — double-click or press Enter to connect."))
        layout.addWidget(self.table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.lan, 2)
        layout.addWidget(QLabel("<b>History</b>"))
        layout.addWidget(self.history, 1)
        self.reload()

    def reload(self) -> None:
        rows = [("This computer", "local://", None, "")]
        rows += [(d.name, d.target, d.last_seen, d.last_status) for d in self.ctx.store.devices()]
        self.table.setRowCount(len(rows))
        for row, (name, target, seen, status) in enumerate(rows):
            cells = [
                QTableWidgetItem(text)
                for text in (name, target, when(seen) if target != "local://" else "", status)
            ]
            for item in cells:
                item.setData(TARGET_ROLE, target)
            set_row(self.table, row, cells)
        entries = self.ctx.store.history(limit=100)
        self.history.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            set_row(self.history, row, (when(entry.at), entry.target, entry.action, entry.result))

    def _open(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.open_requested.emit(str(item.data(TARGET_ROLE)))

    def _forget(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is not None and item.data(TARGET_ROLE) != "local://":
            self.ctx.store.forget_device(str(item.data(TARGET_ROLE)))
            self.reload()
