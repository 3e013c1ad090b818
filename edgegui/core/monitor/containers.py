"""Container state from ``inspect`` and resource use from one-shot ``stats``, turned into rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from edgegui.core.labels import IMAGE_LABEL, PROJECT_LABEL, SERVICE_LABEL
from edgegui.core.monitor.model import ContainerStatus


def image_name(
    configured: str, labels: Mapping[str, Any], image_id: str, tags: list[str] | None
) -> str:
    """``name:tag`` a person recognises, not ``sha256:…``, whenever anything names it.

    A container created from an image ID (every EdgeGUI deploy, pinned bundles) carries the
    ID as its configured image; the deploy's label, then the image's own tags, name it.
    """
    if configured and not configured.startswith("sha256:"):
        return configured
    named = labels.get(IMAGE_LABEL)
    if named:
        return str(named)
    usable = [t for t in tags or () if t and t != "<none>:<none>"]
    return usable[0] if usable else configured or image_id


def parse_docker_time(value: str | None) -> float | None:
    """Epoch seconds of Docker's RFC 3339 times (nanoseconds trimmed); None for the zero time."""
    if not value or value.startswith("0001-"):
        return None
    text = value.replace("Z", "+00:00")
    if "." in text:  # Python parses at most microseconds
        head, _, rest = text.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits) :]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def ports_of(inspect: Mapping[str, Any]) -> tuple[str, ...]:
    """Published ports as ``ip:host_port->port/proto``; exposed-only ones as ``port/proto``."""
    bound = (inspect.get("NetworkSettings") or {}).get("Ports") or {}
    shown: list[str] = []
    for port, bindings in sorted(bound.items()):
        if not bindings:
            shown.append(port)
            continue
        for b in bindings:
            host = b.get("HostIp") or "0.0.0.0"  # noqa: S104 - describes a binding, binds nothing
            host = f"[{host}]" if ":" in host else host
            shown.append(f"{host}:{b.get('HostPort')}->{port}")
    return tuple(dict.fromkeys(shown))


def container_status(
    inspect: Mapping[str, Any],
    stats: Mapping[str, Any] | None,
    *,
    now: float,
    repo_digests: Mapping[str, list[str]] | None = None,
    repo_tags: Mapping[str, list[str]] | None = None,
    previous: ContainerStatus | None = None,
    errors: tuple[str, ...] = (),
) -> ContainerStatus:
    """One row from a container's inspect output and (optionally) its one-shot stats."""
    config = inspect.get("Config") or {}
    labels = config.get("Labels") or {}
    state = inspect.get("State") or {}
    image_id = str(inspect.get("Image") or "")
    started = parse_docker_time(state.get("StartedAt"))
    running = state.get("Status") == "running"
    digests = (repo_digests or {}).get(image_id) or []
    usage = _usage(stats, previous) if stats else {}
    return ContainerStatus(
        id=str(inspect.get("Id", "")),
        name=str(inspect.get("Name", "")).lstrip("/"),
        stack=str(labels.get(PROJECT_LABEL, "")),
        service=str(labels.get(SERVICE_LABEL, "")),
        state=str(state.get("Status", "unknown")),
        health=(state.get("Health") or {}).get("Status"),
        restarts=int(inspect.get("RestartCount") or 0),
        oom_killed=bool(state.get("OOMKilled")),
        exit_code=None if running else state.get("ExitCode"),
        started_at=state.get("StartedAt") if started else None,
        uptime_s=round(max(0.0, now - started), 1) if running and started else None,
        image=image_name(
            str(config.get("Image", "")), labels, image_id, (repo_tags or {}).get(image_id)
        ),
        image_id=image_id,
        image_digest=digests[0] if digests else None,
        ports=ports_of(inspect),
        errors=errors,
        **usage,
    )


def _usage(stats: Mapping[str, Any], previous: ContainerStatus | None) -> dict[str, Any]:
    cpu = stats.get("cpu_stats") or {}
    total = (cpu.get("cpu_usage") or {}).get("total_usage")
    system = cpu.get("system_cpu_usage")
    online = cpu.get("online_cpus") or len((cpu.get("cpu_usage") or {}).get("percpu_usage") or ())
    memory = stats.get("memory_stats") or {}
    networks = (stats.get("networks") or {}).values()
    # An engine that counts block I/O sends a list, empty when nothing was read or written.
    blkio = (stats.get("blkio_stats") or {}).get("io_service_bytes_recursive")
    return {
        "cpu_percent": _cpu_percent(stats, total, system, online, previous),
        "cpu_total_ns": total,
        "cpu_system_ns": system,
        "online_cpus": online or None,
        "mem_bytes": _memory_used(memory),
        "mem_limit": memory.get("limit"),
        "net_rx": sum(int(n.get("rx_bytes", 0)) for n in networks) if networks else None,
        "net_tx": sum(int(n.get("tx_bytes", 0)) for n in networks) if networks else None,
        "blk_read": _blkio(blkio, "read"),
        "blk_write": _blkio(blkio, "write"),
    }


def _cpu_percent(
    stats: Mapping[str, Any],
    total: int | None,
    system: int | None,
    online: int,
    previous: ContainerStatus | None,
) -> float | None:
    """CPU % the way ``docker stats`` computes it, against the previous sample.

    One-shot stats carry no previous sample (precpu is zero), so the previous snapshot's
    counters serve; without either the value is unknown rather than made up.
    """
    if total is None or system is None or not online:
        return None
    pre = stats.get("precpu_stats") or {}
    pre_total = (pre.get("cpu_usage") or {}).get("total_usage")
    pre_system = pre.get("system_cpu_usage")
    if not pre_system and previous is not None:
        pre_total, pre_system = previous.cpu_total_ns, previous.cpu_system_ns
    if pre_total is None or not pre_system:
        return None
    cpu_delta, system_delta = total - pre_total, system - pre_system
    if system_delta <= 0 or cpu_delta < 0:
        return None
    return round(100.0 * float(cpu_delta) / float(system_delta) * online, 2)


def _memory_used(memory: Mapping[str, Any]) -> int | None:
    """Usage minus page cache, as ``docker stats`` shows it (cgroup v2: inactive_file)."""
    usage = memory.get("usage")
    if usage is None:
        return None
    detail = memory.get("stats") or {}
    cache = detail.get("inactive_file", detail.get("total_inactive_file", 0))
    return int(usage) - int(cache) if int(cache) < int(usage) else int(usage)


def _blkio(entries: list[Mapping[str, Any]] | None, op: str) -> int | None:
    if entries is None:
        return None
    return sum(int(e.get("value", 0)) for e in entries if str(e.get("op", "")).lower() == op)
