"""The typed inventory of one device; ``Inventory.to_dict()`` is also the ``--json`` output.

The key names are a contract: templates bind hardware slots from them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class SystemInfo:
    """What the box is: OS, CPU, memory, disks, clock and the probing user."""

    hostname: str = ""
    os: str = ""
    os_id: str = ""
    os_version: str = ""
    kernel: str = ""
    arch: str = ""
    platform: str = ""  # the Docker platform the arch runs natively, e.g. linux/arm64
    board: str = ""
    cpu_model: str = ""
    cpu_cores: int | None = None
    mem_total_mib: int | None = None
    mem_available_mib: int | None = None
    swap_total_mib: int | None = None
    disk_free_root_mib: int | None = None
    disk_total_root_mib: int | None = None
    disk_free_docker_mib: int | None = None
    docker_disk_path: str = ""
    uptime_s: float | None = None
    clock_utc: str = ""
    clock_offset_s: float | None = None  # device clock minus the laptop's, when known
    clock_synced: bool | None = None
    clock_sync_source: str = ""
    cgroup_version: int | None = None
    memory_cgroup: bool | None = None
    kernel_cmdline: str = ""
    user: str = ""
    uid: int | None = None
    groups: list[str] = field(default_factory=list)


@dataclass
class NetworkInterface:
    name: str
    mac: str = ""
    state: str = ""
    mtu: int | None = None
    driver: str = ""  # empty for virtual interfaces
    addresses: list[str] = field(default_factory=list)


@dataclass
class NetworkInfo:
    interfaces: list[NetworkInterface] = field(default_factory=list)
    default_route: dict[str, str] | None = None  # {'interface', 'gateway'}
    default_route6: dict[str, str] | None = None
    dns: list[str] = field(default_factory=list)


@dataclass
class DockerInfo:
    """The Docker Engine as this user sees it; ``reason`` says why it is not reachable."""

    present: bool = False
    reachable: bool = False
    reason: str = ""
    version: str = ""
    api_version: str = ""
    storage_driver: str = ""
    cgroup_version: int | None = None
    cgroup_driver: str = ""
    memory_limit_enforced: bool | None = None
    # What else the engine says its kernel and cgroups let it enforce (docker info flags).
    cpu_cfs_quota: bool | None = None
    cpu_cfs_period: bool | None = None
    cpu_shares: bool | None = None
    swap_limit: bool | None = None
    pids_limit: bool | None = None
    runtimes: list[str] = field(default_factory=list)
    default_runtime: str = ""
    live_restore: bool | None = None
    data_root: str = ""
    socket: str = ""
    engine: str = ""  # the DOCKER_HOST value every Docker path uses (unix://…, tcp://…)
    engine_from: str = ""  # environment, login-environment, context NAME, rootless, default
    socket_group: str = ""  # the group a user must be in to use the socket (docker)
    rootless: bool | None = None
    cli: str = ""
    architecture: str = ""
    containers: int | None = None
    images: int | None = None
    warnings: list[str] = field(default_factory=list)
    security_options: list[str] = field(default_factory=list)  # name=seccomp,profile=default …
    seccomp: bool | None = None  # the engine applies seccomp profiles
    apparmor: bool | None = None  # the engine confines containers with AppArmor


@dataclass
class UsbDevice:
    path: str  # sysfs name: bus-port[.port…], e.g. 1-1.2
    vid: str
    pid: str
    busnum: int | None = None
    devnum: int | None = None
    speed_mbps: float | None = None
    device_class: str = ""
    manufacturer: str = ""
    product: str = ""
    serial: str = ""
    vendor_name: str = ""  # from the ids database, when the device has one
    product_name: str = ""
    interfaces: list[dict[str, str]] = field(default_factory=list)  # {'name','class','driver'}
    kind: str = ""  # hub, serial-adapter, scanner, hid, coral, storage, … (best guess)
    is_scanner: bool = False


@dataclass
class PciDevice:
    slot: str
    vendor_id: str
    device_id: str
    class_id: str = ""
    driver: str = ""
    vendor_name: str = ""
    device_name: str = ""


@dataclass
class SerialAdapter:
    tty: str
    by_id: str = ""
    vid: str = ""
    pid: str = ""
    vendor: str = ""
    product: str = ""
    serial: str = ""
    driver: str = ""
    usb_path: str = ""
    is_scanner: bool = False
    node_gid: int | None = None  # group owning the device node (dialout, usually)


@dataclass
class InputDevice:
    name: str
    vid: str = ""
    pid: str = ""
    bus: str = ""  # usb, bluetooth
    event: str = ""
    by_id: str = ""
    is_keyboard: bool = False
    is_scanner: bool = False
    phys: str = ""
    node_gid: int | None = None  # group owning the event node (input, usually)


@dataclass
class Gpu:
    vendor: str  # nvidia, jetson, coral, intel, amd
    name: str = ""
    memory_mib: int | None = None
    index: int | None = None
    uuid: str = ""
    driver: str = ""
    cuda: str = ""
    mig_mode: str | None = None
    pci_slot: str = ""
    l4t: str = ""  # Jetson Linux release, e.g. R36.4.4
    device_nodes: list[str] = field(default_factory=list)
    source: str = ""  # nvidia-smi, sysfs, tegra, usb, pci


@dataclass
class Inventory:
    """Everything one probe found; ``errors`` maps a section to why it is incomplete."""

    system: SystemInfo = field(default_factory=SystemInfo)
    network: NetworkInfo = field(default_factory=NetworkInfo)
    docker: DockerInfo = field(default_factory=DockerInfo)
    serial_adapters: list[SerialAdapter] = field(default_factory=list)
    input_devices: list[InputDevice] = field(default_factory=list)
    gpus: list[Gpu] = field(default_factory=list)
    usb_devices: list[UsbDevice] = field(default_factory=list)
    pci_devices: list[PciDevice] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    probe: dict[str, Any] = field(default_factory=dict)  # version, transport, elapsed_s, bytes

    @property
    def scanners(self) -> list[SerialAdapter | InputDevice]:
        """Barcode scanners, whether they type (HID) or talk serial (CDC-ACM)."""
        found: list[SerialAdapter | InputDevice] = [d for d in self.input_devices if d.is_scanner]
        return found + [a for a in self.serial_adapters if a.is_scanner]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
