"""Peripheral checks run by a real sh and stty on this computer (``local://``) against a
real tty (a pseudo-terminal), the way they run on a device against a USB serial port."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from edgegui.core.report.peripherals import BoundDevice, check_devices
from edgegui.core.transport.local import LocalTransport


@pytest.fixture
def tty() -> Iterator[str]:
    controller, device = os.openpty()
    os.fchmod(device, 0o660)  # as udev leaves a serial port: owner and group read-write
    try:
        yield os.ttyname(device)
    finally:
        os.close(controller)
        os.close(device)


def bound(path: str, baud: str = "9600", kind: str = "serial", groups=()) -> BoundDevice:
    return BoundDevice("line-plc-1", path, kind, baud, 65534, frozenset(groups), True)


def test_a_serial_port_that_opens_at_its_baud_passes(tty: str):
    group = os.stat(tty).st_gid
    access, speed = check_devices(LocalTransport(), [bound(tty, groups=[group])])
    assert access.status == "pass" and f"group {group}" in access.message
    assert (speed.status, speed.message) == ("pass", "opens at 9600 baud")


def test_a_speed_the_port_refuses_and_a_missing_node_fail_with_a_fix(tty: str):
    group = os.stat(tty).st_gid
    rows = check_devices(
        LocalTransport(), [bound(tty, "12345", groups=[group]), bound("/dev/ttyUSB97")]
    )
    assert [r.status for r in rows] == ["pass", "fail", "fail"]
    assert rows[1].message.startswith("cannot open at 12345 baud") and rows[1].hint
    assert rows[2].message == "/dev/ttyUSB97 is not present" and "plug" in rows[2].hint


def test_a_node_the_container_s_groups_cannot_open_fails(tty: str):
    os.chmod(tty, 0o600)
    (access, _) = check_devices(LocalTransport(), [bound(tty, groups=[4242])])
    assert access.status == "fail" and "cannot read and write it" in access.message
    assert access.hint.startswith("set the template's group id to")
