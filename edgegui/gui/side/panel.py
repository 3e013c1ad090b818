"""The side panel: the device list, the "found on the LAN" slot and the session line.

Extension point for LAN discovery (issue 14): ``SidePanel.set_lan_widget(widget)`` puts a
widget under the device list, in place of the placeholder; it may report live answers with
``window.device_list.set_reachable(target, ok)`` and open a device with
``window.open_device(target)``.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QSplitter, QVBoxLayout, QWidget

from edgegui.gui.context import AppContext
from edgegui.gui.side.devicelist import DeviceEntry, DeviceList

LAN_PLACEHOLDER = "Devices found on the LAN appear here."


class SidePanel(QWidget):
    """Signals: devices_changed(): a device was renamed, moved to a site or forgotten."""

    devices_changed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.devices = DeviceList()
        self.devices.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.devices.customContextMenuRequested.connect(self._menu)
        title = QLabel("<b>Devices</b>")
        title.setBuddy(self.devices)
        self.lan_box = QVBoxLayout()
        self.lan_box.setContentsMargins(0, 0, 0, 0)
        self.lan_placeholder = QLabel(LAN_PLACEHOLDER)
        self.lan_placeholder.setObjectName("lanPlaceholder")
        self.lan_placeholder.setWordWrap(True)
        self.lan_placeholder.setProperty("tone", "muted")
        self.lan_box.addWidget(self.lan_placeholder)
        self.lan_widget: QWidget | None = None
        self.session_label = QLabel("Not connected")
        self.session_label.setObjectName("sessionLabel")
        self.session_label.setWordWrap(True)
        lan_holder = QWidget()
        lan_holder.setLayout(self.lan_box)
        # A splitter, so the LAN list never squeezes the saved devices out of sight on a
        # small screen, and the technician can give either one more room.
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setObjectName("sideSplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.devices)
        self.split.addWidget(lan_holder)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(title)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.session_label)

    def set_lan_widget(self, widget: QWidget) -> None:
        """Show ``widget`` (the LAN discovery list) under the device list."""
        if self.lan_widget is not None:
            self.lan_box.removeWidget(self.lan_widget)
            self.lan_widget.deleteLater()
        self.lan_placeholder.hide()
        self.lan_widget = widget
        self.lan_box.addWidget(widget)

    def reload(self, select: str | None = None) -> None:
        entries = [DeviceEntry("local://", "This computer")]
        entries += [
            DeviceEntry(d.target, d.name, d.site, d.last_seen, d.last_status)
            for d in self.ctx.store.devices()
        ]
        if select and select not in {e.target for e in entries}:
            entries.append(DeviceEntry(select, select))
        self.devices.set_entries(entries, select)

    # -- the context menu: rename, site, forget ------------------------------------
    def _menu(self, where: QPoint) -> None:
        item = self.devices.itemAt(where)
        target = item.data(256) if item is not None else None
        if not target or target == "local://":
            return
        menu = QMenu(self)
        menu.addAction("&Rename…", lambda: self._rename(target, item.text()))
        menu.addAction("Set &site…", lambda: self._set_site(target))
        menu.addAction("&Forget this device", lambda: self._forget(target))
        menu.popup(self.devices.viewport().mapToGlobal(where))

    def _rename(self, target: str, current: str) -> None:
        name, ok = QInputDialog.getText(self, "Rename", "Name shown in the list:", text=current)
        if ok and name.strip():
            self.ctx.store.rename_device(target, name.strip())
            self.devices_changed.emit()

    def _set_site(self, target: str) -> None:
        current = next((d.site for d in self.ctx.store.devices() if d.target == target), "")
        site, ok = QInputDialog.getText(self, "Site", "Store, plant or cabinet:", text=current)
        if ok:
            self.ctx.store.set_site(target, site.strip())
            self.devices_changed.emit()

    def _forget(self, target: str) -> None:
        self.ctx.store.forget_device(target)
        self.devices_changed.emit()
