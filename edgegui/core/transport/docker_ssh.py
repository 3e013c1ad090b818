"""Docker SDK over our one SSH connection (no second login, no per-connection process).

Each pooled HTTP connection is an SSH channel straight to the engine's Unix socket
(OpenSSH ``direct-streamlocal``). When the server forbids stream forwarding we fall back to
``docker system dial-stdio`` on a channel of the same connection.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from typing import TYPE_CHECKING, Any

import paramiko
import requests.adapters
import urllib3
import urllib3.connection
import urllib3.connectionpool
from paramiko.common import cMSG_CHANNEL_OPEN

from edgegui.core.errors import TransportError
from edgegui.core.transport.engine import EngineEndpoint, docker_argv, require_engine

if TYPE_CHECKING:
    import docker

    from edgegui.core.transport.ssh import SSHTransport

PLACEHOLDER_URL = "tcp://docker-over-ssh.invalid:2375"
SSH_BASE_URL = "http+docker://ssh"
POOL_SIZE = 16  # enough for concurrent per-container queries in one monitoring snapshot


def open_streamlocal(transport: paramiko.Transport, path: str, timeout: float = 15.0) -> Any:
    """Open a ``direct-streamlocal@openssh.com`` channel (paramiko has no public call for it).

    This mirrors ``paramiko.Transport.open_channel`` with the streamlocal payload.
    """
    if not transport.is_active():
        raise paramiko.SSHException("SSH session not active")
    t: Any = transport
    with t.lock:
        window = t._sanitize_window_size(None)
        max_packet = t._sanitize_packet_size(None)
        chanid = t._next_channel()
        msg = paramiko.Message()
        msg.add_byte(cMSG_CHANNEL_OPEN)
        msg.add_string("direct-streamlocal@openssh.com")
        msg.add_int(chanid)
        msg.add_int(window)
        msg.add_int(max_packet)
        msg.add_string(path)
        msg.add_string("")  # reserved
        msg.add_int(0)  # reserved
        chan: Any = paramiko.Channel(chanid)
        t._channels.put(chanid, chan)
        event = t.channel_events[chanid] = threading.Event()
        t.channels_seen[chanid] = True
        chan._set_transport(t)
        chan._set_window(window, max_packet)
    t._send_user_message(msg)
    deadline = time.monotonic() + timeout
    while not event.wait(0.05):
        if not transport.is_active() or time.monotonic() > deadline:
            raise paramiko.SSHException("cannot open a channel to the Docker socket")
    opened = t._channels.get(chanid)
    if opened is None:
        raise paramiko.ChannelException(1, "stream forwarding refused")
    return opened


class _ChannelConnection(urllib3.connection.HTTPConnection):
    def __init__(self, opener: Any, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._opener = opener
        self._channel_timeout = timeout

    def connect(self) -> None:
        sock = self._opener()
        sock.settimeout(self._channel_timeout)
        self.sock = sock


class _ChannelPool(urllib3.connectionpool.HTTPConnectionPool):
    def __init__(self, opener: Any, timeout: float, maxsize: int) -> None:
        super().__init__("localhost", timeout=timeout, maxsize=maxsize, block=False)
        self._opener = opener
        self._channel_timeout = timeout

    def _new_conn(self) -> _ChannelConnection:
        return _ChannelConnection(self._opener, self._channel_timeout)

    def close_idle(self) -> bool:
        """Close one idle pooled connection (its channel may be a scarce SSH session)."""
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
    """Routes the Docker SDK's HTTP requests over SSH channels of one connection."""

    def __init__(self, opener: Any, timeout: float = 60.0, maxsize: int = POOL_SIZE) -> None:
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


class _EngineOpener:
    """Opens a channel to the engine: straight to its socket (or TCP port) first, and
    ``docker system dial-stdio`` on a session when the server refuses forwarding."""

    def __init__(self, ssh: SSHTransport, endpoint: EngineEndpoint) -> None:
        self.ssh = ssh
        self.endpoint = endpoint
        self.use_dial_stdio = endpoint.socket_path is None and endpoint.tcp_address is None

    def __call__(self) -> Any:
        connection = self.ssh.connection
        if not self.use_dial_stdio:
            try:
                return self._forward(connection)
            except paramiko.ChannelException:
                self.use_dial_stdio = True
        argv = docker_argv(self.ssh, ["system", "dial-stdio"])
        return self.ssh.open_command_channel(argv)

    def _forward(self, connection: paramiko.Transport) -> Any:
        if self.endpoint.socket_path is not None:
            return open_streamlocal(connection, self.endpoint.socket_path)
        address = self.endpoint.tcp_address
        assert address is not None
        return connection.open_channel("direct-tcpip", address, ("127.0.0.1", 0))


def docker_client_over_ssh(
    ssh: SSHTransport, timeout: float = 60.0, **_: Any
) -> docker.DockerClient:
    """A DockerClient whose every request travels over ``ssh``'s connection."""
    import docker
    import docker.errors

    endpoint = require_engine(ssh)
    # The URL is a placeholder: the adapter mounted on it sends every request over SSH.
    api = docker.APIClient(base_url=PLACEHOLDER_URL, version="1.24", timeout=timeout)
    # docker-py finds the raw socket of streamed responses (logs, attach, exec) through
    # ``fp.channel`` only for base URLs that look like its own SSH ones.
    api.base_url = SSH_BASE_URL
    adapter = ChannelHTTPAdapter(_EngineOpener(ssh, endpoint), timeout=timeout)
    api.mount(SSH_BASE_URL, adapter)
    ssh.sessions.add_reclaimer(adapter.close_idle)  # dial-stdio channels are sessions
    try:
        api._version = api._retrieve_server_version()
    except (docker.errors.DockerException, OSError, paramiko.SSHException) as exc:
        adapter.close()
        raise TransportError(
            f"{ssh.target}: Docker Engine at {endpoint.describe()} not reachable: {exc}"
        ) from None
    client = docker.DockerClient.__new__(docker.DockerClient)
    client.api = api
    return client
