"""Preflight checks on an inventory: pass/warn/fail, each with a one-line fix hint."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from edgegui.core.discovery.model import DockerInfo, InputDevice, Inventory
from edgegui.core.discovery.vendors import docker_platform

Status = Literal["pass", "warn", "fail"]
MIN_DOCKER_VERSION = "20.10"  # cgroup v2, compose v2 and the API 1.41 features we use
CLOCK_WARN_S = 300.0
CLOCK_FAIL_S = 86400.0
OLDEST_SANE_YEAR = 2024  # a clock before this is a board without RTC that never synced


@dataclass(frozen=True)
class DeviceNeed:
    """A device a template needs: kind is serial, scanner, gpu or path (an exact /dev path)."""

    kind: str
    count: int = 1
    vendor: str = ""  # gpu vendor (nvidia, jetson, coral, intel, amd) or USB VID for serial
    path: str = ""


@dataclass(frozen=True)
class Requirements:
    """What a deployment needs; templates fill it in, the defaults suit any small stack."""

    architectures: tuple[str, ...] = ()  # linux/arm64, arm64, aarch64, … (any matches)
    min_memory_mib: int = 0
    min_disk_mib: int = 2048
    min_docker_version: str = MIN_DOCKER_VERSION
    needs_memory_limits: bool = True
    devices: tuple[DeviceNeed, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    check: str
    status: Status
    message: str
    hint: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Checks:
    results: list[CheckResult] = field(default_factory=list)

    def add(self, check: str, status: Status, message: str, hint: str = "") -> None:
        self.results.append(CheckResult(check, status, message, "" if status == "pass" else hint))


def run_preflight(
    inventory: Inventory, requirements: Requirements | None = None
) -> list[CheckResult]:
    """Run every check; a check the inventory cannot answer warns instead of passing."""
    req = requirements or Requirements()
    checks = _Checks()
    _docker(inventory, req, checks)
    _memory_cgroup(inventory, req, checks)
    _disk(inventory, req, checks)
    _memory(inventory, req, checks)
    _architecture(inventory, req, checks)
    _clock(inventory, checks)
    for need in req.devices:
        _device(inventory, need, checks)
    return checks.results


def _docker(inv: Inventory, req: Requirements, checks: _Checks) -> None:
    docker, user = inv.docker, inv.system.user or "this user"
    if not docker.present:
        checks.add(
            "docker-installed",
            "fail",
            "Docker is not installed",
            "install Docker Engine (e.g. apt-get install docker.io) and start it",
        )
        return
    checks.add("docker-installed", "pass", f"Docker found ({docker.cli or docker.socket})")
    if not docker.reachable:
        hint = "start the engine: sudo systemctl enable --now docker"
        if "permission denied" in docker.reason:
            group = docker.socket_group or "docker"
            hint = (
                f"add {user} to the {group} group: sudo usermod -aG {group} {user}, then "
                "reconnect (edgegui docker-access, or the button in the GUI, does it)"
            )
        checks.add("docker-usable", "fail", f"engine not usable by {user}: {docker.reason}", hint)
        return
    checks.add("docker-usable", "pass", f"engine reachable by {user} at {docker.socket}")
    if _version_tuple(docker.version) >= _version_tuple(req.min_docker_version):
        checks.add("docker-version", "pass", f"engine {docker.version} (API {docker.api_version})")
    else:
        checks.add(
            "docker-version",
            "fail",
            f"engine {docker.version} is older than {req.min_docker_version}",
            f"upgrade Docker Engine to {req.min_docker_version} or newer",
        )
    _engine_limits(docker, checks)
    _confinement(docker.seccomp, docker.apparmor, checks)


_LIMIT_FLAGS = (
    ("cpu_cfs_quota", "CPU quota"),
    ("cpu_shares", "CPU shares"),
    ("memory_limit_enforced", "memory limits"),
    ("swap_limit", "swap limits"),
    ("pids_limit", "PIDs limits"),
)


def _engine_limits(docker: DockerInfo, checks: _Checks) -> None:
    """What the engine says it can enforce (docker info), shown before anything is rendered."""
    setup = f"cgroup v{docker.cgroup_version or '?'}, {docker.cgroup_driver or 'driver ?'}"
    missing = [what for flag, what in _LIMIT_FLAGS if getattr(docker, flag) is False]
    if not missing:
        checks.add("engine-limits", "pass", f"the engine enforces resource limits ({setup})")
        return
    if docker.cgroup_version == 2:
        hint = "delegate the cpu, memory and pids controllers to Docker (cgroup.subtree_control)"
    else:
        hint = "mount the cpu, memory and pids cgroup controllers (kernel with CFS bandwidth)"
    checks.add(
        "engine-limits",
        "warn",
        f"the engine cannot enforce {', '.join(missing)} ({setup}); deploy converts or "
        "drops those limits and says so",
        hint,
    )


def _confinement(seccomp: bool | None, apparmor: bool | None, checks: _Checks) -> None:
    """What confines the services beyond capabilities: reported, never assumed."""
    if seccomp is False:
        checks.add(
            "seccomp",
            "warn",
            "the engine has no seccomp support: services run without a syscall filter",
            "use a kernel with CONFIG_SECCOMP and a Docker build with seccomp",
        )
    elif seccomp:
        checks.add("seccomp", "pass", "seccomp enforced: services get the edge-default profile")
    if apparmor:
        checks.add("apparmor", "pass", "AppArmor enabled: services run with docker-default")
    elif apparmor is False:
        checks.add(
            "apparmor",
            "warn",
            "AppArmor is not enabled on the device: no AppArmor profile confines the services",
            "Debian/Ubuntu: apt-get install apparmor and boot with apparmor=1 security=apparmor",
        )


def _memory_cgroup(inv: Inventory, req: Requirements, checks: _Checks) -> None:
    enforced = inv.docker.memory_limit_enforced
    if enforced is None:
        enforced = inv.system.memory_cgroup
    hint = (
        "enable the memory cgroup: add 'cgroup_enable=memory cgroup_memory=1' to the kernel "
        "command line (Raspberry Pi: /boot/firmware/cmdline.txt) and reboot"
    )
    if enforced:
        checks.add("memory-cgroup", "pass", "memory cgroup enabled: --memory limits are enforced")
    elif enforced is None:
        checks.add(
            "memory-cgroup", "warn", "could not tell whether memory limits are enforced", hint
        )
    else:
        checks.add(
            "memory-cgroup",
            "fail" if req.needs_memory_limits else "warn",
            "memory cgroup disabled: container memory limits silently do nothing",
            hint,
        )


def _disk(inv: Inventory, req: Requirements, checks: _Checks) -> None:
    system = inv.system
    free = system.disk_free_docker_mib
    where = inv.docker.data_root or system.docker_disk_path or "Docker's data-root"
    if free is None:
        free, where = system.disk_free_root_mib, "/"
    if free is None:
        checks.add(
            "disk-space",
            "warn",
            "free disk space unknown",
            "check the disk section error in the inventory",
        )
    elif free < req.min_disk_mib:
        checks.add(
            "disk-space",
            "fail",
            f"{free} MiB free on {where}, {req.min_disk_mib} MiB needed",
            f"free space on {where} (docker system prune, remove old logs) or add storage",
        )
    elif free < 2 * req.min_disk_mib:
        checks.add(
            "disk-space",
            "warn",
            f"only {free} MiB free on {where}",
            "image updates need room for two versions; free some space",
        )
    else:
        checks.add("disk-space", "pass", f"{free} MiB free on {where}")


def _memory(inv: Inventory, req: Requirements, checks: _Checks) -> None:
    total = inv.system.mem_total_mib
    if not req.min_memory_mib:
        return
    if total is None:
        checks.add("memory", "warn", "memory size unknown", "check the system section error")
    elif total < req.min_memory_mib:
        checks.add(
            "memory",
            "fail",
            f"{total} MiB RAM, {req.min_memory_mib} MiB needed",
            "choose a lighter template or a device with more memory",
        )
    else:
        checks.add("memory", "pass", f"{total} MiB RAM")


def _architecture(inv: Inventory, req: Requirements, checks: _Checks) -> None:
    arch, platform = inv.system.arch, inv.system.platform or docker_platform(inv.system.arch)
    if not req.architectures:
        checks.add("architecture", "pass", f"{arch or 'unknown'} ({platform or '?'})")
        return
    wanted = {_normal_platform(a) for a in req.architectures}
    if platform in wanted:
        checks.add("architecture", "pass", f"{arch} ({platform}) matches the images")
    else:
        checks.add(
            "architecture",
            "fail",
            f"device is {arch} ({platform}); images are built for {', '.join(sorted(wanted))}",
            f"use images (or a multi-arch tag) built for {platform}",
        )


def _clock(inv: Inventory, checks: _Checks) -> None:
    system = inv.system
    offset = system.clock_offset_s
    year = int(system.clock_utc[:4]) if system.clock_utc[:4].isdigit() else None
    hint = "set the time and enable NTP: sudo timedatectl set-ntp true (TLS fails on a wrong clock)"
    if year is not None and year < OLDEST_SANE_YEAR:
        checks.add("clock", "fail", f"device clock says {system.clock_utc}", hint)
    elif offset is not None and abs(offset) > CLOCK_FAIL_S:
        checks.add("clock", "fail", f"device clock is off by {_duration(offset)}", hint)
    elif offset is not None and abs(offset) > CLOCK_WARN_S:
        checks.add("clock", "warn", f"device clock is off by {_duration(offset)}", hint)
    elif system.clock_synced is False:
        checks.add("clock", "warn", "clock is not synchronised (NTP)", hint)
    elif not system.clock_utc:
        checks.add("clock", "warn", "device clock unknown", hint)
    else:
        checks.add("clock", "pass", f"clock {system.clock_utc}" + _synced_note(system.clock_synced))


def _device(inv: Inventory, need: DeviceNeed, checks: _Checks) -> None:
    found: list[str]
    if need.kind == "serial":
        found = [
            a.by_id or a.tty
            for a in inv.serial_adapters
            if not a.is_scanner and (not need.vendor or a.vid == need.vendor.lower())
        ]
        hint = "plug in a USB-serial adapter (FTDI, CP210x, CH340, PL2303) and rediscover"
    elif need.kind == "scanner":
        found = [
            s.by_id or (s.event if isinstance(s, InputDevice) else s.tty) for s in inv.scanners
        ]
        hint = "plug in the barcode scanner (keyboard or serial mode) and rediscover"
    elif need.kind == "gpu":
        found = [g.name for g in inv.gpus if not need.vendor or g.vendor == need.vendor]
        hint = f"this template needs a {need.vendor or 'GPU'} accelerator and its driver"
    else:
        paths = _device_paths(inv)
        found = [need.path] if need.path in paths else []
        hint = f"connect the device that provides {need.path}"
    label = need.path or " ".join(v for v in (need.vendor, need.kind) if v)
    if len(found) >= need.count:
        checks.add(f"device:{label}", "pass", f"{label}: {', '.join(found)}")
    else:
        checks.add(
            f"device:{label}", "fail", f"{label}: {len(found)} found, {need.count} needed", hint
        )
    gpu_ready = need.kind == "gpu" and need.vendor == "nvidia" and found and inv.docker.reachable
    if gpu_ready and "nvidia" not in inv.docker.runtimes:
        checks.add(
            "nvidia-runtime",
            "warn",
            "the engine has no nvidia runtime",
            "install nvidia-container-toolkit and run: "
            "sudo nvidia-ctk runtime configure --runtime=docker",
        )


def _device_paths(inv: Inventory) -> set[str]:
    paths = {p for a in inv.serial_adapters for p in (a.tty, a.by_id)}
    paths |= {p for d in inv.input_devices for p in (d.event, d.by_id)}
    paths |= {n for g in inv.gpus for n in g.device_nodes}
    return paths - {""}


def _normal_platform(arch: str) -> str:
    arch = arch.strip().lower()
    return arch if arch.startswith("linux/") else docker_platform(arch)


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)[:3])


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds:.0f} s"


def _synced_note(synced: bool | None) -> str:
    return " (NTP synchronised)" if synced else ""
