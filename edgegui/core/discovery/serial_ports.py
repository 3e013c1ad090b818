"""Parse the ``serial`` section: USB-serial adapters with their stable by-id paths."""

from __future__ import annotations

import posixpath

from edgegui.core.discovery.model import SerialAdapter, UsbDevice
from edgegui.core.discovery.sections import Section
from edgegui.core.discovery.vendors import is_scanner


def parse_serial(section: Section, usb_devices: list[UsbDevice]) -> list[SerialAdapter]:
    by_path = {d.path: d for d in usb_devices}
    by_id = _links_by_target(section.rows("by-id"))
    groups = node_groups(section.rows("by-id"))
    adapters = []
    for row in section.rows("tty"):
        if len(row) < 3:
            continue
        tty, driver, device_path = row[0], row[1], row[2]
        usb = _owning_usb_device(device_path, by_path)
        adapter = SerialAdapter(
            tty=f"/dev/{tty}", by_id=by_id.get(tty, ""), driver=driver, node_gid=groups.get(tty)
        )
        if usb is not None:
            adapter.usb_path = usb.path
            adapter.vid, adapter.pid, adapter.serial = usb.vid, usb.pid, usb.serial
            adapter.vendor = usb.manufacturer or usb.vendor_name
            adapter.product = usb.product or usb.product_name
            adapter.is_scanner = usb.is_scanner or is_scanner(usb.vid, usb.product)
        adapters.append(adapter)
    return sorted(adapters, key=lambda a: a.tty)


def _owning_usb_device(device_path: str, by_path: dict[str, UsbDevice]) -> UsbDevice | None:
    """The deepest USB device (``1-1.2``, not an interface ``1-1.2:1.0``) on the sysfs path."""
    for component in reversed(device_path.split("/")):
        if component in by_path:
            return by_path[component]
    return None


def node_groups(rows: list[list[str]]) -> dict[str, int]:
    """{'ttyUSB0': 20}: the group owning each by-id link's node, where the probe saw it."""
    groups: dict[str, int] = {}
    for row in rows:
        if len(row) >= 3 and row[2].isdigit():
            groups[posixpath.basename(row[1])] = int(row[2])
    return groups


def _links_by_target(rows: list[list[str]]) -> dict[str, str]:
    """``/dev/serial/by-id/NAME -> ../../ttyUSB0`` rows as {'ttyUSB0': '/dev/serial/by-id/NAME'}."""
    links: dict[str, str] = {}
    for row in sorted(rows):
        if len(row) >= 2:
            links.setdefault(posixpath.basename(row[1]), row[0])
    return links
