"""Kept SSH connections (--control-persist) against a lab device: reuse, files, Docker, safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from edgegui.core.errors import CommandTimeout
from edgegui.core.target import parse_target
from edgegui.core.transport.control_client import attach, control_socket, start_master
from edgegui.core.transport.factory import TransportOptions

pytestmark = pytest.mark.lab


@pytest.fixture
def runtime_dir(monkeypatch):
    # Not below pytest's tmp_path: a Unix socket path must stay under ~100 bytes.
    with tempfile.TemporaryDirectory(prefix="egrun-") as folder:
        monkeypatch.setenv("XDG_RUNTIME_DIR", folder)
        yield Path(folder)
        stop = [sys.executable, "-m", "edgegui", "control", "stop"]
        subprocess.run(stop, check=False, timeout=30, capture_output=True)


def edgegui(*args: str, python: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *python, "-m", "edgegui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )


def options(device, **extra) -> TransportOptions:
    settings = {"identity": device.key_path, "known_hosts": device.known_hosts, **extra}
    return TransportOptions(**settings)


def wait_for_master(device, opts: TransportOptions, timeout: float = 30.0):
    target = parse_target(device.ssh_target)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kept = attach(target, control_socket(target, opts))
        if kept is not None:
            return kept
        time.sleep(0.1)
    raise AssertionError("no control master answered")


def test_later_commands_reuse_the_kept_connection(device, runtime_dir):
    conn = ["-i", str(device.key_path), "--known-hosts", str(device.known_hosts)]
    keep = [*conn, "--control-persist", "30"]
    first = edgegui("exec", device.ssh_target, *keep, "--", "true")
    assert first.returncode == 0, first.stderr
    wait_for_master(device, options(device))
    listed = json.loads(edgegui("control", "list", "--json").stdout)
    assert [m["target"] for m in listed] == [device.ssh_target]

    script = 'printf %s "$1"; echo oops >&2; exit 7'
    again = edgegui(
        "exec", device.ssh_target, *keep, "--", "sh", "-c", script, "sh", "$(id)",
        python=("-X", "importtime"),
    )  # fmt: skip
    assert (again.returncode, again.stdout) == (7, "$(id)")
    assert "oops" in again.stderr
    assert "| paramiko" not in again.stderr  # the kept connection ran it: no login here

    discovered = edgegui("discover", device.ssh_target, *keep, "--json")
    assert discovered.returncode == 0, discovered.stderr
    assert json.loads(discovered.stdout)["docker"]["reachable"] is True
    status = edgegui("status", device.ssh_target, *keep, "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["engine"]["access"] == "api"

    stopped = edgegui("control", "stop", device.ssh_target)
    assert stopped.stdout == f"stopped the kept connection to {device.ssh_target}\n"
    assert json.loads(edgegui("control", "list", "--json").stdout) == []


def test_files_timeouts_and_docker_over_a_kept_connection(device, runtime_dir, tmp_path):
    opts = options(device)
    target = parse_target(device.ssh_target)
    start_master(target, opts, control_socket(target, opts), persist=30)
    kept = wait_for_master(device, opts)
    try:
        payload = tmp_path / "payload.bin"
        payload.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
        kept.put_file(payload, "/tmp/edgegui-control-payload", mode=0o600)
        back = tmp_path / "back.bin"
        kept.get_file("/tmp/edgegui-control-payload", back)
        assert back.read_bytes() == payload.read_bytes()
        assert kept.run(["stat", "-c", "%a", "/tmp/edgegui-control-payload"]).text == "600\n"
        echoed = kept.run(["wc", "-c"], stdin=b"x" * (2 * 1024 * 1024 + 3))
        assert echoed.text.strip() == str(2 * 1024 * 1024 + 3)
        with pytest.raises(CommandTimeout):
            kept.run(["sleep", "10"], timeout=1)
        client = kept.docker_client()
        assert client.version()["ApiVersion"]
        client.close()
    finally:
        kept.close()


def test_the_master_checks_host_keys_itself(device, runtime_dir, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    opts = options(device, known_hosts=empty)
    target = parse_target(device.ssh_target)
    path = control_socket(target, opts)
    start_master(target, opts, path, persist=30)
    log = Path(f"{path}.log")
    deadline = time.monotonic() + 30
    while "unknown host key" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline, "the master did not refuse the unknown key"
        time.sleep(0.1)
    assert attach(target, path) is None
    assert empty.read_text() == ""  # nothing accepted on the user's behalf


def test_a_dead_masters_socket_is_replaced(device, runtime_dir):
    keep = ["-i", str(device.key_path), "--known-hosts", str(device.known_hosts)]
    keep += ["--control-persist", "30"]
    assert edgegui("exec", device.ssh_target, *keep, "--", "true").returncode == 0
    kept = wait_for_master(device, options(device))
    (master,) = json.loads(edgegui("control", "list", "--json").stdout)
    os.kill(master["pid"], signal.SIGKILL)
    time.sleep(0.2)
    assert kept.path.exists()  # left behind by the killed master
    result = edgegui("exec", device.ssh_target, *keep, "--", "echo", "fresh")
    assert result.stdout == "fresh\n"
    wait_for_master(device, options(device))
    (fresh,) = json.loads(edgegui("control", "list", "--json").stdout)
    assert fresh["pid"] != master["pid"]
