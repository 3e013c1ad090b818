"""Fake hardware for lab devices, presented at the OS level (sysfs, procfs, /dev, vendor tools).

A hardware spec (tests/lab/devices/*.yaml) lists USB devices with their interfaces, PCI
functions, an NVIDIA GPU replayed from a real nvidia-smi capture, and a Jetson release file.
``build_hardware_tree`` writes the files a kernel and udev would show, laid out under ``root``
as absolute device paths, and returns the ``HardwarePlan`` the lab mounts inside the device.
Our code is never patched: the probe reads these files exactly as it reads real ones.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edgegui.core.yamlload import YamlDocument, load_yaml_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
USB_SERIAL_MAJOR = 188  # ttyUSB*
ACM_MAJOR = 166  # ttyACM*
INPUT_MAJOR, EVENT_MINOR_BASE = 13, 64
NVIDIA_MAJOR, NVIDIACTL_MINOR = 195, 255
SIMULATORS = ("modbus", "scanner", "silent")  # tests/lab/field.py
# The B: lines of a real USB HID keyboard (tests/fixtures/proc-bus-input, logkeys #34).
KEYBOARD_BITS = (
    "B: EV=120013",
    "B: KEY=10000 7 ff800000 7ff febeffdf f3cfffff ffffffff fffffffe",
    "B: MSC=10",
    "B: LED=107",
)
# What a value must look like, and how an error message says so.
_HEX4 = (re.compile(r"^[0-9a-f]{4}$"), "4 lower-case hex digits like '0403'")
_HEX2 = (re.compile(r"^[0-9a-f]{2}$"), "2 hex digits like 'ff'")
_PORT = (re.compile(r"^[1-9][0-9]*-[1-9][0-9]*(\.[1-9][0-9]*)*$"), "a USB port like '1-1.2'")
_SLOT = (re.compile(r"^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$"), "a slot like '0000:00:09.0'")
_UDEV_SAFE = re.compile(r"[^0-9A-Za-z#+\-.:=@_\u0080-\U0010ffff]")


@dataclass
class HardwarePlan:
    """What the lab does inside the device's mount namespace to present the tree."""

    overlay_dirs: list[str] = field(default_factory=list)  # device dirs: tree entries on top
    bind_files: dict[str, Path] = field(default_factory=dict)  # device file -> file in tree
    char_devices: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> major, minor
    serial_ports: list[tuple[str, str]] = field(default_factory=list)  # (tty, simulator)


# -- spec -------------------------------------------------------------------------------------
def load_hardware_spec(path: Path) -> dict[str, Any]:
    """Load and check a hardware YAML; errors name ``file:line:column``."""
    doc = load_yaml_file(Path(path))
    spec = doc.data or {}
    if not isinstance(spec, dict):
        raise doc.error((), "a hardware spec is a mapping (usb:, pci:, nvidia_smi:, …)")
    unknown = set(spec) - {"usb", "pci", "nvidia_smi", "nv_tegra_release"}
    if unknown:
        raise doc.error((sorted(unknown)[0],), f"unknown key {sorted(unknown)[0]!r}", key=True)
    ttys: set[str] = set()
    for i, usb in enumerate(spec.setdefault("usb", [])):
        _check_usb(doc, ("usb", i), usb, ttys)
    for i, pci in enumerate(spec.setdefault("pci", [])):
        for key, pattern in (("slot", _SLOT), ("vendor", _HEX4), ("device", _HEX4)):
            _text(doc, ("pci", i, key), pci, key, pattern)
        pci.setdefault("class", "000000")
    fixtures = {
        "nvidia_smi": "nvidia-smi/{}.query-gpu.csv",
        "nv_tegra_release": "jetson/nv_tegra_release.{}.txt",
    }
    for key, pattern in fixtures.items():
        if key in spec and not (FIXTURES / pattern.format(spec[key])).is_file():
            raise doc.error((key,), f"no fixture tests/fixtures/{pattern.format(spec[key])}")
    return spec


def _check_usb(doc: YamlDocument, where: tuple[Any, ...], usb: Any, ttys: set[str]) -> None:
    if not isinstance(usb, dict):
        raise doc.error(where, "a USB device is a mapping (port, vid, pid, interfaces)")
    _text(doc, (*where, "port"), usb, "port", _PORT)
    _text(doc, (*where, "vid"), usb, "vid", _HEX4)
    _text(doc, (*where, "pid"), usb, "pid", _HEX4)
    for i, iface in enumerate(usb.setdefault("interfaces", [])):
        _text(doc, (*where, "interfaces", i, "class"), iface, "class", _HEX2)
        tty = iface.get("tty")
        if tty is not None:
            if not re.fullmatch(r"tty(USB|ACM)[0-9]+", str(tty)) or tty in ttys:
                raise doc.error((*where, "interfaces", i, "tty"), f"bad or repeated tty {tty!r}")
            if iface.get("simulator", "silent") not in SIMULATORS:
                raise doc.error((*where, "interfaces", i, "simulator"), f"one of {SIMULATORS}")
            ttys.add(tty)


def _text(
    doc: YamlDocument,
    where: tuple[Any, ...],
    data: dict[str, Any],
    key: str,
    rule: tuple[re.Pattern[str], str],
) -> None:
    value = data.get(key)
    if not isinstance(value, str) or not rule[0].match(value):
        raise doc.error(where, f"{key} must be a quoted string of {rule[1]}, got {value!r}")


# -- tree -------------------------------------------------------------------------------------
def build_hardware_tree(spec: dict[str, Any], root: Path) -> HardwarePlan:
    """Write the fake device files under ``root`` and return how to mount them."""
    root = Path(root)
    plan = HardwarePlan()
    tree = _Tree(root)
    inputs: list[str] = []
    for devnum, usb in enumerate(spec.get("usb", []), start=2):  # devnum 1 is the root hub
        _usb_device(tree, plan, usb, devnum, inputs)
    for pci in spec.get("pci", []):
        _pci_function(tree, pci)
    if spec.get("nvidia_smi"):
        _nvidia(tree, plan, spec["nvidia_smi"])
    if spec.get("nv_tegra_release"):
        release = FIXTURES / "jetson" / f"nv_tegra_release.{spec['nv_tegra_release']}.txt"
        tree.write("etc/nv_tegra_release", release.read_text())
        plan.bind_files["/etc/nv_tegra_release"] = root / "etc/nv_tegra_release"
    # Always present our own input list, so a device never shows the host's keyboards.
    tree.write("proc/bus/input/devices", "".join(inputs))
    plan.bind_files["/proc/bus/input/devices"] = root / "proc/bus/input/devices"
    plan.overlay_dirs = sorted(d for d in tree.overlays if (root / d.lstrip("/")).exists())
    return plan


class _Tree:
    """Writes files and relative symlinks under root; remembers which device dirs it touched."""

    OVERLAYS = (
        "/sys/bus/usb",
        "/sys/bus/usb-serial",
        "/sys/class/tty",
        "/sys/bus/pci/devices",
        "/sys/bus/pci/drivers",
        "/dev/serial",
        "/dev/input",
        "/usr/local/bin",
    )

    def __init__(self, root: Path) -> None:
        self.root = root
        self.overlays: set[str] = set()

    def _path(self, device_path: str) -> Path:
        for overlay in self.OVERLAYS:
            if ("/" + device_path).startswith(overlay + "/"):
                self.overlays.add(overlay)
        path = self.root / device_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, device_path: str, text: str, mode: int = 0o644) -> None:
        path = self._path(device_path)
        path.write_text(text)
        path.chmod(mode)

    def attrs(self, folder: str, values: dict[str, object]) -> None:
        """sysfs attributes: one value and a newline per file."""
        for name, value in values.items():
            self.write(f"{folder}/{name}", f"{value}\n")

    def link(self, device_path: str, target: str) -> None:
        """A symlink to an absolute device path, written relative as the kernel and udev do."""
        path = self._path(device_path)
        path.symlink_to(os.path.relpath(target.lstrip("/"), os.path.dirname(device_path)))

    def driver_link(self, folder: str, driver_dir: str) -> None:
        """``folder/driver`` -> the driver's folder (created, so the link resolves)."""
        self._path(driver_dir.lstrip("/") + "/uevent").write_text("")  # as in a real driver dir
        self.link(f"{folder}/driver", driver_dir)


def _usb_device(
    tree: _Tree, plan: HardwarePlan, usb: dict[str, Any], devnum: int, inputs: list[str]
) -> None:
    port = usb["port"]
    base = f"sys/bus/usb/devices/{port}"
    bus = port.split("-", 1)[0]
    attrs: dict[str, object] = {
        "idVendor": usb["vid"],
        "idProduct": usb["pid"],
        "busnum": bus,
        "devnum": devnum,
        "devpath": port.split("-", 1)[1],
        "speed": usb.get("speed", 12),
        "bDeviceClass": usb.get("class", "00"),
        "bcdDevice": usb.get("bcd_device", "0100"),
        "bNumInterfaces": f"{len(usb['interfaces']):2d}",
        "version": " 2.00",
    }
    attrs.update({k: usb[k] for k in ("manufacturer", "product", "serial") if usb.get(k)})
    tree.attrs(base, attrs)
    for number, iface in enumerate(usb["interfaces"]):
        name = f"{port}:1.{number}"
        folder = f"{base}/{name}"
        tree.attrs(
            folder,
            {
                "bInterfaceClass": iface["class"],
                "bInterfaceNumber": f"{number:02x}",
                "bInterfaceSubClass": iface.get("subclass", "00"),
                "bInterfaceProtocol": iface.get("protocol", "00"),
            },
        )
        tree.link(f"sys/bus/usb/devices/{name}", f"/{folder}")
        if iface.get("driver"):
            tree.driver_link(folder, f"/sys/bus/usb/drivers/{iface['driver']}")
        if iface.get("tty"):
            _tty(tree, plan, usb, iface, folder, number)
        if iface.get("input"):
            inputs.append(_input_device(tree, plan, usb, iface["input"], name, number))


def _tty(
    tree: _Tree,
    plan: HardwarePlan,
    usb: dict[str, Any],
    iface: dict[str, Any],
    folder: str,
    number: int,
) -> None:
    tty = iface["tty"]
    index = int(re.sub(r"\D", "", tty))
    if tty.startswith("ttyACM"):  # cdc_acm: the tty hangs off the interface itself
        node = f"{folder}/tty/{tty}"
        tree.link(f"{node}/device", f"/{folder}")
        tree.attrs(node, {"dev": f"{ACM_MAJOR}:{index}"})
        suffix = f"-if{number:02x}"
    else:  # usb-serial: interface -> ttyUSBn port -> tty/ttyUSBn
        port_dir = f"{folder}/{tty}"
        serial_driver = {"ch341": "ch341-uart"}.get(iface["driver"], iface["driver"])
        tree.attrs(port_dir, {"port_number": 0})
        tree.driver_link(port_dir, f"/sys/bus/usb-serial/drivers/{serial_driver}")
        node = f"{port_dir}/tty/{tty}"
        tree.link(f"{node}/device", f"/{port_dir}")
        tree.attrs(node, {"dev": f"{USB_SERIAL_MAJOR}:{index}"})
        suffix = f"-if{number:02x}-port0"
    tree.link(f"sys/class/tty/{tty}", f"/{node}")
    tree.link(f"dev/serial/by-id/usb-{udev_serial_id(usb)}{suffix}", f"/dev/{tty}")
    plan.serial_ports.append((tty, iface.get("simulator", "silent")))


def _input_device(
    tree: _Tree,
    plan: HardwarePlan,
    usb: dict[str, Any],
    spec: dict[str, Any],
    iface: str,
    number: int,
) -> str:
    """Add /dev/input nodes and links; return the /proc/bus/input/devices entry."""
    event = int(spec["event"])
    name = spec.get("name") or " ".join(
        v for v in (usb.get("manufacturer"), usb.get("product")) if v
    )
    keyboard = spec.get("keyboard", True)
    link = f"usb-{udev_serial_id(usb)}{'' if number == 0 else f'-if{number:02x}'}"
    kind = "kbd" if keyboard else "if00"
    tree.link(f"dev/input/by-id/{link}-event-{kind}", f"/dev/input/event{event}")
    plan.char_devices[f"/dev/input/event{event}"] = (INPUT_MAJOR, EVENT_MINOR_BASE + event)
    port = usb["port"]
    handlers = f"sysrq kbd leds event{event} " if keyboard else f"event{event} "
    lines = [
        f"I: Bus=0003 Vendor={usb['vid']} Product={usb['pid']} Version=0111",
        f'N: Name="{name}"',
        f"P: Phys=usb-0000:00:14.0-{port.split('-', 1)[1]}/input{number}",
        f"S: Sysfs=/devices/pci0000:00/0000:00:14.0/usb{port.split('-')[0]}/{port}/{iface}"
        f"/0003:{usb['vid'].upper()}:{usb['pid'].upper()}.{event:04X}/input/input{event}",
        f"U: Uniq={usb.get('serial', '') if spec.get('uniq') else ''}",
        f"H: Handlers={handlers}",
        *(KEYBOARD_BITS if keyboard else ("B: EV=1b",)),
    ]
    return "\n".join(lines) + "\n\n"


def _pci_function(tree: _Tree, pci: dict[str, Any]) -> None:
    base = f"sys/bus/pci/devices/{pci['slot']}"
    tree.attrs(
        base,
        {
            "vendor": f"0x{pci['vendor']}",
            "device": f"0x{pci['device']}",
            "class": f"0x{pci['class']}",
        },
    )
    if pci.get("driver"):
        tree.driver_link(base, f"/sys/bus/pci/drivers/{pci['driver']}")


def udev_serial_id(usb: dict[str, Any]) -> str:
    """udev's ID_SERIAL: vendor_model_serial, whitespace runs and unsafe bytes made ``_``."""
    parts = [usb.get("manufacturer") or usb["vid"], usb.get("product") or usb["pid"]]
    if usb.get("serial"):
        parts.append(usb["serial"])
    return "_".join(_UDEV_SAFE.sub("_", re.sub(r"\s+", "_", p.strip())) for p in parts)


# -- NVIDIA -----------------------------------------------------------------------------------
_FAKE_SMI = r"""#!/bin/sh
# Lab stand-in for nvidia-smi: replays a real capture (tests/fixtures/nvidia-smi/@STEM@.*).
query= format=csv mode=
for arg in "$@"; do
    case $arg in
        --query-gpu=*) query=${arg#*=} ;;
        --format=*) format=${arg#*=} ;;
        -L | --list-gpus) mode=L ;;
        -q | --query) mode=q ;;
    esac
done
if [ -n "$query" ]; then
    awk -F', ' -v want="$query" -v format="$format" '
        NR == 1 { for (i = 1; i <= NF; i++) {
                      h = $i; sub(/ \[.*$/, "", h); col[h] = i; head[h] = $i }
                  n = split(want, w, ",")
                  for (i = 1; i <= n; i++) if (!(w[i] in col)) {
                      print "Field \"" w[i] "\" is not a valid field to query."; bad = 1; exit 2 }
                  if (format !~ /noheader/) { line = ""
                      for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") head[w[i]]
                      print line }
                  next }
        { line = ""
          for (i = 1; i <= n; i++) { v = $(col[w[i]])
              if (format ~ /nounits/) sub(/ (MiB|W|MHz|%|C)$/, "", v)
              line = line (i > 1 ? ", " : "") v }
          print line }' <<'EDGEGUI_CSV'
@CSV@EDGEGUI_CSV
elif [ "$mode" = L ]; then
    cat <<'EDGEGUI_L'
@LIST@EDGEGUI_L
elif [ "$mode" = q ]; then
    cat <<'EDGEGUI_Q'
@QUERY@EDGEGUI_Q
else
    echo "lab nvidia-smi: only --query-gpu, -L and -q are recorded" >&2
    exit 2
fi
"""


# Lab stand-in for the NVIDIA Container Toolkit's OCI prestart hook. dockerd registers its
# "nvidia" device driver (``--gpus``) when this program is on its PATH; for a container that
# asks for GPUs the real hook mounts the driver's tools and libraries into the container's
# root, and this one copies the replayed nvidia-smi there, so ``nvidia-smi -L`` in a
# container answers as on an edge-AI box with the toolkit installed.
_FAKE_HOOK = r"""#!/bin/sh
[ "$1" = prestart ] || exit 0
bundle=$(sed -n 's/.*"bundle":"\([^"]*\)".*/\1/p')
root=$(sed -n 's/.*"root":{"path":"\([^"]*\)".*/\1/p' "$bundle/config.json")
case $root in /*) ;; *) root="$bundle/$root" ;; esac
mkdir -p "$root/usr/bin" && cp /usr/local/bin/nvidia-smi "$root/usr/bin/nvidia-smi"
"""


def _nvidia(tree: _Tree, plan: HardwarePlan, stem: str) -> None:
    folder = FIXTURES / "nvidia-smi"
    csv = (folder / f"{stem}.query-gpu.csv").read_text()
    texts = {
        "@CSV@": csv,
        "@LIST@": (folder / f"{stem}.L.txt").read_text(),
        "@QUERY@": (folder / f"{stem}.q.txt").read_text(),
    }
    script = _FAKE_SMI.replace("@STEM@", shlex.quote(stem))
    for marker, text in texts.items():
        script = script.replace(marker, text if text.endswith("\n") else text + "\n")
    tree.write("usr/local/bin/nvidia-smi", script, mode=0o755)
    tree.write("usr/local/bin/nvidia-container-runtime-hook", _FAKE_HOOK, mode=0o755)
    gpus = max(0, len([line for line in csv.splitlines() if line.strip()]) - 1)
    for index in range(gpus):
        plan.char_devices[f"/dev/nvidia{index}"] = (NVIDIA_MAJOR, index)
    plan.char_devices["/dev/nvidiactl"] = (NVIDIA_MAJOR, NVIDIACTL_MINOR)
