"""The handover report as data: what the CLI writes as JSON and the renderers lay out.

Every value here is what the device itself reported at the time the report was made;
secret parameter values never enter the model (they read "set").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal, get_args, get_origin, get_type_hints

SCHEMA_VERSION = 1
Status = Literal["pass", "warn", "fail", "info"]


@dataclass
class NamedValue:
    name: str
    value: str


@dataclass
class CheckRow:
    """One checked fact with a one-line fix hint when it did not pass."""

    check: str
    status: Status
    message: str
    hint: str = ""


@dataclass
class DeviceIdentity:
    hostname: str = ""
    os: str = ""
    kernel: str = ""
    architecture: str = ""
    board: str = ""
    cpu: str = ""
    memory: str = ""
    disk: str = ""
    docker: str = ""
    machine_id: str = ""
    serial_numbers: list[NamedValue] = field(default_factory=list)
    mac_addresses: list[NamedValue] = field(default_factory=list)  # interface -> MAC
    addresses: list[NamedValue] = field(default_factory=list)  # interface -> addresses


@dataclass
class HardwareItem:
    kind: str  # USB, serial port, scanner, GPU, PCI
    name: str
    detail: str = ""
    path: str = ""
    serial: str = ""


@dataclass
class ImageRow:
    service: str
    reference: str
    image_id: str = ""
    digests: list[str] = field(default_factory=list)


@dataclass
class ChecklistItem:
    """One hardening rule as the running container reports it."""

    rule: str
    status: Literal["ok", "waived", "attention"]
    value: str
    waiver: str = ""  # the written reason, when waived


@dataclass
class ContainerReport:
    name: str
    service: str
    image: str
    state: str
    health: str
    restarts: int = 0
    started_at: str = ""
    checklist: list[ChecklistItem] = field(default_factory=list)
    waivers: list[NamedValue] = field(default_factory=list)  # rule -> written reason
    unenforced: list[str] = field(default_factory=list)  # limits the engine dropped


@dataclass
class StackReport:
    name: str
    template: str = ""
    version: str = ""
    source: str = ""
    deployed_at: str = ""
    compose_sha256: str = ""
    parameters: list[NamedValue] = field(default_factory=list)
    images: list[ImageRow] = field(default_factory=list)
    containers: list[ContainerReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what rendering or deploy noted


@dataclass
class AuditRow:
    seq: int
    at: str
    actor: str
    device: str
    action: str
    summary: str
    hash: str
    seen_in: str  # "laptop", "device" or "laptop and device"


@dataclass
class AuditSection:
    head_seq: int = 0
    head_hash: str = ""
    chain_ok: bool = True
    chain_problems: list[str] = field(default_factory=list)
    device_copy: str = ""  # one line on the device's own copy
    rows: list[AuditRow] = field(default_factory=list)
    left_out: int = 0  # older rows not shown


@dataclass
class HandoverReport:
    """The document the technician leaves with the customer."""

    target: str
    generated_at: str  # the laptop's clock, UTC
    device_clock: str = ""  # the device's clock, UTC, when the facts were read
    clock_offset_s: float | None = None  # device minus laptop
    technician: str = ""
    site: str = ""
    customer: str = ""
    edgegui_version: str = ""
    device: DeviceIdentity = field(default_factory=DeviceIdentity)
    hardware: list[HardwareItem] = field(default_factory=list)
    preflight: list[CheckRow] = field(default_factory=list)
    stacks: list[StackReport] = field(default_factory=list)
    engine_notes: list[str] = field(default_factory=list)
    health: list[CheckRow] = field(default_factory=list)
    peripherals: list[CheckRow] = field(default_factory=list)
    audit: AuditSection = field(default_factory=AuditSection)
    problems: list[str] = field(default_factory=list)  # what could not be read, and why
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HandoverReport:
        """Read back what ``to_dict`` wrote (a saved JSON report); unknown keys are skipped."""
        report = _load(cls, data)
        assert isinstance(report, HandoverReport)
        return report


def _load(kind: Any, data: Any) -> Any:
    """Build dataclass ``kind`` from plain data, following its field annotations."""
    hints = get_type_hints(kind)
    values = {}
    for f in fields(kind):
        if f.name not in data:
            continue
        values[f.name] = _value(hints[f.name], data[f.name])
    return kind(**values)


def _value(hint: Any, data: Any) -> Any:
    origin, args = get_origin(hint), get_args(hint)
    if origin is list and args and is_dataclass(args[0]):
        return [_load(args[0], item) for item in data or []]
    if is_dataclass(hint):
        return _load(hint, data or {})
    return data
