"""Pin a device's SSH host keys read over its serial console into EdgeGUI's known_hosts.

The console is an authenticated, physical link: keys read there need no trust on first
use, so the first SSH connection to the device's addresses is verified. A host already
known with a different key is refused (a changed key is never replaced).
"""

from __future__ import annotations

import base64
import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from edgegui.core.discovery.network import CONTAINER_INTERFACE_PREFIXES
from edgegui.core.errors import HostKeyMismatch, TargetError, TransportError
from edgegui.core.target import known_hosts_name
from edgegui.core.transport.base import Transport
from edgegui.core.transport.hostkeys import HostKeyStore, fingerprint

_READ_KEYS = 'for f in /etc/ssh/ssh_host_*_key.pub; do [ -r "$f" ] && cat "$f"; done; true'
_ADDRESSES = "ip -o addr show scope global 2>/dev/null || hostname -I 2>/dev/null; true"
_ADDRESS_RE = re.compile(r"\binet6?\s+([0-9A-Fa-f:.]+)/\d+")
_HOST_NAME_RE = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")
_KEY_TYPES = ("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521")


@dataclass(frozen=True)
class HostKeyPin:
    host: str  # as known_hosts names it: address, or [address]:port
    key_type: str
    fingerprint: str
    new: bool  # False: it was pinned already


@dataclass
class PinPlan:
    """What pinning would record; shown to the technician before (GUI) or after (CLI)."""

    keys: list[paramiko.PKey]
    hosts: list[str]  # known_hosts names
    addresses: list[str] = field(default_factory=list)  # as given or as the device reports
    pins: list[HostKeyPin] = field(default_factory=list)

    @property
    def fingerprints(self) -> list[tuple[str, str]]:
        return [(key.get_name(), fingerprint(key)) for key in self.keys]


def read_host_keys(transport: Transport) -> list[paramiko.PKey]:
    """The device's SSH host public keys (``/etc/ssh/ssh_host_*_key.pub``)."""
    result = transport.run(["sh", "-c", _READ_KEYS], timeout=30)
    keys = []
    for line in result.text.splitlines():
        parts = line.split()
        if len(parts) < 2 or not (parts[0] in _KEY_TYPES or parts[0] == "ssh-rsa"):
            continue
        try:
            keys.append(paramiko.PKey.from_type_string(parts[0], base64.b64decode(parts[1])))
        except (ValueError, paramiko.SSHException):
            continue  # a damaged file: the others still count
    if not keys:
        where = transport.describe()
        raise TransportError(f"{where}: no SSH host key in /etc/ssh (is sshd set up?)")
    return keys


def device_addresses(transport: Transport) -> list[str]:
    """Global addresses the device reports for its own network ports (no loopback,
    link-local or container bridge)."""
    text = transport.run(["sh", "-c", _ADDRESSES], timeout=30).text
    found = [
        address
        for line in text.splitlines()
        if len(line.split()) > 1 and not line.split()[1].startswith(CONTAINER_INTERFACE_PREFIXES)
        for address in _ADDRESS_RE.findall(line)
    ]
    if "inet" not in text:  # hostname -I: bare addresses, no interface names
        found = text.split()
    addresses = []
    for raw in found:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            continue
        if not (address.is_loopback or address.is_link_local) and str(address) not in addresses:
            addresses.append(str(address))
    return addresses


def plan_pins(
    transport: Transport,
    hosts: list[str],
    port: int,
    known_hosts: Path,
    keys: list[paramiko.PKey] | None = None,
) -> PinPlan:
    """Read the keys (unless given: those the technician already confirmed) and check them
    against what is known; raises HostKeyMismatch first."""
    if transport.target.scheme != "serial":
        raise TargetError(
            f"{transport.describe()}: host keys are pinned over a serial console "
            "(an SSH link would trust itself)"
        )
    for host in hosts:
        check_host(host)
    keys = keys or read_host_keys(transport)
    hosts = hosts or device_addresses(transport)
    if not hosts:
        raise TransportError(f"{transport.describe()}: the device reports no address; give --host")
    store = _store(known_hosts)
    plan = PinPlan(keys, [known_hosts_name(host, port) for host in hosts], list(hosts))
    for name in plan.hosts:
        known = _known(store, name)
        for key in keys:
            held = known.get(key.get_name())
            if held is not None and held != key:
                raise HostKeyMismatch(name, key.get_name(), fingerprint(key), str(known_hosts))
        if known and not any(known.get(key.get_name()) == key for key in keys):
            key = keys[0]
            raise HostKeyMismatch(name, key.get_name(), fingerprint(key), str(known_hosts))
        for key in keys:
            new = known.get(key.get_name()) != key
            plan.pins.append(HostKeyPin(name, key.get_name(), fingerprint(key), new))
    return plan


def apply_pins(transport: Transport, plan: PinPlan, known_hosts: Path) -> None:
    """Record the plan's new keys in EdgeGUI's known_hosts and in the audit trail."""
    from edgegui.core.audit import record_action

    store = _store(known_hosts)
    by_type = {key.get_name(): key for key in plan.keys}
    for name in plan.hosts:
        pins = [pin for pin in plan.pins if pin.host == name and pin.new]
        if not pins:
            continue
        detail = {"via": transport.describe(), "keys": {p.key_type: p.fingerprint for p in pins}}
        record_action("host-keys-pinned", transport=transport, device=name, detail=detail)
        for pin in pins:
            store.add(name, by_type[pin.key_type])


def check_host(host: str) -> None:
    """An address or host name, nothing that could break a known_hosts line."""
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    if not _HOST_NAME_RE.match(host):
        raise TargetError(f"--host {host!r}: not an IP address or host name")


def _store(known_hosts: Path) -> HostKeyStore:
    return HostKeyStore(known_hosts, Path.home() / ".ssh" / "known_hosts")


def _known(store: HostKeyStore, name: str) -> dict[str, paramiko.PKey]:
    known: dict[str, paramiko.PKey] = {}
    for hosts in (store.user, store.own):  # EdgeGUI's own file wins
        entry = hosts.lookup(name)
        if entry:
            known.update({key_type: entry[key_type] for key_type in entry})
    return known
