"""Kept SSH connections (like OpenSSH ControlMaster/ControlPersist): paths, checks, framing.

A background *master* (``control_master``) holds one authenticated paramiko connection to a
device and listens on a Unix socket; later commands (``control_client``) ask it to run
commands or open streams (Docker API, SFTP) on that connection instead of logging in again.

Security: the sockets live in a folder of the user's runtime dir that must be a real folder
owned by the user with mode 0700; each side checks the other's peer credentials (same uid)
on Linux; the master verifies host keys itself and never accepts an unknown one.

Wire format: frames of one kind byte, a 4-byte big-endian length and the payload. A client
sends one request (``Q``, JSON) and gets one reply (``R``, JSON); an ``exec`` then streams
``1`` (stdout) frames and ends with ``S`` (JSON: exit status, stderr, or an error); a
``docker`` or ``sftp`` request turns the socket into a raw byte relay after the reply.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import struct
import tempfile
from pathlib import Path
from typing import Any

from edgegui.core import errors
from edgegui.core.errors import EdgeGUIError, TransportError

PERSIST_ENV = "EDGEGUI_CONTROL_PERSIST"
MAX_FRAME = 16 * 1024 * 1024
CHUNK = 1024 * 1024
MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux, 104 on macOS
_HEADER = struct.Struct("!cI")


class ControlError(TransportError):
    """The control socket is unusable (permissions, a stranger's socket, a broken frame)."""


def persist_seconds(option: float | None) -> float:
    """How long to keep a connection: the option, else $EDGEGUI_CONTROL_PERSIST, else 0."""
    if option is not None:
        value = option
    else:
        raw = os.environ.get(PERSIST_ENV, "").strip()
        try:
            value = float(raw) if raw else 0.0
        except ValueError:
            raise ControlError(f"{PERSIST_ENV}={raw!r}: expected seconds") from None
    if value < 0:
        raise ControlError(f"--control-persist {value:g}: must be 0 (off) or more seconds")
    return value


def control_supported() -> bool:
    return hasattr(socket, "AF_UNIX") and hasattr(os, "getuid")


def control_dir() -> Path:
    """The user's private folder for control sockets, created 0700 and checked."""
    base = os.environ.get("XDG_RUNTIME_DIR") or ""
    if base and Path(base).is_dir():
        folder = Path(base) / "edgegui"
    else:  # no runtime dir (root in a container, macOS): a private folder in the temp dir
        folder = Path(tempfile.gettempdir()) / f"edgegui-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError as exc:
        raise ControlError(f"{folder}: cannot create the control folder: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ControlError(f"{folder}: not a folder of this user; refusing to use it")
    if info.st_mode & 0o077:
        raise ControlError(f"{folder}: others may enter it (mode {info.st_mode & 0o777:o})")
    return folder


def socket_path(target: str, options: dict[str, str | None]) -> Path:
    """One socket per target and per connection setting that changes trust or identity."""
    key = json.dumps({"target": target, **options}, sort_keys=True)
    path = control_dir() / f"ssh-{hashlib.sha256(key.encode()).hexdigest()[:20]}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise ControlError(f"{path}: too long for a Unix socket; set XDG_RUNTIME_DIR shorter")
    return path


def check_peer(sock: socket.socket) -> None:
    """Refuse a peer of another user (Linux: SO_PEERCRED; elsewhere the 0700 folder)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    if uid != os.getuid():
        raise ControlError(f"control socket peer is uid {uid}, not this user; refused")


def send_frame(sock: socket.socket, kind: bytes, payload: bytes = b"") -> None:
    sock.sendall(_HEADER.pack(kind, len(payload)) + payload)


def send_json(sock: socket.socket, kind: bytes, data: dict[str, Any]) -> None:
    send_frame(sock, kind, json.dumps(data).encode())


def recv_frame(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """The next (kind, payload), or None when the peer closed cleanly between frames."""
    header = _recv_exactly(sock, _HEADER.size, eof_ok=True)
    if header is None:
        return None
    kind, length = _HEADER.unpack(header)
    if length > MAX_FRAME:
        raise ControlError(f"control socket: frame of {length} bytes refused")
    payload = _recv_exactly(sock, length, eof_ok=False) or b""
    return kind, payload


def recv_json(sock: socket.socket, kind: bytes) -> dict[str, Any]:
    frame = recv_frame(sock)
    if frame is None or frame[0] != kind:
        raise ControlError("control socket: the other side hung up or spoke out of turn")
    data = json.loads(frame[1])
    if not isinstance(data, dict):
        raise ControlError("control socket: malformed message")
    return data


def _recv_exactly(sock: socket.socket, size: int, *, eof_ok: bool) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, CHUNK))
        if not chunk:
            if eof_ok and left == size:
                return None
            raise ControlError("control socket: connection closed in the middle of a frame")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def remote_error(kind: str, message: str) -> EdgeGUIError:
    """The error a master reported, as its own class where that takes just a message."""
    found = getattr(errors, kind, None)
    if isinstance(found, type) and issubclass(found, EdgeGUIError):
        try:
            return found(message)
        except TypeError:
            pass  # a class with structured arguments (host-key errors)
    return TransportError(message)
