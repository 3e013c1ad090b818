"""``edgegui hostkeys pin serial://… --host ADDRESS``: pin SSH host keys read over the console."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from edgegui.cli.common import connect, print_json


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
