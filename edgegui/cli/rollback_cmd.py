"""``edgegui rollback TARGET --stack NAME``: run the version from before the last deploy."""

from __future__ import annotations

import argparse

from edgegui.cli.common import connect
from edgegui.cli.deploy_cmd import print_progress, print_result
from edgegui.core.deploy import rollback_stack


def run_rollback(args: argparse.Namespace) -> int:
    transport = connect(args)
    try:
        result = rollback_stack(
            transport, args.stack, progress=None if args.json else print_progress
        )
    finally:
        transport.close()
    return print_result(result, args.json)
