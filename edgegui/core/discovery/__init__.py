"""Hardware discovery: one probe per device, a typed inventory, and preflight checks."""

from edgegui.core.discovery.inventory import parse_probe_output
from edgegui.core.discovery.model import (
    DockerInfo,
    Gpu,
    InputDevice,
    Inventory,
    NetworkInfo,
    NetworkInterface,
    PciDevice,
    SerialAdapter,
    SystemInfo,
    UsbDevice,
)
from edgegui.core.discovery.preflight import CheckResult, DeviceNeed, Requirements, run_preflight
from edgegui.core.discovery.probe import collect_probe_output, probe_inventory
from edgegui.core.discovery.sections import ProbeOutputError

__all__ = [
    "CheckResult",
    "DeviceNeed",
    "DockerInfo",
    "Gpu",
    "InputDevice",
    "Inventory",
    "NetworkInfo",
    "NetworkInterface",
    "PciDevice",
    "ProbeOutputError",
    "Requirements",
    "SerialAdapter",
    "SystemInfo",
    "UsbDevice",
    "collect_probe_output",
    "parse_probe_output",
    "probe_inventory",
    "run_preflight",
]
