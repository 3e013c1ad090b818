"""The device overview: cards for identity, hardware, preflight, stacks and alerts; the raw
inventory tree one click away; the docker-group fix where preflight asks for it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from edgegui.core.errors import Cancelled, EdgeGUIError
from edgegui.gui import services
from edgegui.gui.cards import scrolling
from edgegui.gui.context import AppContext, Session
from edgegui.gui.icons import icon
from edgegui.gui.progress import ProgressPanel
from edgegui.gui.screens.overview.cards import (
    AlertsCard,
    HardwareCard,
    IdentityCard,
    PreflightCard,
    StacksCard,
)
from edgegui.gui.screens.overview.inventory_tree import fill_tree
from edgegui.gui.tasks import blocking, modal


def preflight_summary(checks: list[Any]) -> str:
    failed = sum(c.status == "fail" for c in checks)
    warned = sum(c.status == "warn" for c in checks)
    if failed:
        return f"{failed} preflight failure{'s' if failed != 1 else ''}"
    return f"preflight: {warned} to look at" if warned else "preflight passed"


class OverviewScreen(QWidget):
    """Signals:
    discovered(): a probe finished and the cards show it.
    details_loaded(): serial numbers, stacks and alerts are on the cards too.
    """

    discovered = Signal()
    details_loaded = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.data: dict[str, Any] = {}
        self.details_task: object = None
        self.discover_button = QPushButton(icon("refresh-cw"), "&Discover hardware")
        self.discover_button.setObjectName("discoverButton")
        self.discover_button.clicked.connect(self.start_discovery)
        self.raw_button = QPushButton(icon("list-tree"), "&Raw inventory")
        self.raw_button.setObjectName("rawInventoryButton")
        self.raw_button.setCheckable(True)
        self.raw_button.toggled.connect(self._show_raw)
        self.summary = QLabel("Connect to a device, then discover its hardware.")
        self.summary.setObjectName("overviewSummary")
        self.summary.setWordWrap(True)
        self.progress = ProgressPanel(ctx.bridge, "discover")

        self.identity = IdentityCard()
        self.hardware = HardwareCard()
        self.preflight = PreflightCard()
        self.stacks = StacksCard()
        self.alerts = AlertsCard()
        # Offered when preflight finds the login user outside the engine's group.
        self.access_button = QPushButton("")
        self.access_button.setObjectName("dockerAccessButton")
        self.access_button.clicked.connect(self.start_docker_access)
        self.access_button.hide()
        self.preflight.layout().addWidget(self.access_button)
        self._access_for = ("this user", "docker")

        cards = QWidget()
        self.cards_grid = grid = QGridLayout(cards)
        grid.setContentsMargins(0, 0, 0, 0)
        self.left, self.right = QVBoxLayout(), QVBoxLayout()
        for column in (self.left, self.right):
            column.addStretch(1)
        grid.addLayout(self.left, 0, 0)
        grid.addLayout(self.right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.two_columns: bool | None = None
        self._arrange(True)
        scroll = scrolling(cards)
        scroll.setObjectName("overviewCards")

        self.tree = QTreeWidget()
        self.tree.setObjectName("inventoryTree")
        self.tree.setAccessibleName("Raw inventory")
        self.tree.setHeaderLabels(["Item", "Value"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.pages = QStackedWidget()
        self.pages.addWidget(scroll)
        self.pages.addWidget(self.tree)

        top = QHBoxLayout()
        top.addWidget(self.discover_button)
        top.addWidget(self.raw_button)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.pages, 1)
        ctx.session_changed.connect(self._session_changed)
        self._session_changed(ctx.session)

    def _arrange(self, two_columns: bool) -> None:
        """Cards in two columns, or in one where two would not fit (large controls, a narrow
        window): side by side they would run past the right edge."""
        if two_columns == self.two_columns:
            return
        self.two_columns = two_columns
        self.cards_grid.setColumnStretch(1, 1 if two_columns else 0)
        left = (self.identity, self.preflight)
        right = (self.hardware, self.stacks, self.alerts)
        order = (left, right) if two_columns else (left[:1] + right[:1] + left[1:] + right[1:], ())
        for card in left + right:
            self.left.removeWidget(card)
            self.right.removeWidget(card)
        for column, cards in zip((self.left, self.right), order, strict=True):
            for index, card in enumerate(cards):
                column.insertWidget(index, card)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # Two columns need room for about 55 characters each.
        self._arrange(self.width() >= self.fontMetrics().averageCharWidth() * 115)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # large controls on or off
            self._arrange(self.width() >= self.fontMetrics().averageCharWidth() * 115)

    def _show_raw(self, raw: bool) -> None:
        self.pages.setCurrentIndex(1 if raw else 0)

    def _session_changed(self, session: Session | None) -> None:
        self.discover_button.setEnabled(session is not None)
        if session is None:
            self.tree.clear()
            self.data = {}
            self.summary.setText("Connect to a device, then discover its hardware.")
            self.show_inventory({}, [])
        elif session.inventory is None:
            self.summary.setText(f"Connected to {session.target}. Discovering its hardware…")

    # -- discovery ---------------------------------------------------------------
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
        self.details_task = self.ctx.runner.spawn(self.load_details(session))

    def refresh_details(self) -> None:
        """Stacks and alerts again (after a deploy), if a device is open."""
        if self.ctx.session is not None and self.data:
            self.details_task = self.ctx.runner.spawn(
                self.load_details(self.ctx.session, serials=False)
            )

    async def load_details(self, session: Session, serials: bool = True) -> None:
        """Serial numbers, stacks and alerts: a second look, after the cards are up."""
        self.stacks.show_status(None)
        details = await blocking(services.overview_details, session.transport, serials)
        if self.ctx.session is not session:
            return
        if serials:
            self.identity.set_serials(details.serials, self.data)
        self.stacks.show_status(details.status, details.problem)
        self.alerts.show_status(details.status)
        self.details_loaded.emit()

    def show_inventory(self, data: dict[str, Any], checks: list[Any]) -> None:
        self.data = data
        if data:
            fill_tree(self.tree, data)
        else:
            self.tree.clear()
        self.identity.serials = []
        self.identity.show_inventory(data)
        self.hardware.show_inventory(data)
        self.preflight.show_checks(checks)
        if not data:
            self.stacks.show_status(None, "—")
            self.alerts.show_status(None)
        self._offer_docker_access(data, checks)
        system = data.get("system") or {}
        if system:
            counts = len(self.hardware.items)
            self.summary.setText(
                f"<b>{system.get('hostname', '?')}</b> — {counts} hardware item"
                f"{'s' if counts != 1 else ''}, {preflight_summary(checks)}"
            )

    # -- the docker-group fix -----------------------------------------------------
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
            password, ok = await modal(
                QInputDialog.getText,
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
