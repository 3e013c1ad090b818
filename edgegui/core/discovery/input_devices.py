"""Parse the ``input`` section: USB/Bluetooth input devices and keyboard-mode barcode scanners."""

from __future__ import annotations

import posixpath
import re

from edgegui.core.discovery.model import InputDevice
from edgegui.core.discovery.sections import Section
from edgegui.core.discovery.serial_ports import node_groups
from edgegui.core.discovery.vendors import is_scanner

# Plugged-in peripherals only: built-in buttons, PC speakers and i8042 keyboards are not.
_BUSES = {"0003": "usb", "0005": "bluetooth"}
_EV_KEY = 0x2
_EV_REP = 0x100000  # key repeat: what keyboards (and scanners in keyboard mode) declare
_IDS = re.compile(r"(\w+)=(\S*)")


def parse_input(section: Section) -> list[InputDevice]:
    by_id = _event_links(section.rows("by-id"))
    groups = node_groups(section.rows("by-id"))
    devices = []
    for block in _blocks(section.lines):
        ids = dict(_IDS.findall(block.get("I", "")))
        bus = _BUSES.get(ids.get("Bus", "").lower())
        if bus is None:
            continue
        name = _unquote(block.get("N", "").removeprefix("Name="))
        handlers = block.get("H", "").removeprefix("Handlers=").split()
        event = next((h for h in handlers if h.startswith("event")), "")
        ev_bits = _hex_bits(block.get("B", "").removeprefix("EV="))
        vid = ids.get("Vendor", "").lower()
        devices.append(
            InputDevice(
                name=name,
                vid=vid,
                pid=ids.get("Product", "").lower(),
                bus=bus,
                event=f"/dev/input/{event}" if event else "",
                by_id=by_id.get(event, ""),
                is_keyboard="kbd" in handlers
                and ev_bits & (_EV_KEY | _EV_REP) == _EV_KEY | _EV_REP,
                is_scanner=is_scanner(vid, name),
                phys=block.get("P", "").removeprefix("Phys="),
                node_gid=groups.get(event),
            )
        )
    return devices


def _blocks(lines: list[str]) -> list[dict[str, str]]:
    """/proc/bus/input/devices entries (blank-line separated) as {'I': …, 'N': …, 'H': …}."""
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in [*lines, ""]:
        if not line.strip():
            if current:
                blocks.append(current)
            current = {}
        elif len(line) > 3 and line[1:3] == ": ":
            current.setdefault(line[0], line[3:].strip())
    return blocks


def _event_links(rows: list[list[str]]) -> dict[str, str]:
    """{'event3': '/dev/input/by-id/…-event-kbd'}, preferring the ``-event-kbd`` link."""
    links: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (not r[0].endswith("-event-kbd"), r[0])):
        if len(row) >= 2 and posixpath.basename(row[1]).startswith("event"):
            links.setdefault(posixpath.basename(row[1]), row[0])
    return links


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def _hex_bits(value: str) -> int:
    try:
        return int(value.strip(), 16)
    except ValueError:
        return 0
