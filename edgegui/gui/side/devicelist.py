"""The device list: status dot, transport icon, name and "last seen", grouped by site.

Status, from what EdgeGUI knows without sending a packet:
connected (the open session), reachable (it answered the last time), unreachable (the last
connection failed, or a LAN scan says so through ``set_reachable``), never seen.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QPainter
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from edgegui.gui.icons import ACCENT, icon
from edgegui.gui.theme import tone_colour

TARGET_ROLE = 256
STATUS_ROLE = 257
DETAIL_ROLE = 258
TRANSPORT_ROLE = 259
HEADER_ROLE = 260

STATUS_TONES = {
    "connected": "pass",
    "reachable": "info",
    "unreachable": "fail",
    "never seen": "muted",
}
TRANSPORT_ICONS = {"ssh": "terminal", "serial": "usb", "local": "laptop"}
TRANSPORT_NAMES = {"ssh": "SSH", "serial": "Serial", "local": "runs here"}


class DeviceEntry(NamedTuple):
    target: str
    name: str
    site: str = ""
    last_seen: float | None = None
    last_status: str = ""


def transport_of(target: str) -> str:
    scheme = target.split("://", 1)[0]
    return scheme if scheme in TRANSPORT_ICONS else "ssh"


def seen_ago(epoch: float | None, now: float | None = None) -> str:
    """``just now``, ``5 min ago``, ``3 h ago``, ``2 days ago``, ``2026-03-01``."""
    if not epoch:
        return "never seen"
    seconds = max(0.0, (now or time.time()) - epoch)
    if seconds < 60:
        return "seen just now"
    if seconds < 3600:
        return f"seen {seconds // 60:.0f} min ago"
    if seconds < 86400:
        return f"seen {seconds // 3600:.0f} h ago"
    if seconds < 7 * 86400:
        days = seconds // 86400
        return f"seen {days:.0f} day{'s' if days > 1 else ''} ago"
    return "seen " + time.strftime("%Y-%m-%d", time.localtime(epoch))


def status_of(entry: DeviceEntry, session_target: str | None) -> str:
    if entry.target == session_target:
        return "connected"
    if entry.target == "local://":
        return "reachable"
    if entry.last_status.startswith("connect: failed"):
        return "unreachable"
    return "reachable" if entry.last_seen else "never seen"


class DeviceDelegate(QStyledItemDelegate):
    """Two lines per device: icon, name and status dot; then "SSH · seen 5 min ago"."""

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        height = option.fontMetrics.height()
        if index.data(HEADER_ROLE):
            return QSize(120, height + 10)
        return QSize(160, height * 2 + 14)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        painter.save()
        rect: QRect = option.rect
        palette = option.palette
        if index.data(HEADER_ROLE):
            font = QFont(option.font)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(tone_colour("muted"))
            painter.drawText(
                rect.adjusted(8, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, index.data()
            )
            painter.restore()
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.highlight())
        text_colour = palette.highlightedText().color() if selected else palette.text().color()
        metrics = option.fontMetrics
        line = metrics.height()
        glyph = icon(
            TRANSPORT_ICONS[index.data(TRANSPORT_ROLE)], text_colour.name() if selected else ACCENT
        )
        glyph.paint(painter, QRect(rect.left() + 8, rect.top() + 7, 20, 20))
        dot = 10
        status = index.data(STATUS_ROLE)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(tone_colour(STATUS_TONES[status])))
        painter.drawEllipse(rect.right() - dot - 8, rect.top() + 7 + (line - dot) // 2, dot, dot)
        text_left = rect.left() + 36
        width = rect.right() - dot - 14 - text_left
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_colour)
        name = painter.fontMetrics().elidedText(index.data(), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(text_left, rect.top() + 5, width, line), 0, name)
        painter.setFont(option.font)
        if not selected:
            painter.setPen(tone_colour("muted"))
        detail = metrics.elidedText(index.data(DETAIL_ROLE), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(text_left, rect.top() + 7 + line, width, line), 0, detail)
        painter.restore()


class DeviceList(QListWidget):
    """Signals:
    target_selected(str target): the technician moved to a device.
    target_activated(str target): double-click or Enter: connect to it.
    """

    target_selected = Signal(str)
    target_activated = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("deviceList")
        self.setAccessibleName("Devices")
        self.setItemDelegate(DeviceDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)
        self.entries: list[DeviceEntry] = []
        self.session_target: str | None = None
        self.reachable: dict[str, bool] = {}  # live answers (LAN discovery), newest wins
        self.currentItemChanged.connect(self._selected)
        self.itemActivated.connect(self._activated)

    def set_entries(self, entries: list[DeviceEntry], select: str | None = None) -> None:
        select = select or self.current_target()
        self.entries = entries
        self.blockSignals(True)
        self.clear()
        grouped = any(e.site for e in entries)
        last_site: str | None = None
        for entry in sorted(entries, key=lambda e: (e.target != "local://", e.site, e.name)):
            if grouped and entry.site != last_site and entry.target != "local://":
                last_site = entry.site
                header = QListWidgetItem(entry.site or "No site")
                header.setData(HEADER_ROLE, True)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                self.addItem(header)
            item = QListWidgetItem(entry.name)
            item.setData(TARGET_ROLE, entry.target)
            self.addItem(item)
            self._describe(item, entry)
            if entry.target == select:
                self.setCurrentItem(item)
        self.blockSignals(False)

    def _describe(self, item: QListWidgetItem, entry: DeviceEntry) -> None:
        status = status_of(entry, self.session_target)
        if status != "connected" and entry.target in self.reachable:
            status = "reachable" if self.reachable[entry.target] else "unreachable"
        transport = transport_of(entry.target)
        seen = "" if entry.target == "local://" else seen_ago(entry.last_seen)
        detail = " · ".join(p for p in (TRANSPORT_NAMES[transport], seen) if p)
        item.setData(STATUS_ROLE, status)
        item.setData(TRANSPORT_ROLE, transport)
        item.setData(DETAIL_ROLE, detail)
        tip = f"{entry.target}\n{status}"
        item.setToolTip(tip + (f" (last: {entry.last_status})" if entry.last_status else ""))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{entry.name}, {status}, {detail}")

    def set_session(self, target: str | None) -> None:
        self.session_target = target
        self.refresh()

    def set_reachable(self, target: str, reachable: bool) -> None:
        """A live answer about ``target`` (the LAN discovery widget reports here)."""
        self.reachable[target] = reachable
        self.refresh()

    def refresh(self) -> None:
        by_target = {e.target: e for e in self.entries}
        for row in range(self.count()):
            item = self.item(row)
            entry = by_target.get(item.data(TARGET_ROLE))
            if entry is not None:
                self._describe(item, entry)
        self.viewport().update()

    def current_target(self) -> str | None:
        item = self.currentItem()
        target = None if item is None else item.data(TARGET_ROLE)
        return str(target) if target else None

    def targets(self) -> list[str]:
        found = (self.item(row).data(TARGET_ROLE) for row in range(self.count()))
        return [str(t) for t in found if t]

    def select_target(self, target: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(TARGET_ROLE) == target:
                self.setCurrentRow(row)
                return

    def _selected(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(TARGET_ROLE):
            self.target_selected.emit(str(item.data(TARGET_ROLE)))

    def _activated(self, item: QListWidgetItem) -> None:
        if item.data(TARGET_ROLE):
            self.target_activated.emit(str(item.data(TARGET_ROLE)))
