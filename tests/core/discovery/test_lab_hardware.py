"""tests/lab/hardware.py: specs load strictly and trees have the real kernel/udev layout."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from edgegui.core.yamlload import YamlError
from tests.core.discovery.probe_env import DEVICES, build_device_tree
from tests.lab.hardware import build_hardware_tree, load_hardware_spec


def test_gateway_plan(tmp_path: Path) -> None:
    root = tmp_path / "hw"
    plan = build_hardware_tree(load_hardware_spec(DEVICES / "gateway.yaml"), root)
    assert plan.serial_ports == [("ttyUSB0", "modbus"), ("ttyUSB1", "modbus")]
    assert plan.char_devices == {"/dev/input/event3": (13, 67)}
    assert plan.bind_files == {"/proc/bus/input/devices": root / "proc/bus/input/devices"}
    assert plan.overlay_dirs == [
        "/dev/input",
        "/dev/serial",
        "/sys/bus/usb",
        "/sys/bus/usb-serial",
        "/sys/class/tty",
    ]


def test_sysfs_layout_is_the_kernels(tmp_path: Path) -> None:
    root = build_device_tree("gateway", tmp_path / "hw", with_ids=False)
    tty = root / "sys/class/tty/ttyUSB0"
    assert os.readlink(tty) == "../../bus/usb/devices/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0"
    port = (tty / "device").resolve()
    assert port == (root / "sys/bus/usb/devices/1-1/1-1:1.0/ttyUSB0").resolve()
    assert os.readlink(port / "driver").endswith("/usb-serial/drivers/ftdi_sio")
    interface = port.parent
    assert (interface / "bInterfaceClass").read_text() == "ff\n"
    assert os.readlink(interface / "driver") == "../../../drivers/ftdi_sio"
    assert (interface / "driver").resolve().is_dir()
    device = interface.parent
    assert [(device / a).read_text().strip() for a in ("idVendor", "idProduct", "serial")] == [
        "0403",
        "6001",
        "A50285BI",
    ]
    by_id = root / "dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0"
    assert os.readlink(by_id) == "../../ttyUSB0"
    entries = (root / "proc/bus/input/devices").read_text()
    assert entries.startswith("I: Bus=0003 Vendor=0c2e Product=0b61 Version=0111\n")
    assert "H: Handlers=sysrq kbd leds event3 \nB: EV=120013\n" in entries


def test_fake_nvidia_smi_answers_like_the_real_one(tmp_path: Path) -> None:
    root = build_device_tree("aibox", tmp_path / "hw", with_ids=False)
    smi = str(root / "usr/local/bin/nvidia-smi")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([smi, *args], capture_output=True, text=True, check=False)

    query = run("--query-gpu=name,memory.total", "--format=csv,noheader,nounits")
    assert query.stdout == "NVIDIA H100 80GB HBM3, 81559\n"
    with_units = run("--query-gpu=memory.total", "--format=csv")
    assert with_units.stdout == "memory.total [MiB]\n81559 MiB\n"
    assert run("-L").stdout.startswith("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-")
    assert "CUDA Version                                           : 13.1" in run("-q").stdout
    bad = run("--query-gpu=bogus", "--format=csv")
    assert bad.returncode == 2 and 'Field "bogus" is not a valid field' in bad.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "usb:\n  - {port: '1-1', vid: 1234, pid: '6001'}\n",
            "usb.yaml:2:24: vid must be a quoted string of 4 lower-case hex digits",
        ),
        ("gpu: 1\n", "usb.yaml:1:1: unknown key 'gpu'"),
        ("nvidia_smi: a100\n", "no fixture tests/fixtures/nvidia-smi/a100.query-gpu.csv"),
        (
            "usb:\n  - port: '1-1'\n    vid: '0403'\n    pid: '6001'\n    interfaces:\n"
            "      - {class: 'ff', tty: ttyUSB0, simulator: printer}\n",
            "usb.yaml:6:48: one of",
        ),
    ],
)
def test_bad_specs_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    spec = tmp_path / "usb.yaml"
    spec.write_text(text)
    with pytest.raises(YamlError, match=message.replace("(", r"\(")):
        load_hardware_spec(spec)
