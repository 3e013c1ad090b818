"""What IDs and names mean: barcode-scanner vendors, USB-serial drivers, accelerators, CPUs."""

from __future__ import annotations

import re

# USB vendor IDs whose devices are (practically always) barcode scanners.
SCANNER_VENDORS = {
    "0c2e": "Honeywell/Metrologic",
    "05e0": "Zebra/Symbol",
    "05f9": "Datalogic",
    "1eab": "Newland",
    "067e": "Intermec",
    "065a": "Opticon",
}
_SCANNER_NAME = re.compile(
    r"barcode|bar code|scanner|honeywell|metrologic|datalogic|newland|opticon",
    re.IGNORECASE,
)

# Kernel drivers of USB-serial adapters (USB interface drivers, as udev's ID_USB_DRIVER).
SERIAL_DRIVERS = frozenset(
    {"ftdi_sio", "cp210x", "ch341", "pl2303", "cdc_acm", "option", "qcserial", "usb_serial_simple"}
)

# Coral Edge TPU: the USB accelerator changes ID once its firmware is loaded.
CORAL_USB = {
    ("1a6e", "089a"): "Coral USB Accelerator (no firmware yet)",
    ("18d1", "9302"): "Coral USB Accelerator",
}
CORAL_PCI = ("1ac1", "089a")

# PCI vendors of GPUs found through /sys/class/drm.
DRM_VENDORS = {"8086": "intel", "1002": "amd", "10de": "nvidia"}

# USB interface classes worth naming in the device list.
USB_CLASS_KINDS = {
    "09": "hub",
    "03": "hid",
    "08": "storage",
    "0e": "video",
    "01": "audio",
    "e0": "wireless",
    "02": "communications",
    "0a": "communications",
}

# ARM "CPU part" numbers (implementer 0x41) for boards whose cpuinfo has no model name.
ARM_PARTS = {
    "0xc07": "Cortex-A7",
    "0xc09": "Cortex-A9",
    "0xc0f": "Cortex-A15",
    "0xd03": "Cortex-A53",
    "0xd04": "Cortex-A35",
    "0xd05": "Cortex-A55",
    "0xd07": "Cortex-A57",
    "0xd08": "Cortex-A72",
    "0xd09": "Cortex-A73",
    "0xd0a": "Cortex-A75",
    "0xd0b": "Cortex-A76",
    "0xd0c": "Neoverse-N1",
    "0xd0d": "Cortex-A77",
    "0xd40": "Neoverse-V1",
    "0xd41": "Cortex-A78",
    "0xd42": "Cortex-A78AE",
    "0xd44": "Cortex-X1",
    "0xd46": "Cortex-A510",
    "0xd47": "Cortex-A710",
    "0xd48": "Cortex-X2",
    "0xd49": "Neoverse-N2",
    "0xd4f": "Neoverse-V2",
}

# uname -m → the Docker platform whose images run natively.
DOCKER_PLATFORMS = {
    "x86_64": "linux/amd64",
    "amd64": "linux/amd64",
    "aarch64": "linux/arm64",
    "arm64": "linux/arm64",
    "armv7l": "linux/arm/v7",
    "armv6l": "linux/arm/v6",
    "i686": "linux/386",
    "i386": "linux/386",
    "riscv64": "linux/riscv64",
    "ppc64le": "linux/ppc64le",
    "s390x": "linux/s390x",
}


def is_scanner(vid: str, *names: str) -> bool:
    """True for a known scanner vendor, or a name that says barcode/scanner/brand."""
    if vid.lower() in SCANNER_VENDORS:
        return True
    return any(name and _SCANNER_NAME.search(name) for name in names)


def docker_platform(arch: str) -> str:
    return DOCKER_PLATFORMS.get(arch, f"linux/{arch}" if arch else "")
