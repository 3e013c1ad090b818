"""``edgegui gui`` (the default verb): start the desktop application."""

from __future__ import annotations

import argparse


def run_gui(args: argparse.Namespace) -> int:
    from edgegui.gui.app import run_app  # Qt is imported only when the GUI starts

    return run_app(initial_device=args.device, quit_after=args.quit_after)
