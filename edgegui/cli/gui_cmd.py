"""``edgegui gui`` (the default verb): start the desktop application."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("gui", help="start the desktop application (default)")
    parser.add_argument(
        "--device", default="local://", help="device to select at start (default: this computer)"
    )
    parser.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    from edgegui.gui.app import run_app  # Qt is imported only when the GUI starts

    return run_app(initial_device=args.device)
