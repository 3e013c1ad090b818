"""Connect: SSH (host, user, key or password), a serial console (port, baud, login) or this
computer, with hosts and ports offered, and each step listed while it is tried."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.credentials import remember_password, saved_password
from edgegui.core.errors import EdgeGUIError, HostKeyMismatch
from edgegui.core.events import Progress
from edgegui.core.target import parse_target
from edgegui.core.transport import TransportOptions
from edgegui.gui import services
from edgegui.gui.cards import Checklist, scrolling, wrapped
from edgegui.gui.context import AppContext, Session
from edgegui.gui.hostkeys import (
    ChangedHostKeyDialog,
    HostKeyQuestion,
    UnknownHostKeyDialog,
    host_key_prompt,
)
from edgegui.gui.icons import icon
from edgegui.gui.pinning import HostKeyPinning
from edgegui.gui.progress import ProgressPanel
from edgegui.gui.screens.connect_forms import ModePicker, SerialForm, SshForm, Suggestions
from edgegui.gui.store import SavedDevice
from edgegui.gui.tasks import blocking

SSH, SERIAL, LOCAL = range(3)


class ConnectScreen(QWidget):
    """Signals: connected(str target) after a successful login."""

    connected = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.mode = ModePicker()
        self.ssh = SshForm()
        self.serial = SerialForm()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.ssh)
        self.pages.addWidget(self.serial)
        self.pages.addWidget(wrapped("Commands run on this computer; no login needed."))
        self.site = QLineEdit(placeholderText="store, plant or cabinet (optional)")
        self.site.setObjectName("deviceSite")
        self.site.setAccessibleName("Site")
        self.remember = QCheckBox("&Save this device (never its password)")
        self.remember.setChecked(True)
        self.keep_password = QCheckBox("Remember the password in the OS &keyring")
        self.keep_password.setObjectName("keepPassword")
        self.connect_button = QPushButton(icon("plug"), "&Connect")
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.start_connect)
        self.progress = ProgressPanel(ctx.bridge, "connect")
        self.steps = Checklist("connectSteps")
        self.steps.setMaximumHeight(150)
        self.steps.hide()
        self.status = QLabel("Not connected.")
        self.status.setObjectName("connectStatus")
        self.status.setWordWrap(True)
        self.host_key_dialog: UnknownHostKeyDialog | None = None
        self.changed_key_dialog: ChangedHostKeyDialog | None = None
        ctx.bridge.host_key_question.connect(self._ask_host_key)
        ctx.bridge.progress.connect(self._on_progress)

        self.hosts = Suggestions("sshHostList", "SSH hosts: ssh config and recent devices")
        self.ports = Suggestions("serialPortList", "Serial ports of this computer")
        self.hosts.picked.connect(self.set_target)
        self.ports.picked.connect(self.set_target)
        self.refresh_button = QPushButton(icon("refresh-cw"), "&Refresh ports")
        self.refresh_button.setObjectName("refreshPorts")
        self.refresh_button.clicked.connect(self.refresh_ports)
        port_page = QWidget()
        port_box = QVBoxLayout(port_page)
        port_box.setContentsMargins(0, 0, 0, 0)
        port_box.addWidget(self.ports, 1)
        port_box.addWidget(self.refresh_button)
        self.offers = QStackedWidget()
        self.offers.addWidget(self.hosts)
        self.offers.addWidget(port_page)
        local_note = wrapped("EdgeGUI manages this computer's Docker Engine directly.")
        local_note.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.offers.addWidget(local_note)
        self.offer_title = QLabel("")
        self.mode.currentIndexChanged.connect(self._mode_changed)

        form_side = QVBoxLayout()
        form_side.addWidget(QLabel("<b>Connect over</b>"))
        form_side.addWidget(self.mode)
        form_side.addWidget(self.pages)
        site_row = QHBoxLayout()
        site_label = QLabel("S&ite")
        site_label.setBuddy(self.site)
        site_row.addWidget(site_label)
        site_row.addWidget(self.site, 1)
        form_side.addLayout(site_row)
        form_side.addWidget(self.remember)
        form_side.addWidget(self.keep_password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addStretch(1)
        form_side.addLayout(buttons)
        form_side.addWidget(self.progress)
        form_side.addWidget(self.steps)
        form_side.addWidget(self.status)
        self.pinning = HostKeyPinning(ctx)  # shown while connected over a serial console
        form_side.addWidget(self.pinning)
        form_side.addStretch(1)
        offer_side = QVBoxLayout()
        offer_side.addWidget(self.offer_title)
        offer_side.addWidget(self.offers, 1)
        form_widget = QWidget()
        form_widget.setLayout(form_side)
        form_side.setContentsMargins(0, 0, 0, 0)
        self.columns = layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.addWidget(scrolling(form_widget), 3)
        layout.addLayout(offer_side, 2)
        self.ports_loaded = False
        self._mode_changed(SSH)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Next turn of the loop: reading ~/.ssh/config loads paramiko, off the GUI thread.
        QTimer.singleShot(0, self.reload_offers)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # The hosts and ports go under the form where beside it the form would not fit.
        wide = self.width() >= self.fontMetrics().averageCharWidth() * 110
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    def _mode_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.offers.setCurrentIndex(index)
        for stack in (self.pages, self.offers):  # only the shown page takes room
            for page in range(stack.count()):
                policy = (
                    QSizePolicy.Policy.Preferred if page == index else QSizePolicy.Policy.Ignored
                )
                stack.widget(page).setSizePolicy(policy, policy)
            stack.adjustSize()
        self.offer_title.setText(
            ("<b>Hosts</b> (ssh config and recent)", "<b>Serial ports of this computer</b>", "")[
                index
            ]
        )
        self.keep_password.setEnabled(index != LOCAL)
        if index == SERIAL and not self.ports_loaded:
            self.refresh_ports()

    def reload_offers(self) -> None:
        recent = [
            (d.name, d.target) for d in self.ctx.store.devices() if d.target.startswith("ssh://")
        ]
        self.ctx.runner.spawn(self._load_hosts(recent))

    async def _load_hosts(self, recent: list[tuple[str, str]]) -> None:
        configured = await blocking(services.ssh_config_hosts)
        self.hosts.set_hosts(configured, recent)

    # -- filling the form ----------------------------------------------------
    def set_target(self, uri: str) -> None:
        """Fill the form from a target URI (a saved device, a suggestion, or --device)."""
        target = parse_target(uri)
        if target.scheme == "ssh":
            self.mode.setCurrentIndex(SSH)
            self.ssh.host.setText(target.host)
            self.ssh.port.setValue(target.port or 22)
            self.ssh.user.setText(target.user or "")
            saved = next((d for d in self.ctx.store.devices() if d.target == uri), None)
            if saved is not None and saved.identity:
                self.ssh.identity.setText(saved.identity)
        elif target.scheme == "serial":
            self.mode.setCurrentIndex(SERIAL)
            self.serial.port.setCurrentText(target.path)
            self.serial.baud.setCurrentText(target.params.get("baud", "115200"))
        else:
            self.mode.setCurrentIndex(LOCAL)

    def target_uri(self) -> str:
        if self.mode.currentIndex() == SSH:
            user = self.ssh.user.text().strip()
            host = self.ssh.host.text().strip()
            port = self.ssh.port.value()
            where = f"[{host}]" if ":" in host else host
            return f"ssh://{user + '@' if user else ''}{where}" + (f":{port}" if port != 22 else "")
        if self.mode.currentIndex() == SERIAL:
            return f"serial://{self.serial.path()}?baud={self.serial.baud.currentText().strip()}"
        return "local://"

    def typed_password(self) -> str | None:
        form = self.serial if self.mode.currentIndex() == SERIAL else self.ssh
        return form.password.text() or None

    def options(self, saved: str | None = None) -> TransportOptions:
        """Connection options; ``saved`` is the keyring's password when none was typed."""
        prompt = host_key_prompt(self.ctx.bridge)
        password = self.typed_password() or saved
        if self.mode.currentIndex() == SERIAL:
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

    def _on_progress(self, operation: str, event: Progress) -> None:
        """Each step the transport tries becomes a line; the one before it is done."""
        if operation != "connect" or not event.message or self.progress.token is None:
            return
        if self.steps.count():
            self.steps.set_state(self.steps.count() - 1, "done")
        self.steps.append(event.message[:1].upper() + event.message[1:])

    async def connect_now(self) -> None:
        target = self.target_uri()
        saved = None
        if self.mode.currentIndex() == SERIAL and not self.typed_password():
            saved = await blocking(saved_password, target)  # a console login needs it first
        options = self.options(saved)
        token = self.progress.start(f"Connecting to {target}…")
        self.status.setText(f"Connecting to {target}…")
        self.steps.clear()
        self.steps.states = []
        self.steps.show()
        try:
            transport = await blocking(
                services.connect, target, options, self.ctx.bridge.progress_for("connect")
            )
        except HostKeyMismatch as exc:
            self._failed_step("the host key CHANGED")
            self.ctx.store.record(target, "connect", "refused: host key changed")
            self.status.setText("Refused: the device's host key changed.")
            self.changed_key_dialog = ChangedHostKeyDialog(exc, self)
            self.changed_key_dialog.open()
            return
        except EdgeGUIError as exc:
            reason = str(exc).splitlines()[0]
            self._failed_step(reason)
            self.status.setText(f"Not connected: {reason}")
            self.ctx.store.record(target, "connect", "failed")
            raise
        finally:
            self.progress.finish("")
        if token.cancelled:
            await blocking(transport.close)
            self.status.setText("Connection cancelled.")
            return
        if self.steps.count():
            self.steps.set_state(self.steps.count() - 1, "done")
        self.steps.append("Connected", "done")
        if self.remember.isChecked() and target != "local://":
            self._save(target)
        typed = self.typed_password()
        if self.keep_password.isChecked() and typed:
            await blocking(remember_password, target, typed)
        self.ctx.store.record(target, "connect", "ok")
        self.ctx.set_session(Session(target, transport))
        self.status.setText(f"Connected to {target}.")
        self.connected.emit(target)

    def _failed_step(self, reason: str) -> None:
        if not self.steps.count():
            self.steps.append("Connecting")
        last = self.steps.count() - 1
        self.steps.set_state(last, "failed", f"{self.steps.item(last).text()}: {reason}")

    def _save(self, target: str) -> None:
        ssh = self.mode.currentIndex() == SSH
        identity = self.ssh.identity.text().strip() if ssh else ""
        user = self.ssh.user.text() if ssh else self.serial.user.text()
        name = self.ssh.host.text().strip() if ssh else self.serial.path().rsplit("/", 1)[-1]
        # A device renamed in the list keeps its name when connected to again.
        known = {d.target: d.name for d in self.ctx.store.devices()}
        name = known.get(target) or name or target
        device = SavedDevice(target, name, identity or None, user, site=self.site.text().strip())
        self.ctx.store.save_device(device)

    def _ask_host_key(self, question: HostKeyQuestion) -> None:
        self.host_key_dialog = UnknownHostKeyDialog(question, self)
        self.host_key_dialog.open()

    def refresh_ports(self) -> None:
        self.ctx.runner.spawn(self._load_ports(), busy=[self.refresh_button])

    async def _load_ports(self) -> None:
        ports = await blocking(services.local_serial_ports)
        self.ports_loaded = True
        self.serial.set_ports(ports)
        self.ports.set_ports(ports, self.serial.baud.currentText().strip() or "115200")
