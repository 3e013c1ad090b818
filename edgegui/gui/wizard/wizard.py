"""The commission wizard: industry → parameters → hardware → review → deploy → result."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from edgegui.core.errors import EdgeGUIError
from edgegui.gui import services
from edgegui.gui.cards import scrolling
from edgegui.gui.context import AppContext
from edgegui.gui.tasks import blocking
from edgegui.gui.theme import set_tone
from edgegui.gui.wizard.bind import BindStep
from edgegui.gui.wizard.choose import ChooseStep
from edgegui.gui.wizard.deploy import DeployStep
from edgegui.gui.wizard.params import ParameterForm
from edgegui.gui.wizard.review import ReviewStep

if TYPE_CHECKING:
    from edgegui.core.templates import RenderedStack, Template

STEP_TITLES = ("1 Industry", "2 Settings", "3 Hardware", "4 Review", "5 Deploy")


class CommissionWizard(QWidget):
    """Signals:
    step_changed(int step): the visible step.
    templates_ready(): the industry list is filled (read on first view).
    reviewed(): the Compose file and diff are on screen.
    deployed(bool ok): a deploy finished (ok: healthy).
    next_action(str screen): the result page asks for the "report" or "monitor" screen.
    """

    step_changed = Signal(int)
    templates_ready = Signal()
    reviewed = Signal()
    deployed = Signal(bool)
    next_action = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.template: Template | None = None
        self.rendered: RenderedStack | None = None
        self.busy = False
        self.choose = ChooseStep()
        self.params = ParameterForm()
        self.bind = BindStep()
        self.review = ReviewStep()
        self.deploy = DeployStep(ctx.bridge)
        self.deploy.deploy_button.clicked.connect(self.start_deploy)
        self.deploy.next_action.connect(self.next_action)
        self.deploy.again.connect(lambda: self._show(0))
        self.pages = QStackedWidget()
        # Pages without a scroll area of their own scroll as a whole where they are taller
        # than the screen (large controls on 600 pixels), instead of squeezing Back and Next.
        for page in (self.choose, self.params):
            self.pages.addWidget(page)
        for page in (self.bind, self.review, self.deploy):
            self.pages.addWidget(scrolling(page))
        self.titles = [QLabel(t) for t in STEP_TITLES]
        header = QHBoxLayout()
        for title in self.titles:
            header.addWidget(title)
        header.addStretch(1)
        self.back_button = QPushButton("< &Back")
        self.back_button.setObjectName("wizardBack")
        self.next_button = QPushButton("&Next >")
        self.next_button.setObjectName("wizardNext")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.start_next)
        self.params.validity_changed.connect(self._update_buttons)
        self.choose.chosen.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)
        self.templates_loaded = False
        self.templates_task: asyncio.Task[None] | None = None
        ctx.inventory_changed.connect(self._inventory_changed)
        self._show(0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # The catalogue is read on first view, off the GUI thread, not at start-up.
        super().showEvent(event)
        if self.templates_task is None:
            self.ctx.runner.spawn(self.ensure_templates())

    async def ensure_templates(self) -> None:
        """Fill the industry list once (``templates_ready`` says when)."""
        if self.templates_task is None:
            self.templates_task = self.ctx.runner.spawn(self._load_templates())
        await asyncio.shield(self.templates_task)

    async def _load_templates(self) -> None:
        inventory = self.ctx.session.inventory if self.ctx.session else None
        self.choose.set_templates(await blocking(services.template_cards, inventory))
        self.templates_loaded = True
        self._show(self.step)
        self.templates_ready.emit()

    def _inventory_changed(self) -> None:
        """A new discovery: check each template's fit again (once the cards exist)."""
        if self.templates_loaded:
            self.ctx.runner.spawn(self._refit())

    async def _refit(self) -> None:
        inventory = self.ctx.session.inventory if self.ctx.session else None
        loaded = {card.name: card.template for card in self.choose.cards if card.template}
        fits = await blocking(services.template_fits, loaded, inventory)
        for card in self.choose.cards:
            if card.name in fits:
                card.set_fit(fits[card.name])

    @property
    def step(self) -> int:
        return self.pages.currentIndex()

    def _show(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        for index, title in enumerate(self.titles):
            text = STEP_TITLES[index]
            if index < step:
                title.setText(f"✓ {text}")
                set_tone(title, "pass")
            else:
                title.setText(f"<b>{text}</b>" if index == step else text)
                set_tone(title, "info" if index == step else "muted")
        self._update_buttons()
        self._chain_buttons_after(self.pages.currentWidget())
        self.step_changed.emit(step)

    def _chain_buttons_after(self, page: QWidget) -> None:
        """Tab goes through the page, then Back and Next (pages fill after the buttons exist,
        so creation order alone would put their fields after them).

        The page's controls come from findChildren (creation order, which is reading order
        on these pages), not from walking nextInFocusChain(): PySide makes each widget that
        call returns a child of the caller in its own bookkeeping, so deleting the caller
        later invalidated unrelated widgets (the menu bar and its actions died with a card's
        label).
        """
        controls = [
            w
            for w in page.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.isVisibleTo(page)
            and w.focusProxy() is None
        ]
        chain = [*controls, self.back_button, self.next_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def _update_buttons(self) -> None:
        step = self.step
        if self.busy:
            self.back_button.setEnabled(False)
            self.next_button.setEnabled(False)
            self.deploy.deploy_button.setEnabled(False)
            return
        self.back_button.setEnabled(step > 0)
        self.next_button.setVisible(step < len(STEP_TITLES) - 1)
        ok = not (step == 1 and not self.params.valid()) and not (
            step == 0 and self.choose.current() is None
        )
        self.next_button.setEnabled(ok)
        self.deploy.deploy_button.setEnabled(
            self.rendered is not None and self.ctx.session is not None
        )

    def back(self) -> None:
        if self.step > 0:
            self._show(self.step - 1)

    def start_next(self) -> None:
        self.ctx.runner.spawn(self.next_step())

    async def next_step(self) -> None:
        # Buttons stay disabled while the step works; _show() then enables what fits.
        self.busy = True
        self._update_buttons()
        try:
            step = self.step
            await self._leave(step)
        finally:
            self.busy = False
            self._update_buttons()
        self._show(step + 1)
        if step == 2:
            self.reviewed.emit()

    async def _leave(self, step: int) -> None:
        if step == 0:
            name = self.choose.current()
            if name is None:
                raise EdgeGUIError("commission: choose a template first")
            self.template = await blocking(services.template, name)
            self.params.set_parameters(self.template.parameters)
        elif step == 1:
            assert self.template is not None
            inventory = self.ctx.session.inventory if self.ctx.session else None
            choices = services.hardware_choices(self.template, inventory)
            data = inventory.to_dict() if inventory is not None else None
            self.bind.set_slots(self.template.slots, choices, inventory is not None, data)
        elif step == 2:
            await self._render()

    async def _render(self) -> None:
        assert self.template is not None
        session = self.ctx.session
        inventory = session.inventory if session else None
        self.rendered = await blocking(
            services.render, self.template, self.params.values(), self.bind.bindings(), inventory
        )
        diff = await blocking(
            services.compose_diff, session.transport if session else None, self.rendered
        )
        services_list = ", ".join(self.rendered.services) or "none"
        where = session.target if session else "no device (connect first to deploy)"
        self.review.show_rendered(
            f"{self.rendered.source} for {where}; services: {services_list}",
            self.rendered.to_compose_yaml(),
            diff,
            self.rendered.notes,
            self.rendered,
        )
        self.deploy.reset()

    def start_deploy(self) -> None:
        self.ctx.runner.spawn(self.deploy_now())

    async def deploy_now(self) -> None:
        session = self.ctx.session
        if session is None or self.rendered is None:
            raise EdgeGUIError("deploy: connect to a device and review the stack first")
        self.busy = True
        self._update_buttons()
        bundle = self.deploy.bundle_path()
        self.deploy.reset()
        self.deploy.prepare(self.rendered.compose, bundle is not None)
        token = self.deploy.progress.start(f"Deploying {self.rendered.name} to {session.target}…")
        try:
            outcome = await blocking(
                services.deploy,
                session.transport,
                self.rendered,
                self.ctx.bridge.progress_for("deploy"),
                token,
                bundle,
            )
        except EdgeGUIError as exc:
            self.ctx.store.record(session.target, "deploy", f"{self.rendered.name}: failed")
            self.deploy.show_outcome(False, str(exc).splitlines()[0], False, {})
            self.deployed.emit(False)
            raise
        finally:
            self.deploy.progress.finish("")
            self.busy = False
            self._update_buttons()
        session.secret_values = tuple(
            {*session.secret_values, *self.rendered.secret_files.values()}
        )
        self.deploy.show_outcome(outcome.ok, outcome.reason, outcome.rolled_back, outcome.services)
        result = "healthy" if outcome.ok else f"failed: {outcome.reason}"
        self.ctx.store.record(session.target, "deploy", f"{self.rendered.name}: {result}")
        self.deployed.emit(outcome.ok)
