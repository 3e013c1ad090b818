"""``edgegui discover TARGET``: what the device is and what is plugged into it.

``--save FILE`` keeps the raw probe output; ``--from FILE`` parses such a file again offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edgegui.cli.common import connect, print_json
from edgegui.core.discovery import (
    CheckResult,
    InputDevice,
    Inventory,
    ProbeOutputError,
    SerialAdapter,
    collect_probe_output,
    parse_probe_output,
    run_preflight,
)
from edgegui.core.errors import TargetError

MAX_SAVED_BYTES = 4 * 1024 * 1024  # a probe prints ~10 KB; anything this big is not one


def run_discover(args: argparse.Namespace) -> int:
    if bool(args.target) == bool(args.from_file):
        raise TargetError("discover: give a TARGET to probe or --from FILE, not both or neither")
    if args.from_file and args.save:
        raise TargetError("discover: --save needs a TARGET (the --from file is already saved)")
    if args.from_file:
        inventory = parse_probe_output(_read_saved(args.from_file), str(args.from_file))
    else:
        transport = connect(args)
        try:
            raw = collect_probe_output(transport)
        finally:
            transport.close()
        if args.save:
            _save(args.save, raw)
        inventory = parse_probe_output(raw, transport.describe())
    checks = run_preflight(inventory) if args.preflight else []
    if args.json:
        data = inventory.to_dict()
        if args.preflight:
            data["preflight"] = [c.to_dict() for c in checks]
        print_json(data)
    else:
        sys.stdout.write(render_inventory(inventory, checks))
    return 1 if any(c.status == "fail" for c in checks) else 0


def _read_saved(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SAVED_BYTES + 1)
    except OSError as exc:
        raise ProbeOutputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_SAVED_BYTES:
        raise ProbeOutputError(f"{path}: larger than {MAX_SAVED_BYTES // 1024 // 1024} MiB")
    return data.decode("utf-8", "replace")


def _save(path: Path, raw: str) -> None:
    try:
        path.write_text(raw, encoding="utf-8")
    except OSError as exc:
        raise ProbeOutputError(f"--save {path}: cannot write: {exc.strerror or exc}") from None


# -- the readable table ---------------------------------------------------------------------
def render_inventory(inv: Inventory, checks: list[CheckResult] | None = None) -> str:
    """The inventory as plain text, one block per area."""
    s, d = inv.system, inv.docker
    lines = [
        _kv("Host", s.hostname, s.os, f"kernel {s.kernel}", f"{s.arch} ({s.platform})", s.board),
        _kv(
            "CPU",
            s.cpu_model,
            f"{s.cpu_cores} cores" if s.cpu_cores else "",
            _mib(s.mem_total_mib, "RAM"),
        ),
        _kv(
            "Disk",
            _mib(s.disk_free_root_mib, "free on /"),
            _mib(s.disk_free_docker_mib, f"free for Docker ({d.data_root or s.docker_disk_path})"),
        ),
        _kv("Clock", s.clock_utc, _offset(s.clock_offset_s), _synced(s.clock_synced)),
        _kv("Docker", *_docker_facts(inv)),
        _kv("Network", *_network_facts(inv)),
    ]
    blocks = ["\n".join(line for line in lines if line)]
    blocks += [_section(title, headers, rows) for title, headers, rows in _tables(inv)]
    if inv.errors:
        blocks.append("Incomplete\n" + "\n".join(f"  {k}: {v}" for k, v in inv.errors.items()))
    if checks:
        blocks.append("Preflight\n" + "\n".join(_check_line(c) for c in checks))
    return "\n\n".join(b for b in blocks if b) + "\n"


def _tables(inv: Inventory) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, headers, rows) of each device list."""
    serial = [
        [a.tty, _ids(a.vid, a.pid), a.driver, _join(a.vendor, a.product), _kind(a), a.by_id]
        for a in inv.serial_adapters
    ]
    inputs = [[i.event, _ids(i.vid, i.pid), i.name, _kind(i), i.by_id] for i in inv.input_devices]
    gpus = [[g.vendor, g.name, _mib(g.memory_mib), g.driver, g.cuda or g.l4t] for g in inv.gpus]
    usb = [
        [
            u.path,
            _ids(u.vid, u.pid),
            u.kind,
            _join(u.manufacturer or u.vendor_name, u.product or u.product_name),
        ]
        for u in inv.usb_devices
    ]
    pci = [
        [
            p.slot,
            _ids(p.vendor_id, p.device_id),
            p.class_id,
            p.driver,
            _join(p.vendor_name, p.device_name),
        ]
        for p in inv.pci_devices
    ]
    return [
        ("Serial adapters", ["TTY", "VID:PID", "DRIVER", "DEVICE", "KIND", "BY-ID"], serial),
        ("Input devices", ["EVENT", "VID:PID", "NAME", "KIND", "BY-ID"], inputs),
        ("GPUs and accelerators", ["VENDOR", "NAME", "MEMORY", "DRIVER", "CUDA/L4T"], gpus),
        (f"USB devices ({len(usb)})", ["PATH", "VID:PID", "KIND", "NAME"], usb),
        (f"PCI devices ({len(pci)})", ["SLOT", "ID", "CLASS", "DRIVER", "NAME"], pci),
    ]


def _kind(device: SerialAdapter | InputDevice) -> str:
    if device.is_scanner:
        return "scanner"
    if isinstance(device, InputDevice):
        return "keyboard" if device.is_keyboard else "input"
    return "serial"


def _kv(label: str, *facts: str) -> str:
    shown = [f for f in facts if f and f.strip()]
    return f"{label:<8} " + " · ".join(shown) if shown else ""


def _section(title: str, headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return f"{title}: none"
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    table = [
        "  " + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *rows]
    ]
    return "\n".join([title, *table])


def _docker_facts(inv: Inventory) -> list[str]:
    d = inv.docker
    if not d.reachable:
        return ["not usable", d.reason]
    return [
        f"{d.version} (API {d.api_version})",
        d.storage_driver,
        f"cgroup v{d.cgroup_version}" if d.cgroup_version else "",
        "memory limits enforced" if d.memory_limit_enforced else "memory limits NOT enforced",
        "runtimes " + ",".join(d.runtimes),
        "rootless" if d.rootless else "",
        "live-restore" if d.live_restore else "",
        d.socket,
    ]


def _network_facts(inv: Inventory) -> list[str]:
    facts = [
        f"{i.name} {i.mac} {i.state} {' '.join(i.addresses)}".strip()
        for i in inv.network.interfaces
        if i.name != "lo" and not i.name.startswith("veth")
    ]
    route = inv.network.default_route
    if route:
        facts.append(f"default via {route['gateway'] or 'link'} dev {route['interface']}")
    return facts


def _check_line(check: CheckResult) -> str:
    hint = f" — {check.hint}" if check.hint else ""
    return f"  {check.status.upper():<4}  {check.check:<16} {check.message}{hint}"


def _ids(vid: str, pid: str) -> str:
    return f"{vid}:{pid}" if vid else ""


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _mib(value: int | None, what: str = "") -> str:
    if value is None:
        return ""
    size = f"{value / 1024:.1f} GiB" if value >= 1024 else f"{value} MiB"
    return f"{size} {what}".strip()


def _offset(offset: float | None) -> str:
    return "" if offset is None else f"offset {offset:+.1f} s"


def _synced(synced: bool | None) -> str:
    return {True: "NTP synchronised", False: "NOT synchronised", None: ""}[synced]
