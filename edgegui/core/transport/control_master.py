"""The control master: one kept SSH connection, served on a Unix socket (see control.py).

``edgegui control serve`` runs it in the background (control_client.start_master starts it);
it reads its settings as JSON on stdin, so a password never shows in a process list. It
logs in like any command, refusing unknown or changed host keys, then serves until
``persist`` seconds pass with no client, the link dies, or a client asks it to stop.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paramiko

from edgegui.core.errors import EdgeGUIError
from edgegui.core.events import CancelToken
from edgegui.core.target import parse_target
from edgegui.core.transport.control import (
    CHUNK,
    ControlError,
    check_peer,
    recv_frame,
    recv_json,
    send_frame,
    send_json,
)
from edgegui.core.transport.docker_ssh import engine_opener
from edgegui.core.transport.engine import known_endpoint
from edgegui.core.transport.factory import TransportOptions
from edgegui.core.transport.ssh import SSHTransport

ACCEPT_POLL_S = 1.0  # how often the accept loop looks at the link and the idle time


class ControlMaster:
    """Serves ``ssh`` to clients of the socket at ``path`` until idle for ``persist`` s."""

    def __init__(self, ssh: SSHTransport, path: Path, persist: float) -> None:
        self.ssh = ssh
        self.path = path
        self.persist = persist
        self._engine: Callable[[], Any] | None = None  # found on the first docker request
        self._lock = threading.Lock()
        self._clients = 0
        self._idle_since = time.monotonic()
        self._stop = threading.Event()
        self._handlers: dict[str, Callable[[socket.socket, dict[str, Any]], None]] = {
            "hello": self._hello,
            "exec": self._exec,
            "docker": lambda conn, _: self._relay(conn, self._engine_channel),
            "sftp": lambda conn, _: self._relay(conn, self.ssh.open_sftp_channel),
            "stop": self._stop_request,
        }

    def serve(self) -> None:
        listener = self._bind()
        try:
            while self._wanted():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError as exc:  # a client gone before we took it, or out of files
                    print(f"edgegui control master: accept: {exc}", file=sys.stderr)
                    time.sleep(0.1)
                    continue
                with self._lock:
                    self._clients += 1
                threading.Thread(target=self._serve_client, args=(conn,), daemon=True).start()
        finally:
            self._unlink_if_ours()
            listener.close()
            self.ssh.close()

    def _wanted(self) -> bool:
        if self._stop.is_set() or not self.ssh.connection_alive:
            return False
        with self._lock:
            return self._clients > 0 or time.monotonic() - self._idle_since < self.persist

    def _bind(self) -> socket.socket:
        """Listen on a fresh name, then rename it over ``path`` (atomic; replaces a stale one)."""
        fresh = self.path.with_name(f".{os.getpid()}.new")  # no longer than the final name
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        umask = os.umask(0o177)  # the socket itself 0600, inside the 0700 folder
        try:
            listener.bind(str(fresh))
        finally:
            os.umask(umask)
        listener.listen(64)
        listener.settimeout(ACCEPT_POLL_S)
        os.replace(fresh, self.path)
        self._inode = self.path.stat().st_ino
        return listener

    def _unlink_if_ours(self) -> None:
        try:
            if self.path.stat().st_ino == self._inode:
                self.path.unlink()
        except OSError:
            pass  # already replaced or removed

    def _serve_client(self, conn: socket.socket) -> None:
        try:
            check_peer(conn)
            request = recv_json(conn, b"Q")
            handler = self._handlers.get(str(request.get("op")))
            if handler is None:
                send_json(conn, b"R", {"ok": False, "error": f"unknown request {request!r}"})
            else:
                handler(conn, request)
        except (ControlError, OSError, ValueError, paramiko.SSHException):
            pass  # the client went away or spoke nonsense: nothing to answer
        finally:
            conn.close()
            with self._lock:
                self._clients -= 1
                self._idle_since = time.monotonic()

    # -- requests -------------------------------------------------------------------------
    def _hello(self, conn: socket.socket, _: dict[str, Any]) -> None:
        with self._lock:
            clients = self._clients - 1
        engine = known_endpoint(self.ssh)  # once found: clients need not look it up again
        send_json(
            conn,
            b"R",
            {
                "ok": True,
                "target": str(self.ssh.target),
                "pid": os.getpid(),
                "persist_s": self.persist,
                "clients": clients,
                **({"engine": [engine.host, engine.source]} if engine else {}),
            },
        )

    def _stop_request(self, conn: socket.socket, _: dict[str, Any]) -> None:
        self._unlink_if_ours()  # no new client finds it, even before the accept loop ends
        send_json(conn, b"R", {"ok": True})  # before the flag: the process ends soon after
        self._stop.set()

    def _exec(self, conn: socket.socket, request: dict[str, Any]) -> None:
        argv = request.get("argv")
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
            raise ControlError("exec: argv must be a list of strings")
        stdin = _read_stdin(conn)
        cancel = CancelToken()
        threading.Thread(target=_cancel_on_hangup, args=(conn, cancel), daemon=True).start()
        try:
            result = self.ssh.run(
                argv,
                timeout=float(request.get("timeout", 60.0)),
                stdin=stdin,
                on_output=lambda chunk: send_frame(conn, b"1", chunk),
                cancel=cancel,
            )
        except EdgeGUIError as exc:
            send_json(conn, b"S", {"error": str(exc), "kind": type(exc).__name__})
            return
        if result.stderr:
            send_frame(conn, b"2", result.stderr)
        send_json(conn, b"S", {"status": result.exit_status})

    def _engine_channel(self) -> Any:
        # Not at start: a device without an engine still gets kept connections for exec and
        # files, and the master listens sooner.
        if self._engine is None:
            self._engine = engine_opener(self.ssh)
        return self._engine()

    def _relay(self, conn: socket.socket, open_channel: Callable[[], Any]) -> None:
        try:
            channel = open_channel()
        except (EdgeGUIError, OSError, paramiko.SSHException) as exc:
            send_json(conn, b"R", {"ok": False, "error": str(exc) or type(exc).__name__})
            return
        send_json(conn, b"R", {"ok": True})
        relay(conn, channel)


def relay(conn: socket.socket, channel: Any) -> None:
    """Copy bytes both ways until both sides are done, passing on each half-close."""

    def upstream() -> None:
        try:
            while data := conn.recv(CHUNK):
                channel.sendall(data)
            channel.shutdown_write()
        except (OSError, paramiko.SSHException):
            channel.close()

    pump = threading.Thread(target=upstream, daemon=True)
    pump.start()
    try:
        while data := channel.recv(CHUNK):
            conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
    except (OSError, paramiko.SSHException):
        pass  # either side gone: closing both below ends the other direction too
    pump.join()
    channel.close()


def _read_stdin(conn: socket.socket) -> bytes | None:
    """``I`` frames up to ``E``: the command's whole stdin (None when it has none)."""
    chunks: list[bytes] = []
    while True:
        frame = recv_frame(conn)
        if frame is None:
            raise ControlError("exec: the client left before sending stdin")
        kind, payload = frame
        if kind == b"E":
            return b"".join(chunks) if chunks else None
        if kind != b"I":
            raise ControlError(f"exec: unexpected frame {kind!r}")
        chunks.append(payload)


def _cancel_on_hangup(conn: socket.socket, cancel: CancelToken) -> None:
    """A client that closes its socket (Ctrl-C, timeout) cancels its command."""
    try:
        conn.recv(1)
    except OSError:
        pass
    cancel.cancel()


def serve_from_stdin() -> int:
    """Entry point of ``edgegui control serve``: settings on stdin, then serve until idle."""
    if sys.stdin.isatty():
        raise ControlError("control serve is started by EdgeGUI itself (settings on stdin)")
    try:
        settings = json.loads(sys.stdin.read())
        target, socket_file, persist = settings["target"], settings["socket"], settings["persist"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ControlError(f"control serve: unreadable settings on stdin ({exc})") from None
    sys.stdin.close()
    options = TransportOptions(
        identity=_path(settings.get("identity")),
        password=settings.get("password"),
        known_hosts=_path(settings.get("known_hosts")),
        ssh_config=_path(settings.get("ssh_config")),
        use_agent=bool(settings.get("use_agent")),
        connect_timeout=float(settings.get("connect_timeout", 15.0)),
    )
    ssh = SSHTransport(parse_target(target), options)
    try:
        ssh.open()
    except EdgeGUIError as exc:
        print(f"edgegui control master: {exc}", file=sys.stderr)
        return 1
    ControlMaster(ssh, Path(socket_file), float(persist)).serve()
    return 0


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
