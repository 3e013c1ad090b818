"""``edgegui exec TARGET -- CMD [ARGS…]``: run one command, relay its output and exit status."""

from __future__ import annotations

import argparse
import sys

from edgegui.cli.common import connect
from edgegui.core.errors import TargetError


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
