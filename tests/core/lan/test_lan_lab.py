"""Finding devices on a lab LAN: devices share one bridge; mDNS answers come from a zeroconf
responder inside a device's namespace, sweeps and browsing run from another device's
namespace (no traffic leaves the lab)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import start_lab
from tests.lab import Lab
from tests.lab.flags import DeviceFlags

pytestmark = pytest.mark.lab
RASPBERRY_PI_MAC = "dc:a6:32:00:00:01"


@pytest.fixture(scope="module")
def site() -> Iterator[Lab]:
    flags = [DeviceFlags(mac=RASPBERRY_PI_MAC, dockerd=False), DeviceFlags(dockerd=False)]
    lab = start_lab([None, None], flags, shared_link=True)
    try:
        yield lab
    finally:
        lab.stop()


def edgegui_in(netns: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The whole command, run inside a lab namespace (the laptop on the site's LAN)."""
    result = subprocess.run(
        ["nsenter", f"--net=/run/netns/{netns}", sys.executable, "-m", "edgegui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "internal error" not in result.stderr, result.stderr
    return result


def test_a_sweep_finds_ssh_servers_with_their_vendor(site: Lab) -> None:
    pi, laptop = site.devices
    result = edgegui_in(laptop.netns, "lan", "sweep", site.subnet, "--rate", "200", "--json",
                        "--connect-timeout", "0.5")  # fmt: skip
    assert result.returncode == 0, result.stderr
    swept = json.loads(result.stdout)
    assert swept["tried"] == 254 and not swept["stopped"]
    found = {d["address"]: d for d in swept["found"]}
    # The host's end of the bridge (.1) answers too where this machine runs an sshd.
    assert {pi.ip, laptop.ip} <= set(found) <= {pi.ip, laptop.ip, site.subnet[:-4] + "1"}
    assert found[pi.ip]["banner"].startswith("SSH-2.0-OpenSSH")
    assert found[pi.ip]["mac"] == RASPBERRY_PI_MAC
    assert found[pi.ip]["vendor"] == "Raspberry Pi Trading Ltd"


def test_a_sweep_stops_at_its_time_limit_and_says_so(site: Lab) -> None:
    _, laptop = site.devices
    result = edgegui_in(laptop.netns, "lan", "sweep", site.subnet, "--rate", "20",
                        "--time-limit", "1")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "stopped at the time limit of 1 s" in result.stderr


def test_a_large_subnet_is_refused_in_one_line(site: Lab) -> None:
    _, laptop = site.devices
    result = edgegui_in(laptop.netns, "lan", "sweep", "10.213.0.0/16")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "--allow-large" in result.stderr


def test_browsing_lists_announced_devices_and_commissioned_ones(site: Lab, tmp_path: Path) -> None:
    pi, laptop = site.devices
    from edgegui.core.lan.avahi import service_xml

    service = tmp_path / "edgegui.service"  # what deploy drops into /etc/avahi/services
    service.write_text(service_xml("retail", "template retail 1.0.0"))
    responder = subprocess.Popen(
        ["nsenter", f"--net=/run/netns/{pi.netns}", sys.executable, "-m",
         "tests.lab.mdns_responder", pi.ip, "edge1", RASPBERRY_PI_MAC, str(service)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert responder.stdout is not None and responder.stdout.readline() == "announced\n"
        result = edgegui_in(laptop.netns, "lan", "browse", "--timeout", "2", "--json")
    finally:
        responder.terminate()
        responder.wait(10)
        if responder.stdout is not None:
            responder.stdout.close()
    assert result.returncode == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert found["address"] == pi.ip and found["target"] == f"ssh://{pi.ip}"
    assert found["services"] == ["_edgegui._tcp", "_ssh._tcp", "_workstation._tcp"]
    assert found["name"] == "edge1" and found["mac"] == RASPBERRY_PI_MAC
    assert found["vendor"] == "Raspberry Pi Trading Ltd"
    assert found["txt"]["stack"] == "retail" and found["txt"]["by"] == "edgegui"
