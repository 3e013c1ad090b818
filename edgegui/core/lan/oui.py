"""Vendor names from MAC addresses (the IEEE OUI registry), offline.

The laptop's own copy of the registry is used where it has one (Debian's ieee-data);
otherwise the excerpt shipped in ``resources/oui/`` names vendors common on edge sites.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from edgegui.core.resources import resource_path

SYSTEM_REGISTRY = (Path("/usr/share/ieee-data/oui.txt"), Path("/usr/share/misc/oui.txt"))
_IEEE_LINE = re.compile(
    r"^([0-9A-Fa-f]{2})-([0-9A-Fa-f]{2})-([0-9A-Fa-f]{2})\s+\(hex\)\s+(.+?)\s*$"
)
_MAC = re.compile(r"^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$")


def normalise_mac(mac: str) -> str:
    """``DC-A6-32-01-02-03`` → ``dc:a6:32:01:02:03``; '' for anything else."""
    text = mac.strip().lower().replace("-", ":")
    if re.fullmatch(r"[0-9a-f]{12}", text):
        text = ":".join(text[i : i + 2] for i in range(0, 12, 2))
    return text if _MAC.match(text) else ""


@cache
def _registry(paths: tuple[Path, ...] = SYSTEM_REGISTRY) -> dict[str, str]:
    table: dict[str, str] = {}
    excerpt = resource_path("oui", "edge-vendors.tsv")
    for line in excerpt.read_text(encoding="utf-8").splitlines():
        prefix, _, vendor = line.partition("\t")
        if vendor and not prefix.startswith("#"):
            table[prefix.lower()] = vendor
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            match = _IEEE_LINE.match(line)
            if match:
                table[":".join(match.group(1, 2, 3)).lower()] = match.group(4)
        break
    return table


def vendor_of(mac: str) -> str:
    """The organisation the MAC's OUI is assigned to, or a note for local/virtual MACs."""
    mac = normalise_mac(mac)
    if not mac:
        return ""
    if int(mac[:2], 16) & 0x02:
        return "locally administered (virtual or random MAC)"
    return _registry().get(mac[:8], "")
