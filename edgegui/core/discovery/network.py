"""Parse the ``network`` section: interfaces, addresses, MACs, default routes and DNS."""

from __future__ import annotations

import ipaddress

from edgegui.core.discovery.convert import to_int
from edgegui.core.discovery.model import NetworkInfo, NetworkInterface
from edgegui.core.discovery.sections import Section

# Interfaces container engines and CNIs add: not the device's own network ports.
CONTAINER_INTERFACE_PREFIXES = ("docker", "br-", "veth", "cni", "flannel", "virbr", "cali")


def parse_network(section: Section) -> NetworkInfo:
    info = NetworkInfo()
    interfaces: dict[str, NetworkInterface] = {}
    for line in section.lines:
        fields = line.split()
        if not fields:
            continue
        tag, args = fields[0], fields[1:]
        if tag == "link" and len(args) >= 5:
            name, mac, state, mtu, driver = args[:5]
            interfaces[name] = NetworkInterface(
                name=name,
                mac="" if mac == "-" else mac,
                state="" if state == "-" else state,
                mtu=to_int(mtu),
                driver="" if driver == "-" else driver,
            )
        elif tag == "addr" and len(args) >= 3:
            name = args[0].split("@", 1)[0]
            interfaces.setdefault(name, NetworkInterface(name=name)).addresses.append(args[2])
        elif tag == "route4" and len(args) >= 2 and info.default_route is None:
            info.default_route = {"interface": args[0], "gateway": _route_hex_to_ip(args[1])}
        elif tag == "route6" and info.default_route6 is None:
            info.default_route6 = _ip_route(args)
        elif tag == "dns" and args:
            info.dns.append(args[0])
    info.interfaces = sorted(interfaces.values(), key=lambda i: (i.name == "lo", i.name))
    return info


def _route_hex_to_ip(value: str) -> str:
    """/proc/net/route's little-endian hex gateway (``010200C0`` → ``192.0.2.1``)."""
    try:
        number = int(value, 16)
    except ValueError:
        return ""
    if number == 0:
        return ""  # on-link default route
    return str(ipaddress.IPv4Address(number.to_bytes(4, "little")))


def _ip_route(args: list[str]) -> dict[str, str]:
    """``default via fd00::1 dev eth0 …`` → {'interface': 'eth0', 'gateway': 'fd00::1'}."""
    route = {"interface": "", "gateway": ""}
    for key, value in zip(args, args[1:], strict=False):
        if key == "via":
            route["gateway"] = value
        elif key == "dev":
            route["interface"] = value
    return route
