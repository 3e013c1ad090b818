"""Hardware slots: what a stack needs from the device, and binding them to stable paths.

Candidates come from the discovery inventory in its JSON form (``Inventory.to_dict()``),
read here as a plain dict so templates do not depend on the discovery code. Slots bind to
``/dev/serial/by-id/…`` or ``/dev/input/by-id/…`` links, never to ``/dev/ttyUSB0``, which
is renumbered when an adapter is replugged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from edgegui.core.templates.errors import SlotError

SLOT_KINDS = {
    "serial_adapter": "serial adapter",
    "barcode_scanner": "barcode scanner",
    "gpu": "GPU",
}
GPU_VENDORS = ("nvidia", "jetson")
STABLE_PREFIXES = {
    "serial_adapter": ("/dev/serial/by-id/",),
    "barcode_scanner": ("/dev/input/by-id/", "/dev/serial/by-id/"),
}
# udev keeps only these characters in by-id link names; anything else is not a real link.
_LINK_NAME_RE = re.compile(r"^[A-Za-z0-9#+.:=@_,-]{1,200}$")
_USB_ID_RE = re.compile(r"^[0-9a-f]{4}$")
_GPU_ID_RE = re.compile(r"^(?:[0-9]{1,2}|GPU-[0-9A-Fa-f-]{8,64}|MIG-[0-9A-Fa-f-]{8,64}|all)$")
SLOT_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class SlotSpec:
    """One hardware slot a template declares."""

    name: str
    kind: str
    help: str
    optional: bool = False
    vid: str | None = None
    pid: str | None = None
    vendors: tuple[str, ...] = ()
    min_memory_mib: int | None = None
    origin: str = ""

    def describe(self) -> str:
        """Human summary, e.g. ``serial adapter 0403:6001`` or ``GPU (nvidia, ≥ 8192 MiB)``."""
        text = SLOT_KINDS[self.kind]
        if self.vid:
            text += f" {self.vid}:{self.pid or '*'}"
        details = list(self.vendors)
        if self.min_memory_mib:
            details.append(f">= {self.min_memory_mib} MiB")
        return f"{text} ({', '.join(details)})" if details else text


@dataclass(frozen=True)
class SlotCandidate:
    """A device from the inventory that could fill a slot."""

    kind: str
    name: str
    stable_path: str | None = None
    node: str | None = None
    vid: str | None = None
    pid: str | None = None
    vendor: str | None = None
    memory_mib: int | None = None
    gpu_id: str | None = None
    node_gid: int | None = None

    def label(self) -> str:
        where = self.stable_path or (f"{self.vendor}:{self.gpu_id}" if self.gpu_id else self.node)
        ids = f", {self.vid}:{self.pid}" if self.vid else ""
        memory = f", {self.memory_mib} MiB" if self.memory_mib else ""
        return f"{where} ({self.name}{ids}{memory})"


@dataclass(frozen=True)
class SlotBinding:
    """A slot filled: a stable device path, or a GPU vendor and device id."""

    slot: str
    kind: str
    path: str | None = None
    gpu_vendor: str | None = None
    gpu_id: str | None = None
    node_gid: int | None = None  # group owning the bound node, when discovery saw it

    def describe(self) -> str:
        if self.kind == "gpu":
            return f"{self.gpu_vendor}:{self.gpu_id}" if self.gpu_id else str(self.gpu_vendor)
        return str(self.path)


def parse_bind_values(items: Iterable[str]) -> dict[str, str]:
    """Parse ``["SLOT=PATH", …]`` from ``--bind``."""
    binds: dict[str, str] = {}
    for item in items:
        slot, sep, value = item.partition("=")
        if not sep or not SLOT_NAME_RE.match(slot) or not value:
            raise SlotError(f"--bind {item[:80]!r}: expected SLOT=PATH with a lower-case SLOT")
        if slot in binds:
            raise SlotError(f"--bind {slot}: given twice")
        binds[slot] = value
    return binds


def candidates_from_inventory(inventory: Mapping[str, Any]) -> list[SlotCandidate]:
    """Every device in a discovery inventory that could fill some slot."""
    found: list[SlotCandidate] = []
    for entry in _entries(inventory, "serial_adapters"):
        kind = "barcode_scanner" if entry.get("is_scanner") else "serial_adapter"
        found.append(_usb_candidate(kind, entry, entry.get("tty")))
    for entry in _entries(inventory, "input_devices"):
        if entry.get("is_scanner"):
            found.append(_usb_candidate("barcode_scanner", entry, entry.get("event")))
    for entry in _entries(inventory, "gpus"):
        vendor = str(entry.get("vendor", "")).lower()
        if vendor not in GPU_VENDORS:
            continue
        gpu_id = _gpu_id(entry) if vendor == "nvidia" else None
        memory = entry.get("memory_mib")
        found.append(
            SlotCandidate(
                kind="gpu",
                name=str(entry.get("name") or vendor),
                vendor=vendor,
                memory_mib=memory
                if isinstance(memory, int) and not isinstance(memory, bool)
                else None,
                gpu_id=gpu_id,
            )
        )
    return found


def _entries(inventory: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    entries = inventory.get(key) or []
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise SlotError(f"inventory: {key!r} must be a list of objects")
    return entries


def _usb_candidate(kind: str, entry: Mapping[str, Any], node: Any) -> SlotCandidate:
    by_id = entry.get("by_id")
    stable = by_id if isinstance(by_id, str) and _is_stable_path(kind, by_id) else None
    name = " ".join(str(entry[k]) for k in ("vendor", "product") if entry.get(k)) or str(
        entry.get("name") or SLOT_KINDS[kind]
    )
    return SlotCandidate(
        kind=kind,
        name=name,
        stable_path=stable,
        node=str(node) if node else None,
        vid=_usb_id(entry.get("vid")),
        pid=_usb_id(entry.get("pid")),
        vendor=str(entry["vendor"]) if entry.get("vendor") else None,
        node_gid=_gid(entry.get("node_gid")),
    )


def _gid(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _usb_id(value: Any) -> str | None:
    text = str(value).lower() if value is not None else ""
    return text if _USB_ID_RE.match(text) else None


def _gpu_id(entry: Mapping[str, Any]) -> str | None:
    uuid = str(entry.get("uuid") or "")
    # Masked captures carry an all-zero UUID; the index is then the only usable id.
    masked = set(uuid.removeprefix("GPU-")) <= {"0", "-"}
    if _GPU_ID_RE.match(uuid) and not masked:
        return uuid
    index = entry.get("index")
    return str(index) if isinstance(index, int) and not isinstance(index, bool) else None


def _is_stable_path(kind: str, path: str) -> bool:
    for prefix in STABLE_PREFIXES.get(kind, ()):
        if path.startswith(prefix) and _LINK_NAME_RE.match(path[len(prefix) :]):
            return True
    return False


def _matches(spec: SlotSpec, candidate: SlotCandidate) -> bool:
    if candidate.kind != spec.kind:
        return False
    if spec.kind == "gpu":
        memory_ok = not spec.min_memory_mib or (candidate.memory_mib or 0) >= spec.min_memory_mib
        vendor_ok = not spec.vendors or candidate.vendor in spec.vendors
        return vendor_ok and memory_ok
    if spec.vid and candidate.vid != spec.vid:
        return False
    return not (spec.pid and candidate.pid != spec.pid)


def slot_choices(
    slots: Mapping[str, SlotSpec], inventory: Mapping[str, Any]
) -> dict[str, list[SlotCandidate]]:
    """For each slot, the inventory devices that fit it (for a chooser in the GUI)."""
    candidates = candidates_from_inventory(inventory)
    return {name: [c for c in candidates if _matches(spec, c)] for name, spec in slots.items()}


def bind_slots(
    slots: Mapping[str, SlotSpec],
    binds: Mapping[str, str],
    inventory: Mapping[str, Any] | None,
    *,
    subject: str,
) -> dict[str, SlotBinding]:
    """Bind every slot from ``--bind`` values, else from the one matching inventory device."""
    unknown = sorted(set(binds) - set(slots))
    if unknown:
        known = ", ".join(sorted(slots)) or "none"
        raise SlotError(f"{subject}: unknown slot {unknown[0]} (slots: {known})")
    choices = slot_choices(slots, inventory) if inventory is not None else None
    bound: dict[str, SlotBinding] = {}
    for name, spec in sorted(slots.items()):
        matching = choices[name] if choices is not None else None
        if name in binds:
            bound[name] = _explicit(spec, binds[name], matching, subject)
            continue
        binding = _automatic(spec, matching, subject)
        if binding is not None:
            bound[name] = binding
    return bound


def _explicit(
    spec: SlotSpec, value: str, matching: list[SlotCandidate] | None, subject: str
) -> SlotBinding:
    where = f"{subject}: --bind {spec.name}"
    if spec.kind == "gpu":
        return _explicit_gpu(spec, value, matching, where)
    if not _is_stable_path(spec.kind, value):
        prefixes = " or ".join(p + "…" for p in STABLE_PREFIXES[spec.kind])
        hint = ""
        if matching:
            hint = f"; candidates: {', '.join(c.label() for c in matching)}"
        raise SlotError(
            f"{where}={value[:120]!r}: not a stable device link; use {prefixes} "
            f"(names like /dev/ttyUSB0 change when the device is replugged){hint}"
        )
    if matching is not None and value not in {c.stable_path for c in matching}:
        offered = ", ".join(c.label() for c in matching) or "none"
        raise SlotError(
            f"{where}={value}: no {spec.describe()} with this path in the inventory "
            f"(matching devices: {offered})"
        )
    gid = next((c.node_gid for c in matching or () if c.stable_path == value), None)
    return SlotBinding(spec.name, spec.kind, path=value, node_gid=gid)


def _explicit_gpu(
    spec: SlotSpec, value: str, matching: list[SlotCandidate] | None, where: str
) -> SlotBinding:
    vendor, _, gpu_id = value.partition(":")
    vendor = vendor.lower()
    allowed = spec.vendors or GPU_VENDORS
    if vendor not in allowed:
        raise SlotError(f"{where}={value[:80]!r}: GPU vendor must be one of {', '.join(allowed)}")
    if vendor == "jetson" and gpu_id:
        raise SlotError(
            f"{where}={value[:80]!r}: a Jetson GPU takes no id; use --bind {spec.name}=jetson"
        )
    if vendor == "nvidia":
        gpu_id = gpu_id or "0"
        if not _GPU_ID_RE.match(gpu_id):
            raise SlotError(
                f"{where}={value[:80]!r}: use nvidia:INDEX, nvidia:GPU-UUID or nvidia:all"
            )
    if matching is not None and not any(
        c.vendor == vendor and (gpu_id in ("", "all") or c.gpu_id == gpu_id) for c in matching
    ):
        offered = ", ".join(c.label() for c in matching) or "none"
        raise SlotError(
            f"{where}={value}: no such {spec.describe()} in the inventory (matching: {offered})"
        )
    return SlotBinding(spec.name, "gpu", gpu_vendor=vendor, gpu_id=gpu_id or None)


def _automatic(
    spec: SlotSpec, matching: list[SlotCandidate] | None, subject: str
) -> SlotBinding | None:
    where = f"{subject}: slot {spec.name} ({spec.describe()})"
    example = "nvidia:0" if spec.kind == "gpu" else STABLE_PREFIXES[spec.kind][0] + "…"
    if matching is None:
        if spec.optional:
            return None
        raise SlotError(
            f"{where} is not bound: pass --bind {spec.name}={example} or --inventory FILE"
        )
    usable = [c for c in matching if c.kind == "gpu" or c.stable_path]
    if len(usable) == 1:
        only = usable[0]
        if only.kind == "gpu":
            return SlotBinding(spec.name, "gpu", gpu_vendor=only.vendor, gpu_id=only.gpu_id)
        return SlotBinding(spec.name, spec.kind, path=only.stable_path, node_gid=only.node_gid)
    if len(usable) > 1:
        raise SlotError(
            f"{where}: {len(usable)} devices match; choose one with --bind {spec.name}=… : "
            + ", ".join(c.label() for c in usable)
        )
    if spec.optional:
        return None
    unstable = [c.node for c in matching if not c.stable_path and c.node]
    if unstable:
        raise SlotError(
            f"{where}: {', '.join(unstable)} has no stable /dev/…/by-id link on the device; "
            "check its udev rules before binding it"
        )
    raise SlotError(f"{where}: no matching device on the device; plug it in and discover again")
