"""GUI fixtures: the qasync loop driven by pytest-qt's waits, and a window on a temp store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from edgegui.gui.loop import close_loop, install_loop
from edgegui.gui.main_window import MainWindow
from edgegui.gui.store import DeviceStore


@pytest.fixture
def aloop(qapp):
    """The app's asyncio loop; qtbot.waitSignal/waitUntil spin Qt, which runs asyncio."""
    loop = install_loop(qapp, already_running=True)
    yield loop
    close_loop(loop)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DeviceStore]:
    opened = DeviceStore(tmp_path / "edgegui.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, aloop, store, tmp_path: Path) -> Iterator[MainWindow]:
    made = MainWindow(store=store, known_hosts=tmp_path / "known_hosts", auto_discover=False)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.shutdown()
    qtbot.waitUntil(lambda: not made.ctx.runner.tasks, timeout=20_000)


def show_wizard(qtbot, window: MainWindow) -> None:
    """Open the Commission screen and wait for its template list (read on first view)."""
    wizard = window.wizard
    if wizard.templates_loaded:
        window.screens.setCurrentWidget(wizard)
        return
    with qtbot.waitSignal(wizard.templates_ready, timeout=20_000):
        window.screens.setCurrentWidget(wizard)


def fill_ssh(window: MainWindow, device, *, key: bool = True) -> None:
    """Type a lab device's SSH details into the Connect screen."""
    form = window.connect_screen.ssh
    window.connect_screen.mode.setCurrentIndex(0)
    form.host.setText(device.ip)
    form.port.setValue(22)
    form.user.setText("tech")
    form.identity.setText(str(device.key_path) if key else "")
    form.password.setText("" if key else device.password)
