"""``fleet status``: one line per device, read from each device's own stack state."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.errors import EdgeGUIError
from edgegui.core.fleet.devices_csv import FleetDevice
from edgegui.core.fleet.job import open_device
from edgegui.core.labels import SERVICE_LABEL

_STACKS = 'cd "$1" 2>/dev/null && for d in */; do [ -f "$d/current.json" ] && echo "${d%/}"; done'


@dataclass
class StackLine:
    stack: str
    source: str = ""
    deployed_at: str = ""
    running: int = 0
    services: int = 0
    rendered: str = ""  # first 12 hex digits of the rendered Compose file's sha256


@dataclass
class DeviceStatus:
    name: str
    target: str
    reachable: bool = False
    reason: str = ""
    stacks: list[StackLine] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target": self.target,
            "reachable": self.reachable,
            "reason": self.reason,
            "stacks": [vars(s) for s in self.stacks],
        }

    def line(self) -> str:
        head = f"{self.name:<16} {self.target:<32}"
        if not self.reachable:
            return f"{head} unreachable: {self.reason}"
        if not self.stacks:
            return f"{head} no stack deployed by EdgeGUI"
        return (
            head
            + " "
            + "; ".join(
                f"{s.stack} ({s.source}) {s.running}/{s.services} running, "
                f"deployed {s.deployed_at[:16].replace('T', ' ')}"
                + (f", version {s.rendered}" if s.rendered else "")
                for s in self.stacks
            )
        )


def device_status(device: FleetDevice, stack: str | None, **connect: Any) -> DeviceStatus:
    """``connect``: open_device's options (accept_new_host_key, connect_timeout)."""
    from edgegui.core.deploy.reconcile import stack_containers
    from edgegui.core.deploy.remote_state import STATE_ROOT, load_version

    status = DeviceStatus(device.name, device.target)
    try:
        transport = open_device(device, **connect)
        try:
            listing = "" if stack else transport.run(["sh", "-c", _STACKS, "sh", STATE_ROOT]).text
            stacks = [stack] if stack else listing.split()
            client = transport.docker_client()
            for name in stacks:
                version = load_version(transport, name, "current")
                if version is None:
                    continue
                running = {
                    c.labels.get(SERVICE_LABEL)
                    for c in stack_containers(client, name)
                    if c.status == "running"
                }
                status.stacks.append(
                    StackLine(
                        stack=name,
                        source=version.source,
                        deployed_at=version.deployed_at,
                        running=len(running & set(version.compose.get("services", {}))),
                        services=len(version.compose.get("services", {})),
                        rendered=version.rendered_sha256[:12],
                    )
                )
            status.reachable = True
        finally:
            transport.close()
    except EdgeGUIError as exc:
        status.reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    except OSError as exc:  # the engine over SSH: requests' errors are OSErrors
        status.reachable, status.reason = False, f"Docker Engine: {exc}".splitlines()[0]
    return status


def fleet_status(
    devices: Sequence[FleetDevice], stack: str | None = None, parallel: int = 8, **connect: Any
) -> list[DeviceStatus]:
    """Every device's stacks (or ``stack``), in the file's order, read ``parallel`` at once."""
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        return list(pool.map(lambda d: device_status(d, stack, **connect), devices))
