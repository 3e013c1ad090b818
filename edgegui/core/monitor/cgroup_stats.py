"""Container resource counters read from cgroups on the device, in the metrics script.

Docker Engines before 25.0 (API 1.44, moby#46448) serve even a one-shot stats request from
the stats collector, which samples on a 1 s tick: a snapshot of many containers then waits
up to a second. On those engines the snapshot reads the same counters the collector
reads (cgroup v1 or v2, and /proc/PID/net/dev) in the ONE metrics script instead, and
shapes them like a stats response so that the rest of the code is shared.
"""

from __future__ import annotations

from typing import Any

DIRECT_ONE_SHOT_API = (1, 44)
CLOCK_TICKS = 100  # USER_HZ on every Linux port Docker runs on

# One awk process for all containers: map each /proc/PID/cgroup path through the cgroup
# mounts in /proc/self/mountinfo (their root may be a sub-tree), then print the files.
CGROUP_SCRIPT = r"""
s cgroups
head -n 1 /proc/stat
[ $# -gt 0 ] && awk '
function dir(ctl, p,   r, mt) {
  if (ctl == "") { r = v2root; mt = v2mnt } else { r = mroot[ctl]; mt = mmnt[ctl] }
  if (mt == "") return ""
  if (r != "/" && index(p, r) == 1) p = substr(p, length(r) + 1)
  return mt p
}
function show(name, file,   l) {
  if (file == "") return
  print "@@f " name
  while ((getline l < file) > 0) print l
  close(file)
}
function one(id, pid,   l, n, rest, k, ctls, p, m, cc, j, d) {
  print "@@c " id
  split("", paths)
  while ((getline l < ("/proc/" pid "/cgroup")) > 0) {
    n = index(l, ":"); rest = substr(l, n + 1); k = index(rest, ":")
    ctls = substr(rest, 1, k - 1); p = substr(rest, k + 1)
    if (ctls == "") paths["v2"] = p
    else { m = split(ctls, cc, ","); for (j = 1; j <= m; j++) paths[cc[j]] = p }
  }
  close("/proc/" pid "/cgroup")
  if (("memory" in paths) && mmnt["memory"] != "") {
    d = dir("memory", paths["memory"])
    show("memory.usage", d "/memory.usage_in_bytes")
    show("memory.limit", d "/memory.limit_in_bytes")
    show("memory.stat", d "/memory.stat")
    if ("cpuacct" in paths)
      show("cpuacct.usage", dir("cpuacct", paths["cpuacct"]) "/cpuacct.usage")
    if ("blkio" in paths)
      show("blkio", dir("blkio", paths["blkio"]) "/blkio.throttle.io_service_bytes")
  } else if ("v2" in paths) {
    d = dir("", paths["v2"])
    show("memory.usage", d "/memory.current"); show("memory.limit", d "/memory.max")
    show("memory.stat", d "/memory.stat"); show("cpu.stat", d "/cpu.stat")
    show("io.stat", d "/io.stat")
  }
  show("net", "/proc/" pid "/net/dev")
}
BEGIN {
  while ((getline l < "/proc/self/mountinfo") > 0) {
    n = split(l, f, " "); sep = 0
    for (i = 7; i <= n; i++) if (f[i] == "-") { sep = i; break }
    if (!sep) continue
    if (f[sep + 1] == "cgroup2") { v2root = f[4]; v2mnt = f[5] }
    else if (f[sep + 1] == "cgroup") {
      m = split(f[sep + 3], o, ",")
      for (j = 1; j <= m; j++) { mroot[o[j]] = f[4]; mmnt[o[j]] = f[5] }
    }
  }
  close("/proc/self/mountinfo")
  for (a = 1; a < ARGC; a++) { split(ARGV[a], x, ":"); one(x[1], x[2]) }
  exit
}' "$@"
"""


def system_cpu_ns(stat_line: str) -> int | None:
    """Host CPU time in ns from /proc/stat's first line, summed as dockerd sums it."""
    parts = stat_line.split()
    if not parts or parts[0] != "cpu":
        return None
    try:
        ticks = sum(int(v) for v in parts[1:8])
    except ValueError:
        return None
    return ticks * (1_000_000_000 // CLOCK_TICKS)


def parse_cgroup_section(
    lines: list[str], *, online_cpus: int | None, mem_total: int | None
) -> dict[str, dict[str, Any]]:
    """Container id -> a stats-shaped dict, from the ``cgroups`` section's lines."""
    system = system_cpu_ns(lines[0]) if lines else None
    files: dict[str, dict[str, list[str]]] = {}
    current: list[str] | None = None
    container: dict[str, list[str]] | None = None
    for line in lines[1:]:
        if line.startswith("@@c "):
            container = files.setdefault(line[4:].strip(), {})
            current = None
        elif line.startswith("@@f ") and container is not None:
            current = container.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
    return {
        cid: _stats_of(found, system, online_cpus, mem_total)
        for cid, found in files.items()
        if "memory.usage" in found
    }


def _stats_of(
    found: dict[str, list[str]], system: int | None, online: int | None, mem_total: int | None
) -> dict[str, Any]:
    memstat = _keyed(found.get("memory.stat", []))
    limit = _number(found.get("memory.limit"))
    if limit is None or (mem_total and limit > mem_total):
        limit = mem_total  # unlimited: dockerd reports the host's memory, and so do we
    if "cpuacct.usage" in found:
        cpu_ns = _number(found["cpuacct.usage"])
        inactive = memstat.get("total_inactive_file", 0)
    else:
        usec = _keyed(found.get("cpu.stat", [])).get("usage_usec")
        cpu_ns = usec * 1000 if usec is not None else None
        inactive = memstat.get("inactive_file", 0)
    return {
        "cpu_stats": {
            "cpu_usage": {"total_usage": cpu_ns},
            "system_cpu_usage": system,
            "online_cpus": online,
        },
        "memory_stats": {
            "usage": _number(found.get("memory.usage")),
            "limit": limit,
            "stats": {"inactive_file": inactive},
        },
        "networks": _networks(found.get("net", [])),
        "blkio_stats": {"io_service_bytes_recursive": _blkio(found)},
    }


def _number(lines: list[str] | None) -> int | None:
    try:
        return int(lines[0].split()[0]) if lines else None
    except ValueError:
        return None  # "max" in cgroup v2: no limit


def _keyed(lines: list[str]) -> dict[str, int]:
    values = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit():
            values[parts[0]] = int(parts[1])
    return values


def _networks(lines: list[str]) -> dict[str, dict[str, int]]:
    networks = {}
    for line in lines[2:]:  # two header lines
        name, _, counters = line.partition(":")
        fields = counters.split()
        if name.strip() and name.strip() != "lo" and len(fields) >= 9:
            networks[name.strip()] = {"rx_bytes": int(fields[0]), "tx_bytes": int(fields[8])}
    return networks


def _blkio(found: dict[str, list[str]]) -> list[dict[str, Any]] | None:
    if "blkio" in found:  # v1: "8:0 Read 4096" … "Total 8192"
        return [
            {"op": parts[1], "value": int(parts[2])}
            for parts in (line.split() for line in found["blkio"])
            if len(parts) == 3 and parts[2].isdigit()
        ]
    if "io.stat" in found:  # v2: "8:0 rbytes=4096 wbytes=0 rios=1 …"
        entries = []
        for line in found["io.stat"]:
            pairs = dict(p.split("=", 1) for p in line.split()[1:] if "=" in p)
            entries.append({"op": "read", "value": int(pairs.get("rbytes", 0))})
            entries.append({"op": "write", "value": int(pairs.get("wbytes", 0))})
        return entries
    return None
