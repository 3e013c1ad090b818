"""Which Docker Engine a device's login user talks to, asked once per connection.

Every Docker path (the SDK over SSH channels, the docker CLI in scripts over serial, image
loads, diagnostics, the GUI) uses this one answer, found on the device by the same shell
function discovery runs (resources/engine.sh): DOCKER_HOST from the user's environment or
login profile, the current docker context, a rootless socket, then /var/run/docker.sock.
"""

from __future__ import annotations

import shlex
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from edgegui.core.errors import TransportError
from edgegui.core.resources import device_script
from edgegui.core.transport.base import Transport

DEFAULT_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")

_LOOKUP = """find_timeout
find_engine
printf 'engine=%s\\nfrom=%s\\n' "$EG_ENGINE" "$EG_ENGINE_FROM"
"""


@dataclass(frozen=True)
class EngineEndpoint:
    """A DOCKER_HOST value and where it came from (``environment``, ``context edge``, …)."""

    host: str
    source: str

    @property
    def found(self) -> bool:
        return bool(self.host)

    @property
    def socket_path(self) -> str | None:
        """The Unix socket's path, or None for tcp:// and ssh:// engines."""
        return self.host[len("unix://") :] if self.host.startswith("unix://") else None

    @property
    def tcp_address(self) -> tuple[str, int] | None:
        if not self.host.startswith("tcp://"):
            return None
        parts = urlsplit(self.host)
        return (parts.hostname or "localhost", parts.port or 2375)

    @property
    def is_default(self) -> bool:
        """The CLI finds this engine without being told (no DOCKER_HOST needed)."""
        return self.socket_path in DEFAULT_SOCKETS

    def describe(self) -> str:
        return f"{self.host} ({self.source})" if self.host else "no Docker Engine found"


_cache: weakref.WeakKeyDictionary[Transport, EngineEndpoint] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


@cache
def lookup_script() -> str:
    return device_script("shlib.sh", "engine.sh") + _LOOKUP


def engine_endpoint(transport: Transport) -> EngineEndpoint:
    """The engine of ``transport``'s login user (one exec per connection, then cached)."""
    with _lock:
        known = _cache.get(transport)
    if known is not None:
        return known
    result = transport.run_script(lookup_script(), timeout=30.0)
    values = dict(line.split("=", 1) for line in result.text.splitlines() if "=" in line)
    endpoint = EngineEndpoint(values.get("engine", "").strip(), values.get("from", "").strip())
    remember_endpoint(transport, endpoint)
    return endpoint


def known_endpoint(transport: Transport) -> EngineEndpoint | None:
    """The engine already found for ``transport``, without asking the device."""
    with _lock:
        return _cache.get(transport)


def remember_endpoint(transport: Transport, endpoint: EngineEndpoint) -> None:
    """Record what discovery found, so the Docker paths need not ask again."""
    with _lock:
        _cache[transport] = endpoint


def require_engine(transport: Transport) -> EngineEndpoint:
    endpoint = engine_endpoint(transport)
    if not endpoint.found:
        raise TransportError(
            f"{transport.describe()}: Docker Engine not reachable: none found for this user "
            "(no DOCKER_HOST, docker context, rootless or /var/run/docker.sock socket)"
        )
    return endpoint


def docker_argv(transport: Transport, args: Sequence[str]) -> list[str]:
    """``docker ARGS`` as the device must run it to reach the user's engine."""
    endpoint = engine_endpoint(transport)
    if not endpoint.found or endpoint.is_default:
        return ["docker", *args]
    return ["env", f"DOCKER_HOST={endpoint.host}", "docker", *args]


def with_engine_env(transport: Transport, script: str) -> str:
    """``script`` with DOCKER_HOST exported first when the engine is not the default one."""
    endpoint = engine_endpoint(transport)
    if not endpoint.found or endpoint.is_default:
        return script
    return f"DOCKER_HOST={shlex.quote(endpoint.host)}; export DOCKER_HOST\n{script}"
