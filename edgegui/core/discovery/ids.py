"""Parse the ``ids`` section: vendor and product names from usb.ids/pci.ids, or lsusb/lspci."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from edgegui.core.discovery.sections import Section

_LSUSB = re.compile(r"^Bus \d+ Device \d+: ID ([0-9a-f]{4}):([0-9a-f]{4})\s*(.*)$")


@dataclass
class IdNames:
    """Names keyed by ``vvvv`` (vendor) and ``vvvv:pppp`` (product), lower-case hex."""

    usb: dict[str, str] = field(default_factory=dict)
    pci: dict[str, str] = field(default_factory=dict)
    # lspci -mm gives names per slot: slot -> (vendor name, device name)
    pci_by_slot: dict[str, tuple[str, str]] = field(default_factory=dict)

    def usb_names(self, vid: str, pid: str) -> tuple[str, str]:
        return self.usb.get(vid, ""), self.usb.get(f"{vid}:{pid}", "")

    def pci_names(self, slot: str, vendor: str, device: str) -> tuple[str, str]:
        if slot in self.pci_by_slot:
            return self.pci_by_slot[slot]
        return self.pci.get(vendor, ""), self.pci.get(f"{vendor}:{device}", "")


def parse_ids(section: Section | None) -> IdNames:
    names = IdNames()
    if section is None:
        return names
    for table, tag in ((names.usb, "usb"), (names.pci, "pci")):
        for row in section.rows(tag):
            if len(row) >= 2:
                table[row[0].lower()] = row[1].strip()
    for (line,) in section.rows("lsusb"):
        match = _LSUSB.match(line)
        # lsusb prints "vendor product" as one string: keep it as the product name.
        if match and match.group(3):
            names.usb.setdefault(f"{match.group(1)}:{match.group(2)}", match.group(3))
    for (line,) in section.rows("lspci"):
        fields = _split_lspci(line)
        if len(fields) >= 4:
            names.pci_by_slot[fields[0]] = (fields[2], fields[3])
    return names


def _split_lspci(line: str) -> list[str]:
    """``lspci -D -mm`` line: slot "class" "vendor" "device" [-rXX] …"""
    try:
        return [f for f in shlex.split(line) if not f.startswith("-")]
    except ValueError:
        return []
