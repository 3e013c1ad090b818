"""A device's mDNS announcements, as avahi would make them: run inside a lab device's network
namespace (``python -m tests.lab.mdns_responder ADDRESS HOST [SERVICE-FILE]``) until killed.

It announces ``_ssh._tcp`` and ``_workstation._tcp`` (named with the MAC, as avahi does) for
``HOST``, and, given an avahi service file (what EdgeGUI's deploy drops into
/etc/avahi/services), the service that file describes, TXT records included.
"""

from __future__ import annotations

import signal
import socket
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from zeroconf import IPVersion, ServiceInfo, Zeroconf


def service_file_info(path: Path, host: str, address: str) -> ServiceInfo:
    """The service an avahi service-group file describes (%h is the host name)."""
    root = ElementTree.fromstring(path.read_text())  # noqa: S314 - a file the test wrote
    name = (root.findtext("name") or "%h").replace("%h", host)
    service = root.find("service")
    assert service is not None
    kind = service.findtext("type") or ""
    txt = {}
    for record in service.findall("txt-record"):
        key, _, value = (record.text or "").partition("=")
        txt[key] = value
    return _info(kind, name, host, address, int(service.findtext("port") or 0), txt)


def _info(
    kind: str, name: str, host: str, address: str, port: int, txt: dict[str, str]
) -> ServiceInfo:
    return ServiceInfo(
        f"{kind}.local.",
        f"{name}.{kind}.local.",
        addresses=[socket.inet_aton(address)],
        port=port,
        properties=txt,
        server=f"{host}.local.",
    )


def main() -> int:
    address, host, mac = sys.argv[1], sys.argv[2], sys.argv[3]
    infos = [
        _info("_ssh._tcp", host, host, address, 22, {}),
        _info("_workstation._tcp", f"{host} [{mac}]", host, address, 9, {}),
    ]
    if len(sys.argv) > 4:
        infos.append(service_file_info(Path(sys.argv[4]), host, address))
    zc = Zeroconf(ip_version=IPVersion.V4Only)
    for info in infos:
        zc.register_service(info)
    print("announced", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    finally:
        zc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
