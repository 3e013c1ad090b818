"""Connect: SSH (host, user, key or password) or a serial console (port, baud, login)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.credentials import remember_password, saved_password
from edgegui.core.errors import EdgeGUIError, HostKeyMismatch
from edgegui.core.target import parse_target
from edgegui.core.transport import TransportOptions
from edgegui.gui import services
from edgegui.gui.context import AppContext, Session
from edgegui.gui.hostkeys import (
    ChangedHostKeyDialog,
    HostKeyQuestion,
    UnknownHostKeyDialog,
    host_key_prompt,
)
from edgegui.gui.pinning import HostKeyPinning
from edgegui.gui.progress import ProgressPanel
from edgegui.gui.store import SavedDevice
from edgegui.gui.tasks import blocking

if TYPE_CHECKING:
    from edgegui.core.transport.ports import SerialPortInfo

MODES = ("SSH", "Serial console", "This computer")
BAUD_RATES = ("9600", "19200", "38400", "57600", "115200", "230400")


class SshForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.host = QLineEdit(placeholderText="10.0.0.5 or gateway.local")
        self.port = QSpinBox(minimum=1, maximum=65535, value=22)
        self.user = QLineEdit("tech")
        self.identity = QLineEdit(placeholderText="private key file (optional)")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        key_row = QHBoxLayout()
        key_row.addWidget(self.identity)
        key_row.addWidget(browse)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("password (if no key)")
        form = QFormLayout(self)
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
    refresh_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.port = QComboBox(editable=True)
        self.port.setObjectName("serialPort")
        self.port.setMinimumContentsLength(40)
        self.port.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        refresh = QPushButton("&Refresh")
        refresh.clicked.connect(self.refresh_requested)
        port_row = QHBoxLayout()
        port_row.addWidget(self.port, 1)
        port_row.addWidget(refresh)
        self.baud = QComboBox(editable=True)
        self.baud.addItems(BAUD_RATES)
        self.baud.setCurrentText("115200")
        self.user = QLineEdit("tech")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        port_label = QLabel("&Port")
        port_label.setBuddy(self.port)
        form.addRow(port_label, port_row)
        form.addRow("&Baud rate", self.baud)
        form.addRow("&Login", self.user)
        form.addRow("Pass&word", self.password)

    def set_ports(self, ports: list[SerialPortInfo]) -> None:
        current = self.port.currentText()
        self.port.clear()
        for port in ports:
            ids = f" — {port.vid_pid}" if port.vid_pid else ""
            text = f"{port.by_id or port.device}{ids} {port.description}".rstrip()
            self.port.addItem(text, port.by_id or port.device)
        if current:
            self.port.setCurrentText(current)

    def path(self) -> str:
        index = self.port.currentIndex()
        if index >= 0 and self.port.itemText(index) == self.port.currentText():
            return str(self.port.itemData(index))
        return self.port.currentText().strip()


class ConnectScreen(QWidget):
    """Signals: connected(str target) after a successful login."""

    connected = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.mode = QComboBox()
        self.mode.addItems(MODES)
        self.ssh = SshForm()
        self.serial = SerialForm()
        self.serial.refresh_requested.connect(self.refresh_ports)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.ssh)
        self.pages.addWidget(self.serial)
        self.pages.addWidget(QLabel("Commands run on this computer; no login needed."))
        self.mode.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.remember = QCheckBox("&Save this device (never its password)")
        self.remember.setChecked(True)
        self.keep_password = QCheckBox("Remember the password in the OS &keyring")
        self.keep_password.setObjectName("keepPassword")
        self.connect_button = QPushButton("&Connect")
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.start_connect)
        self.progress = ProgressPanel(ctx.bridge, "connect")
        self.status = QLabel("Not connected.")
        self.status.setObjectName("connectStatus")
        self.status.setWordWrap(True)
        self.host_key_dialog: UnknownHostKeyDialog | None = None
        self.changed_key_dialog: ChangedHostKeyDialog | None = None
        ctx.bridge.host_key_question.connect(self._ask_host_key)

        layout = QVBoxLayout(self)
        mode_row = QFormLayout()
        mode_row.addRow("Connect &over", self.mode)
        layout.addLayout(mode_row)
        layout.addWidget(self.pages)
        layout.addWidget(self.remember)
        layout.addWidget(self.keep_password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.pinning = HostKeyPinning(ctx)  # shown while connected over a serial console
        layout.addWidget(self.pinning)
        layout.addStretch(1)

    # -- filling the form ----------------------------------------------------
    def set_target(self, uri: str) -> None:
        """Fill the form from a target URI (a saved device, or --device at start)."""
        target = parse_target(uri)
        if target.scheme == "ssh":
            self.mode.setCurrentIndex(0)
            self.ssh.host.setText(target.host)
            self.ssh.port.setValue(target.port or 22)
            self.ssh.user.setText(target.user or "")
        elif target.scheme == "serial":
            self.mode.setCurrentIndex(1)
            self.serial.port.setCurrentText(target.path)
            self.serial.baud.setCurrentText(target.params.get("baud", "115200"))
        else:
            self.mode.setCurrentIndex(2)

    def target_uri(self) -> str:
        if self.mode.currentIndex() == 0:
            user = self.ssh.user.text().strip()
            host = self.ssh.host.text().strip()
            port = self.ssh.port.value()
            where = f"[{host}]" if ":" in host else host
            return f"ssh://{user + '@' if user else ''}{where}" + (f":{port}" if port != 22 else "")
        if self.mode.currentIndex() == 1:
            return f"serial://{self.serial.path()}?baud={self.serial.baud.currentText().strip()}"
        return "local://"

    def typed_password(self) -> str | None:
        form = self.serial if self.mode.currentIndex() == 1 else self.ssh
        return form.password.text() or None

    def options(self, saved: str | None = None) -> TransportOptions:
        """Connection options; ``saved`` is the keyring's password when none was typed."""
        prompt = host_key_prompt(self.ctx.bridge)
        password = self.typed_password() or saved
        if self.mode.currentIndex() == 1:
            return TransportOptions(user=self.serial.user.text().strip() or None, password=password)
        identity = self.ssh.identity.text().strip()
        target = self.target_uri()
        return TransportOptions(
            identity=Path(identity).expanduser() if identity else None,
            password=password,
            known_hosts=self.ctx.known_hosts,
            host_key_prompt=prompt,  # type: ignore[arg-type]
            # Asked only when no key worked: loading the keyring costs a noticeable moment.
            password_prompt=None if password else (lambda _where: saved_password(target)),
        )

    # -- connecting ----------------------------------------------------------
    def start_connect(self) -> None:
        self.ctx.runner.spawn(self.connect_now(), busy=[self.connect_button])

    async def connect_now(self) -> None:
        target = self.target_uri()
        saved = None
        if self.mode.currentIndex() == 1 and not self.typed_password():
            saved = await blocking(saved_password, target)  # a console login needs it first
        options = self.options(saved)
        token = self.progress.start(f"Connecting to {target}…")
        self.status.setText(f"Connecting to {target}…")
        try:
            transport = await blocking(
                services.connect, target, options, self.ctx.bridge.progress_for("connect")
            )
        except HostKeyMismatch as exc:
            self.ctx.store.record(target, "connect", "refused: host key changed")
            self.status.setText("Refused: the device's host key changed.")
            self.changed_key_dialog = ChangedHostKeyDialog(exc, self)
            self.changed_key_dialog.open()
            return
        except EdgeGUIError as exc:
            self.status.setText(f"Not connected: {str(exc).splitlines()[0]}")
            self.ctx.store.record(target, "connect", "failed")
            raise
        finally:
            self.progress.finish("")
        if token.cancelled:
            await blocking(transport.close)
            self.status.setText("Connection cancelled.")
            return
        if self.remember.isChecked() and target != "local://":
            self._save(target)
        typed = self.typed_password()
        if self.keep_password.isChecked() and typed:
            await blocking(remember_password, target, typed)
        self.ctx.store.record(target, "connect", "ok")
        self.ctx.set_session(Session(target, transport))
        self.status.setText(f"Connected to {target}.")
        self.connected.emit(target)

    def _save(self, target: str) -> None:
        ssh = self.mode.currentIndex() == 0
        identity = self.ssh.identity.text().strip() if ssh else ""
        user = self.ssh.user.text() if ssh else self.serial.user.text()
        name = self.ssh.host.text().strip() if ssh else self.serial.path().rsplit("/", 1)[-1]
        self.ctx.store.save_device(SavedDevice(target, name or target, identity or None, user))

    def _ask_host_key(self, question: HostKeyQuestion) -> None:
        self.host_key_dialog = UnknownHostKeyDialog(question, self)
        self.host_key_dialog.open()

    def refresh_ports(self) -> None:
        self.ctx.runner.spawn(self._load_ports())

    async def _load_ports(self) -> None:
        self.serial.set_ports(await blocking(services.local_serial_ports))
