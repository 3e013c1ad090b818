"""mDNS/DNS-SD browsing with the zeroconf library: SSH servers, workstations (avahi names
them with their MAC) and commissioned EdgeGUI devices (``_edgegui._tcp``).

Browsing only listens and asks on the link's multicast group; it connects to nothing.
"""

from __future__ import annotations

import re
import threading
import time
from typing import TYPE_CHECKING, Any

from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import CancelToken
from edgegui.core.lan.model import FoundDevice, merge_found
from edgegui.core.lan.oui import normalise_mac, vendor_of

if TYPE_CHECKING:
    from zeroconf import Zeroconf

SERVICE_TYPES = ("_ssh._tcp", "_workstation._tcp", "_edgegui._tcp")
MAX_TIMEOUT = 60.0
_WORKSTATION_MAC = re.compile(r"\[([0-9A-Fa-f:]{17})\]\s*$")


class BrowseError(EdgeGUIError):
    """mDNS browsing cannot run here (no multicast-capable interface, bad timeout)."""


def browse_mdns(
    timeout: float = 3.0,
    service_types: tuple[str, ...] = SERVICE_TYPES,
    cancel: CancelToken | None = None,
) -> list[FoundDevice]:
    """Listen for ``timeout`` seconds and resolve every instance announced meanwhile."""
    if not 0 < timeout <= MAX_TIMEOUT:
        raise BrowseError(f"--timeout {timeout:g}: use more than 0 and at most {MAX_TIMEOUT:g} s")
    from zeroconf import IPVersion, ServiceBrowser, ServiceStateChange, Zeroconf

    try:
        zc = Zeroconf(ip_version=IPVersion.V4Only)
    except OSError as exc:
        raise BrowseError(f"mDNS: cannot listen on the LAN: {exc.strerror or exc}") from None
    seen: set[tuple[str, str]] = set()
    lock = threading.Lock()

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is not ServiceStateChange.Removed:
            with lock:
                seen.add((service_type, name))

    try:
        types = [f"{t}.local." for t in service_types]
        browser = ServiceBrowser(zc, types, handlers=[on_change])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if cancel is not None:
                cancel.raise_if_cancelled()
            time.sleep(0.1)
        browser.cancel()
        with lock:
            announced = sorted(seen)
        found = [d for d in (_resolve(zc, t, n) for t, n in announced) if d is not None]
    finally:
        zc.close()
    return merge_found(found)


def _resolve(zc: Zeroconf, service_type: str, name: str) -> FoundDevice | None:
    from zeroconf import ServiceInfo

    info = ServiceInfo(service_type, name)
    if not info.request(zc, 1500):
        return None
    addresses = info.parsed_addresses()
    if not addresses:
        return None
    kind = service_type.removesuffix(".local.")
    instance = name.removesuffix("." + service_type)
    mac = ""
    if kind == "_workstation._tcp":
        match = _WORKSTATION_MAC.search(instance)
        mac = normalise_mac(match.group(1)) if match else ""
        instance = _WORKSTATION_MAC.sub("", instance).strip()
    port = int(info.port or 22) if kind != "_workstation._tcp" else 22
    return FoundDevice(
        address=addresses[0],
        port=port,
        name=(info.server or "").removesuffix(".local.").rstrip(".") or instance,
        services=(kind,),
        mac=mac,
        vendor=vendor_of(mac) if mac else "",
        txt=_text(info.properties),
        sources=("mdns",),
    )


def _text(properties: dict[Any, Any]) -> dict[str, str]:
    text: dict[str, str] = {}
    for key, value in (properties or {}).items():
        name = key.decode(errors="replace") if isinstance(key, bytes) else str(key)
        shown = value.decode(errors="replace") if isinstance(value, bytes) else str(value or "")
        text[name[:64]] = shown[:200]
    return text
