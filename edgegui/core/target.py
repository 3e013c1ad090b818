"""Target URIs: ``ssh://user@host[:port]``, ``serial:///dev/ttyUSB0?baud=115200``, ``local://``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from edgegui.core.errors import TargetError

# RFC 1123 host names, IPv4, or a bracketed IPv6 literal; nothing a shell or ssh option could abuse.
_HOST_RE = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")
_USER_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
_SERIAL_PARAMS = {"baud", "parity", "bytesize", "stopbits", "flow", "dtr", "rts", "user"}


@dataclass(frozen=True)
class Target:
    """A parsed target: which transport, and the plain settings it needs (labgrid's resource)."""

    scheme: str
    host: str = ""
    user: str | None = None
    port: int | None = None
    path: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.scheme == "local":
            return "local://"
        if self.scheme == "serial":
            query = "&".join(f"{k}={v}" for k, v in sorted(self.params.items()))
            return f"serial://{self.path}" + (f"?{query}" if query else "")
        user = f"{self.user}@" if self.user else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.port else ""
        return f"ssh://{user}{host}{port}"


def _check_host(host: str, uri: str) -> str:
    if ":" in host:  # IPv6 literal
        if not re.fullmatch(r"[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?", host):
            raise TargetError(f"{uri}: invalid IPv6 address {host!r}")
        return host
    if not _HOST_RE.match(host) or host.startswith("-"):
        raise TargetError(f"{uri}: invalid host name {host!r}")
    return host


def parse_target(uri: str) -> Target:
    """Parse and validate a target URI; raise TargetError naming the bad part."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in uri):
        raise TargetError(f"{uri!r}: control characters are not allowed in a target")
    if uri in ("local", "local://", "local:"):
        return Target(scheme="local")
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        raise TargetError(f"{uri}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme == "local":
        return Target(scheme="local")
    if scheme == "ssh":
        return _parse_ssh(uri, parts.hostname, parts.username, parts)
    if scheme == "serial":
        return _parse_serial(uri, parts)
    if not scheme:
        raise TargetError(
            f"{uri}: not a target URI; use ssh://user@host[:port], "
            "serial:///dev/ttyUSB0?baud=115200 or local://"
        )
    raise TargetError(f"{uri}: unknown scheme {scheme!r} (ssh, serial or local)")


def _parse_ssh(uri: str, host: str | None, user: str | None, parts: object) -> Target:
    if not host:
        raise TargetError(f"{uri}: missing host name")
    try:
        port = parts.port  # type: ignore[attr-defined]
    except ValueError:
        raise TargetError(f"{uri}: port must be a number from 1 to 65535") from None
    if port is not None and not 0 < port < 65536:
        raise TargetError(f"{uri}: port must be a number from 1 to 65535")
    if parts.path not in ("", "/"):  # type: ignore[attr-defined]
        raise TargetError(f"{uri}: unexpected path {parts.path!r}")  # type: ignore[attr-defined]
    if user is not None:
        user = unquote(user)
        if not _USER_RE.match(user):
            raise TargetError(f"{uri}: invalid user name {user!r}")
    return Target(scheme="ssh", host=_check_host(host, uri), user=user, port=port)


def _parse_serial(uri: str, parts: object) -> Target:
    path = unquote(parts.path)  # type: ignore[attr-defined]
    if parts.netloc:  # type: ignore[attr-defined]
        raise TargetError(f"{uri}: serial targets take a path: serial:///dev/ttyUSB0")
    if not path.startswith("/") or ".." in path.split("/"):
        raise TargetError(f"{uri}: serial port must be an absolute device path")
    params: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):  # type: ignore[attr-defined]
        if key not in _SERIAL_PARAMS:
            allowed = ", ".join(sorted(_SERIAL_PARAMS))
            raise TargetError(f"{uri}: unknown serial option {key!r} (allowed: {allowed})")
        params[key] = value
    if "baud" in params and not params["baud"].isdigit():
        raise TargetError(f"{uri}: baud must be a number, got {params['baud']!r}")
    return Target(scheme="serial", path=path, params=params)


def known_hosts_name(host: str, port: int) -> str:
    """How OpenSSH names a host in known_hosts (``[host]:port`` off port 22)."""
    return host if port == 22 else f"[{host}]:{port}"
