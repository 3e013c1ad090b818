"""The hardening checklist of a running container, read from ``docker inspect``.

Each rule of ``templates.hardening`` is checked against what the engine reports, not
against what was asked for; a rule that is off shows its written waiver (the label the
renderer put on the container) or asks for attention. Limits the Compose file asked for
but the engine does not apply are listed apart: the engine dropped them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from edgegui.core.labels import SERVICE_LABEL
from edgegui.core.report.model import ChecklistItem, ContainerReport, NamedValue
from edgegui.core.templates.hardening import WAIVER_LABEL_PREFIX, is_root_user
from edgegui.core.templates.units import parse_size

# Flags of ``docker info`` (and of discovery's DockerInfo, where present) for each limit.
ENGINE_FLAGS = {
    "memory": ("MemoryLimit", "memory_limit_enforced", "memory limits"),
    "cpu": ("CpuCfsQuota", "cpu_cfs_quota", "CPU limits (CFS quota)"),
    "pids": ("PidsLimit", "pids_limit", "pids limits"),
    "swap": ("SwapLimit", "swap_limit", "swap limits"),
}


def container_report(
    inspect: Mapping[str, Any], compose_service: Mapping[str, Any] | None
) -> ContainerReport:
    config = inspect.get("Config") or {}
    host = inspect.get("HostConfig") or {}
    state = inspect.get("State") or {}
    labels = config.get("Labels") or {}
    waivers = {
        key[len(WAIVER_LABEL_PREFIX) :]: str(value)
        for key, value in labels.items()
        if key.startswith(WAIVER_LABEL_PREFIX)
    }
    report = ContainerReport(
        name=str(inspect.get("Name", "")).lstrip("/"),
        service=str(labels.get(SERVICE_LABEL, "")),
        image=str(config.get("Image", "")),
        state=str(state.get("Status", "unknown")),
        health=str((state.get("Health") or {}).get("Status", "no healthcheck")),
        restarts=int(inspect.get("RestartCount") or 0),
        started_at=str(state.get("StartedAt", ""))[:19].replace("T", " "),
        waivers=[NamedValue(rule, reason) for rule, reason in sorted(waivers.items())],
    )
    report.checklist = checklist(config, host, waivers)
    report.unenforced = dropped_limits(host, compose_service or {})
    return report


def checklist(
    config: Mapping[str, Any], host: Mapping[str, Any], waivers: Mapping[str, str]
) -> list[ChecklistItem]:
    privileged = bool(host.get("Privileged"))
    cap_drop = [str(c).upper().removeprefix("CAP_") for c in host.get("CapDrop") or []]
    cap_add = [str(c).upper().removeprefix("CAP_") for c in host.get("CapAdd") or []]
    user = str(config.get("User") or "")
    security = [str(o) for o in host.get("SecurityOpt") or []]
    restart = host.get("RestartPolicy") or {}
    log = host.get("LogConfig") or {}
    log_options = log.get("Config") or {}
    rows = [
        _rule(
            "Read-only root filesystem",
            bool(host.get("ReadonlyRootfs")),
            "read-only" if host.get("ReadonlyRootfs") else "writable",
            waivers,
            "read_only",
        ),
        _capabilities(privileged, cap_drop, cap_add, waivers),
        _rule(
            "Non-root user",
            bool(user) and not is_root_user(user),
            user or "root (image default)",
            waivers,
            "non_root",
        ),
        _rule(
            "No new privileges",
            any(o.startswith("no-new-privileges") and not o.endswith("false") for o in security),
            ", ".join(security) or "not set",
            waivers,
            "no_new_privileges",
        ),
        _rule("Resource limits", _limits_set(host), describe_limits(host), waivers, "limits"),
        _rule(
            "Restart policy",
            restart.get("Name") not in (None, "", "no"),
            _restart(restart),
            waivers,
            "restart",
        ),
        _rule(
            "Log rotation",
            log.get("Type") == "json-file"
            and "max-size" in log_options
            or log.get("Type") in ("journald", "syslog", "local"),
            _logging(log),
            waivers,
            "log_rotation",
        ),
        _rule(
            "Own network",
            host.get("NetworkMode") != "host",
            str(host.get("NetworkMode") or "default"),
            waivers,
            "host_network",
        ),
    ]
    return rows


def _rule(
    name: str, ok: bool, value: str, waivers: Mapping[str, str], *rules: str
) -> ChecklistItem:
    if ok:
        return ChecklistItem(name, "ok", value)
    reason = next((waivers[r] for r in rules if r in waivers), "")
    return ChecklistItem(name, "waived" if reason else "attention", value, reason)


def _capabilities(
    privileged: bool, cap_drop: list[str], cap_add: list[str], waivers: Mapping[str, str]
) -> ChecklistItem:
    if privileged:
        return _rule("Capabilities", False, "privileged (all)", waivers, "privileged")
    dropped = "ALL" in cap_drop
    value = ("all dropped" if dropped else "engine defaults kept") + (
        f", added {', '.join(sorted(cap_add))}" if cap_add else ""
    )
    if not dropped:
        return _rule("Capabilities", False, value, waivers, "cap_drop")
    return _rule("Capabilities", not cap_add, value, waivers, "capabilities")


def _limits_set(host: Mapping[str, Any]) -> bool:
    cpu = host.get("NanoCpus") or host.get("CpuQuota")
    return bool(host.get("Memory")) and bool(cpu) and (host.get("PidsLimit") or 0) > 0


def describe_limits(host: Mapping[str, Any]) -> str:
    parts = []
    memory = host.get("Memory") or 0
    parts.append(f"memory {_mib(memory)}" if memory else "memory unlimited")
    if host.get("NanoCpus"):
        parts.append(f"CPU {host['NanoCpus'] / 1e9:g}")
    elif host.get("CpuQuota") and host.get("CpuPeriod"):
        parts.append(f"CPU {host['CpuQuota'] / host['CpuPeriod']:g}")
    else:
        parts.append("CPU unlimited")
    pids = host.get("PidsLimit") or 0
    parts.append(f"pids {pids}" if pids > 0 else "pids unlimited")
    return ", ".join(parts)


def _mib(size: int) -> str:
    return f"{size / (1 << 30):g} GiB" if size >= 1 << 30 else f"{size / (1 << 20):g} MiB"


def _restart(policy: Mapping[str, Any]) -> str:
    name = str(policy.get("Name") or "no")
    retries = policy.get("MaximumRetryCount") or 0
    return f"{name} (at most {retries})" if name == "on-failure" and retries else name


def _logging(log: Mapping[str, Any]) -> str:
    options = log.get("Config") or {}
    shown = ", ".join(f"{k} {v}" for k, v in sorted(options.items()) if k.startswith("max-"))
    return f"{log.get('Type') or 'default'}" + (f" ({shown})" if shown else "")


def dropped_limits(host: Mapping[str, Any], service: Mapping[str, Any]) -> list[str]:
    """Limits the Compose file sets that the running container does not have."""
    notes = []
    if service.get("mem_limit") and not host.get("Memory"):
        notes.append(f"memory limit {service['mem_limit']} is not applied (the engine dropped it)")
    elif service.get("mem_limit") and _size(service["mem_limit"]) not in (None, host["Memory"]):
        notes.append(
            f"memory limit is {_mib(host['Memory'])}, the stack asks {service['mem_limit']}"
        )
    if service.get("cpus") and not (host.get("NanoCpus") or host.get("CpuQuota")):
        notes.append(f"CPU limit {service['cpus']:g} is not applied (the engine dropped it)")
    if service.get("pids_limit") and not (host.get("PidsLimit") or 0) > 0:
        notes.append(f"pids limit {service['pids_limit']} is not applied (the engine dropped it)")
    return notes


def _size(value: Any) -> int | None:
    try:
        return parse_size(value) if isinstance(value, str) else int(value)
    except (ValueError, TypeError):
        return None


def engine_notes(docker_info: Mapping[str, Any], docker: Any = None) -> list[str]:
    """Limits this engine cannot enforce at all, from ``docker info`` and discovery's
    DockerInfo (read defensively: flags are added to it over time), plus its warnings."""
    notes = []
    for key, attribute, what in ENGINE_FLAGS.values():
        flag = docker_info.get(key)
        if flag is None and docker is not None:
            flag = getattr(docker, attribute, None)
        if flag is False:
            notes.append(
                f"The engine cannot enforce {what} on this kernel (docker info: {key} false)."
            )
    for warning in docker_info.get("Warnings") or []:
        text = str(warning).strip()
        if text and text not in notes:
            notes.append(text)
    return notes
