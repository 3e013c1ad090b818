"""The lab itself: devices come up with real parts and go away without a trace."""

import os
from pathlib import Path

import pytest

from tests.conftest import start_lab
from tests.lab.proc import mount_ns_inode, pids_in_mount_ns, sh

pytestmark = pytest.mark.lab


def test_three_devices_up_and_torn_down_cleanly():
    lab = start_lab([None, None, None])
    try:
        holders = [device.holder.pid for device in lab.devices]
        inodes = [mount_ns_inode(pid) for pid in holders]
        for device in lab.devices:
            assert device.exec(["hostname"]).strip() == device.name
            assert "dockerd" in device.exec(["ps", "-eo", "comm"])
            assert Path(device.docker_socket).exists()
        names = {device.netns for device in lab.devices}
    finally:
        lab.stop()
    assert not names & set(sh(["ip", "netns", "list"]).split())
    for inode in inodes:
        assert inode is not None and pids_in_mount_ns(inode) == []
    assert not lab.root.exists()
    assert all(not os.path.exists(f"/proc/{pid}") for pid in holders)
