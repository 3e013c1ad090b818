"""What a status snapshot holds: the device, its stacks and containers, events and alerts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DiskUsage:
    mount: str
    size_bytes: int
    used_bytes: int
    used_percent: float


@dataclass(frozen=True)
class Temperature:
    zone: str
    kind: str
    celsius: float


@dataclass(frozen=True)
class DeviceMetrics:
    """Load, memory, disks and thermal zones, read in one remote exec."""

    load: tuple[float, float, float] | None = None
    cpus: int | None = None
    mem_total_bytes: int | None = None
    mem_available_bytes: int | None = None
    swap_total_bytes: int | None = None
    swap_free_bytes: int | None = None
    uptime_s: float | None = None
    clock_epoch: float | None = None
    disks: tuple[DiskUsage, ...] = ()
    temperatures: tuple[Temperature, ...] = ()
    errors: tuple[str, ...] = ()
    # /proc/stat's first line as (busy, total) jiffies; CPU % needs two looks.
    cpu_ticks: tuple[int, int] | None = None
    cpu_percent: float | None = None

    @property
    def mem_used_percent(self) -> float | None:
        if not self.mem_total_bytes or self.mem_available_bytes is None:
            return None
        used = self.mem_total_bytes - self.mem_available_bytes
        return round(100.0 * used / self.mem_total_bytes, 1)


@dataclass(frozen=True)
class ContainerStatus:
    """One container: state from inspect, resource use from one-shot stats."""

    id: str
    name: str
    stack: str
    service: str
    state: str
    health: str | None = None
    restarts: int = 0
    oom_killed: bool = False
    exit_code: int | None = None
    started_at: str | None = None
    uptime_s: float | None = None
    image: str = ""
    image_id: str = ""
    image_digest: str | None = None
    cpu_percent: float | None = None
    cpu_total_ns: int | None = None
    cpu_system_ns: int | None = None
    online_cpus: int | None = None
    mem_bytes: int | None = None
    mem_limit: int | None = None
    net_rx: int | None = None
    net_tx: int | None = None
    blk_read: int | None = None
    blk_write: int | None = None
    ports: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class StackStatus:
    """Containers grouped by their com.docker.compose.project label ('' for none)."""

    name: str
    containers: tuple[ContainerStatus, ...]

    @property
    def running(self) -> int:
        return sum(1 for c in self.containers if c.state == "running")


@dataclass(frozen=True)
class DockerEvent:
    """One container event from the engine (die, oom, restart, start, kill, health_status)."""

    time: float
    action: str
    container_id: str
    name: str
    stack: str = ""
    service: str = ""
    exit_code: int | None = None


@dataclass(frozen=True)
class Alert:
    """Something the technician must look at; ``kind`` is stable for scripts."""

    kind: str  # oom | restart_loop | unhealthy | disk_full | temperature
    severity: str  # warning | critical
    subject: str
    message: str


@dataclass(frozen=True)
class DeviceStatus:
    target: str
    taken_at: float
    elapsed_s: float
    device: DeviceMetrics
    stacks: tuple[StackStatus, ...]
    events: tuple[DockerEvent, ...] = ()
    events_since: float | None = None
    events_until: float | None = None
    alerts: tuple[Alert, ...] = ()
    engine: dict[str, Any] = field(default_factory=dict)
    errors: tuple[str, ...] = ()

    @property
    def containers(self) -> tuple[ContainerStatus, ...]:
        return tuple(c for s in self.stacks for c in s.containers)

    def container(self, name: str) -> ContainerStatus | None:
        return next((c for c in self.containers if c.name == name or c.id == name), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["device"]["mem_used_percent"] = self.device.mem_used_percent
        for stack, raw in zip(self.stacks, data["stacks"], strict=True):
            raw["running"] = stack.running
        return data
