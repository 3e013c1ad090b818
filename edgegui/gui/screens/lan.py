"""Found on the LAN: devices announced by mDNS or answering an SSH sweep of a subnet the
technician names (never automatic). A small widget: ``set_found(devices)`` fills it, and
``open_requested(target)`` asks to connect to one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.events import Progress
from edgegui.gui.context import AppContext
from edgegui.gui.tables import read_only_table, set_row
from edgegui.gui.tasks import blocking

TARGET_ROLE = 256
COLUMNS = ["Address", "Name", "Vendor", "Found by", "SSH"]


def _browse(timeout: float) -> list[Any]:
    from edgegui.core.lan.mdns import browse_mdns

    return browse_mdns(timeout=timeout)


def _sweep(subnet: str, progress: Any) -> Any:
    from edgegui.core.lan.sweep import sweep_subnet

    return sweep_subnet(subnet, progress=progress)


class FoundDevicesPanel(QWidget):
    """Signals:
    open_requested(str target): the technician picked a found device to connect to.
    found_changed(int count): the list was filled anew.
    """

    open_requested = Signal(str)
    found_changed = Signal(int)

    def __init__(self, ctx: AppContext, browse_timeout: float = 3.0, compact: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.browse_timeout = browse_timeout
        self.found: list[Any] = []
        self.table = read_only_table("lanDevices", COLUMNS)
        self.table.setAccessibleName("Devices found on the LAN")
        self.table.cellActivated.connect(lambda row, _col: self._open(row))
        self.browse_button = QPushButton("&Browse (mDNS)")
        self.browse_button.setObjectName("lanBrowse")
        self.browse_button.clicked.connect(lambda: self._start(self.browse_now()))
        self.subnet = QLineEdit(placeholderText="subnet to sweep, e.g. 192.168.1.0/24")
        self.subnet.setObjectName("lanSubnet")
        self.subnet.setAccessibleName("Subnet to sweep for SSH servers")
        self.sweep_button = QPushButton("S&weep")
        self.sweep_button.setObjectName("lanSweep")
        self.sweep_button.clicked.connect(lambda: self._start(self.sweep_now(self.subnet.text())))
        self.status = QLabel("Nothing searched yet. Browsing listens; a sweep connects once "
                             "to port 22 of every address of the subnet you name.")  # fmt: skip
        self.status.setObjectName("lanStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Found on the LAN</b>"))
        if compact:  # the side panel: controls stacked, the details of a row in its tooltip
            self.subnet.setPlaceholderText("subnet, e.g. 192.168.1.0/24")
            self.status.setText("Browse listens for mDNS; Sweep tries port 22 on a subnet.")
            self.table.setMinimumHeight(self.fontMetrics().height() * 4)
            sweep = QHBoxLayout()
            sweep.addWidget(self.subnet, 1)
            sweep.addWidget(self.sweep_button)
            layout.addWidget(self.browse_button)
            layout.addLayout(sweep)
            for column in range(2, len(COLUMNS)):
                self.table.setColumnHidden(column, True)
        else:
            row = QHBoxLayout()
            row.addWidget(self.browse_button)
            row.addWidget(self.subnet, 1)
            row.addWidget(self.sweep_button)
            layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        ctx.bridge.progress.connect(self._progress)

    def set_found(self, devices: Sequence[Any]) -> None:
        """Show ``devices`` (core FoundDevice objects), merged with what is shown already."""
        from edgegui.core.lan import merge_found

        self.found = merge_found(self.found, devices)
        self.table.setRowCount(len(self.found))
        for row, device in enumerate(self.found):
            name = device.name + (" (EdgeGUI)" if device.commissioned else "")
            cells = [
                QTableWidgetItem(text)
                for text in (
                    device.target.removeprefix("ssh://"),
                    name,
                    device.vendor,
                    ", ".join(device.sources),
                    device.banner or ", ".join(s.split(".")[0] for s in device.services),
                )
            ]
            details = " · ".join(cell.text() for cell in cells[2:] if cell.text())
            for cell in cells:
                cell.setData(TARGET_ROLE, device.target)
                cell.setToolTip(details)
            set_row(self.table, row, cells)
        self.found_changed.emit(len(self.found))

    def _start(self, coro: Any) -> None:
        self.ctx.runner.spawn(coro, busy=[self.browse_button, self.sweep_button])

    async def browse_now(self) -> list[Any]:
        self.status.setText(f"Listening for mDNS announcements for {self.browse_timeout:g} s…")
        found = await blocking(_browse, self.browse_timeout)
        self.set_found(found)
        self.status.setText(f"mDNS: {len(found)} devices announced themselves.")
        return found

    async def sweep_now(self, subnet: str) -> Any:
        self.status.setText(f"Sweeping {subnet}…")
        try:
            result = await blocking(_sweep, subnet, self.ctx.bridge.progress_for("lan"))
        except Exception:
            self.status.setText("The sweep did not run.")
            raise
        self.set_found(result.found)
        stopped = f"; stopped at the {result.stopped}" if result.stopped else ""
        self.status.setText(
            f"Sweep of {subnet}: {len(result.found)} SSH servers among {result.tried} "
            f"addresses in {result.elapsed_s:.1f} s{stopped}."
        )
        return result

    def _progress(self, operation: str, event: object) -> None:
        if operation == "lan" and isinstance(event, Progress) and event.total:
            self.status.setText(f"Sweeping: {event.done} of {event.total} addresses tried…")

    def _open(self, row: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            self.open_requested.emit(str(item.data(TARGET_ROLE)))
