"""Serial login from every state a technician finds a console in, three times in a row.

Each case is a lab device whose console really runs that program (tests/lab/flags.py), and
each run is the whole ``edgegui exec`` process: log in (or find the shell), run a command,
leave the console as found.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from edgegui.core.errors import CommandTimeout
from edgegui.core.target import parse_target
from edgegui.core.transport.factory import TransportOptions, open_transport
from edgegui.core.transport.seriallink import SerialLink, SerialSettings
from tests.cli.run import edgegui
from tests.conftest import start_lab
from tests.lab import Lab, LabDevice
from tests.lab.flags import DeviceFlags

pytestmark = pytest.mark.lab

# (console program, typed on the console by someone before we come, user we end up as)
CASES = {
    "login-prompt": ("login", "", "tech"),
    "login-ignoring-ctrl-c": ("login-noint", "", "tech"),
    "agetty": ("agetty", "", "tech"),
    "half-typed-login": ("login", "tech\n", "tech"),
    "bash-logged-in": ("bash", "", "tech"),
    "busybox-ash-root": ("ash", "", "root"),
    "openwrt-askfirst": ("askfirst", "", "root"),
    "cat-running": ("bash", "cat\n", "tech"),
    "top-running": ("bash", "top\n", "tech"),
    "pager-open": ("bash", "seq 1 500 | less\n", "tech"),
}


def console_device(console: str) -> Iterator[LabDevice]:
    lab = start_lab([None], [DeviceFlags(console=console, dockerd=False)])
    try:
        yield lab.devices[0]
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def consoles() -> Iterator[Callable[[str], LabDevice]]:
    """One device per console program, started when a test first asks for it."""
    labs: dict[str, Lab] = {}

    def device(console: str) -> LabDevice:
        if console not in labs:
            labs[console] = start_lab([None], [DeviceFlags(console=console, dockerd=False)])
        return labs[console].devices[0]

    try:
        yield device
    finally:
        for lab in labs.values():
            lab.stop()


def screen_after_enter(device: LabDevice) -> str:
    """What the console shows when someone presses Enter (read the raw port)."""
    link = SerialLink(SerialSettings.from_target(parse_target(device.serial_target)))
    time.sleep(1.0)  # a getty respawned after our logout opens the line first
    link.open()
    try:
        link.write(b"\n")
        seen = b""
        while chunk := link.read(0.5):
            seen += chunk
        return seen.decode(errors="replace")
    finally:
        link.close()


def exec_id(device: LabDevice) -> tuple[int, str, str]:
    result = edgegui(
        "exec",
        device.serial_target,
        "--user",
        "tech",
        "--password-env",
        "LAB_PW",
        "--",
        "id",
        "-un",
        env={"LAB_PW": device.password},
    )
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("case", sorted(CASES, key=lambda case: CASES[case][0]))
def test_login_from_the_state_the_console_is_in(consoles: Callable[[str], LabDevice], case: str):
    console, typed, user = CASES[case]
    device = consoles(console)
    for _ in range(3):
        if typed:
            device.type_on_console(typed)
            time.sleep(1.0)  # let the program start before we arrive
        assert exec_id(device) == (0, f"{user}\n", "")
    shown = screen_after_enter(device)
    if console in ("login", "login-noint", "agetty"):
        assert "login:" in shown or "Password:" in shown  # logged out again
    elif console == "bash":
        assert "tech@edge1:~$" in shown  # the shell we found, prompt and echo as before
    else:
        assert "# " in shown


@pytest.mark.parametrize("console", ["login", "agetty"])
def test_kernel_messages_during_login(consoles: Callable[[str], LabDevice], console: str):
    console_lab = consoles(console)
    stop = threading.Event()

    def printk() -> None:
        number = 0
        while not stop.wait(0.07):
            number += 1
            console_lab.kernel_message(f"usb 1-1.{number % 8}: new full-speed USB device")

    noise = threading.Thread(target=printk, daemon=True)
    noise.start()
    try:
        for _ in range(3):
            options = TransportOptions(user="tech", password=console_lab.password)
            with open_transport(console_lab.serial_target, options):
                pass
    finally:
        stop.set()
        noise.join()
    assert exec_id(console_lab) == (0, "tech\n", "")


@pytest.mark.parametrize(("console", "says"), [("garbled", "wrong baud rate"), ("dead", "silent")])
def test_wrong_baud_or_dead_line_is_named(console: str, says: str):
    for device in console_device(console):
        options = TransportOptions(user="tech", password="x", connect_timeout=6)
        with pytest.raises(CommandTimeout, match=says) as info:
            open_transport(device.serial_target, options)
        waited = int(str(info.value).split("within ")[1].split(" s")[0])
        assert waited <= 6, info.value
        code, out, err = exec_id(device)
        assert code == 1 and says in err and err.count("\n") == 1
