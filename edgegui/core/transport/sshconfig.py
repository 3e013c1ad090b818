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
