"""The laptop's neighbour (ARP) table: which MAC answered for which address."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from edgegui.core.lan.oui import normalise_mac

PROC_ARP = Path("/proc/net/arp")
# `arp -a` on macOS/BSD: "? (10.0.0.5) at dc:a6:32:1:2:3 on en0"; Windows: "10.0.0.5  dc-a6-…"
_ARP_LINE = re.compile(
    r"(\d{1,3}(?:\.\d{1,3}){3})\)?\s+(?:at\s+)?([0-9A-Fa-f]{1,2}(?:[:-][0-9A-Fa-f]{1,2}){5})"
)


def neighbour_table(proc_arp: Path = PROC_ARP) -> dict[str, str]:
    """Address -> MAC (lower case, colons) of complete entries; {} when none can be read."""
    try:
        return parse_proc_arp(proc_arp.read_text(encoding="ascii", errors="replace"))
    except OSError:
        pass
    try:
        output = subprocess.run(
            ["arp", "-a"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_arp_a(output, windows=sys.platform == "win32")


def parse_proc_arp(text: str) -> dict[str, str]:
    """Linux /proc/net/arp: flags 0x2 marks a complete entry."""
    table: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 4 and parts[2] != "0x0":
            mac = normalise_mac(parts[3])
            if mac and mac != "00:00:00:00:00:00":
                table[parts[0]] = mac
    return table


def parse_arp_a(text: str, windows: bool = False) -> dict[str, str]:
    table: dict[str, str] = {}
    for match in _ARP_LINE.finditer(text):
        octets = re.split(r"[:-]", match.group(2))
        mac = normalise_mac(":".join(octet.zfill(2) for octet in octets))
        if mac and mac != "ff:ff:ff:ff:ff:ff":
            table[match.group(1)] = mac
    return table
