"""The Connect screen's parts: transport picker, SSH and serial forms, and what to offer
(hosts from ~/.ssh/config and recent devices; this laptop's serial ports by model)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from edgegui.gui.icons import icon

if TYPE_CHECKING:
    from edgegui.core.transport.ports import SerialPortInfo
    from edgegui.core.transport.sshconfig import ConfiguredHost

MODES = (("SSH", "terminal"), ("Serial console", "usb"), ("This computer", "laptop"))
BAUD_RATES = ("9600", "19200", "38400", "57600", "115200", "230400", "460800", "921600")
TARGET_ROLE = 256


class ModePicker(QWidget):
    """Three big toggle buttons (touch-friendly) with a combo box's index API.

    Signals: currentIndexChanged(int index).
    """

    currentIndexChanged = Signal(int)  # noqa: N815 - the QComboBox name tests and screens use

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("connectMode")
        self.group = QButtonGroup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: list[QPushButton] = []
        for index, (title, icon_name) in enumerate(MODES):
            button = QPushButton(icon(icon_name), title)
            button.setCheckable(True)
            button.setObjectName(f"mode{index}")
            button.setAccessibleName(f"Connect over {title}")
            self.group.addButton(button, index)
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        self.buttons[0].setChecked(True)
        self.group.idToggled.connect(self._toggled)

    def _toggled(self, index: int, on: bool) -> None:
        if on:
            self.currentIndexChanged.emit(index)

    def currentIndex(self) -> int:  # noqa: N802 - QComboBox-like API
        return self.group.checkedId()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - QComboBox-like API
        self.buttons[index].setChecked(True)


class SshForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.host = QLineEdit(placeholderText="10.0.0.5, gateway.local or an ssh config alias")
        self.host.setObjectName("sshHost")
        self.port = QSpinBox(minimum=1, maximum=65535, value=22)
        self.port.setObjectName("sshPort")
        self.user = QLineEdit("tech")
        self.user.setObjectName("sshUser")
        self.identity = QLineEdit(placeholderText="private key file (optional)")
        self.identity.setObjectName("sshIdentity")
        self.browse = QPushButton("&Browse…")
        self.browse.setAccessibleName("Browse for the key file")
        self.browse.clicked.connect(self._browse)
        key_row = QHBoxLayout()
        key_row.addWidget(self.identity, 1)
        key_row.addWidget(self.browse)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setObjectName("sshPassword")
        self.password.setPlaceholderText("password (if no key)")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Host", self.host)
        form.addRow("P&ort", self.port)
        form.addRow("&User", self.user)
        key_label = QLabel("&Key file")
        key_label.setBuddy(self.identity)
        form.addRow(key_label, key_row)
        form.addRow("Pass&word", self.password)

    def _browse(self) -> None:
        start = str(Path.home() / ".ssh")
        path, _ = QFileDialog.getOpenFileName(self, "SSH private key", start)
        if path:
            self.identity.setText(path)


class SerialForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.port = QComboBox(editable=True)
        self.port.setObjectName("serialPort")
        self.port.setMinimumContentsLength(24)
        self.port.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.baud = QComboBox(editable=True)
        self.baud.setObjectName("serialBaud")
        self.baud.addItems(BAUD_RATES)
        self.baud.setCurrentText("115200")
        self.user = QLineEdit("tech")
        self.user.setObjectName("serialUser")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setObjectName("serialPassword")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Port", self.port)
        form.addRow("&Baud rate", self.baud)
        form.addRow("&Login", self.user)
        form.addRow("Pass&word", self.password)

    def set_ports(self, ports: list[SerialPortInfo]) -> None:
        current = self.port.currentText()
        self.port.clear()
        for port in ports:
            self.port.addItem(port.label, port.by_id or port.device)
        if current:
            self.port.setCurrentText(current)

    def path(self) -> str:
        index = self.port.currentIndex()
        if index >= 0 and self.port.itemText(index) == self.port.currentText():
            return str(self.port.itemData(index))
        return self.port.currentText().strip()


class Suggestions(QListWidget):
    """Devices to pick instead of typing: activating one fills the form.

    Signals: picked(str target).
    """

    picked = Signal(str)

    def __init__(self, name: str, accessible: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setWordWrap(True)
        self.itemActivated.connect(self._pick)
        self.itemClicked.connect(self._pick)

    def add(self, text: str, target: str, icon_name: str, tip: str = "") -> None:
        item = QListWidgetItem(icon(icon_name), text)
        item.setData(TARGET_ROLE, target)
        item.setToolTip(tip or target)
        self.addItem(item)

    def add_note(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.addItem(item)

    def _pick(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            self.picked.emit(str(target))

    def set_hosts(self, configured: list[ConfiguredHost], recent: list[tuple[str, str]]) -> None:
        self.clear()
        for name, target in recent:
            self.add(f"{name} — recent", target, "server", target)
        for host in configured:
            where = f"{host.user + '@' if host.user else ''}{host.hostname}"
            where += f":{host.port}" if host.port else ""
            self.add(f"{host.alias} — {where} (ssh config)", host.target, "terminal")
        if not self.count():
            self.add_note("No hosts in ~/.ssh/config and no recent SSH devices.")

    def set_ports(self, ports: list[SerialPortInfo], baud: str) -> None:
        self.clear()
        for port in ports:
            path = port.by_id or port.device
            self.add(port.label, f"serial://{path}?baud={baud}", "usb", path)
        if not self.count():
            self.add_note("No serial ports on this computer. Plug the USB console cable in.")
