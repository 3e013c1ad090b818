"""``edgegui rollback TARGET --stack NAME``: run the version from before the last deploy."""

from __future__ import annotations

import argparse
from typing import Any

from edgegui.cli.common import add_connection_options, add_json_option, connect
from edgegui.cli.deploy_cmd import print_progress, print_result
from edgegui.core.deploy import rollback_stack


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("rollback", help="go back to a stack's previous version")
    parser.add_argument("target", help="ssh://user@host[:port] or local://")
    parser.add_argument("--stack", required=True, help="stack (Compose project) name")
    add_json_option(parser)
    add_connection_options(parser)
    parser.set_defaults(func=run_rollback)


def run_rollback(args: argparse.Namespace) -> int:
    transport = connect(args)
    try:
        result = rollback_stack(
            transport, args.stack, progress=None if args.json else print_progress
        )
    finally:
        transport.close()
    return print_result(result, args.json)
