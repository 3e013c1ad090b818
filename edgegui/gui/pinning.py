""" "Pin SSH host keys": read a device's host keys over its serial console, show their
fingerprints and the addresses they will be pinned for, and pin them on confirmation."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from edgegui.gui import services
from edgegui.gui.context import AppContext, Session
from edgegui.gui.tasks import blocking


class PinHostKeysDialog(QDialog):
    """The keys read over the console and the addresses to pin them for (editable)."""

    def __init__(self, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinHostKeysDialog")
        self.setWindowTitle("Pin the device's SSH host keys")
        rows = "".join(
            f"<tr><td>{html.escape(kind)}&nbsp;&nbsp;</td><td><code>{html.escape(fp)}</code></td></tr>"
            for kind, fp in plan.fingerprints
        )
        keys = QLabel(
            "<p>Read over the serial console from /etc/ssh/ssh_host_*_key.pub:</p>"
            f"<table>{rows}</table><p>SSH to these addresses will then be verified against "
            "these keys, with no question on first contact; a different key is refused.</p>"
        )
        keys.setObjectName("pinFingerprints")
        keys.setWordWrap(True)
        self.hosts = QLineEdit(", ".join(plan.addresses))
        self.hosts.setObjectName("pinHosts")
        self.port = QSpinBox(minimum=1, maximum=65535, value=22)
        form = QFormLayout()
        form.addRow("&Addresses", self.hosts)
        form.addRow("SSH &port", self.port)
        buttons = QDialogButtonBox()
        self.pin_button = buttons.addButton(
            "Pin these keys", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(keys)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen_hosts(self) -> list[str]:
        return [h.strip() for h in self.hosts.text().replace(";", ",").split(",") if h.strip()]


class HostKeyPinning(QWidget):
    """The "Pin SSH host keys" action, shown while connected over a serial console.

    Signals:
    planned(object PinPlan): the keys were read and are shown for confirmation.
    pinned(int count): that many new keys were recorded in known_hosts.
    """

    planned = Signal(object)
    pinned = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.dialog: PinHostKeysDialog | None = None
        self.keys: list[Any] = []  # as read and shown: what the technician confirms
        self.button = QPushButton("Pin SSH host &keys…")
        self.button.setObjectName("pinHostKeysButton")
        self.button.setToolTip(
            "Read the device's SSH host keys over this console and trust them for SSH"
        )
        self.button.clicked.connect(self.start)
        self.status = QLabel("")
        self.status.setObjectName("pinStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        ctx.session_changed.connect(self._session_changed)
        self.setVisible(False)

    def _session_changed(self, session: Session | None) -> None:
        self.setVisible(session is not None and session.target.startswith("serial:"))
        self.status.setText("")

    def start(self) -> None:
        self.ctx.runner.spawn(self.read_now(), busy=[self.button])

    async def read_now(self) -> Any:
        session = self.ctx.session
        if session is None:
            return None
        known = services.known_hosts_file(self.ctx.known_hosts)
        plan = await blocking(services.plan_host_key_pins, session.transport, [], 22, known)
        self.keys = plan.keys
        self.dialog = PinHostKeysDialog(plan, self)
        self.dialog.accepted.connect(self._confirmed)
        self.dialog.open()
        self.planned.emit(plan)
        return plan

    def _confirmed(self) -> None:
        assert self.dialog is not None
        hosts, port = self.dialog.chosen_hosts(), self.dialog.port.value()
        self.ctx.runner.spawn(self.pin_now(hosts, port), busy=[self.button])

    async def pin_now(self, hosts: list[str], port: int) -> int:
        session = self.ctx.session
        if session is None:
            return 0
        known = services.known_hosts_file(self.ctx.known_hosts)
        plan = await blocking(
            services.pin_host_keys, session.transport, hosts, port, known, self.keys
        )
        count = sum(1 for pin in plan.pins if pin.new)
        names = ", ".join(sorted({pin.host for pin in plan.pins}))
        self.status.setText(f"Pinned {count} new host keys for {names}.")
        self.ctx.store.record(session.target, "pin host keys", names)
        self.pinned.emit(count)
        return count
