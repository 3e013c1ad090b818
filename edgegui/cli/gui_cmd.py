"""``edgegui gui`` (the default verb): start the desktop application."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("gui", help="start the desktop application (default)")
    parser.add_argument(
        "--device", default="local://", help="device to select at start (default: this computer)"
    )
    parser.add_argument(
        "--quit-after",
        type=_seconds,
        metavar="SECONDS",
        help="close the window SECONDS after it is shown (smoke tests of an installed app)",
    )
    parser.set_defaults(func=run_gui)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 86_400:
        raise argparse.ArgumentTypeError(f"must be between 0 and 86400 seconds: {text!r}")
    return value


def run_gui(args: argparse.Namespace) -> int:
    from edgegui.gui.app import run_app  # Qt is imported only when the GUI starts

    return run_app(initial_device=args.device, quit_after=args.quit_after)
