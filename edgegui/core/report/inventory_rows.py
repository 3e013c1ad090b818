"""Device identity and hardware rows of the report, from a discovery inventory."""

from __future__ import annotations

from edgegui.core.discovery.model import Inventory, NetworkInterface
from edgegui.core.discovery.network import CONTAINER_INTERFACE_PREFIXES
from edgegui.core.report.facts import DeviceFacts
from edgegui.core.report.model import DeviceIdentity, HardwareItem, NamedValue

# PCI classes worth listing: network, display/3D, processing accelerators.
_PCI_CLASSES = ("02", "03", "12")
_NO_MAC = ("", "00:00:00:00:00:00")


def device_identity(inventory: Inventory, facts: DeviceFacts) -> DeviceIdentity:
    system, docker = inventory.system, inventory.docker
    cores = f", {system.cpu_cores} cores" if system.cpu_cores else ""
    identity = DeviceIdentity(
        hostname=system.hostname,
        os=system.os or system.os_id,
        kernel=system.kernel,
        architecture=f"{system.arch} ({system.platform})" if system.platform else system.arch,
        board=system.board,
        cpu=f"{system.cpu_model}{cores}".strip(", "),
        memory=_mib(system.mem_total_mib),
        disk=_disk(system.disk_free_root_mib, system.disk_total_root_mib),
        docker=_docker(inventory),
        machine_id=facts.machine_id,
    )
    identity.serial_numbers = [NamedValue(name, value) for name, value in facts.serial_numbers]
    for interface in inventory.network.interfaces:
        if not _own_interface(interface):
            continue
        if interface.mac not in _NO_MAC:
            identity.mac_addresses.append(NamedValue(interface.name, interface.mac))
        if interface.addresses:
            identity.addresses.append(NamedValue(interface.name, ", ".join(interface.addresses)))
    if not docker.present:
        identity.docker = "not installed"
    return identity


def _own_interface(interface: NetworkInterface) -> bool:
    """The device's own network ports: a NIC driver or a global address, and not the
    plumbing container engines add (docker0, br-…, veth…)."""
    if interface.name == "lo" or interface.name.startswith(CONTAINER_INTERFACE_PREFIXES):
        return False
    global_address = any(not a.startswith(("fe80:", "127.")) for a in interface.addresses)
    return bool(interface.driver) or global_address


def hardware_items(inventory: Inventory) -> list[HardwareItem]:
    items = []
    for gpu in inventory.gpus:
        memory = f", {gpu.memory_mib} MiB" if gpu.memory_mib else ""
        driver = f", driver {gpu.driver}" if gpu.driver else ""
        items.append(
            HardwareItem(
                "GPU",
                gpu.name or gpu.vendor,
                f"{gpu.vendor}{memory}{driver}",
                ", ".join(gpu.device_nodes),
                gpu.uuid,
            )
        )
    for adapter in inventory.serial_adapters:
        kind = "Scanner (serial)" if adapter.is_scanner else "Serial port"
        name = " ".join(p for p in (adapter.vendor, adapter.product) if p) or adapter.tty
        items.append(
            HardwareItem(
                kind,
                name,
                f"{adapter.vid}:{adapter.pid} {adapter.driver}".strip(),
                adapter.by_id or f"/dev/{adapter.tty}",
                adapter.serial,
            )
        )
    for device in inventory.input_devices:
        if not (device.is_scanner or device.bus == "usb"):
            continue
        kind = "Scanner (keyboard)" if device.is_scanner else "Input"
        items.append(
            HardwareItem(
                kind, device.name, f"{device.vid}:{device.pid}", device.by_id or device.event
            )
        )
    for usb in inventory.usb_devices:
        if usb.kind == "hub":
            continue
        name = usb.product_name or usb.product or usb.kind or "USB device"
        vendor = usb.vendor_name or usb.manufacturer
        items.append(
            HardwareItem(
                "USB",
                f"{vendor} {name}".strip(),
                f"{usb.vid}:{usb.pid} {usb.kind}",
                f"USB port {usb.path}",
                usb.serial,
            )
        )
    for pci in inventory.pci_devices:
        if pci.class_id[:2] in _PCI_CLASSES:
            name = pci.device_name or f"{pci.vendor_id}:{pci.device_id}"
            detail = f"{pci.vendor_name} {pci.vendor_id}:{pci.device_id}".strip()
            driver = f", driver {pci.driver}" if pci.driver else ""
            items.append(HardwareItem("PCI", name, detail + driver, pci.slot))
    return items


def _mib(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value / 1024:.1f} GiB" if value >= 1024 else f"{value} MiB"


def _disk(free: int | None, total: int | None) -> str:
    if free is None or total is None:
        return ""
    return f"{_mib(free)} free of {_mib(total)} on /"


def _docker(inventory: Inventory) -> str:
    docker = inventory.docker
    if not docker.reachable:
        return f"not reachable: {docker.reason}" if docker.reason else "not reachable"
    cgroup = f", cgroup v{docker.cgroup_version}" if docker.cgroup_version else ""
    storage = f", {docker.storage_driver}" if docker.storage_driver else ""
    return f"Docker Engine {docker.version}{storage}{cgroup}"
