"""Limits a device's engine cannot enforce: converted or dropped when rendering for it.

The engine says what its kernel and cgroup setup allow (``docker info``: CpuCfsQuota,
CPUShares, MemoryLimit, SwapLimit, PidsLimit). A limit it cannot enforce would make it
refuse the container (NanoCPUs without CFS) or drop the limit with a warning nobody reads;
instead we adapt the service and say so in a note the CLI, the review page and the report
show. A template that cannot do without a limit lists it in ``requirements.engine_features``
and deploy refuses the device before anything changes (requirements.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CPU_SHARES_PER_CPU = 1024  # Docker's weight for one CPU's worth of time


@dataclass(frozen=True)
class EngineCapabilities:
    """What the engine reports it can enforce; None where it did not say."""

    cpu_quota: bool | None = None
    cpu_shares: bool | None = None
    memory_limit: bool | None = None
    swap_limit: bool | None = None
    pids_limit: bool | None = None

    @classmethod
    def from_inventory(cls, inventory: Mapping[str, Any] | None) -> EngineCapabilities | None:
        """From a discovery inventory's ``docker`` section; None if the engine was not asked."""
        docker = (inventory or {}).get("docker")
        if not isinstance(docker, Mapping) or not docker.get("reachable"):
            return None

        def flag(name: str) -> bool | None:
            value = docker.get(name)
            return value if isinstance(value, bool) else None

        return cls(
            cpu_quota=flag("cpu_cfs_quota"),
            cpu_shares=flag("cpu_shares"),
            memory_limit=flag("memory_limit_enforced"),
            swap_limit=flag("swap_limit"),
            pids_limit=flag("pids_limit"),
        )

    def missing(self) -> list[str]:
        """Human names of what the engine said it cannot enforce."""
        names = {
            "cpu_quota": "CPU quota (cpus)",
            "cpu_shares": "CPU shares",
            "memory_limit": "memory limits",
            "swap_limit": "swap limits",
            "pids_limit": "PIDs limits",
        }
        return [text for key, text in names.items() if getattr(self, key) is False]


def adapt_limits(service: str, body: dict[str, Any], caps: EngineCapabilities) -> list[str]:
    """Change ``body`` to what the engine can enforce; return one note per change."""
    notes: list[str] = []
    if "cpus" in body and caps.cpu_quota is False:
        cpus = body.pop("cpus")
        if caps.cpu_shares is not False:
            shares = max(2, round(float(cpus) * CPU_SHARES_PER_CPU))
            body["cpu_shares"] = shares
            notes.append(
                f"{service}: cpus {cpus} became cpu_shares {shares}: the engine has no CPU "
                "quota (CFS), so this is a relative weight under load, not a cap"
            )
        else:
            notes.append(
                f"{service}: cpus {cpus} dropped: the engine enforces neither CPU quota nor "
                "CPU shares on this device"
            )
    if caps.memory_limit is False:
        dropped = [key for key in ("mem_limit", "mem_reservation", "memswap_limit") if key in body]
        for key in dropped:
            value = body.pop(key)
            notes.append(
                f"{service}: {key} {value} dropped: the engine cannot enforce memory limits "
                "on this device (no memory cgroup)"
            )
    elif "memswap_limit" in body and caps.swap_limit is False:
        value = body.pop("memswap_limit")
        notes.append(f"{service}: memswap_limit {value} dropped: no swap limit support")
    if "pids_limit" in body and caps.pids_limit is False:
        value = body.pop("pids_limit")
        notes.append(
            f"{service}: pids_limit {value} dropped: the engine cannot limit processes "
            "on this device (no pids cgroup)"
        )
    return notes
