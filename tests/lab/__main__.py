"""``python -m tests.lab up N [--hardware NAME …]`` / ``down``: the device lab by hand."""

from __future__ import annotations

import argparse
import json
import signal
import sys

from tests.lab.flags import DeviceFlags
from tests.lab.lab import Lab, cleanup_all, lab_unavailable_reason


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.lab")
    sub = parser.add_subparsers(dest="verb", required=True)
    up = sub.add_parser("up", help="start N devices and keep them until Ctrl-C")
    up.add_argument("count", type=int)
    up.add_argument("--hardware", nargs="*", default=[], help="hardware spec per device")
    up.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="device variant for every device, e.g. console=bash max_sessions=2 (flags.py)",
    )
    up.add_argument(
        "--shared-link",
        action="store_true",
        help="all devices on one bridge and /24 (they reach each other; mDNS, sweeps, Swarm)",
    )
    sub.add_parser("down", help="remove what labs whose owner died left behind")
    args = parser.parse_args()
    if args.verb == "down":
        cleanup_all()
        return 0
    reason = lab_unavailable_reason()
    if reason:
        print(f"lab: {reason}", file=sys.stderr)
        return 2
    hardware = [args.hardware[i] if i < len(args.hardware) else None for i in range(args.count)]
    try:
        flags = DeviceFlags.parse(args.flag)
    except ValueError as exc:
        print(f"lab: {exc}", file=sys.stderr)
        return 2
    with Lab(hardware, flags=[flags] * args.count, shared_link=args.shared_link) as lab:
        print(
            json.dumps(
                {
                    "password": lab.password,
                    "identity": str(lab.key_path),
                    "known_hosts": str(lab.known_hosts),
                    "devices": [d.to_dict() for d in lab.devices],
                },
                indent=2,
            ),
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
