"""What every screen shares: the bridge, the task runner, the store and the open session."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from edgegui.gui.bridge import CoreBridge
from edgegui.gui.store import DeviceStore
from edgegui.gui.tasks import TaskRunner

if TYPE_CHECKING:
    from edgegui.core.discovery import CheckResult, Inventory
    from edgegui.core.transport import Transport


@dataclass
class Session:
    """The device the technician is working on."""

    target: str
    transport: Transport
    inventory: Inventory | None = None
    preflight: list[CheckResult] = field(default_factory=list)
    # Secrets deployed in this session, kept in memory only, to redact from diagnostics.
    secret_values: tuple[str, ...] = field(default=(), repr=False)


class AppContext(QObject):
    """Signals:
    session_changed(object Session|None): connected to a device, or disconnected.
    inventory_changed(object Session): discovery finished for the session's device.
    """

    session_changed = Signal(object)
    inventory_changed = Signal(object)

    def __init__(self, store: DeviceStore, known_hosts: Path | None = None) -> None:
        super().__init__()
        self.bridge = CoreBridge()
        self.runner = TaskRunner(self.bridge)
        self.store = store
        self.known_hosts = known_hosts  # None: EdgeGUI's own file under the user data folder
        self.session: Session | None = None

    def set_session(self, session: Session | None) -> None:
        old = self.session
        self.session = session
        if old is not None and old is not session:
            old.transport.close()
        self.session_changed.emit(session)

    def set_inventory(self, inventory: Inventory, preflight: list[CheckResult]) -> None:
        assert self.session is not None
        self.session.inventory = inventory
        self.session.preflight = preflight
        self.inventory_changed.emit(self.session)
