"""Serial connect through the Connect screen against a lab device's console (real login)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.lab


def fill_serial(window, device, password: str) -> None:
    screen = window.connect_screen
    screen.mode.setCurrentIndex(1)
    screen.serial.port.setCurrentText(str(device.serial_path))
    screen.serial.baud.setCurrentText("115200")
    screen.serial.user.setText("tech")
    screen.serial.password.setText(password)


def test_serial_login_connects_and_runs_commands(qtbot, window, device):
    fill_serial(window, device, device.password)
    screen = window.connect_screen
    assert screen.target_uri() == device.serial_target
    with qtbot.waitSignal(screen.connected, timeout=60_000) as connected:
        screen.connect_button.click()
    assert connected.args == [device.serial_target]
    assert window.ctx.session.transport.run(["hostname"]).stdout == f"{device.name}\n".encode()
    assert window.session_label.text() == f"Connected: {device.serial_target}"
    saved = [d.target for d in window.ctx.store.devices()]
    assert saved == [device.serial_target]
    assert window.errors.shown == []


def test_wrong_serial_password_is_one_line(qtbot, window, device):
    fill_serial(window, device, "wrong")
    with qtbot.waitSignal(window.ctx.bridge.failed, timeout=60_000) as failed:
        window.connect_screen.connect_button.click()
    assert "login incorrect" in failed.args[0]
    assert window.ctx.session is None


def test_serial_terminal_shows_the_shell(qtbot, window, device):
    fill_serial(window, device, device.password)
    with qtbot.waitSignal(window.connect_screen.connected, timeout=60_000):
        window.connect_screen.connect_button.click()
    pane = window.monitor.terminal
    pane.open_button.click()
    qtbot.waitUntil(lambda: pane.session is not None, timeout=10_000)
    for ch in "echo gui-$((6*7))\r":
        pane.view.typed.emit(ch.encode())
    qtbot.waitUntil(lambda: "gui-42" in pane.view.text(), timeout=10_000)
    pane.stop_shell()
