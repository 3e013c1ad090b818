"""SSH driver (paramiko): one connection per device for commands, SFTP and the Docker API."""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import paramiko

from edgegui.core.errors import (
    AuthenticationError,
    CommandTimeout,
    EdgeGUIError,
    LinkLost,
    TransportError,
)
from edgegui.core.events import CancelToken, Progress, ProgressCallback
from edgegui.core.target import Target, known_hosts_name
from edgegui.core.transport.base import CommandResult, OutputCallback, Transport, quote_argv
from edgegui.core.transport.factory import TransportOptions
from edgegui.core.transport.hostkeys import HostKeyStore, verify_host_key
from edgegui.core.transport.sftp_files import sftp_get, sftp_put
from edgegui.core.transport.ssh_sessions import SessionGate
from edgegui.core.transport.sshconfig import SSHEndpoint, resolve_endpoint

if TYPE_CHECKING:
    import docker

# A silent dead link must be reported within 15 s: keepalive every 3 s, and the kernel gives
# up on unacknowledged data after 9 s (TCP_USER_TIMEOUT), which closes the transport.
KEEPALIVE_S = 3
TCP_USER_TIMEOUT_MS = 9000


def default_known_hosts() -> Path:
    from platformdirs import user_data_path

    return user_data_path("edgegui") / "known_hosts"


class SSHTransport(Transport):
    """Commands, files and Docker over one paramiko connection."""

    scheme = "ssh"

    def __init__(
        self,
        target: Target,
        options: TransportOptions | None = None,
        via: SSHTransport | None = None,
    ) -> None:
        super().__init__(target)
        self._via = via  # the previous ProxyJump hop, when this is a hop or a jumped-to host
        self.options = options or TransportOptions()
        self._transport: paramiko.Transport | None = None
        self._jumps: list[SSHTransport] = []
        self._sftp: paramiko.SFTPClient | None = None
        self._sftp_users = 0  # threads inside an SFTP call; an idle session may be reclaimed
        self._lock = threading.RLock()  # reentrant: a full server reclaims SFTP while opening
        self.endpoint: SSHEndpoint | None = None
        self.sessions = SessionGate(str(target), self.options.notice)
        self.sessions.add_reclaimer(self._reclaim_sftp)

    # -- life cycle --------------------------------------------------------
    def open(self, progress: ProgressCallback | None = None) -> None:
        with self._lock:
            if self._transport is not None and self._transport.is_active():
                return
            self._connect(progress)

    def _connect(self, progress: ProgressCallback | None) -> None:
        endpoint = resolve_endpoint(self.target, self.options.ssh_config)
        self.endpoint = endpoint
        where = f"ssh://{endpoint.user}@{endpoint.hostname}:{endpoint.port}"
        if progress:
            progress(Progress(task="connect", message=f"connecting to {where}", unit="step"))
        sock = self._open_socket(endpoint, where)
        transport = paramiko.Transport(sock)
        transport.set_keepalive(KEEPALIVE_S)
        try:
            if progress:
                progress(Progress(task="connect", message="checking the host key", unit="step"))
            transport.start_client(timeout=self.options.connect_timeout)
            key = transport.get_remote_server_key()
            store = HostKeyStore(
                self.options.known_hosts or default_known_hosts(),
                Path.home() / ".ssh" / "known_hosts",
            )
            verify_host_key(
                store,
                known_hosts_name(endpoint.hostname, endpoint.port),
                key,
                accept_new=self.options.accept_new_host_key,
                prompt=self.options.host_key_prompt,
            )
            self._authenticate(transport, endpoint, where, progress)
        except EdgeGUIError:
            transport.close()
            raise
        except (paramiko.SSHException, OSError, EOFError) as exc:
            transport.close()
            reason = exc or type(exc).__name__
            raise TransportError(f"{where}: SSH handshake failed: {reason}") from None
        self._transport = transport

    def _open_socket(self, endpoint: SSHEndpoint, where: str) -> Any:
        if self._via is not None:
            return _channel_to(self._via, endpoint, where)
        if endpoint.proxy_jump:
            previous: SSHTransport | None = None
            for hop in endpoint.proxy_jump:
                jump = SSHTransport(hop, self.options, via=previous)
                jump.open()
                self._jumps.append(jump)
                previous = jump
            assert previous is not None
            return _channel_to(previous, endpoint, where)
        try:
            sock = socket.create_connection(
                (endpoint.hostname, endpoint.port), timeout=self.options.connect_timeout
            )
        except socket.gaierror:
            raise TransportError(f"{where}: unknown host {endpoint.hostname!r}") from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise TransportError(f"{where}: cannot connect: {reason}") from None
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        # SSH sends small packets and waits for answers: without this, Nagle's algorithm and
        # delayed ACKs stall every channel open and request by ~40 ms (OpenSSH sets it too).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if hasattr(socket, "TCP_USER_TIMEOUT"):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, TCP_USER_TIMEOUT_MS)
        return sock

    def _authenticate(
        self,
        transport: paramiko.Transport,
        ep: SSHEndpoint,
        where: str,
        progress: ProgressCallback | None = None,
    ) -> None:
        def trying(method: str) -> None:
            tried.append(method)
            if progress:  # the Connect screen lists each attempt as it happens
                progress(Progress(task="connect", message=f"logging in with {method}", unit="step"))

        tried: list[str] = []
        keys = [self.options.identity] if self.options.identity else ep.identity_files
        for path in keys:
            if path is None:
                continue
            trying(f"key {path}")
            pkey = _load_key(path, self.options.password)
            try:
                transport.auth_publickey(ep.user, pkey)
                return
            except paramiko.AuthenticationException:
                continue
        if self.options.use_agent:
            trying("ssh-agent")
            for agent_key in paramiko.Agent().get_keys():
                try:
                    transport.auth_publickey(ep.user, agent_key)
                    return
                except paramiko.AuthenticationException:
                    continue
        password = self.options.password
        if password is None and self.options.password_prompt is not None:
            password = self.options.password_prompt(where)
        if password is not None:
            trying("password")
            try:
                transport.auth_password(ep.user, password)
                return
            except paramiko.AuthenticationException:
                pass
        methods = ", ".join(tried) or "no key or password given"
        raise AuthenticationError(f"{where}: authentication failed (tried {methods})")

    def close(self) -> None:
        with self._lock:
            if self._sftp is not None:
                self._sftp.close()
                self._sftp = None
            if self._transport is not None:
                self._transport.close()
                self._transport = None
            for jump in reversed(self._jumps):
                jump.close()
            self._jumps.clear()

    @property
    def connection_alive(self) -> bool:
        return self._transport is not None and self._transport.is_active()

    @property
    def connection(self) -> paramiko.Transport:
        """The live paramiko transport; raises LinkLost when the link is gone."""
        if self._transport is None:
            raise TransportError(f"{self.target}: not connected")
        if not self._transport.is_active():
            raise LinkLost(f"{self.target}: SSH link lost")
        return self._transport

    # -- commands ----------------------------------------------------------
    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 60.0,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> CommandResult:
        channel = self.open_command_channel(argv)
        try:
            if stdin is not None:
                threading.Thread(target=_send_stdin, args=(channel, stdin), daemon=True).start()
            out, err = self._collect(channel, argv, timeout, on_output, cancel)
            status = channel.recv_exit_status()
            if status == -1 and not self.connection_alive:  # closed by the link, not the command
                raise LinkLost(f"{self.target}: SSH link lost while running {argv[0]}")
        finally:
            channel.close()
        return CommandResult(tuple(argv), status, out, err)

    def open_command_channel(self, argv: Sequence[str]) -> paramiko.Channel:
        """A session channel running ``argv`` (within the server's session limit)."""
        line = quote_argv(argv)
        channel = self._open_session()
        try:
            channel.exec_command(line)
        except paramiko.SSHException as exc:
            channel.close()
            raise LinkLost(f"{self.target}: cannot start a command: {exc}") from None
        return channel

    def _open_session(self) -> paramiko.Channel:
        timeout = self.options.connect_timeout

        def opener() -> paramiko.Channel:
            try:
                return self.connection.open_session(timeout=timeout)
            except paramiko.ChannelException:
                raise
            except paramiko.SSHException as exc:
                if self.connection_alive:
                    # Concurrent refusals share paramiko's one saved exception: the loser
                    # gets a bare "Unable to open channel", still a refusal.
                    raise paramiko.ChannelException(2, str(exc)) from None
                raise LinkLost(f"{self.target}: cannot open a session: {exc}") from None

        channel: paramiko.Channel = self.sessions.open(opener, timeout=max(60.0, timeout))
        return channel

    def _collect(
        self,
        channel: paramiko.Channel,
        argv: Sequence[str],
        timeout: float,
        on_output: OutputCallback | None,
        cancel: CancelToken | None,
    ) -> tuple[bytes, bytes]:
        out: list[bytes] = []
        err: list[bytes] = []
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.cancelled:
                channel.close()
                cancel.raise_if_cancelled()
            got = False
            while channel.recv_ready():
                chunk = channel.recv(65536)
                out.append(chunk)
                got = True
                if on_output:
                    on_output(chunk)
            while channel.recv_stderr_ready():
                err.append(channel.recv_stderr(65536))
                got = True
            drained = not channel.recv_ready() and not channel.recv_stderr_ready()
            if channel.exit_status_ready() and drained:
                break
            if got:
                continue
            if self._transport is None or not self._transport.is_active():
                raise LinkLost(f"{self.target}: SSH link lost while running {argv[0]}")
            if time.monotonic() > deadline:
                channel.close()
                raise CommandTimeout(
                    f"{self.target}: {argv[0]} did not finish within {timeout:g} s"
                )
            select.select([channel], [], [], 0.2)
        return b"".join(out), b"".join(err)

    # -- files -------------------------------------------------------------
    def sftp(self) -> paramiko.SFTPClient:
        with self._lock:  # threads share one SFTP session rather than racing to open two
            if self._sftp is None:
                channel = self.open_sftp_channel()
                try:
                    self._sftp = paramiko.SFTPClient(channel)
                except (paramiko.SSHException, EOFError) as exc:
                    channel.close()
                    raise TransportError(f"{self.target}: no SFTP on the device: {exc}") from None
            return self._sftp

    def open_sftp_channel(self) -> paramiko.Channel:
        """A session running the SFTP subsystem, counted by the session gate."""
        channel = self._open_session()
        try:
            channel.invoke_subsystem("sftp")
        except (paramiko.SSHException, EOFError) as exc:
            channel.close()
            raise TransportError(f"{self.target}: no SFTP on the device: {exc}") from None
        return channel

    @contextlib.contextmanager
    def _using_sftp(self) -> Iterator[paramiko.SFTPClient]:
        with self._lock:
            self._sftp_users += 1
        try:
            yield self.sftp()
        finally:
            with self._lock:
                self._sftp_users -= 1

    def _reclaim_sftp(self) -> bool:
        """Give the SFTP session back when nobody is using it (a session-limited server)."""
        with self._lock:
            if self._sftp is None or self._sftp_users:
                return False
            self._sftp.close()
            self._sftp = None
            return True

    def put_file(
        self,
        local: Path,
        remote: str,
        *,
        mode: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        where = str(self.target)
        with self._using_sftp() as sftp:
            sftp_put(sftp, local, remote, where, mode=mode, progress=progress, cancel=cancel)

    def get_file(
        self,
        remote: str,
        local: Path,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        with self._using_sftp() as sftp:
            sftp_get(sftp, remote, local, str(self.target), progress=progress, cancel=cancel)

    # -- docker ------------------------------------------------------------
    def docker_client(self, **kwargs: Any) -> docker.DockerClient:
        from edgegui.core.transport.docker_ssh import docker_client_over_ssh

        return docker_client_over_ssh(self, **kwargs)


def _channel_to(jump: SSHTransport, endpoint: SSHEndpoint, where: str) -> paramiko.Channel:
    try:
        return jump.connection.open_channel(
            "direct-tcpip", (endpoint.hostname, endpoint.port), ("127.0.0.1", 0)
        )
    except paramiko.SSHException as exc:
        raise TransportError(f"{where}: ProxyJump could not reach the host: {exc}") from None


def _load_key(path: Path, passphrase: str | None) -> paramiko.PKey:
    try:
        return paramiko.PKey.from_path(path, password=passphrase)
    except FileNotFoundError:
        raise AuthenticationError(f"{path}: identity file not found") from None
    except paramiko.PasswordRequiredException:
        raise AuthenticationError(f"{path}: key is encrypted; give its passphrase") from None
    except (paramiko.SSHException, ValueError, OSError) as exc:
        raise AuthenticationError(f"{path}: cannot read key: {exc}") from None


def _send_stdin(channel: paramiko.Channel, data: bytes) -> None:
    try:
        channel.sendall(data)
        channel.shutdown_write()
    except (OSError, paramiko.SSHException):
        pass  # the command ended early; its status tells the story
