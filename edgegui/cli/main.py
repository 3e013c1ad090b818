"""``edgegui`` entry point: one-line errors, ``--debug`` for tracebacks, verbs from modules."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence

from edgegui import __version__
from edgegui.core.applog import configure_logging
from edgegui.core.errors import EdgeGUIError

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES = (
    "edgegui.cli.gui_cmd",
    "edgegui.cli.exec_cmd",
    "edgegui.cli.ports_cmd",
    "edgegui.cli.discover_cmd",
    "edgegui.cli.templates_cmd",
    "edgegui.cli.status_cmd",
    "edgegui.cli.logs_cmd",
    "edgegui.cli.diagnose_cmd",
    "edgegui.cli.bundle_cmd",
    "edgegui.cli.deploy_cmd",
    "edgegui.cli.rollback_cmd",
    "edgegui.cli.remove_cmd",
    "edgegui.cli.docker_access_cmd",
    "edgegui.cli.report_cmd",
    "edgegui.cli.audit_cmd",
    "edgegui.cli.hostkeys_cmd",
    "edgegui.cli.fleet_cmd",
    "edgegui.cli.lan_cmd",
    "edgegui.cli.swarm_cmd",
    "edgegui.cli.k8s_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="edgegui", description="Commission, deploy to and monitor edge devices."
    )
    parser.add_argument("--version", action="version", version=f"edgegui {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    subparsers = parser.add_subparsers(dest="verb", metavar="VERB")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after the first "--" is a remote command, never options of ours.
    tail: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, tail = argv[:split], argv[split + 1 :]
    args = parser.parse_args(argv)
    args.command_tail = tail
    if not getattr(args, "func", None):
        args = parser.parse_args(["gui", *argv])
    configure_logging(debug=args.debug)
    try:
        return int(args.func(args) or 0)
    except EdgeGUIError as exc:
        return _fail(args, f"edgegui: {exc}")
    except KeyboardInterrupt:
        return _fail(args, "edgegui: interrupted", status=130)
    except Exception as exc:  # noqa: BLE001 - the user sees one line; --debug shows the rest
        return _fail(args, f"edgegui: internal error: {type(exc).__name__}: {exc}")


def _fail(args: argparse.Namespace, message: str, status: int = 1) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    print(message.splitlines()[0] if message else "edgegui: error", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
