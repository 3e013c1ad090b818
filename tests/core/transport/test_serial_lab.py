"""Serial console against a real /bin/login on a lab device's console pty."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from edgegui.core.errors import AuthenticationError, CommandTimeout, UnsafeArgument
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.core.transport.corpus import CONTROL_CHARACTERS, INJECTION_CORPUS

pytestmark = pytest.mark.lab


def console_options(device, **extra) -> TransportOptions:
    return TransportOptions(user="tech", password=device.password, **extra)


@pytest.fixture
def console(device):
    transport = open_transport(device.serial_target, console_options(device))
    yield transport
    transport.close()


def test_exec_over_the_console(console, device):
    result = console.run(["sh", "-c", "hostname; echo err >&2; exit 6"])
    assert result.exit_status == 6
    assert result.stdout == f"{device.name}\nerr\n".encode()  # a console has one stream


def test_script_runs_as_one_framed_command(console):
    result = console.run_script('printf "%s|" "$@"; uname -s\n', ["a b", "$(id)"])
    assert result.stdout == b"a b|$(id)|Linux\n"


def test_injection_corpus_creates_nothing(console):
    for value in INJECTION_CORPUS:
        assert console.run(["printf", "%s", value]).stdout.decode() == value
    assert console.run(["test", "-e", "/tmp/pwned"]).exit_status == 1


@pytest.mark.parametrize("value", CONTROL_CHARACTERS)
def test_control_characters_never_reach_the_line(console, value):
    with pytest.raises(UnsafeArgument):
        console.run(["printf", "%s", value])
    assert console.run(["echo", "still fine"]).stdout == b"still fine\n"


def test_wrong_password(device):
    options = TransportOptions(user="tech", password="wrong", connect_timeout=10)
    with pytest.raises(AuthenticationError, match="login incorrect"):
        open_transport(device.serial_target, options)


def test_login_with_kernel_messages_interleaved(device):
    tty = Path(device.state / "console-tty")
    noise = "\r\n[  812.402113] usb 1-1.2: new full-speed USB device number 7 using xhci_hcd\r\n"
    with tty.open("w") as handle:  # what the kernel prints on the console, mid-prompt
        handle.write(noise)
    with open_transport(device.serial_target, console_options(device)) as transport:
        assert transport.run(["id", "-un"]).stdout == b"tech\n"


def test_already_open_shell_is_reused(device):
    first = open_transport(device.serial_target, console_options(device))
    first.link.close()  # drop the port without logging out: the shell stays open
    second = open_transport(device.serial_target, TransportOptions())  # no credentials
    try:
        assert second.run(["id", "-un"]).stdout == b"tech\n"
    finally:
        second.close()


def test_replugged_adapter_reopens(device, console):
    assert console.run(["true"]).ok
    device.unplug_console()
    time.sleep(0.5)
    device.replug_console()
    assert console.run(["echo", "back"]).stdout == b"back\n"


def test_files_over_the_console(console, tmp_path: Path):
    source = tmp_path / "cfg.json"
    source.write_bytes(b'{"a": 1}\n' * 500)
    console.put_file(source, "/tmp/cfg.json", mode=0o600)
    assert console.run(["stat", "-c", "%a %s", "/tmp/cfg.json"]).stdout == b"600 4500\n"
    console.get_file("/tmp/cfg.json", tmp_path / "back.json")
    assert (tmp_path / "back.json").read_bytes() == source.read_bytes()


@pytest.mark.skipif(shutil.which("socat") is None, reason="needs socat")
def test_ten_megabytes_of_garbage_end_in_a_clear_timeout(tmp_path: Path):
    link = tmp_path / "noisy"
    feeder = subprocess.Popen(
        ["socat", f"PTY,link={link},raw,echo=0", "SYSTEM:head -c 10000000 /dev/urandom; sleep 120"],
        start_new_session=True,
    )
    try:
        for _ in range(100):
            if link.exists():
                break
            time.sleep(0.05)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        options = TransportOptions(user="tech", password="x", connect_timeout=5)
        with pytest.raises(CommandTimeout) as info:
            open_transport(f"serial://{link}", options)
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert "no login prompt" in str(info.value) and "wrong baud rate" in str(info.value)
        assert grown_mb < 64, f"memory grew by {grown_mb:.0f} MB"
    finally:
        os.killpg(feeder.pid, signal.SIGKILL)
        feeder.wait()
