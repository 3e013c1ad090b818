"""Resolve SSH targets through ``~/.ssh/config`` (HostName, User, Port, IdentityFile, ProxyJump)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import paramiko

from edgegui.core.errors import TargetError
from edgegui.core.target import Target, parse_target


@dataclass
class SSHEndpoint:
    """Where to connect and as whom, after applying the ssh config."""

    alias: str
    hostname: str
    port: int
    user: str
    identity_files: list[Path] = field(default_factory=list)
    proxy_jump: list[Target] = field(default_factory=list)


def _default_user() -> str:
    import getpass

    return getpass.getuser()


def resolve_endpoint(target: Target, config_file: Path | None = None) -> SSHEndpoint:
    """Apply ssh config settings that the URI does not set explicitly."""
    config = paramiko.SSHConfig()
    path = config_file or Path.home() / ".ssh" / "config"
    if path.exists():
        try:
            with path.open() as handle:
                config.parse(handle)
        except (OSError, ValueError, paramiko.SSHException) as exc:
            raise TargetError(f"{path}: cannot read ssh config: {exc}") from None
    entry = config.lookup(target.host)
    hostname = entry.get("hostname", target.host)
    try:
        port = target.port or int(entry.get("port", 22))
    except ValueError:
        raise TargetError(f"{path}: Port for {target.host} is not a number") from None
    user = target.user or entry.get("user") or _default_user()
    identities = [Path(p).expanduser() for p in entry.get("identityfile", [])]
    jumps: list[Target] = []
    jump_spec = entry.get("proxyjump", "")
    if jump_spec and jump_spec.lower() != "none":
        for hop in jump_spec.split(","):
            hop = hop.strip()
            jumps.append(parse_target(hop if "://" in hop else f"ssh://{hop}"))
    return SSHEndpoint(target.host, hostname, port, user, identities, jumps)


@dataclass(frozen=True)
class ConfiguredHost:
    """A ``Host`` entry of the ssh config that names one machine (no wildcards)."""

    alias: str
    hostname: str
    user: str | None
    port: int | None

    @property
    def target(self) -> str:
        """The URI EdgeGUI connects to: the alias, so the config's other settings apply."""
        return f"ssh://{self.user + '@' if self.user else ''}{self.alias}"


def configured_hosts(config_file: Path | None = None) -> list[ConfiguredHost]:
    """The machines ``~/.ssh/config`` names, for the Connect screen's host picker.

    Patterns (``*``, ``?``, ``!``) are settings for many hosts, not hosts, and are left out;
    an unreadable file gives no hosts rather than an error (the picker is a convenience).
    """
    path = config_file or Path.home() / ".ssh" / "config"
    config = paramiko.SSHConfig()
    try:
        with path.open() as handle:
            config.parse(handle)
    except (OSError, ValueError, paramiko.SSHException):
        return []
    hosts = []
    for alias in sorted(config.get_hostnames()):
        if any(ch in alias for ch in "*?!") or not alias:
            continue
        entry = config.lookup(alias)
        port = entry.get("port")
        hosts.append(
            ConfiguredHost(
                alias,
                entry.get("hostname", alias),
                entry.get("user"),
                int(port) if port and port.isdigit() else None,
            )
        )
    return hosts
