"""Node labels from discovered hardware, and the placement that follows a service's slots.

One vocabulary for both orchestrators: a Swarm node and a Kubernetes node carry the same
labels (``edgegui.scanner=true``, ``edgegui.gpu=nvidia``, ``edgegui.serial=true`` with
``edgegui.serial.ftdi=true`` per adapter family), and a service that needs a slot is placed
by them. ``edgegui.serial`` is a presence flag because a gateway often has adapters of two
families (FTDI and CP210x) that one value could not name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from edgegui.core.templates.slots import candidates_from_inventory

if TYPE_CHECKING:
    from edgegui.core.templates.rendered import ServiceInfo

PREFIX = "edgegui."
SCANNER = "edgegui.scanner"
SERIAL = "edgegui.serial"
GPU = "edgegui.gpu"
# USB vendor ID -> adapter family, as technicians name them.
SERIAL_FAMILIES = {
    "0403": "ftdi",
    "10c4": "cp210x",
    "1a86": "ch34x",
    "067b": "pl2303",
    "2341": "arduino",
    "0483": "stm32",
}


def hardware_labels(inventory: Mapping[str, Any]) -> dict[str, str]:
    """The ``edgegui.*`` labels a node gets from its discovery inventory (``to_dict()``)."""
    labels: dict[str, str] = {}
    for candidate in candidates_from_inventory(inventory):
        if candidate.kind == "barcode_scanner":
            labels[SCANNER] = "true"
        elif candidate.kind == "serial_adapter":
            labels[SERIAL] = "true"
            family = SERIAL_FAMILIES.get(candidate.vid or "", f"usb-{candidate.vid or 'other'}")
            labels[f"{SERIAL}.{family}"] = "true"
        elif candidate.kind == "gpu" and candidate.vendor:
            labels.setdefault(GPU, candidate.vendor)
            labels[f"{GPU}.{candidate.vendor}"] = "true"
    return dict(sorted(labels.items()))


def slot_labels(info: ServiceInfo) -> dict[str, str]:
    """The labels a node must carry to run ``info``'s service (its bound slots)."""
    wanted: dict[str, str] = {}
    for binding in info.devices:
        if binding.kind == "barcode_scanner":
            wanted[SCANNER] = "true"
        elif binding.kind == "serial_adapter":
            wanted[SERIAL] = "true"
    if info.gpu is not None and info.gpu.gpu_vendor:
        wanted[GPU] = info.gpu.gpu_vendor
    return wanted


def swarm_constraints(info: ServiceInfo) -> list[str]:
    """``node.labels.edgegui.scanner == true`` and the like, for ``deploy.placement``."""
    return [f"node.labels.{key} == {value}" for key, value in sorted(slot_labels(info).items())]
