"""The GUI offers the docker-group fix as an explicit action, with sudo's password asked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QInputDialog

from tests.conftest import one_device
from tests.gui.conftest import fill_ssh
from tests.lab import LabDevice
from tests.lab.flags import DeviceFlags

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def outsider() -> Iterator[LabDevice]:
    with one_device(flags=DeviceFlags(docker_group=False, sudo_password=True)) as device:
        yield device


def test_docker_access_button(qtbot, window, outsider: LabDevice, monkeypatch):
    window.ctx.known_hosts.write_text(outsider.known_hosts.read_text())
    fill_ssh(window, outsider)
    with qtbot.waitSignal(window.connect_screen.connected, timeout=30_000):
        window.connect_screen.connect_button.click()
    overview = window.overview
    with qtbot.waitSignal(overview.discovered, timeout=120_000):
        overview.discover_button.click()
    button = overview.access_button
    assert button.isVisible() and "Give tech access to Docker" in button.text()
    asked: list[str] = []

    def sudo_prompt(parent, title, label, echo):  # type: ignore[no-untyped-def]
        asked.append(label)
        return outsider.password, True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(sudo_prompt))
    with qtbot.waitSignal(overview.discovered, timeout=120_000):
        button.click()
    assert asked and "usermod -aG docker tech" in asked[0]
    usable = next(c for c in window.ctx.session.preflight if c.check == "docker-usable")
    assert usable.status == "pass", usable.message
    assert not button.isVisible()
