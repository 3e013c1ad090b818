"""A device found on the LAN, by mDNS, by the SSH sweep, or both."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class FoundDevice:
    """What the LAN told us about one address; ``sources`` says how it was found."""

    address: str
    port: int = 22
    name: str = ""
    services: tuple[str, ...] = ()
    banner: str = ""
    mac: str = ""
    vendor: str = ""
    txt: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        """The SSH target to connect to (user left for the technician to add)."""
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"ssh://{host}" + (f":{self.port}" if self.port != 22 else "")

    @property
    def commissioned(self) -> bool:
        """It announces ``_edgegui._tcp``: EdgeGUI deployed a stack there."""
        return "_edgegui._tcp" in self.services

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "port": self.port,
            "name": self.name,
            "services": list(self.services),
            "banner": self.banner,
            "mac": self.mac,
            "vendor": self.vendor,
            "txt": dict(self.txt),
            "sources": list(self.sources),
            "target": self.target,
        }


def _merge(old: FoundDevice, new: FoundDevice) -> FoundDevice:
    return replace(
        old,
        name=old.name or new.name,
        port=old.port if "_ssh._tcp" in old.services or old.banner else new.port,
        services=tuple(sorted({*old.services, *new.services})),
        banner=old.banner or new.banner,
        mac=old.mac or new.mac,
        vendor=old.vendor or new.vendor,
        txt={**new.txt, **old.txt},
        sources=tuple(sorted({*old.sources, *new.sources})),
    )


def merge_found(*groups: Iterable[FoundDevice]) -> list[FoundDevice]:
    """One entry per address, in address order, with what every source said about it."""
    merged: dict[str, FoundDevice] = {}
    for group in groups:
        for found in group:
            known = merged.get(found.address)
            merged[found.address] = found if known is None else _merge(known, found)
    return sorted(merged.values(), key=lambda d: _sort_key(d.address))


def _sort_key(address: str) -> tuple[int, int | str]:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return (2, address)
    return (parsed.version, int(parsed))
