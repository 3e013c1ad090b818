"""Parse the ``pci`` section: every PCI function with IDs, class and driver."""

from __future__ import annotations

from edgegui.core.discovery.convert import hex_id
from edgegui.core.discovery.ids import IdNames
from edgegui.core.discovery.model import PciDevice
from edgegui.core.discovery.sections import Section


def parse_pci(section: Section, names: IdNames) -> list[PciDevice]:
    drivers = {row[0]: row[1] for row in section.rows("drv") if len(row) >= 2}
    devices = []
    for row in section.rows("pci"):
        if len(row) < 3:
            continue
        slot, vendor, device = row[0], hex_id(row[1]), hex_id(row[2])
        vendor_name, device_name = names.pci_names(slot, vendor, device)
        devices.append(
            PciDevice(
                slot=slot,
                vendor_id=vendor,
                device_id=device,
                class_id=hex_id(row[3], 6) if len(row) > 3 else "",
                driver=drivers.get(slot, ""),
                vendor_name=vendor_name,
                device_name=device_name,
            )
        )
    return devices
