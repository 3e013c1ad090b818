"""``edgegui exec TARGET -- CMD [ARGS…]``: run one command, relay its output and exit status."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from edgegui.cli.common import add_connection_options, connect
from edgegui.core.errors import TargetError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "exec", help="run a command on a device", usage="edgegui exec TARGET [options] -- CMD …"
    )
    parser.add_argument("target", help="ssh://user@host[:port], serial:///dev/ttyUSB0, local://")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds (default 600)")
    add_connection_options(parser)
    parser.set_defaults(func=run_exec)


def run_exec(args: argparse.Namespace) -> int:
    command = list(args.command_tail)
    if not command:
        raise TargetError("exec: give the command after --, e.g. edgegui exec local:// -- uname -a")
    out = sys.stdout.buffer

    def relay(chunk: bytes) -> None:
        out.write(chunk)
        out.flush()

    transport = connect(args)
    try:
        result = transport.run(command, timeout=args.timeout, on_output=relay)
    finally:
        transport.close()
    sys.stderr.buffer.write(result.stderr)
    sys.stderr.flush()
    return result.exit_status
