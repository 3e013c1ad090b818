"""``edgegui control list|stop [TARGET]``: the kept SSH connections of ``--control-persist``.

``edgegui control serve`` is the background master itself (started by EdgeGUI, settings on
stdin); see edgegui/core/transport/control.py.
"""

from __future__ import annotations

import argparse

from edgegui.cli.common import print_json
from edgegui.core.errors import TargetError
from edgegui.core.target import parse_target
from edgegui.core.transport.control_client import ask, kept_masters


def run_control(args: argparse.Namespace) -> int:
    if args.action == "serve":
        from edgegui.core.transport.control_master import serve_from_stdin

        return serve_from_stdin()
    wanted = str(parse_target(args.target)) if args.target else None
    if args.target and args.action == "list":
        raise TargetError("control list takes no TARGET")
    masters = []
    for path, info in kept_masters(wanted):
        if args.action == "stop":
            ask(path, "stop")
        masters.append(
            {"socket": str(path), **{k: v for k, v in info.items() if k not in ("ok", "engine")}}
        )
    if args.json:
        print_json(masters)
    elif args.action == "stop":
        for master in masters:
            print(f"stopped the kept connection to {master['target']}")
    elif not masters:
        print("no kept connections")
    else:
        for master in masters:
            print(
                f"{master['target']:<36} pid {master['pid']:<8} "
                f"{master['clients']} in use, kept {master['persist_s']:g} s after the last"
            )
    return 0
