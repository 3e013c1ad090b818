"""``edgegui lan browse|sweep``: devices found on the LAN (mDNS, or an SSH banner sweep)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edgegui.cli.common import print_json


def _print_found(found: list[Any]) -> None:
    for device in found:
        details = [d for d in (device.name, device.vendor, device.banner) if d]
        services = ",".join(s.removeprefix("_").split(".")[0] for s in device.services)
        print(f"{device.target:<28} {services:<24} {' | '.join(details)}")


def run_browse(args: argparse.Namespace) -> int:
    from edgegui.core.lan.mdns import browse_mdns

    found = browse_mdns(timeout=args.timeout)
    if args.json:
        print_json([d.to_dict() for d in found])
    else:
        _print_found(found)
        print(f"{len(found)} devices answered in {args.timeout:g} s", file=sys.stderr)
    return 0


def run_sweep(args: argparse.Namespace) -> int:
    from edgegui.core.lan.sweep import sweep_subnet

    result = sweep_subnet(
        args.subnet,
        port=args.port,
        rate=args.rate,
        connect_timeout=args.connect_timeout,
        time_limit=args.time_limit,
        allow_large=args.allow_large,
    )
    if args.json:
        print_json(
            {
                "subnet": result.subnet,
                "tried": result.tried,
                "total": result.total,
                "stopped": result.stopped,
                "found": [d.to_dict() for d in result.found],
            }
        )
    else:
        _print_found(result.found)
        stopped = f"; stopped at the {result.stopped}" if result.stopped else ""
        print(
            f"{len(result.found)} SSH servers among {result.tried} addresses in "
            f"{result.elapsed_s:.1f} s{stopped}",
            file=sys.stderr,
        )
    return 0
