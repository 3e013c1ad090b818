"""Discovery end to end on lab devices (real sshd, console login, dockerd; hardware at OS level).

The devices' hardware comes from tests/lab/devices/{gateway,retail,aibox,plain}.yaml; the
inventory must list exactly what the lab presents, over SSH, the serial console and locally.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from edgegui.core.discovery import Inventory, parse_probe_output, probe_inventory
from edgegui.core.discovery.probe import probe_script
from edgegui.core.transport.factory import TransportOptions, open_transport
from tests.conftest import start_lab

pytestmark = [pytest.mark.lab, pytest.mark.slow]
SERIAL_BYTES_PER_S = 115200 / 10  # 8N1: ten bits a byte

GATEWAY = {
    "serial": [
        (
            "/dev/ttyUSB0",
            "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
            "0403:6001",
            "ftdi_sio",
            False,
        ),
        (
            "/dev/ttyUSB1",
            "/dev/serial/by-id/"
            "usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0",
            "10c4:ea60",
            "cp210x",
            False,
        ),
    ],
    "input": [
        (
            "/dev/input/event3",
            "/dev/input/by-id/usb-Honeywell_Imaging___Mobility_Vuquest_3310g_15183B4B2C-event-kbd",
            "0c2e:0b61",
            True,
        ),
    ],
    "gpus": [],
}
RETAIL = {
    "serial": [
        (
            "/dev/ttyACM0",
            "/dev/serial/by-id/usb-Datalogic_ADC__Inc._Handheld_Barcode_Scanner_G16N01234-if00",
            "05f9:4204",
            "cdc_acm",
            True,
        ),
    ],
    "input": [
        (
            "/dev/input/event2",
            "/dev/input/by-id/usb-Symbol_Technologies__Inc__2002_Symbol_Bar_Code_"
            "Scanner_S_N:28A1CC69D1D8AE4585EDA53F7CD6CB88_Rev:NBRMSAAHDM:-event-kbd",
            "05e0:1200",
            True,
        ),
    ],
    "gpus": [],
}
AIBOX = {"serial": [], "input": [], "gpus": [("nvidia", "NVIDIA H100 80GB HBM3", 81559)]}
PLAIN: dict[str, list[Any]] = {"serial": [], "input": [], "gpus": []}
EXPECTED = {"gateway": GATEWAY, "retail": RETAIL, "aibox": AIBOX, "plain": PLAIN}


@pytest.fixture(scope="module")
def devices() -> Iterator[dict[str, Any]]:
    running = start_lab(list(EXPECTED))
    try:
        yield {d.hardware: d for d in running.devices}
    finally:
        running.stop()


def hardware(inv: Inventory) -> dict[str, list[Any]]:
    return {
        "serial": [
            (a.tty, a.by_id, f"{a.vid}:{a.pid}", a.driver, a.is_scanner)
            for a in inv.serial_adapters
        ],
        "input": [(i.event, i.by_id, f"{i.vid}:{i.pid}", i.is_scanner) for i in inv.input_devices],
        "gpus": [(g.vendor, g.name, g.memory_mib) for g in inv.gpus],
    }


def discover_ssh(device: Any) -> Inventory:
    options = TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
    with open_transport(device.ssh_target, options) as transport:
        return probe_inventory(transport)


def discover_serial(device: Any) -> Inventory:
    options = TransportOptions(user="tech", password=device.password)
    with open_transport(device.serial_target, options) as transport:
        return probe_inventory(transport)


def discover_local(device: Any) -> Inventory:
    """``edgegui discover local:// --save`` run inside the device itself (as root)."""
    raw = device.exec(
        [sys.executable, "-m", "edgegui", "discover", "local://", "--save", "/dev/stdout", "--json"]
    )
    return parse_probe_output(raw[: raw.index("\n{\n") + 1], "local")


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("discover", [discover_ssh, discover_serial, discover_local])
def test_inventory_lists_exactly_the_lab_hardware(devices, name, discover) -> None:
    inventory = discover(devices[name])
    assert hardware(inventory) == EXPECTED[name]
    assert inventory.system.hostname == devices[name].name
    assert not set(inventory.errors) & {"meta", "system", "usb", "serial", "input", "gpu"}


def test_ssh_is_one_exec_and_the_user_sees_the_engine(devices) -> None:
    device = devices["plain"]
    options = TransportOptions(identity=device.key_path, known_hosts=device.known_hosts)
    with open_transport(device.ssh_target, options) as transport:
        commands: list[tuple[str, ...]] = []
        real_run = transport.run

        def counting_run(argv: Any, **kwargs: Any) -> Any:
            commands.append(tuple(argv))
            return real_run(argv, **kwargs)

        transport.run = counting_run  # type: ignore[method-assign]
        inventory = probe_inventory(transport)
    assert commands == [("sh", "-s", "--")]
    assert inventory.system.user == "tech"
    assert inventory.docker.reachable, inventory.docker.reason
    assert inventory.docker.socket in ("/run/docker.sock", "/var/run/docker.sock")


def test_serial_console_inventory_within_three_seconds(devices) -> None:
    started = time.monotonic()
    inventory = discover_serial(devices["gateway"])
    wall = time.monotonic() - started
    moved = len(probe_script().encode()) + inventory.probe["bytes"]
    assert moved / SERIAL_BYTES_PER_S < 3.0, f"{moved} bytes need more than 3 s at 115200 baud"
    assert inventory.probe["elapsed_s"] < 3.0 and wall < 10.0


def test_local_json_is_the_inventory(devices) -> None:
    out = devices["aibox"].exec([sys.executable, "-m", "edgegui", "discover", "local://", "--json"])
    data = json.loads(out)
    assert data["gpus"][0]["name"] == "NVIDIA H100 80GB HBM3"
    assert data["gpus"][0]["device_nodes"] == ["/dev/nvidia0"]
    gpu_functions = [p for p in data["pci_devices"] if p["vendor_id"] == "10de"]
    assert [(p["slot"], p["device_id"], p["driver"]) for p in gpu_functions] == [
        ("0000:00:09.0", "2330", "nvidia")
    ]
