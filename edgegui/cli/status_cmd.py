"""``edgegui status TARGET``: stacks, containers, device health, events since the last look."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime

from edgegui.cli.common import connect, print_json
from edgegui.core.errors import TargetError
from edgegui.core.monitor import DeviceStatus, Thresholds, parse_since, snapshot
from edgegui.core.monitor.lastlook import LastLookStore


def run_status(args: argparse.Namespace) -> int:
    if args.interval <= 0:
        raise TargetError(f"--interval {args.interval:g}: must be above 0 seconds")
    thresholds = Thresholds(disk_percent=args.disk_threshold, temperature_c=args.temp_threshold)
    looks = LastLookStore()
    since = parse_since(args.since) if args.since else looks.get(args.target)
    transport = connect(args)
    previous: DeviceStatus | None = None
    try:
        while True:
            status = snapshot(
                transport, since_events=since, previous=previous, thresholds=thresholds
            )
            if status.events_until is not None:
                looks.set(args.target, status.events_until)
            _show(status, args, watching=args.watch)
            if not args.watch:
                return 0
            previous, since = status, status.events_until
            pause(args.interval)
    except KeyboardInterrupt:
        return 0
    finally:
        transport.close()


def pause(seconds: float) -> None:
    """The wait between two looks of ``--watch`` (its own name, so tests can stand in)."""
    time.sleep(seconds)


def _show(status: DeviceStatus, args: argparse.Namespace, *, watching: bool) -> None:
    if args.json:
        if watching:  # one JSON document per line, for a consumer reading a stream
            sys.stdout.write(json.dumps(status.to_dict(), sort_keys=True, default=str) + "\n")
        else:
            print_json(status.to_dict())
    else:
        if watching and sys.stdout.isatty():
            sys.stdout.write("\x1b[H\x1b[2J")
        sys.stdout.write(render_status(status))
    sys.stdout.flush()


# -- the readable view ----------------------------------------------------------------------
def render_status(status: DeviceStatus) -> str:
    blocks = [_device_block(status)]
    headers = ["SERVICE", "NAME", "STATE", "HEALTH", "RESTARTS", "UPTIME", "CPU%", "MEMORY"]
    headers += ["NET RX/TX", "BLOCK R/W", "IMAGE", "PORTS"]
    for stack in status.stacks:
        rows = [
            [
                c.service or "-",
                c.name,
                c.state + (" (OOM)" if c.oom_killed else ""),
                c.health or "-",
                str(c.restarts),
                _duration(c.uptime_s),
                "-" if c.cpu_percent is None else f"{c.cpu_percent:.1f}",
                _pair(c.mem_bytes, c.mem_limit, " / "),
                _pair(c.net_rx, c.net_tx),
                _pair(c.blk_read, c.blk_write),
                f"{c.image} {_short_digest(c.image_digest or c.image_id)}",
                ",".join(c.ports) or "-",
            ]
            for c in stack.containers
        ]
        title = f"Stack {stack.name}" if stack.name else "Containers outside any stack"
        blocks.append(f"{title} ({stack.running}/{len(stack.containers)} running)")
        blocks.append(_table(headers, rows))
    if not status.stacks:
        blocks.append("No containers.")
    blocks.append(_events_block(status))
    alerts = [f"  {a.severity.upper():<8} {a.kind:<13} {a.message}" for a in status.alerts]
    blocks.append("Alerts\n" + "\n".join(alerts) if alerts else "Alerts: none")
    if status.errors or status.device.errors:
        blocks.append("Incomplete: " + "; ".join([*status.errors, *status.device.errors]))
    return "\n".join(b for b in blocks if b) + "\n"


def _device_block(status: DeviceStatus) -> str:
    d = status.device
    load = " ".join(f"{v:.2f}" for v in d.load) if d.load else "?"
    mem = _pair(
        (d.mem_total_bytes - d.mem_available_bytes)
        if d.mem_total_bytes and d.mem_available_bytes is not None
        else None,
        d.mem_total_bytes,
        " / ",
    )
    disks = ", ".join(f"{x.mount} {x.used_percent:.0f}%" for x in d.disks) or "?"
    temps = ", ".join(f"{t.zone} {t.celsius:.0f}°C" for t in d.temperatures) or "none reported"
    return (
        f"{status.target}  (snapshot in {status.elapsed_s:.2f} s)\n"
        f"Load {load} on {d.cpus or '?'} CPUs · memory {mem} · up {_duration(d.uptime_s)}\n"
        f"Disks {disks}\nTemperatures {temps}\n"
    )


def _events_block(status: DeviceStatus) -> str:
    since = _clock(status.events_since)
    if not status.events:
        return f"Events since {since}: none"
    lines = [
        f"  {_clock(e.time)}  {e.action:<14} {e.name}"
        + (f" (exit {e.exit_code})" if e.exit_code is not None else "")
        for e in status.events[-30:]
    ]
    more = len(status.events) - 30
    head = f"Events since {since}" + (f" (last 30 of {len(status.events)})" if more > 0 else "")
    return head + "\n" + "\n".join(lines)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    return "\n".join(
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *rows]
    )


def _size(value: int | None) -> str:
    if value is None:
        return "-"
    size = float(value)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f}{unit}" if unit == "B" else f"{size:.1f}{unit}"
        size /= 1024
    return f"{size:.1f}TiB"


def _pair(first: int | None, second: int | None, sep: str = "/") -> str:
    if first is None and second is None:
        return "-"
    return f"{_size(first)}{sep}{_size(second)}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 120:
        return f"{s}s"
    if s < 7200:
        return f"{s // 60}m"
    if s < 172800:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 86400}d{s % 86400 // 3600}h"


def _short_digest(digest: str) -> str:
    tail = digest.split("@")[-1]
    return tail[:19] if tail else ""


def _clock(epoch: float | None) -> str:
    if epoch is None:
        return "?"
    return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M:%S")
