"""resources/probe.sh run (dash and busybox sh) on the lab hardware trees, parsed end to end.

The trees come from tests/lab/devices/*.yaml through tests/lab/hardware.py; the probe reads
them through its EDGEGUI_PROBE_ROOT testing hook. The lab e2e tests run it without the hook.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from edgegui.core.discovery import parse_probe_output
from tests.core.discovery.probe_env import SHELLS, build_device_tree, run_probe

pytestmark = pytest.mark.parametrize("shell", SHELLS)


def probe(tmp_path: Path, device: str, shell: str) -> dict:
    root = build_device_tree(device, tmp_path / "hw")
    inventory = parse_probe_output(run_probe(root, shell))
    assert inventory.errors == {}
    return inventory.to_dict()


def test_gateway_lists_both_adapters_and_the_keyboard_scanner(tmp_path: Path, shell: str) -> None:
    inv = probe(tmp_path, "gateway", shell)
    assert inv["serial_adapters"] == [
        {
            "tty": "/dev/ttyUSB0",
            "by_id": "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0",
            "vid": "0403",
            "pid": "6001",
            "vendor": "FTDI",
            "product": "FT232R USB UART",
            "serial": "A50285BI",
            "driver": "ftdi_sio",
            "usb_path": "1-1",
            "is_scanner": False,
            "node_gid": None,  # the tree's links lead nowhere: no node to own
        },
        {
            "tty": "/dev/ttyUSB1",
            "by_id": "/dev/serial/by-id/"
            "usb-Silicon_Labs_CP2102_USB_to_UART_Bridge_Controller_0001-if00-port0",
            "vid": "10c4",
            "pid": "ea60",
            "vendor": "Silicon Labs",
            "product": "CP2102 USB to UART Bridge Controller",
            "serial": "0001",
            "driver": "cp210x",
            "usb_path": "1-2",
            "is_scanner": False,
            "node_gid": None,  # the tree's links lead nowhere: no node to own
        },
    ]
    (scanner,) = inv["input_devices"]
    assert scanner["vid"] == "0c2e" and scanner["pid"] == "0b61"
    assert scanner["event"] == "/dev/input/event3"
    assert scanner["by_id"] == (
        "/dev/input/by-id/usb-Honeywell_Imaging___Mobility_Vuquest_3310g_15183B4B2C-event-kbd"
    )
    assert scanner["is_scanner"] and scanner["is_keyboard"]
    assert inv["gpus"] == []
    kinds = {u["path"]: (u["kind"], u["vendor_name"]) for u in inv["usb_devices"]}
    assert kinds == {
        "1-1": ("serial-adapter", "Future Technology Devices International, Ltd"),
        "1-2": ("serial-adapter", "Silicon Labs"),
        "1-3": ("scanner", "Metrologic Instruments"),
    }


def test_retail_counts_hid_and_serial_mode_scanners(tmp_path: Path, shell: str) -> None:
    inv = probe(tmp_path, "retail", shell)
    (acm,) = inv["serial_adapters"]
    assert acm["tty"] == "/dev/ttyACM0" and acm["driver"] == "cdc_acm"
    assert (acm["vid"], acm["pid"], acm["is_scanner"]) == ("05f9", "4204", True)
    assert acm["by_id"] == (
        "/dev/serial/by-id/usb-Datalogic_ADC__Inc._Handheld_Barcode_Scanner_G16N01234-if00"
    )
    (hid,) = inv["input_devices"]
    assert (hid["vid"], hid["pid"], hid["is_scanner"]) == ("05e0", "1200", True)
    assert hid["name"] == "Symbol Technologies, Inc, 2002 Symbol Bar Code Scanner"
    assert hid["by_id"].endswith("_Rev:NBRMSAAHDM:-event-kbd")
    names = {u["pid"]: u["product_name"] for u in inv["usb_devices"]}
    assert names == {"1200": "Bar Code Scanner", "4204": "Gryphon series (RS-232 emulation mode)"}


def test_aibox_reports_the_gpu_from_nvidia_smi(tmp_path: Path, shell: str) -> None:
    # nvidia-smi replays tests/fixtures/nvidia-smi/h100-80gb-hbm3.* (nvidia_gpu_exporter captures)
    inv = probe(tmp_path, "aibox", shell)
    (gpu,) = inv["gpus"]
    assert gpu["vendor"] == "nvidia" and gpu["name"] == "NVIDIA H100 80GB HBM3"
    assert (gpu["memory_mib"], gpu["index"], gpu["driver"]) == (81559, 0, "590.48.01")
    assert (gpu["cuda"], gpu["mig_mode"], gpu["pci_slot"]) == ("13.1", "Disabled", "0000:00:09.0")
    assert gpu["uuid"] == "GPU-00000000-0000-0000-0000-000000000000"
    (pci,) = inv["pci_devices"]
    assert (pci["vendor_id"], pci["device_id"], pci["driver"]) == ("10de", "2330", "nvidia")
    assert pci["device_name"] == "GH100[H100 SXM5 80GB]"
    assert inv["serial_adapters"] == [] and inv["input_devices"] == []


def test_plain_device_has_no_extra_hardware(tmp_path: Path, shell: str) -> None:
    inv = probe(tmp_path, "plain", shell)
    assert inv["serial_adapters"] == []
    assert inv["input_devices"] == []
    assert inv["gpus"] == []
    assert inv["usb_devices"] == []


def test_output_fits_a_serial_console_budget(tmp_path: Path, shell: str) -> None:
    """115200 baud carries ~11.5 KB/s: the whole inventory must stay well under 25 KB."""
    for device in ("gateway", "retail", "aibox"):
        raw = run_probe(build_device_tree(device, tmp_path / device), shell)
        assert len(raw.encode()) < 25_000, device
