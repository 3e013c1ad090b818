"""Docker SDK over our one SSH connection (no second login, no per-connection process).

Each pooled HTTP connection is an SSH channel straight to the engine's Unix socket
(OpenSSH ``direct-streamlocal``). When the server forbids stream forwarding we fall back to
``docker system dial-stdio`` on a channel of the same connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import paramiko
from paramiko.common import cMSG_CHANNEL_OPEN

from edgegui.core.transport.docker_http import docker_client_over
from edgegui.core.transport.engine import EngineEndpoint, docker_argv, require_engine

if TYPE_CHECKING:
    import docker

    from edgegui.core.transport.ssh import SSHTransport

# docker-py finds the raw socket of streamed responses (logs, attach, exec) through
# ``fp.channel`` only for base URLs that look like its own SSH ones.
SSH_BASE_URL = "http+docker://ssh"


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


def engine_opener(ssh: SSHTransport, endpoint: EngineEndpoint | None = None) -> Callable[[], Any]:
    """Each call opens one stream to the device's engine (what each HTTP connection rides on);
    the engine is the login user's (engine.py) unless ``endpoint`` names it."""
    return _EngineOpener(ssh, endpoint or require_engine(ssh))


def docker_client_over_ssh(
    ssh: SSHTransport, timeout: float = 60.0, **_: Any
) -> docker.DockerClient:
    """A DockerClient whose every request travels over ``ssh``'s connection."""
    endpoint = require_engine(ssh)
    client = docker_client_over(
        engine_opener(ssh, endpoint),
        str(ssh.target),
        base_url=SSH_BASE_URL,
        timeout=timeout,
        link_errors=(paramiko.SSHException,),
    )
    # dial-stdio channels are sessions: a session-limited server may need one back.
    ssh.sessions.add_reclaimer(client.api.get_adapter(SSH_BASE_URL).close_idle)
    return client
