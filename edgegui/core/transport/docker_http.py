"""The Docker SDK over byte streams we open ourselves (SSH channels, control-socket relays).

Each pooled HTTP connection rides on one stream from ``opener()``; nothing here imports
paramiko, so a command reusing a kept connection (``control_client``) does not pay for it.
"""

from __future__ import annotations

import contextlib
import queue
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import requests.adapters
import urllib3
import urllib3.connection
import urllib3.connectionpool

from edgegui.core.errors import TransportError

if TYPE_CHECKING:
    import docker

PLACEHOLDER_URL = "tcp://docker-over-ssh.invalid:2375"
POOL_SIZE = 16  # enough for concurrent per-container queries in one monitoring snapshot

StreamOpener = Callable[[], Any]  # returns a connected socket-like object


class _ChannelConnection(urllib3.connection.HTTPConnection):
    def __init__(self, opener: StreamOpener, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._opener = opener
        self._channel_timeout = timeout

    def connect(self) -> None:
        sock = self._opener()
        sock.settimeout(self._channel_timeout)
        self.sock = sock


class _ChannelPool(urllib3.connectionpool.HTTPConnectionPool):
    def __init__(self, opener: StreamOpener, timeout: float, maxsize: int) -> None:
        super().__init__("localhost", timeout=timeout, maxsize=maxsize, block=False)
        self._opener = opener
        self._channel_timeout = timeout

    def _new_conn(self) -> _ChannelConnection:
        return _ChannelConnection(self._opener, self._channel_timeout)

    def close_idle(self) -> bool:
        """Close one idle pooled connection (its stream may be a scarce SSH session)."""
        idle: Any = self.pool
        if idle is None:
            return False
        taken: list[Any] = []
        closed = False
        with contextlib.suppress(queue.Empty):
            while not closed:
                conn = idle.get(block=False)
                if conn is not None and conn.sock is not None:
                    conn.close()
                    closed = True
                taken.append(conn)
        for conn in taken:
            idle.put(conn, block=False)
        return closed


class ChannelHTTPAdapter(requests.adapters.HTTPAdapter):
    """Routes the Docker SDK's HTTP requests over streams from one opener."""

    def __init__(
        self, opener: StreamOpener, timeout: float = 60.0, maxsize: int = POOL_SIZE
    ) -> None:
        self._pool = _ChannelPool(opener, timeout, maxsize)
        super().__init__()

    def close_idle(self) -> bool:
        return self._pool.close_idle()

    def get_connection(self, url: Any, proxies: Any = None) -> _ChannelPool:
        return self._pool

    def get_connection_with_tls_context(
        self, request: Any, verify: Any, proxies: Any = None, cert: Any = None
    ) -> _ChannelPool:
        return self._pool

    def request_url(self, request: Any, proxies: Any) -> str:
        return str(request.path_url)

    def close(self) -> None:
        self._pool.close()
        super().close()


def docker_client_over(
    opener: StreamOpener,
    where: str,
    *,
    base_url: str,
    timeout: float = 60.0,
    link_errors: tuple[type[BaseException], ...] = (),
) -> docker.DockerClient:
    """A DockerClient whose every request travels on a stream from ``opener``.

    docker-py picks how to find the raw socket of streamed responses (logs, attach, exec)
    from the base URL: ``http+docker://ssh…`` for paramiko channels, anything else for
    real sockets. ``link_errors`` are the stream's own failures, reported as unreachable.
    """
    import docker
    import docker.errors

    # The URL is a placeholder: the adapter mounted on base_url sends every request.
    api = docker.APIClient(base_url=PLACEHOLDER_URL, version="1.24", timeout=timeout)
    api.base_url = base_url
    adapter = ChannelHTTPAdapter(opener, timeout=timeout)
    api.mount(base_url, adapter)
    try:
        api._version = api._retrieve_server_version()
    except (docker.errors.DockerException, OSError, *link_errors) as exc:
        adapter.close()
        raise TransportError(f"{where}: Docker Engine not reachable: {exc}") from None
    client = docker.DockerClient.__new__(docker.DockerClient)
    client.api = api
    return client
