"""Does a template fit this device? One line per need, before anyone fills a form.

The same checks the render runs (architecture, memory, disk, engine limits, hardware slots),
answered per need instead of stopping at the first: "needs an NVIDIA GPU — none found".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from edgegui.core.templates.errors import RequirementError
from edgegui.core.templates.loader import Template
from edgegui.core.templates.requirements import Requirements, check_requirements
from edgegui.core.templates.slots import SLOT_KINDS, SlotSpec, slot_choices

FitStatus = Literal["pass", "warn", "fail"]
GPU_NAMES = {"nvidia": "an NVIDIA GPU", "jetson": "a Jetson GPU"}


@dataclass(frozen=True)
class FitLine:
    status: FitStatus
    text: str


def slot_need(spec: SlotSpec) -> str:
    """``a barcode scanner``, ``an NVIDIA GPU with 8192 MiB``, ``a serial adapter 0403:6001``."""
    if spec.kind == "gpu":
        names = [GPU_NAMES.get(v, f"a {v} GPU") for v in spec.vendors] or ["a GPU"]
        need = " or ".join(names)
        return need + (f" with {spec.min_memory_mib} MiB" if spec.min_memory_mib else "")
    need = f"a {SLOT_KINDS[spec.kind]}"
    return need + (f" {spec.vid}:{spec.pid or '*'}" if spec.vid else "")


def template_fit(template: Template, inventory: Mapping[str, Any] | None) -> list[FitLine]:
    """The template's needs against a discovery inventory (``Inventory.to_dict()``).

    Without an inventory every need is a warning: nothing is known about the device yet.
    """
    if inventory is None:
        return [FitLine("warn", "discover the device's hardware to check the fit")]
    lines = _requirement_lines(template.requirements, inventory, template.name)
    choices = slot_choices(template.slots, inventory)
    for name, spec in template.slots.items():
        found = choices.get(name, [])
        need = slot_need(spec)
        if found:
            names = ", ".join(dict.fromkeys(c.name for c in found))
            lines.append(FitLine("pass", f"{need}: {names}"))
        elif spec.optional:
            lines.append(FitLine("warn", f"can use {need} — none found (optional)"))
        else:
            lines.append(FitLine("fail", f"needs {need} — none found"))
    return lines


def _requirement_lines(
    req: Requirements, inventory: Mapping[str, Any], subject: str
) -> list[FitLine]:
    single = (
        ("architecture", Requirements(architectures=req.architectures)),
        ("memory", Requirements(min_memory_mib=req.min_memory_mib)),
        ("disk", Requirements(min_disk_mib=req.min_disk_mib)),
        ("engine", Requirements(engine_features=req.engine_features)),
    )
    lines = []
    for _, part in single:
        if part == Requirements():
            continue
        try:
            check_requirements(part, inventory, subject=subject)
        except RequirementError as exc:
            lines.append(FitLine("fail", str(exc).split(": ", 1)[-1]))
    if not lines:
        system = inventory.get("system") or {}
        arch = system.get("arch", "?") if isinstance(system, Mapping) else "?"
        lines.append(FitLine("pass", f"runs on this {arch} device"))
    return lines
