"""``edgegui remove TARGET --stack NAME [--volumes]``: the only verb that deletes data."""

from __future__ import annotations

import argparse
import sys

from edgegui.cli.common import connect, print_json
from edgegui.core.deploy import DeployError, remove_stack


def _confirmed(stack: str) -> bool:
    if not sys.stdin.isatty():
        return False
    sys.stderr.write(f"Delete every named volume (all data) of stack {stack}? Type the name: ")
    sys.stderr.flush()
    return sys.stdin.readline().strip() == stack


def run_remove(args: argparse.Namespace) -> int:
    if args.volumes and not args.yes and not _confirmed(args.stack):
        raise DeployError(f"remove {args.stack}: volumes kept (not confirmed; --yes to skip)")
    transport = connect(args)
    try:
        remove_stack(transport, args.stack, volumes=args.volumes)
    finally:
        transport.close()
    if args.json:
        print_json({"stack": args.stack, "removed": True, "volumes_removed": args.volumes})
    else:
        print(f"removed stack {args.stack}" + (" and its volumes" if args.volumes else ""))
    return 0
