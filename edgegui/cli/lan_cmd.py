"""``edgegui lan browse|sweep``: devices found on the LAN (mDNS, or an SSH banner sweep)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edgegui.cli.common import add_json_option, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("lan", help="find devices on the LAN (mDNS, SSH sweep)")
    verbs = parser.add_subparsers(dest="lan_verb", metavar="VERB", required=True)
    browse = verbs.add_parser(
        "browse", help="listen for _ssh._tcp, _workstation._tcp and _edgegui._tcp (mDNS)"
    )
    browse.add_argument("--timeout", type=float, default=3.0, metavar="S", help="default 3")
    add_json_option(browse)
    browse.set_defaults(func=run_browse)
    sweep = verbs.add_parser(
        "sweep",
        help="connect once to the SSH port of every address of SUBNET and read its banner",
        description="Rate-limited and bounded in time; subnets larger than a /22 need "
        "--allow-large. Vendors come from the MAC addresses in the neighbour (ARP) table.",
    )
    sweep.add_argument("subnet", help="e.g. 192.168.1.0/24")
    sweep.add_argument("--port", type=int, default=22)
    sweep.add_argument("--rate", type=float, default=50.0, metavar="N", help="per second")
    sweep.add_argument("--connect-timeout", type=float, default=1.0, metavar="S")
    sweep.add_argument("--time-limit", type=float, default=120.0, metavar="S")
    sweep.add_argument("--allow-large", action="store_true", help="allow up to a /16")
    add_json_option(sweep)
    sweep.set_defaults(func=run_sweep)


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
