"""Parse the ``docker`` section: the engine's ``/info`` JSON, or why it could not be asked."""

from __future__ import annotations

import json
from typing import Any

from edgegui.core.discovery.convert import to_int
from edgegui.core.discovery.model import DockerInfo
from edgegui.core.discovery.sections import Section
from edgegui.core.security_options import engine_confinement


def parse_docker(section: Section) -> DockerInfo:
    values = section.values()
    messages = [line[len("message=") :] for line in section.lines if line.startswith("message=")]
    messages = [m.strip() for m in messages if m.strip()]
    info = DockerInfo(
        cli=values.get("cli", ""),
        socket=values.get("socket", "") or values.get("docker_host", ""),
        engine=values.get("engine", ""),
        engine_from=values.get("engine_from", ""),
    )
    info.present = bool(info.cli or values.get("dockerd") or info.socket)
    stat = values.get("socket_stat", "").split()
    info.socket_group = stat[2] if len(stat) == 3 else ""
    engine = _json(values.get("info", ""))
    if values.get("info_rc") == "0" and engine.get("ServerVersion"):
        info.reachable = True
        _apply_engine(info, engine)
        info.api_version = values.get("api_version", "").strip() or str(
            _json(values.get("version", "")).get("ApiVersion", "")
        )
        info.warnings = [*info.warnings, *(m for m in messages if m not in info.warnings)]
    else:
        info.reason = _reason(info, values, messages)
        if "/run/user/" in info.socket:
            info.rootless = True
    return info


def _apply_engine(info: DockerInfo, engine: dict[str, Any]) -> None:
    info.version = str(engine.get("ServerVersion", ""))
    info.storage_driver = str(engine.get("Driver", ""))
    info.cgroup_version = to_int(str(engine.get("CgroupVersion", "")))
    info.cgroup_driver = str(engine.get("CgroupDriver", ""))
    info.memory_limit_enforced = _bool(engine.get("MemoryLimit"))
    info.cpu_cfs_quota = _bool(engine.get("CpuCfsQuota"))
    info.cpu_cfs_period = _bool(engine.get("CpuCfsPeriod"))
    info.cpu_shares = _bool(engine.get("CPUShares"))
    info.swap_limit = _bool(engine.get("SwapLimit"))
    info.pids_limit = _bool(engine.get("PidsLimit"))
    info.runtimes = sorted(engine.get("Runtimes") or {})
    info.default_runtime = str(engine.get("DefaultRuntime", ""))
    info.live_restore = _bool(engine.get("LiveRestoreEnabled"))
    info.data_root = str(engine.get("DockerRootDir", ""))
    info.rootless = "name=rootless" in (engine.get("SecurityOptions") or [])
    info.architecture = str(engine.get("Architecture", ""))
    info.containers = to_int(str(engine.get("Containers", "")))
    info.images = to_int(str(engine.get("Images", "")))
    info.warnings = [str(w) for w in engine.get("Warnings") or []]
    info.security_options = [str(o) for o in engine.get("SecurityOptions") or []]
    info.seccomp, info.apparmor = engine_confinement(info.security_options)


def _reason(info: DockerInfo, values: dict[str, str], messages: list[str]) -> str:
    """One line saying why the engine is not usable by this user."""
    if not info.present:
        return "Docker is not installed (no docker CLI, dockerd or socket)"
    status = values.get("info_rc", "")
    text = " ".join(messages).lower()
    if status == "124":
        return "the engine did not answer within 10 s"
    if "permission denied" in text or values.get("socket_writable") == "no":
        stat = values.get("socket_stat", "").split()
        owner = f" (mode {stat[0]}, owner {stat[1]}:{stat[2]})" if len(stat) == 3 else ""
        return f"permission denied on {info.socket or 'the Docker socket'}{owner}"
    if not info.socket or "is the docker daemon running" in text:
        return "the engine is not running (no Docker socket answers)"
    if status == "none":
        return "neither the docker CLI nor curl is on the device to query the engine"
    return messages[0] if messages else f"docker info failed (status {status or 'unknown'})"


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
