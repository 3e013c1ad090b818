#!/usr/bin/env python3
"""Write resources/oui/edge-vendors.tsv: the IEEE MA-L assignments of vendors found on edge
sites (industrial PCs and PLCs, POS, edge AI, single-board computers, their NICs).

Source: Debian's ieee-data package (/usr/share/ieee-data/oui.txt, the IEEE registry). The
full registry is used instead when the laptop has it; this excerpt keeps EdgeGUI offline.
Run: python3 scripts/derive_oui.py [/usr/share/ieee-data/oui.txt]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

VENDORS = (
    "Raspberry Pi", "NVIDIA", "Advantech", "Siemens", "Moxa", "Beckhoff", "WAGO",
    "Phoenix Contact", "Rockwell Automation", "Schneider Electric", "Digi International",
    "Teltonika", "Lantronix", "Zebra Technologies", "Honeywell", "Datalogic", "Toradex",
    "CompuLab", "Super Micro Computer", "OnLogic", "Axiomtek", "Kontron", "Hilscher",
    "Red Lion", "Sierra Wireless", "Intel Corporat", "Dell Inc", "Hewlett Packard",
    "Lenovo", "ASUSTek", "GIGA-BYTE", "Seeed", "Espressif", "Texas Instruments",
    "NXP", "Realtek", "Micro-Star", "Shuttle Inc", "Elo Touch", "NCR", "Diebold",
    "Ingenico", "VeriFone", "Toshiba Global Commerce", "Hirschmann", "Belden",
    "Opto 22", "B&R Industrial", "Bosch", "ABB", "Mitsubishi Electric", "Omron",
    "Pepperl", "Turck", "Weidmueller", "Janz", "SolidRun", "Hardkernel", "Radxa",
    "Banana Pi", "Libre Computer", "PINE64", "Khadas", "Congatec", "SECO S", "Eurotech",
)
_LINE = re.compile(r"^([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\s+\(hex\)\s+(.+?)\s*$")


def main() -> int:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/ieee-data/oui.txt")
    wanted = re.compile(r"\b(" + "|".join(re.escape(v) for v in VENDORS) + r")", re.IGNORECASE)
    rows = set()
    for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LINE.match(line)
        if match and wanted.search(match.group(4)):
            rows.add(f"{match.group(1)}:{match.group(2)}:{match.group(3)}\t{match.group(4)}")
    out = Path(__file__).resolve().parents[1] / "resources" / "oui" / "edge-vendors.tsv"
    header = (
        "# IEEE MA-L (OUI) assignments of vendors common on edge sites; derived by\n"
        f"# scripts/derive_oui.py from Debian's ieee-data ({source.name}). prefix<TAB>organization\n"
    )
    out.write_text(header + "".join(f"{row}\n" for row in sorted(rows)), encoding="utf-8")
    print(f"{out}: {len(rows)} prefixes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
