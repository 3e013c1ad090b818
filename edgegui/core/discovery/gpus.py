"""Parse the ``gpu`` section: NVIDIA (nvidia-smi, /dev/nvidia*), Jetson, Intel/AMD, Coral TPUs."""

from __future__ import annotations

import re

from edgegui.core.discovery.convert import hex_id, to_int
from edgegui.core.discovery.model import Gpu, PciDevice, UsbDevice
from edgegui.core.discovery.sections import Section
from edgegui.core.discovery.vendors import CORAL_PCI, CORAL_USB, DRM_VENDORS

# The order of the fields the probe asks nvidia-smi for (--query-gpu).
_SMI_FIELDS = ("index", "name", "uuid", "memory_mib", "driver", "pci_slot", "mig_mode")
_TEGRA = re.compile(r"#\s*(R\d+)\s*\(release\),\s*REVISION:\s*([\d.]+)")


def parse_gpus(
    section: Section, usb: list[UsbDevice], pci: list[PciDevice], board: str = ""
) -> tuple[list[Gpu], str | None]:
    """GPUs and accelerators, and a problem to report (e.g. nvidia-smi failing), if any."""
    nodes = [row[0] for row in section.rows("node") if row]
    gpus, problem = _nvidia(section, nodes)
    if not gpus:
        gpus = _nvidia_from_pci(pci, nodes)
    gpus += _jetson(section, board)
    gpus += _drm(section, pci, skip_nvidia=any(g.vendor == "nvidia" for g in gpus))
    gpus += _coral(usb, pci, nodes)
    return gpus, problem


def _nvidia(section: Section, nodes: list[str]) -> tuple[list[Gpu], str | None]:
    rows = [row[0] for row in section.rows("smi") if row and row[0].strip()]
    status = next((row[0] for row in section.rows("smi_rc") if row), None)
    if status is None:
        return [], None
    if status != "0":
        reason = rows[0] if rows else f"exit status {status}"
        return [], f"nvidia-smi failed: {reason}"
    cuda = next((row[0].strip() for row in section.rows("cuda") if row), "")
    gpus = []
    for line in rows:
        values = dict(zip(_SMI_FIELDS, [_na(v) for v in line.split(", ")], strict=False))
        index = to_int(values.get("index"))
        gpus.append(
            Gpu(
                vendor="nvidia",
                name=values.get("name", ""),
                memory_mib=to_int(values.get("memory_mib")),
                index=index,
                uuid=values.get("uuid", ""),
                driver=values.get("driver", ""),
                cuda=cuda,
                mig_mode=values.get("mig_mode") or None,
                pci_slot=_short_slot(values.get("pci_slot", "")),
                device_nodes=[n for n in nodes if n == f"/dev/nvidia{index}"],
                source="nvidia-smi",
            )
        )
    return gpus, None


def _nvidia_from_pci(pci: list[PciDevice], nodes: list[str]) -> list[Gpu]:
    """NVIDIA display/3D controllers without a working nvidia-smi (driver missing or broken)."""
    found = [d for d in pci if d.vendor_id == "10de" and d.class_id.startswith("03")]
    return [
        Gpu(
            vendor="nvidia",
            name=d.device_name or f"NVIDIA device {d.device_id}",
            index=i,
            driver=d.driver,
            pci_slot=d.slot,
            device_nodes=[n for n in nodes if n == f"/dev/nvidia{i}"],
            source="pci",
        )
        for i, d in enumerate(found)
    ]


def _jetson(section: Section, board: str) -> list[Gpu]:
    for row in section.rows("tegra"):
        match = _TEGRA.search(row[0])
        l4t = f"{match.group(1)}.{match.group(2)}" if match else row[0].strip("# ")
        name = board if "jetson" in board.lower() else "NVIDIA Jetson"
        return [Gpu(vendor="jetson", name=name, l4t=l4t, source="tegra")]
    return []


def _drm(section: Section, pci: list[PciDevice], skip_nvidia: bool) -> list[Gpu]:
    by_slot = {d.slot: d for d in pci}
    gpus = []
    for row in section.rows("drm"):
        if len(row) < 3:
            continue
        vendor = DRM_VENDORS.get(hex_id(row[1]))
        if vendor is None or (vendor == "nvidia" and skip_nvidia):
            continue
        slot = row[4] if len(row) > 4 else ""
        device = by_slot.get(slot)
        name = device.device_name if device and device.device_name else f"device {hex_id(row[2])}"
        gpus.append(
            Gpu(
                vendor=vendor,
                name=name,
                driver=row[3] if len(row) > 3 else "",
                pci_slot=slot,
                device_nodes=[f"/dev/dri/{row[0]}"],
                source="sysfs",
            )
        )
    return gpus


def _coral(usb: list[UsbDevice], pci: list[PciDevice], nodes: list[str]) -> list[Gpu]:
    gpus = [
        Gpu(vendor="coral", name=CORAL_USB[(d.vid, d.pid)], source="usb")
        for d in usb
        if (d.vid, d.pid) in CORAL_USB
    ]
    apex = [n for n in nodes if n.startswith("/dev/apex_")]
    for i, device in enumerate(d for d in pci if (d.vendor_id, d.device_id) == CORAL_PCI):
        gpus.append(
            Gpu(
                vendor="coral",
                name="Coral Edge TPU (PCIe)",
                driver=device.driver,
                pci_slot=device.slot,
                device_nodes=[n for n in apex if n == f"/dev/apex_{i}"],
                source="pci",
            )
        )
    if apex and not any(g.source == "pci" for g in gpus):
        gpus.append(Gpu(vendor="coral", name="Coral Edge TPU (PCIe)", device_nodes=apex))
    return gpus


def _na(value: str) -> str:
    value = value.strip()
    return "" if value in ("[N/A]", "N/A", "[Not Supported]") else value


def _short_slot(slot: str) -> str:
    """nvidia-smi's ``00000000:00:09.0`` → sysfs's ``0000:00:09.0``."""
    domain, sep, rest = slot.partition(":")
    return (f"{domain[-4:]}:{rest}" if sep and len(domain) == 8 else slot).lower()
