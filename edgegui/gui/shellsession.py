"""Interactive shells for the terminal: an SSH pty channel or the serial console itself.

Blocking reads and writes: the terminal screen calls them on a worker thread.
"""

from __future__ import annotations

from typing import Protocol

from edgegui.core.errors import Unsupported
from edgegui.core.transport import Transport

READ_CHUNK = 65536


class ShellSession(Protocol):
    local_echo: bool

    def read(self, wait: float) -> bytes: ...
    def write(self, data: bytes) -> None: ...
    def resize(self, columns: int, lines: int) -> None: ...
    def close(self) -> None: ...


class SshShell:
    """A login shell on a pty channel; without a pty (refused by the server), a plain shell
    with local echo and LF line ends, so the technician can still run commands."""

    def __init__(self, transport: Transport, columns: int, lines: int) -> None:
        import paramiko  # here, not at start-up: it takes longer to import than the window

        connection = transport.connection  # type: ignore[attr-defined]  # a property
        self.channel = connection.open_session()
        self.local_echo = False
        try:
            self.channel.get_pty(term="vt100", width=columns, height=lines)
        except paramiko.SSHException:  # e.g. "openpty: No such file" on a box without devpts
            self.channel = connection.open_session()
            self.local_echo = True
        self.channel.invoke_shell()

    def read(self, wait: float) -> bytes:
        self.channel.settimeout(wait)
        try:
            data: bytes = self.channel.recv(READ_CHUNK)
        except TimeoutError:
            return b""
        if not data and self.channel.exit_status_ready():
            raise EOFError("the shell ended")
        return data.replace(b"\n", b"\r\n") if self.local_echo else data

    def write(self, data: bytes) -> None:
        self.channel.sendall(data.replace(b"\r", b"\n") if self.local_echo else data)

    def resize(self, columns: int, lines: int) -> None:
        if not self.local_echo:
            self.channel.resize_pty(width=columns, height=lines)

    def close(self) -> None:
        self.channel.close()


class SerialShell:
    """The console line itself: what the device prints, and our keystrokes."""

    local_echo = False  # the console's own tty echoes

    def __init__(self, transport: Transport) -> None:
        self.link = transport.link  # type: ignore[attr-defined]

    def read(self, wait: float) -> bytes:
        data: bytes = self.link.read(wait)
        return data

    def write(self, data: bytes) -> None:
        self.link.write(data)

    def resize(self, columns: int, lines: int) -> None:
        """A serial console has no window size to tell."""

    def close(self) -> None:
        """The console stays with the transport."""


def open_shell(transport: Transport, columns: int = 100, lines: int = 30) -> ShellSession:
    if transport.scheme == "ssh":
        return SshShell(transport, columns, lines)
    if transport.scheme == "serial":
        return SerialShell(transport)
    raise Unsupported(f"{transport.target}: no terminal for {transport.scheme} (use your own)")
