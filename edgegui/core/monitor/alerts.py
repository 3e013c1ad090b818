"""Engine events of interest, and the alerts a technician must see."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from edgegui.core.labels import PROJECT_LABEL, SERVICE_LABEL
from edgegui.core.monitor.model import Alert, ContainerStatus, DeviceMetrics, DockerEvent

KEPT_ACTIONS = frozenset(
    {"create", "start", "restart", "die", "oom", "kill", "stop", "destroy", "pause", "unpause"}
)
MAX_EVENTS = 500  # the engine itself keeps only its last few hundred


@dataclass(frozen=True)
class Thresholds:
    disk_percent: float = 90.0
    temperature_c: float = 85.0
    restart_loop_restarts: int = 3  # this many restarts (or dies in the window) …
    restart_loop_uptime_s: float = 120.0  # … while the container never stays up this long


def parse_event(raw: Mapping[str, Any]) -> DockerEvent | None:
    """A kept container event, or None for the rest (exec_*, attach, network …)."""
    action = str(raw.get("Action") or raw.get("status") or "")
    if raw.get("Type", "container") != "container":
        return None
    if action not in KEPT_ACTIONS and not action.startswith("health_status"):
        return None
    actor = raw.get("Actor") or {}
    attrs = actor.get("Attributes") or {}
    nanos = raw.get("timeNano")
    when = int(nanos) / 1e9 if nanos else float(raw.get("time") or 0)
    code = attrs.get("exitCode")
    return DockerEvent(
        time=when,
        action=action,
        container_id=str(actor.get("ID") or raw.get("id") or ""),
        name=str(attrs.get("name", "")),
        stack=str(attrs.get(PROJECT_LABEL, "")),
        service=str(attrs.get(SERVICE_LABEL, "")),
        exit_code=int(code) if code is not None and str(code).lstrip("-").isdigit() else None,
    )


def parse_events(raws: Iterable[Mapping[str, Any]]) -> tuple[DockerEvent, ...]:
    events = [e for e in (parse_event(r) for r in raws) if e is not None]
    return tuple(events[-MAX_EVENTS:])


def compute_alerts(
    device: DeviceMetrics,
    containers: Iterable[ContainerStatus],
    events: Iterable[DockerEvent],
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, shared safely
) -> tuple[Alert, ...]:
    events = list(events)
    alerts: list[Alert] = []
    oom_ids = {e.container_id for e in events if e.action == "oom"}
    dies = Counter(e.container_id for e in events if e.action == "die")
    last_exit = {e.container_id: e.exit_code for e in events if e.action == "die"}
    for c in containers:
        exit_code = c.exit_code if c.exit_code is not None else last_exit.get(c.id)
        alerts.extend(_container_alerts(c, c.id in oom_ids, dies[c.id], exit_code, thresholds))
    for disk in device.disks:
        if disk.used_percent > thresholds.disk_percent:
            alerts.append(
                Alert(
                    "disk_full",
                    "critical" if disk.used_percent >= 98 else "warning",
                    disk.mount,
                    f"{disk.mount} is {disk.used_percent:.0f}% full "
                    f"(over {thresholds.disk_percent:.0f}%)",
                )
            )
    for temp in device.temperatures:
        if temp.celsius > thresholds.temperature_c:
            alerts.append(
                Alert(
                    "temperature",
                    "critical" if temp.celsius >= thresholds.temperature_c + 10 else "warning",
                    temp.zone,
                    f"{temp.zone} ({temp.kind or 'sensor'}) at {temp.celsius:.1f} °C "
                    f"(over {thresholds.temperature_c:.0f} °C)",
                )
            )
    return tuple(alerts)


def _container_alerts(
    c: ContainerStatus, oom_event: bool, dies: int, exit_code: int | None, t: Thresholds
) -> list[Alert]:
    alerts = []
    if c.oom_killed or oom_event:
        limit = f" (limit {c.mem_limit // 2**20} MiB)" if c.mem_limit else ""
        alerts.append(
            Alert("oom", "critical", c.name, f"{c.name} was killed: out of memory{limit}")
        )
    short_lived = c.uptime_s is None or c.uptime_s < t.restart_loop_uptime_s
    looping = c.state == "restarting" or dies >= t.restart_loop_restarts
    if looping or (c.restarts >= t.restart_loop_restarts and short_lived and c.state != "exited"):
        alerts.append(
            Alert(
                "restart_loop",
                "critical",
                c.name,
                f"{c.name} is in a restart loop ({c.restarts} restarts, {dies} exits since "
                f"the last look, last exit code {exit_code if exit_code is not None else '?'})",
            )
        )
    if c.health == "unhealthy":
        alerts.append(Alert("unhealthy", "warning", c.name, f"{c.name} fails its health check"))
    return alerts
