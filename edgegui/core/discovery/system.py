"""Parse the ``meta``, ``system`` and ``disk`` sections into ``SystemInfo``."""

from __future__ import annotations

from datetime import UTC, datetime

from edgegui.core.discovery.convert import kib_to_mib, to_float, to_int
from edgegui.core.discovery.model import SystemInfo
from edgegui.core.discovery.sections import Section
from edgegui.core.discovery.vendors import ARM_PARTS, docker_platform

_ARM_IMPLEMENTER = "0x41"


def parse_system(
    meta: Section | None,
    system: Section | None,
    disk: Section | None,
    received_epoch: float | None = None,
) -> SystemInfo:
    """``received_epoch`` is the laptop's clock when the output arrived (for the clock offset)."""
    info = SystemInfo()
    if meta is not None:
        _apply_meta(info, meta.values(), received_epoch)
    if system is not None:
        _apply_system(info, system.values())
    if disk is not None:
        _apply_disk(info, disk)
    return info


def _apply_meta(info: SystemInfo, values: dict[str, str], received_epoch: float | None) -> None:
    info.user = values.get("user", "")
    info.uid = to_int(values.get("uid"))
    info.groups = values.get("groups", "").split()
    epoch = to_int(values.get("epoch"))
    if epoch is not None:
        info.clock_utc = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if received_epoch is not None:
            # The probe reads the clock first, so the offset errs by at most its run time.
            info.clock_offset_s = round(epoch - received_epoch, 1)


def _apply_system(info: SystemInfo, values: dict[str, str]) -> None:
    uname = values.get("uname", "").split()
    if len(uname) == 3:
        info.hostname, info.kernel, info.arch = uname
    info.platform = docker_platform(info.arch)
    info.os = _unquote(values.get("os_pretty", ""))
    info.os_id = _unquote(values.get("os_id", ""))
    info.os_version = _unquote(values.get("os_version", ""))
    info.cpu_model = _cpu_model(values)
    info.cpu_cores = _count_cpus(values.get("cpu_online", "")) or to_int(values.get("cpu_count"))
    info.mem_total_mib = kib_to_mib(values.get("mem_total_kb"))
    info.mem_available_mib = kib_to_mib(values.get("mem_available_kb"))
    info.swap_total_mib = kib_to_mib(values.get("swap_total_kb"))
    info.board = values.get("dt_model", "").strip() or " ".join(
        v for v in (values.get("dmi_vendor", ""), values.get("dmi_product", "")) if v
    )
    uptime = values.get("uptime", "").split()
    info.uptime_s = to_float(uptime[0]) if uptime else None
    info.clock_synced, info.clock_sync_source = _clock_sync(values)
    info.cgroup_version, info.memory_cgroup = _cgroups(values)
    info.kernel_cmdline = values.get("cmdline", "")


def _cpu_model(values: dict[str, str]) -> str:
    model = values.get("cpu_model", "").strip()
    # Old ARM kernels print "Processor : ARMv7 Processor rev 4 (v7l)": the part is clearer.
    part = ARM_PARTS.get(values.get("cpu_part", "").strip().lower())
    if values.get("cpu_implementer", "").strip().lower() == _ARM_IMPLEMENTER and part:
        model = f"ARM {part}"
    hardware = values.get("cpu_hardware", "").strip()
    if hardware and hardware not in model:
        model = f"{model} ({hardware})" if model else hardware
    return model


def _count_cpus(online: str) -> int | None:
    """``0-3,6`` → 5."""
    total = 0
    for part in online.strip().split(","):
        first, _, last = part.partition("-")
        low, high = to_int(first), to_int(last or first)
        if low is None or high is None:
            return None
        total += high - low + 1
    return total or None


def _clock_sync(values: dict[str, str]) -> tuple[bool | None, str]:
    source = values.get("ntp_source", "")
    synced = values.get("ntp_synced", "").strip().lower()
    if synced in ("yes", "true", "1"):
        return True, source
    if synced in ("no", "false", "0"):
        return False, source
    leap = values.get("chrony_leap")
    if leap is not None:
        return leap.strip().lower() == "normal", source
    return None, source


def _cgroups(values: dict[str, str]) -> tuple[int | None, bool | None]:
    fs = values.get("cgroup_fs", "").strip()
    version = 2 if fs == "cgroup2fs" else 1 if fs in ("tmpfs", "cgroupfs") else None
    controllers = values.get("cgroup2_controllers", "").split()
    if version == 2 and controllers:
        return version, "memory" in controllers
    enabled = values.get("cgroup1_memory_enabled", "").strip()
    memory = {"1": True, "0": False}.get(enabled)
    if "cgroup_disable=memory" in values.get("cmdline", "").split() and memory is None:
        memory = False
    return version, memory


def _apply_disk(info: SystemInfo, disk: Section) -> None:
    # df -P rows: "df FILESYSTEM 1024-BLOCKS USED AVAILABLE CAPACITY MOUNTPOINT"; skip the header.
    rows = [
        f
        for f in (line.split() for line in disk.lines if line.startswith("df "))
        if len(f) >= 5 and to_int(f[2]) is not None
    ]
    root_row = rows[0] if rows else None
    if root_row:
        info.disk_total_root_mib = kib_to_mib(root_row[2])
        info.disk_free_root_mib = kib_to_mib(root_row[4])
    values = disk.values()
    info.docker_disk_path = values.get("docker_root_existing", "")
    if len(rows) > 1:
        info.disk_free_docker_mib = kib_to_mib(rows[1][4])


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
