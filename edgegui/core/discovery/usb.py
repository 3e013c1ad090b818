"""Parse the ``usb`` section: every USB device with IDs, strings, interfaces and drivers."""

from __future__ import annotations

from edgegui.core.discovery.convert import to_float, to_int
from edgegui.core.discovery.ids import IdNames
from edgegui.core.discovery.model import UsbDevice
from edgegui.core.discovery.sections import Section
from edgegui.core.discovery.vendors import CORAL_USB, SERIAL_DRIVERS, USB_CLASS_KINDS, is_scanner

_USB_FIELDS = (
    "vid",
    "pid",
    "busnum",
    "devnum",
    "speed",
    "device_class",
    "manufacturer",
    "product",
    "serial",
)


def parse_usb(section: Section, names: IdNames) -> list[UsbDevice]:
    drivers = {row[0]: row[1] for row in section.rows("drv") if len(row) >= 2}
    interfaces: dict[str, list[dict[str, str]]] = {}
    for row in section.rows("if"):
        name = row[0]
        owner = name.split(":", 1)[0]
        interfaces.setdefault(owner, []).append(
            {"name": name, "class": row[1] if len(row) > 1 else "", "driver": drivers.get(name, "")}
        )
    devices = []
    for row in section.rows("dev"):
        path, values = row[0], dict(zip(_USB_FIELDS, row[1:], strict=False))
        vid, pid = values.get("vid", "").lower(), values.get("pid", "").lower()
        vendor_name, product_name = names.usb_names(vid, pid)
        device = UsbDevice(
            path=path,
            vid=vid,
            pid=pid,
            busnum=to_int(values.get("busnum")),
            devnum=to_int(values.get("devnum")),
            speed_mbps=to_float(values.get("speed")),
            device_class=values.get("device_class", ""),
            manufacturer=values.get("manufacturer", "").strip(),
            product=values.get("product", "").strip(),
            serial=values.get("serial", "").strip(),
            vendor_name=vendor_name,
            product_name=product_name,
            interfaces=sorted(interfaces.get(path, []), key=lambda i: i["name"]),
        )
        device.is_scanner = is_scanner(vid, device.product, product_name)
        device.kind = _usb_kind(device)
        devices.append(device)
    return sorted(devices, key=lambda d: (d.busnum or 0, d.path))


def _usb_kind(device: UsbDevice) -> str:
    if (device.vid, device.pid) in CORAL_USB:
        return "coral"
    if device.is_scanner:
        return "scanner"
    if device.device_class == "09":
        return "hub"
    drivers = {i["driver"] for i in device.interfaces}
    if drivers & SERIAL_DRIVERS:
        return "serial-adapter"
    for interface in device.interfaces:
        kind = USB_CLASS_KINDS.get(interface["class"])
        if kind:
            return kind
    return "other"
