"""SSH through the GUI against a lab device's real sshd: the host-key dialogs (unknown →
accept or refuse; changed → a blocking warning and no connection) and the terminal."""

from __future__ import annotations

from pathlib import Path

import paramiko
import pytest

from tests.gui.conftest import fill_ssh

pytestmark = pytest.mark.lab


def test_unknown_key_accepted_connects_and_is_recorded(qtbot, window, device, tmp_path: Path):
    fill_ssh(window, device)
    screen = window.connect_screen
    with qtbot.waitSignal(window.ctx.bridge.host_key_question, timeout=30_000):
        screen.connect_button.click()
    dialog = screen.host_key_dialog
    assert dialog is not None and dialog.isVisible()
    assert "SHA256:" in dialog.informativeText()
    assert screen.connect_button.isEnabled() is False  # busy while the handshake waits
    with qtbot.waitSignal(screen.connected, timeout=30_000):
        dialog.accept_button.click()
    assert window.ctx.session is not None
    assert window.ctx.session.transport.run(["id", "-un"]).stdout == b"tech\n"
    assert device.ip in (tmp_path / "known_hosts").read_text()
    qtbot.waitUntil(screen.connect_button.isEnabled)
    assert window.errors.shown == []


def test_unknown_key_refused_does_not_connect(qtbot, window, device, tmp_path: Path):
    fill_ssh(window, device)
    screen = window.connect_screen
    with qtbot.waitSignal(window.ctx.bridge.host_key_question, timeout=30_000):
        screen.connect_button.click()
    with qtbot.waitSignal(window.ctx.bridge.failed, timeout=30_000) as failed:
        screen.host_key_dialog.refuse_button.click()
    assert "unknown host key" in failed.args[0]
    assert window.ctx.session is None
    assert not (tmp_path / "known_hosts").exists()
    qtbot.waitUntil(lambda: window.errors.current is not None and window.errors.current.isVisible())
    assert "\n" not in window.errors.current.text()  # one line; details on demand
    assert window.errors.current.detailedText()


def test_changed_key_shows_a_blocking_warning(qtbot, window, device, tmp_path: Path):
    impostor = paramiko.ECDSAKey.generate()
    (tmp_path / "known_hosts").write_text(
        f"{device.ip} {impostor.get_name()} {impostor.get_base64()}\n"
    )
    fill_ssh(window, device)
    screen = window.connect_screen
    screen.connect_button.click()
    qtbot.waitUntil(
        lambda: screen.changed_key_dialog is not None and screen.changed_key_dialog.isVisible(),
        timeout=30_000,
    )
    dialog = screen.changed_key_dialog
    assert dialog.isModal()
    assert "CHANGED" in dialog.text()
    assert window.ctx.session is None
    assert screen.host_key_dialog is None  # never offered to accept the new key
    assert "host key changed" in window.ctx.store.history()[0].result


def test_ssh_terminal_runs_a_shell(qtbot, window, device, tmp_path: Path):
    (tmp_path / "known_hosts").write_text(device.known_hosts.read_text())
    fill_ssh(window, device)
    with qtbot.waitSignal(window.connect_screen.connected, timeout=30_000):
        window.connect_screen.connect_button.click()
    pane = window.monitor.terminal
    pane.open_button.click()
    qtbot.waitUntil(lambda: pane.session is not None, timeout=10_000)
    pane.view.typed.emit(b"echo ssh-$((6*7))\r")
    qtbot.waitUntil(lambda: "ssh-42" in pane.view.text(), timeout=10_000)
    pane.stop_shell()
    assert window.errors.shown == []


def test_a_saved_password_is_fetched_only_when_no_key_worked(qtbot, window, device, tmp_path):
    import keyring

    from edgegui.core.credentials import remember_password
    from tests.keyring_backend import FileKeyring

    (tmp_path / "known_hosts").write_text(device.known_hosts.read_text())
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("EDGEGUI_TEST_KEYRING", str(tmp_path / "keyring.json"))
            fill_ssh(window, device, key=False)
            screen = window.connect_screen
            screen.ssh.password.setText("")  # no key and no typed password
            remember_password(screen.target_uri(), device.password)
            options = screen.options()
            assert options.password is None and options.password_prompt is not None
            with qtbot.waitSignal(screen.connected, timeout=30_000):
                screen.connect_button.click()
    finally:
        keyring.set_keyring(previous)
    assert window.ctx.session is not None
    assert window.ctx.session.transport.run(["id", "-un"]).stdout == b"tech\n"
