"""``edgegui hostkeys pin serial://… --host ADDRESS``: pin SSH host keys read over the console."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from edgegui.cli.common import add_connection_options, add_json_option, connect, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "hostkeys",
        help="pin a device's SSH host keys, read over its serial console",
        description="Read /etc/ssh/ssh_host_*_key.pub over a serial console and record the "
        "keys in EdgeGUI's known_hosts for the device's addresses: the first SSH connection "
        "is then verified without trust on first use. A different known key is refused.",
    )
    verbs = parser.add_subparsers(dest="hostkeys_verb", metavar="pin", required=True)
    pin = verbs.add_parser("pin", help="pin the keys for the device's SSH addresses")
    pin.add_argument("target", help="serial:///dev/ttyUSB0?baud=115200")
    pin.add_argument(
        "--host",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="address SSH will use (repeatable; default: the addresses the device reports)",
    )
    pin.add_argument("--port", type=int, default=22, help="SSH port (default 22)")
    add_json_option(pin)
    add_connection_options(pin)
    pin.set_defaults(func=run_pin)


def run_pin(args: argparse.Namespace) -> int:
    from edgegui.core.errors import TargetError
    from edgegui.core.transport.pinning import apply_pins, check_host, plan_pins
    from edgegui.core.transport.ssh import default_known_hosts

    if not 0 < args.port < 65536:
        raise TargetError(f"--port {args.port}: must be from 1 to 65535")
    if not args.target.startswith("serial:"):
        raise TargetError(f"{args.target}: host keys are pinned over a serial:// console")
    for host in args.host:
        check_host(host)  # before logging in on the console
    known_hosts = args.known_hosts or default_known_hosts()
    transport = connect(args)
    try:
        plan = plan_pins(transport, args.host, args.port, known_hosts)
        apply_pins(transport, plan, known_hosts)
    finally:
        transport.close()
    if args.json:
        print_json(
            {
                "known_hosts": str(known_hosts),
                "pins": [asdict(pin) for pin in plan.pins],
            }
        )
        return 0
    for pin in plan.pins:
        state = "pinned" if pin.new else "already pinned"
        print(f"{state:<15} {pin.host:<24} {pin.key_type:<20} {pin.fingerprint}")
    print(f"known_hosts: {known_hosts}")
    return 0
