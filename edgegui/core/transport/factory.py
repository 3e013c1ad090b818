"""Turn a target URI and connection options into an (unopened) transport."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edgegui.core.errors import TargetError
from edgegui.core.target import Target, parse_target
from edgegui.core.transport.base import Transport

# Asked with (host, key_type, sha256_fingerprint); True accepts and records the key.
HostKeyPrompt = Callable[[str, str, str], bool]


@dataclass
class TransportOptions:
    """Connection settings shared by the CLI and GUI. Secrets are held, never logged."""

    identity: Path | None = None
    password: str | None = None
    known_hosts: Path | None = None
    accept_new_host_key: bool = False
    host_key_prompt: HostKeyPrompt | None = None
    use_agent: bool = False
    # Asked with the target when no other method worked; returns the password or None.
    password_prompt: Callable[[str], str | None] | None = None
    ssh_config: Path | None = None
    user: str | None = None  # serial console login user
    connect_timeout: float = 15.0
    keepalive_interval: float = 5.0
    # Told once about what slows the link down (e.g. a server limiting SSH sessions).
    notice: Callable[[str], None] | None = None

    def __repr__(self) -> str:  # never show the password
        return f"TransportOptions(identity={self.identity!r}, user={self.user!r}, password=***)"


def make_transport(target: Target | str, options: TransportOptions | None = None) -> Transport:
    """Create the transport for ``target`` without connecting."""
    if isinstance(target, str):
        target = parse_target(target)
    options = options or TransportOptions()
    if target.scheme == "local":
        from edgegui.core.transport.local import LocalTransport

        return LocalTransport(target)
    if target.scheme == "ssh":
        from edgegui.core.transport.ssh import SSHTransport

        return SSHTransport(target, options)
    if target.scheme == "serial":
        from edgegui.core.transport.serial import SerialTransport

        return SerialTransport(target, options)
    raise TargetError(f"{target}: no transport for scheme {target.scheme!r}")


def open_transport(target: Target | str, options: TransportOptions | None = None) -> Transport:
    """Create and open the transport for ``target``."""
    transport = make_transport(target, options)
    transport.open()
    return transport
