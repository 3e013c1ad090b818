"""Control sockets without a device: settings, the private folder, peer checks, framing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from edgegui.core.errors import CommandTimeout, HostKeyMismatch, TransportError
from edgegui.core.transport import control
from edgegui.core.transport.control import (
    ControlError,
    check_peer,
    control_dir,
    persist_seconds,
    recv_frame,
    recv_json,
    remote_error,
    send_frame,
    send_json,
    socket_path,
)


def test_persist_comes_from_the_option_then_the_environment(monkeypatch):
    monkeypatch.delenv(control.PERSIST_ENV, raising=False)
    assert persist_seconds(None) == 0
    monkeypatch.setenv(control.PERSIST_ENV, "300")
    assert persist_seconds(None) == 300
    assert persist_seconds(0) == 0  # the option wins, 0 turns it off
    monkeypatch.setenv(control.PERSIST_ENV, "soon")
    with pytest.raises(ControlError, match="EDGEGUI_CONTROL_PERSIST='soon'"):
        persist_seconds(None)
    with pytest.raises(ControlError, match="must be 0"):
        persist_seconds(-1)


def test_the_folder_is_private_and_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    folder = control_dir()
    assert folder == tmp_path / "edgegui"
    assert folder.stat().st_mode & 0o777 == 0o700
    folder.chmod(0o755)
    with pytest.raises(ControlError, match="others may enter it"):
        control_dir()
    folder.rmdir()
    folder.symlink_to(tmp_path)  # someone else's folder, planted under our name
    with pytest.raises(ControlError, match="not a folder of this user"):
        control_dir()


def test_without_a_runtime_dir_a_private_temp_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    assert control_dir() == tmp_path / f"edgegui-{os.getuid()}"


def test_socket_names_differ_by_target_and_trust_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / ("x" * 80)))
    (tmp_path / ("x" * 80)).mkdir()
    with pytest.raises(ControlError, match="too long for a Unix socket"):
        socket_path("ssh://tech@gw-01", {})
    with tempfile.TemporaryDirectory() as short:
        monkeypatch.setenv("XDG_RUNTIME_DIR", short)
        a = socket_path("ssh://tech@gw-01", {"known_hosts": None})
        assert a == socket_path("ssh://tech@gw-01", {"known_hosts": None})
        assert a != socket_path("ssh://tech@gw-02", {"known_hosts": None})
        assert a != socket_path("ssh://tech@gw-01", {"known_hosts": "/tmp/other"})
        assert a.parent == Path(short) / "edgegui" and len(a.name) == len("ssh-.sock") + 20


def test_frames_round_trip_and_refuse_oversize():
    left, right = socket.socketpair()
    with left, right:
        send_json(left, b"Q", {"op": "hello"})
        send_frame(left, b"1", b"x" * 100_000)
        assert recv_json(right, b"Q") == {"op": "hello"}
        assert recv_frame(right) == (b"1", b"x" * 100_000)
        left.sendall(b"1" + (control.MAX_FRAME + 1).to_bytes(4, "big"))
        with pytest.raises(ControlError, match="refused"):
            recv_frame(right)
        left.close()
        assert recv_frame(right) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another uid needs root")
@pytest.mark.skipif(not hasattr(socket, "SO_PEERCRED"), reason="Linux peer credentials")
def test_a_peer_of_another_user_is_refused():
    with tempfile.TemporaryDirectory() as folder:  # not below pytest's private tmp folders
        Path(folder).chmod(0o777)
        path = Path(folder) / "s.sock"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(str(path))
            path.chmod(0o777)
            listener.listen(1)
            code = f"import socket; s = socket.socket(socket.AF_UNIX); s.connect({str(path)!r})"
            stranger = subprocess.Popen(
                ["/usr/bin/python3", "-c", code + "; s.recv(1)"], user=65534, group=65534
            )
            conn, _ = listener.accept()
            with conn, pytest.raises(ControlError, match="uid 65534"):
                check_peer(conn)
            stranger.wait(10)
    left, right = socket.socketpair()
    with left, right:
        check_peer(left)  # this user: accepted


def test_remote_errors_keep_their_class_where_they_can():
    assert isinstance(remote_error("CommandTimeout", "slow"), CommandTimeout)
    assert type(remote_error("HostKeyMismatch", "changed")) is TransportError
    assert not isinstance(remote_error("HostKeyMismatch", "x"), HostKeyMismatch)
    assert type(remote_error("SystemExit", "x")) is TransportError
    assert str(remote_error("Nope", "why")) == "why"


def test_serve_refuses_unreadable_settings():
    result = subprocess.run(
        [sys.executable, "-m", "edgegui", "control", "serve"],
        input="{}",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("edgegui: control serve: unreadable settings on stdin")
    assert len(result.stderr.splitlines()) == 1
