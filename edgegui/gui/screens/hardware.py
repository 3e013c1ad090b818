"""Hardware: the discovered inventory as a tree, and preflight results with fix hints."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import Cancelled, EdgeGUIError
from edgegui.gui import services
from edgegui.gui.context import AppContext, Session
from edgegui.gui.progress import ProgressPanel
from edgegui.gui.tables import FIT, STRETCH, read_only_table, set_row
from edgegui.gui.tasks import blocking

STATUS_COLOURS = {
    "pass": QColor(46, 160, 67),
    "warn": QColor(210, 153, 34),
    "fail": QColor(218, 54, 51),
}
SECTION_TITLES = {
    "system": "System",
    "network": "Network",
    "docker": "Docker Engine",
    "serial_adapters": "Serial adapters",
    "input_devices": "Input devices (scanners, keyboards)",
    "gpus": "GPUs",
    "usb_devices": "USB devices",
    "pci_devices": "PCI devices",
    "errors": "Incomplete sections",
}


def _label(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("name", "product", "description", "device", "path", "model", "interface"):
            if value.get(key):
                return str(value[key])
        return ""
    return "" if isinstance(value, list) else str(value)


def fill_tree(tree: QTreeWidget, data: dict[str, Any]) -> None:
    """Sections at the top; lists become numbered children; values in the second column."""
    tree.clear()

    def add(parent: QTreeWidgetItem, key: str, value: Any) -> None:
        item = QTreeWidgetItem(parent, [key, _label(value)])
        if isinstance(value, dict):
            for k, v in value.items():
                if v not in (None, "", [], {}):
                    add(item, str(k), v)
        elif isinstance(value, list):
            item.setText(1, f"{len(value)} found")
            for i, v in enumerate(value):
                add(item, str(i + 1), v)

    for section, title in SECTION_TITLES.items():
        value = data.get(section)
        if value in (None, {}, []) and section == "errors":
            continue
        top = QTreeWidgetItem(tree, [title, ""])
        top.setExpanded(section in ("system", "serial_adapters", "input_devices", "gpus"))
        if isinstance(value, list):
            top.setText(1, f"{len(value)} found")
            for i, v in enumerate(value):
                add(top, str(i + 1), v)
        elif isinstance(value, dict):
            for k, v in value.items():
                if v not in (None, "", [], {}):
                    add(top, str(k), v)


class HardwareScreen(QWidget):
    """Signals: discovered() after a probe finished and the tree shows it."""

    discovered = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.discover_button = QPushButton("&Discover hardware")
        self.discover_button.setObjectName("discoverButton")
        self.discover_button.clicked.connect(self.start_discovery)
        self.progress = ProgressPanel(ctx.bridge, "discover")
        self.tree = QTreeWidget()
        self.tree.setObjectName("inventoryTree")
        self.tree.setHeaderLabels(["Item", "Value"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.checks = read_only_table(
            "preflightTable",
            ["Check", "Result", "Finding", "How to fix"],
            [FIT, FIT, STRETCH, STRETCH],
        )
        self.checks.setWordWrap(True)
        self.summary = QLabel("Connect to a device, then discover its hardware.")
        self.summary.setWordWrap(True)
        # Offered when preflight finds the login user outside the engine's group.
        self.access_button = QPushButton("")
        self.access_button.setObjectName("dockerAccessButton")
        self.access_button.clicked.connect(self.start_docker_access)
        self.access_button.hide()
        self._access_for = ("this user", "docker")

        top = QHBoxLayout()
        top.addWidget(self.discover_button)
        top.addWidget(self.summary, 1)
        split = QSplitter()
        split.addWidget(self.tree)
        preflight = QWidget()
        box = QVBoxLayout(preflight)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel("<b>Preflight</b>"))
        box.addWidget(self.checks)
        box.addWidget(self.access_button)
        split.addWidget(preflight)
        split.setSizes([500, 520])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        ctx.session_changed.connect(self._session_changed)
        self._session_changed(ctx.session)

    def _session_changed(self, session: Session | None) -> None:
        self.discover_button.setEnabled(session is not None)
        if session is None:
            self.tree.clear()
            self.checks.setRowCount(0)
        elif session.inventory is None:
            self.summary.setText(f"Connected to {session.target}. Discover its hardware.")

    def start_discovery(self) -> None:
        self.ctx.runner.spawn(self.discover_now(), busy=[self.discover_button])

    async def discover_now(self) -> None:
        session = self.ctx.session
        if session is None:
            raise EdgeGUIError("discover: connect to a device first")
        token = self.progress.start(f"Probing {session.target}…")
        try:
            inventory, checks = await blocking(
                services.discover, session.transport, self.ctx.bridge.progress_for("discover")
            )
        except EdgeGUIError:
            self.ctx.store.record(session.target, "discover", "failed")
            raise
        finally:
            self.progress.finish("")
        if token.cancelled:  # the probe is one command; drop its result if the user said so
            raise Cancelled("discover: cancelled by the user")
        self.ctx.set_inventory(inventory, checks)
        self.show_inventory(inventory.to_dict(), checks)
        failed = sum(c.status == "fail" for c in checks)
        self.ctx.store.record(session.target, "discover", f"{failed} preflight failures")
        self.discovered.emit()

    def _offer_docker_access(self, data: dict[str, Any], checks: list[Any]) -> None:
        denied = any(
            c.check == "docker-usable" and c.status == "fail" and "permission denied" in c.message
            for c in checks
        )
        user = (data.get("system") or {}).get("user") or "this user"
        group = (data.get("docker") or {}).get("socket_group") or "docker"
        self._access_for = (user, group)
        self.access_button.setText(f"Give {user} access to Docker (sudo usermod -aG {group})…")
        self.access_button.setAccessibleName(f"Add {user} to the {group} group")
        self.access_button.setVisible(denied)

    def start_docker_access(self) -> None:
        self.ctx.runner.spawn(self.docker_access_now(), busy=[self.access_button])

    async def docker_access_now(self) -> None:
        """The explicit fix for a user outside the docker group; asks sudo's password."""
        session = self.ctx.session
        if session is None:
            raise EdgeGUIError("docker access: connect to a device first")
        user, group = self._access_for
        password = None
        if await blocking(services.sudo_needs_password, session.transport):
            password, ok = QInputDialog.getText(
                self,
                "sudo password",
                f"sudo on {session.target} asks for {user}'s password to run\n"
                f"usermod -aG {group} {user}:",
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                raise Cancelled("docker access: cancelled by the user")
        message = await blocking(
            services.grant_docker_access, session.transport, user, group, password
        )
        self.summary.setText(message)
        await self.discover_now()

    def show_inventory(self, data: dict[str, Any], checks: list[Any]) -> None:
        fill_tree(self.tree, data)
        self.checks.setRowCount(len(checks))
        for row, check in enumerate(checks):
            status = QTableWidgetItem(check.status.upper())
            status.setForeground(QBrush(STATUS_COLOURS.get(check.status, QColor("gray"))))
            set_row(self.checks, row, (check.check, status, check.message, check.hint))
        # The fix column only takes room when some check has a hint.
        self.checks.setColumnHidden(3, not any(c.hint for c in checks))
        self._offer_docker_access(data, checks)
        self.checks.resizeRowsToContents()
        system = data.get("system") or {}
        counts = {s: len(data.get(s) or []) for s in ("serial_adapters", "input_devices", "gpus")}
        self.summary.setText(
            f"{system.get('hostname', '?')}: {system.get('os', '')} "
            f"{system.get('arch', '')} — {counts['serial_adapters']} serial, "
            f"{counts['input_devices']} input, {counts['gpus']} GPU"
        )
