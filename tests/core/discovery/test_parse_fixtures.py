"""Parsers on real captured hardware outputs from tests/fixtures (sources in SOURCES.md)."""

from __future__ import annotations

import re
from pathlib import Path

from edgegui.core.discovery import parse_probe_output
from edgegui.core.discovery.gpus import parse_gpus
from edgegui.core.discovery.ids import parse_ids
from edgegui.core.discovery.input_devices import parse_input
from edgegui.core.discovery.model import PciDevice
from edgegui.core.discovery.sections import Section
from edgegui.core.discovery.usb import parse_usb
from tests.core.discovery.probe_env import FIXTURES, fixture_text, run_probe
from tests.lab.hardware import build_hardware_tree, udev_serial_id


def probe_tree(tmp_path: Path, spec: dict) -> dict:
    root = tmp_path / "hw"
    build_hardware_tree(spec, root)
    return parse_probe_output(run_probe(root)).to_dict()


def test_mig_mode_from_an_h100_in_mig_mode(tmp_path: Path) -> None:
    # nvidia-smi/h100-mig.*: utkuozdemir/nvidia_gpu_exporter capture, H100 split into 4 MIGs
    (gpu,) = probe_tree(tmp_path, {"nvidia_smi": "h100-mig"})["gpus"]
    assert (gpu["name"], gpu["mig_mode"], gpu["memory_mib"]) == (
        "NVIDIA H100 80GB HBM3",
        "Enabled",
        81559,
    )


def test_jetson_release_files(tmp_path: Path) -> None:
    # jetson/nv_tegra_release.*: lesomnus/tegra-exporter test comments (R36.4.4 and Thor R38.4.0)
    for release, l4t in (("r36.4.4", "R36.4.4"), ("r38.4.0", "R38.4.0")):
        (gpu,) = probe_tree(tmp_path / release, {"nv_tegra_release": release})["gpus"]
        assert (gpu["vendor"], gpu["l4t"], gpu["source"]) == ("jetson", l4t, "tegra")


def test_proc_bus_input_of_a_usb_keyboard_receiver(tmp_path: Path) -> None:
    # proc-bus-input/issue-logkeys-34-…: kernc/logkeys #34, Microsoft 045e:008a keyboard + mouse
    root = tmp_path / "hw"
    build_hardware_tree({}, root)
    (root / "proc/bus/input/devices").write_text(
        fixture_text("proc-bus-input/issue-logkeys-34-usb-hid-keyboard-045e-008a.txt")
    )
    devices = parse_probe_output(run_probe(root)).input_devices
    assert [(d.vid, d.pid, d.event, d.is_keyboard, d.is_scanner) for d in devices] == [
        ("045e", "008a", "/dev/input/event3", True, False),
        ("045e", "008a", "/dev/input/event4", False, False),
    ]
    assert devices[0].name == "Microsoft Microsoft Wireless Optical Desktop® 1.00"
    assert devices[0].phys == "usb-0000:00:1d.1-1/input0"


def test_full_proc_file_without_the_probe_filter() -> None:
    """The parser also reads the unfiltered file (B: KEY= lines and all)."""
    text = fixture_text("proc-bus-input/issue-logkeys-34-usb-hid-keyboard-045e-008a.txt")
    devices = parse_input(Section("input", text.splitlines()))
    assert [d.is_keyboard for d in devices] == [True, False]


def test_udev_by_id_names_match_real_udevadm_outputs() -> None:
    # udevadm/*: `udevadm info` of an FT232R ("LABS Board1"), a CP2102 and an FT232H U2D2
    for path in sorted((FIXTURES / "udevadm").glob("ttyUSB0-*.txt")):
        text = path.read_text()
        env = dict(re.findall(r"^E: (\w+)=(.*)$", text, re.MULTILINE))

        def decoded(key: str, env: dict[str, str] = env) -> str:
            return re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), env[key])

        usb = {
            "vid": env["ID_VENDOR_ID"],
            "pid": env["ID_MODEL_ID"],
            "manufacturer": decoded("ID_VENDOR_ENC"),
            "product": decoded("ID_MODEL_ENC"),
            "serial": env["ID_SERIAL_SHORT"],
        }
        link = re.search(r"^S: serial/by-id/(.*)$", text, re.MULTILINE)
        assert link is not None
        assert f"usb-{udev_serial_id(usb)}-if00-port0" == link.group(1), path.name


def test_lsusb_names_when_no_ids_database() -> None:
    # lsusb/cyme-lsusb_list.txt: tuna-f1sh/cyme test data (Black Magic Probe, J-Link, …)
    lines = [f"lsusb\t{line}" for line in fixture_text("lsusb/cyme-lsusb_list.txt").splitlines()]
    names = parse_ids(Section("ids", lines))
    assert names.usb["1366:1050"] == "SEGGER J-Link"
    assert names.usb["1d50:6018"] == "OpenMoko, Inc. Black Magic Debug Probe (Application)"


def test_a_scanner_named_by_lsusb_only() -> None:
    # lsusb/glpi-ubuntu-bar-code-scanner.txt: glpi-agent test data, Symbol 05e0:1200
    first = fixture_text("lsusb/glpi-ubuntu-bar-code-scanner.txt").splitlines()[0]
    names = parse_ids(Section("ids", [f"lsusb\t{first}"]))
    usb = parse_usb(Section("usb", ["dev\t2-1\t05e0\t1200\t2\t18\t12\t00\t\t\t"]), names)
    assert usb[0].product_name == "Symbol Technologies Bar Code Scanner"
    assert usb[0].is_scanner and usb[0].kind == "scanner"


def test_coral_and_intel_accelerators() -> None:
    """Coral USB before/after firmware, Coral PCIe with /dev/apex_0, an Intel iGPU via DRM."""
    usb = parse_usb(
        Section(
            "usb", ["dev\t1-1\t1a6e\t089a\t1\t2\t480\t00", "dev\t1-2\t18d1\t9302\t1\t3\t5000\t00"]
        ),
        parse_ids(None),
    )
    section = Section(
        "gpu",
        ["node\t/dev/apex_0", "drm\tcard0\t0x8086\t0x46a6\ti915\t0000:00:02.0"],
    )
    pci = [
        PciDevice("0000:00:02.0", "8086", "46a6", "030000", "i915", "Intel", "Alder Lake-P GT2"),
        PciDevice("0000:03:00.0", "1ac1", "089a", "088000", "apex", "Global Unichip", "Coral"),
    ]
    gpus, problem = parse_gpus(section, usb, pci)
    assert problem is None
    assert [(g.vendor, g.name, g.source, g.device_nodes) for g in gpus] == [
        ("intel", "Alder Lake-P GT2", "sysfs", ["/dev/dri/card0"]),
        ("coral", "Coral USB Accelerator (no firmware yet)", "usb", []),
        ("coral", "Coral USB Accelerator", "usb", []),
        ("coral", "Coral Edge TPU (PCIe)", "pci", ["/dev/apex_0"]),
    ]


def test_nvidia_smi_failure_is_reported_and_pci_still_names_the_card() -> None:
    section = Section(
        "gpu",
        [
            "node\t/dev/nvidia0",
            "smi\tNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
            "smi_rc\t9",
        ],
    )
    pci = [PciDevice("0000:00:09.0", "10de", "2330", "030200", "", "NVIDIA", "GH100")]
    gpus, problem = parse_gpus(section, [], pci)
    assert problem is not None and problem.startswith("nvidia-smi failed: NVIDIA-SMI has failed")
    assert [(g.vendor, g.name, g.source, g.device_nodes) for g in gpus] == [
        ("nvidia", "GH100", "pci", ["/dev/nvidia0"])
    ]
