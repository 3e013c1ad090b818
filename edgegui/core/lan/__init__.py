"""Finding devices on the LAN: mDNS/DNS-SD browsing and an SSH banner sweep of a subnet.

Typical use::

    found = browse_mdns(timeout=3)                 # _ssh, _workstation, _edgegui
    found += sweep_subnet("10.0.0.0/24")            # never automatic: the user names it
"""

from edgegui.core.lan.model import FoundDevice, merge_found

__all__ = ["FoundDevice", "merge_found"]
