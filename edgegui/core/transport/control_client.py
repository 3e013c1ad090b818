"""A command's side of a kept SSH connection (see control.py): find, start, and use a master.

``ControlledTransport`` runs commands, copies files and reaches the Docker API through the
master's connection. Running a command imports no paramiko, so a reused ``exec`` or
``discover`` starts as fast as Python does.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edgegui.core.errors import CommandTimeout, LinkLost
from edgegui.core.events import CancelToken, ProgressCallback
from edgegui.core.target import Target
from edgegui.core.transport.base import CommandResult, OutputCallback, Transport, quote_argv
from edgegui.core.transport.control import (
    CHUNK,
    ControlError,
    check_peer,
    control_dir,
    recv_frame,
    recv_json,
    remote_error,
    send_frame,
    send_json,
    socket_path,
)
from edgegui.core.transport.engine import EngineEndpoint, remember_endpoint
from edgegui.core.transport.factory import TransportOptions

if TYPE_CHECKING:
    import docker
    import paramiko

# Not docker-py's SSH base URL: streamed responses arrive on a real socket here.
CONTROL_BASE_URL = "http+docker://edgegui-control"
SLACK_S = 5.0  # beyond a command's own timeout, which the master enforces


def control_socket(target: Target, options: TransportOptions) -> Path:
    """The socket of the master for this target and these connection settings."""
    settings = {
        "identity": options.identity,
        "known_hosts": options.known_hosts,
        "ssh_config": options.ssh_config,
    }
    return socket_path(str(target), {k: str(v) if v else None for k, v in settings.items()})


def connect_control(path: Path) -> socket.socket:
    """A connection to the master at ``path``, its peer checked to be this user."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
        check_peer(sock)
    except BaseException:
        sock.close()
        raise
    return sock


def ask(path: Path, op: str) -> dict[str, Any]:
    """One request without a body (hello, stop) and its reply."""
    with connect_control(path) as sock:
        send_json(sock, b"Q", {"op": op})
        return recv_json(sock, b"R")


def kept_masters(target: str | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """The live masters (socket, hello reply), only those for ``target`` when given."""
    masters = []
    for path in sorted(control_dir().glob("ssh-*.sock")):
        try:
            info = ask(path, "hello")
        except (OSError, ControlError, ValueError):
            continue  # stale: its master is gone
        if target is None or info.get("target") == target:
            masters.append((path, info))
    return masters


def attach(target: Target, path: Path) -> ControlledTransport | None:
    """The kept connection to ``target``, or None when no live master answers."""
    try:
        reply = ask(path, "hello")
    except (OSError, ControlError, ValueError):
        return None  # none yet, a stale socket, or one going away
    if not reply.get("ok") or reply.get("target") != str(target):
        return None
    kept = ControlledTransport(target, path)
    engine = reply.get("engine")
    if isinstance(engine, list) and len(engine) == 2:
        remember_endpoint(kept, EngineEndpoint(str(engine[0]), str(engine[1])))
    return kept


def start_master(target: Target, options: TransportOptions, path: Path, persist: float) -> None:
    """Start a master in the background; it logs in on its own and then serves ``path``.

    Its settings (the password too) travel on its stdin. What it says goes to ``path``.log.
    """
    settings = {
        "target": str(target),
        "socket": str(path),
        "persist": persist,
        "identity": str(options.identity) if options.identity else None,
        "password": options.password,
        "known_hosts": str(options.known_hosts) if options.known_hosts else None,
        "ssh_config": str(options.ssh_config) if options.ssh_config else None,
        "use_agent": options.use_agent,
        "connect_timeout": options.connect_timeout,
    }
    log = os.open(f"{path}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    frozen = getattr(sys, "frozen", False)  # a bundled app is its own CLI
    command = [sys.executable, *([] if frozen else ["-m", "edgegui"]), "control", "serve"]
    try:
        master = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=log,
            start_new_session=True,  # outlives this command and its terminal
        )
    finally:
        os.close(log)
    assert master.stdin is not None
    master.stdin.write(json.dumps(settings).encode())
    master.stdin.close()
    # Reap it when it ends, should this process still be running then.
    threading.Thread(target=master.wait, daemon=True).start()


class ControlledTransport(Transport):
    """Commands, files and Docker over a master's kept SSH connection."""

    scheme = "ssh"

    def __init__(self, target: Target, path: Path) -> None:
        super().__init__(target)
        self.path = path
        self._sftp: paramiko.SFTPClient | None = None
        self._lock = threading.Lock()

    def open(self, progress: ProgressCallback | None = None) -> None:
        """Already open: the master holds the connection."""

    def close(self) -> None:
        with self._lock:
            if self._sftp is not None:
                self._sftp.close()
                self._sftp = None

    def describe(self) -> str:
        return str(self.target)

    def _stream(self, op: str) -> socket.socket:
        """A socket relayed by the master to a new channel (``docker`` or ``sftp``)."""
        try:
            sock = connect_control(self.path)
            send_json(sock, b"Q", {"op": op})
            reply = recv_json(sock, b"R")
        except (OSError, ControlError) as exc:
            raise LinkLost(f"{self.target}: kept connection unusable: {exc}") from None
        if not reply.get("ok"):
            sock.close()
            raise ControlError(f"{self.target}: {reply.get('error', 'refused')}")
        return sock

    # -- commands ----------------------------------------------------------------------
    def run(
        self,
        argv: Sequence[str],
        *,
        timeout: float = 60.0,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> CommandResult:
        quote_argv(argv)  # refuse what the master would refuse, before it travels
        try:
            sock = connect_control(self.path)
        except OSError as exc:
            raise LinkLost(f"{self.target}: kept connection gone: {exc.strerror}") from None
        with sock:
            send_json(sock, b"Q", {"op": "exec", "argv": list(argv), "timeout": timeout})
            data = stdin or b""
            for start in range(0, len(data), CHUNK):
                send_frame(sock, b"I", data[start : start + CHUNK])
            send_frame(sock, b"E")
            return self._collect(sock, argv, timeout + SLACK_S, on_output, cancel)

    def _collect(
        self,
        sock: socket.socket,
        argv: Sequence[str],
        timeout: float,
        on_output: OutputCallback | None,
        cancel: CancelToken | None,
    ) -> CommandResult:
        out: list[bytes] = []
        err: list[bytes] = []
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()  # closing the socket cancels it on the device
            if not select.select([sock], [], [], 0.2)[0]:
                if time.monotonic() > deadline:
                    raise CommandTimeout(f"{self.target}: {argv[0]} did not finish in time")
                continue
            frame = recv_frame(sock)
            if frame is None:
                raise LinkLost(f"{self.target}: kept connection closed while running {argv[0]}")
            kind, payload = frame
            if kind == b"1":
                out.append(payload)
                if on_output:
                    on_output(payload)
            elif kind == b"2":
                err.append(payload)
            elif kind == b"S":
                ending = json.loads(payload)
                if "error" in ending:
                    raise remote_error(str(ending.get("kind")), str(ending["error"]))
                return CommandResult(
                    tuple(argv), int(ending["status"]), b"".join(out), b"".join(err)
                )

    # -- files -------------------------------------------------------------------------
    def _sftp_client(self) -> paramiko.SFTPClient:
        import paramiko

        with self._lock:
            if self._sftp is None:
                stream: Any = _SFTPSocket(fileno=self._stream("sftp").detach())
                self._sftp = paramiko.SFTPClient(stream)
            return self._sftp

    def put_file(
        self,
        local: Path,
        remote: str,
        *,
        mode: int | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        from edgegui.core.transport.sftp_files import sftp_put

        sftp = self._sftp_client()
        sftp_put(sftp, local, remote, str(self.target), mode=mode, progress=progress, cancel=cancel)

    def get_file(
        self,
        remote: str,
        local: Path,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        from edgegui.core.transport.sftp_files import sftp_get

        sftp = self._sftp_client()
        sftp_get(sftp, remote, local, str(self.target), progress=progress, cancel=cancel)

    # -- docker ------------------------------------------------------------------------
    def docker_client(self, **kwargs: Any) -> docker.DockerClient:
        from edgegui.core.transport.docker_http import docker_client_over

        return docker_client_over(
            lambda: self._stream("docker"),
            str(self.target),
            base_url=CONTROL_BASE_URL,
            timeout=float(kwargs.get("timeout", 60.0)),
            link_errors=(ControlError,),
        )


class _SFTPSocket(socket.socket):
    """paramiko's SFTP client runs over a plain socket but logs its channel's name."""

    def get_name(self) -> str:
        return "control"
