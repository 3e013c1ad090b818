"""Assemble an ``Inventory`` from raw probe output, section by section.

A section that is missing, failed on the device, or cannot be parsed is recorded in
``Inventory.errors`` and the others are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from edgegui.core.discovery.convert import to_float
from edgegui.core.discovery.engine import parse_docker
from edgegui.core.discovery.gpus import parse_gpus
from edgegui.core.discovery.ids import IdNames, parse_ids
from edgegui.core.discovery.input_devices import parse_input
from edgegui.core.discovery.model import Gpu, Inventory
from edgegui.core.discovery.network import parse_network
from edgegui.core.discovery.pci import parse_pci
from edgegui.core.discovery.sections import SECTION_NAMES, Section, split_sections
from edgegui.core.discovery.serial_ports import parse_serial
from edgegui.core.discovery.system import parse_system
from edgegui.core.discovery.usb import parse_usb

COLLECTOR = "collector"  # the section the laptop appends: when, how and from where
T = TypeVar("T")


def parse_probe_output(raw: str, source: str = "probe output") -> Inventory:
    """Parse what the probe printed (or a file saved with ``--save``) into an Inventory."""
    sections = split_sections(raw, source)
    inventory = Inventory()
    collector = sections[COLLECTOR].values() if COLLECTOR in sections else {}
    inventory.probe = _probe_facts(sections, collector, raw)
    for name in SECTION_NAMES:
        problem = sections[name].problem() if name in sections else "section missing"
        if problem:
            inventory.errors[name] = problem

    def parse(name: str, parser: Callable[[Section], T], default: T) -> T:
        section = sections.get(name)
        if section is None:
            return default
        try:
            return parser(section)
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            inventory.errors[name] = f"could not parse: {exc}"
            return default

    received = to_float(collector.get("received_epoch"))
    inventory.system = parse_system(
        sections.get("meta"), sections.get("system"), sections.get("disk"), received
    )
    inventory.docker = parse("docker", parse_docker, inventory.docker)
    inventory.network = parse("network", parse_network, inventory.network)
    names = parse("ids", parse_ids, IdNames())
    inventory.usb_devices = parse("usb", lambda s: parse_usb(s, names), [])
    inventory.pci_devices = parse("pci", lambda s: parse_pci(s, names), [])
    inventory.serial_adapters = parse(
        "serial", lambda s: parse_serial(s, inventory.usb_devices), []
    )
    inventory.input_devices = parse("input", parse_input, [])
    no_gpus: tuple[list[Gpu], str | None] = ([], None)
    gpus, gpu_problem = parse(
        "gpu",
        lambda s: parse_gpus(
            s, inventory.usb_devices, inventory.pci_devices, inventory.system.board
        ),
        no_gpus,
    )
    inventory.gpus = gpus
    if gpu_problem:
        inventory.errors["gpu"] = gpu_problem
    return inventory


def _probe_facts(
    sections: dict[str, Section], collector: dict[str, str], raw: str
) -> dict[str, Any]:
    meta = sections["meta"].values() if "meta" in sections else {}
    facts: dict[str, Any] = {
        "version": meta.get("version", ""),
        "bytes": len(raw.encode()),
        "complete": "@@DONE" in raw,
        "tools": meta.get("tools", "").split(),
    }
    for key in ("transport", "target", "received_utc"):
        if key in collector:
            facts[key] = collector[key]
    if "elapsed_s" in collector:
        facts["elapsed_s"] = to_float(collector["elapsed_s"])
    return facts


def collector_section(**facts: object) -> str:
    """The trailer the laptop appends to raw output before saving or parsing it."""
    body = "".join(f"{key}={value}\n" for key, value in facts.items())
    return f"@@BEGIN {COLLECTOR}\n{body}@@END {COLLECTOR} 0\n"
