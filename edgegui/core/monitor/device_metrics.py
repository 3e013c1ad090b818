"""Device load, memory, disks and temperatures from ONE remote script, parsed here."""

from __future__ import annotations

from dataclasses import replace

from edgegui.core.monitor.model import DeviceMetrics, DiskUsage, Temperature
from edgegui.core.transport.base import Transport

SECTION = "@@edgegui-metrics "

# Plain POSIX sh + /proc and /sys: works over SSH, serial and locally, as any user.
METRICS_SCRIPT = """\
s() { printf '\\n%s%s\\n' '@@edgegui-metrics ' "$1"; }
s clock; date +%s.%N
s loadavg; cat /proc/loadavg
s cpus; grep -c '^processor' /proc/cpuinfo
s cpustat; head -n 1 /proc/stat
s uptime; cat /proc/uptime
s meminfo; grep -E '^(MemTotal|MemAvailable|SwapTotal|SwapFree):' /proc/meminfo
s df; df -P -k 2>/dev/null
s thermal
for z in /sys/class/thermal/thermal_zone*; do
  [ -r "$z/temp" ] || continue
  printf '%s %s %s\\n' "${z##*/}" "$(cat "$z/temp" 2>/dev/null)" "$(cat "$z/type" 2>/dev/null)"
done
s end
"""

# Pseudo file systems whose fullness means nothing to a technician.
IGNORED_FS = ("tmpfs", "devtmpfs", "overlay", "shm", "udev", "none", "cgroup", "proc", "sysfs")


def collect_device_metrics(transport: Transport, timeout: float = 20.0) -> DeviceMetrics:
    """Run the metrics script once and parse it; failures land in ``errors``, never raise."""
    result = transport.run_script(METRICS_SCRIPT, timeout=timeout)
    return parse_device_metrics(result.stdout.decode("utf-8", "replace"))


def collect_metrics_and_cgroups(
    transport: Transport, id_pids: list[str], timeout: float = 20.0
) -> tuple[DeviceMetrics, list[str]]:
    """The metrics script plus the containers' cgroup counters (``ID:PID`` arguments), one exec."""
    from edgegui.core.monitor.cgroup_stats import CGROUP_SCRIPT

    script = METRICS_SCRIPT.replace("s end\n", CGROUP_SCRIPT + "s end\n")
    result = transport.run_script(script, id_pids, timeout=timeout)
    text = result.stdout.decode("utf-8", "replace")
    return parse_device_metrics(text), split_sections(text).get("cgroups", [])


def split_sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(SECTION):
            current = sections.setdefault(line[len(SECTION) :].strip(), [])
        elif current is not None and line.strip():
            current.append(line.rstrip())
    return sections


def parse_device_metrics(text: str) -> DeviceMetrics:
    sections = split_sections(text)
    errors: list[str] = []
    if "end" not in sections:
        errors.append("metrics script output is incomplete")
    mem = _meminfo(sections.get("meminfo", []))
    return DeviceMetrics(
        load=_load(sections.get("loadavg", []), errors),
        cpus=_first_int(sections.get("cpus", [])),
        mem_total_bytes=mem.get("MemTotal"),
        mem_available_bytes=mem.get("MemAvailable"),
        swap_total_bytes=mem.get("SwapTotal"),
        swap_free_bytes=mem.get("SwapFree"),
        uptime_s=_first_float(sections.get("uptime", [])),
        clock_epoch=_clock(sections.get("clock", [])),
        disks=_disks(sections.get("df", [])),
        temperatures=_temperatures(sections.get("thermal", [])),
        errors=tuple(errors),
        cpu_ticks=_cpu_ticks(sections.get("cpustat", [])),
    )


def with_cpu_percent(metrics: DeviceMetrics, previous: DeviceMetrics | None) -> DeviceMetrics:
    """The device's CPU use between the previous look and this one (None on the first)."""
    if previous is None or previous.cpu_ticks is None or metrics.cpu_ticks is None:
        return metrics
    busy = metrics.cpu_ticks[0] - previous.cpu_ticks[0]
    total = metrics.cpu_ticks[1] - previous.cpu_ticks[1]
    if total <= 0 or busy < 0:
        return metrics
    return replace(metrics, cpu_percent=round(100.0 * busy / total, 1))


def _cpu_ticks(lines: list[str]) -> tuple[int, int] | None:
    """``cpu user nice system idle iowait irq softirq steal …``: (busy, total) jiffies.

    Guest time is already inside user time, so only the first eight columns count.
    """
    parts = lines[0].split() if lines else []
    if len(parts) < 5 or parts[0] != "cpu" or not all(p.isdigit() for p in parts[1:]):
        return None
    ticks = [int(p) for p in parts[1:9]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    total = sum(ticks)
    return (total - idle, total)


def _load(lines: list[str], errors: list[str]) -> tuple[float, float, float] | None:
    try:
        one, five, fifteen = (float(v) for v in lines[0].split()[:3])
    except (IndexError, ValueError):
        errors.append("load average unreadable")
        return None
    return (one, five, fifteen)


def _first_float(lines: list[str]) -> float | None:
    try:
        return float(lines[0].split()[0])
    except (IndexError, ValueError):
        return None


def _clock(lines: list[str]) -> float | None:
    """``date +%s.%N``; busybox date knows no %N and prints it as is: whole seconds then."""
    value = _first_float(lines)
    if value is None and lines:
        value = _first_float([lines[0].split(".")[0]])
    return value


def _first_int(lines: list[str]) -> int | None:
    value = _first_float(lines)
    return int(value) if value is not None else None


def _meminfo(lines: list[str]) -> dict[str, int]:
    values: dict[str, int] = {}
    for line in lines:
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[key.strip()] = int(parts[0]) * 1024  # /proc/meminfo counts kB
    return values


def _disks(lines: list[str]) -> tuple[DiskUsage, ...]:
    disks: dict[str, DiskUsage] = {}
    for line in lines[1:]:  # the first line is df's header
        parts = line.split()
        if len(parts) < 6 or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        source, mount = parts[0], " ".join(parts[5:])
        if source in IGNORED_FS or int(parts[1]) == 0:
            continue
        size, used = int(parts[1]) * 1024, int(parts[2]) * 1024
        avail = int(parts[3]) * 1024 if parts[3].isdigit() else size - used
        # df's own "Use%": used / (used + available), which counts root's reserve as full.
        percent = round(100.0 * used / (used + avail), 1) if used + avail else 0.0
        disks[mount] = DiskUsage(mount, size, used, percent)
    return tuple(disks.values())


def _temperatures(lines: list[str]) -> tuple[Temperature, ...]:
    temps = []
    for line in lines:
        parts = line.split(maxsplit=2)
        if len(parts) < 2:
            continue
        try:
            millis = float(parts[1])
        except ValueError:
            continue
        # Thermal zones report millidegrees; a few drivers report whole degrees.
        celsius = millis / 1000.0 if abs(millis) >= 200 else millis
        temps.append(Temperature(parts[0], parts[2] if len(parts) > 2 else "", round(celsius, 1)))
    return tuple(temps)
