"""``edgegui ports``: list local serial ports with VID:PID, serial number and description."""

from __future__ import annotations

import argparse

from edgegui.cli.common import print_json
from edgegui.core.transport.ports import list_serial_ports


def run_ports(args: argparse.Namespace) -> int:
    ports = list_serial_ports()
    if args.json:
        print_json([port.to_dict() for port in ports])
        return 0
    if not ports:
        print("no serial ports found")
        return 0
    print(f"{'PORT':<16} {'VID:PID':<10} {'SERIAL':<14} DESCRIPTION")
    for port in ports:
        print(
            f"{port.device:<16} {port.vid_pid:<10} {port.serial_number or '':<14} "
            f"{port.description}{'  ' + port.by_id if port.by_id else ''}"
        )
    return 0
