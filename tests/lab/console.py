"""Ptys for the lab: the serial console (real /bin/login) and simulated field devices."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.lab.proc import kill_all, nsenter_argv, spawn, wait_for

# Respawns /bin/login on the device end of the console, as getty does on a real box.
LOGIN_LOOP = 'while :; do setsid -w -c /bin/login <"$1" >"$1" 2>&1; sleep 0.2; done'


class PtyLink:
    """socat joining a new pty (its slave reachable at ``link``) to ``far_end``.

    The lab holds the slave ends open itself, so the pty survives users closing it.
    """

    def __init__(self, link: Path, far_end: str, log: Path, extra_link: Path | None = None):
        self.link = link
        self.far_end = far_end
        self.extra_link = extra_link  # far end's own pty slave, when it is a PTY too
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self._held: list[int] = []

    def start(self) -> None:
        for path in (self.link, self.extra_link):
            if path is not None:
                path.unlink(missing_ok=True)
        near = f"PTY,link={self.link},raw,echo=0"
        self.proc = spawn(["socat", near, self.far_end], self.log)
        for path in (self.link, self.extra_link):
            if path is not None:
                wait_for(path.exists, 10, f"pty {path}")
                self._held.append(os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK))

    @property
    def slave(self) -> str:
        return os.path.realpath(self.link)

    def stop(self) -> None:
        """Take the pty away, as pulling a USB adapter does."""
        for fd in self._held:
            os.close(fd)
        self._held.clear()
        if self.proc is not None:
            kill_all([self.proc.pid], grace=1.0)
            self.proc.wait()
            self.proc = None
        for path in (self.link, self.extra_link):
            if path is not None:
                path.unlink(missing_ok=True)


def console_link(state: Path) -> PtyLink:
    """The laptop end (``state/console``) joined to the device end (``state/console-tty``)."""
    device_tty = state / "console-tty"
    return PtyLink(
        state / "console", f"PTY,link={device_tty}", state / "console-socat.log", device_tty
    )


def field_device_link(state: Path, tty: str, kind: str) -> PtyLink:
    """A pty whose far end simulates the field device on a serial adapter (PLC, scanner…)."""
    far = f"EXEC:{sys.executable} -m tests.lab.field {kind},pty,raw,echo=0"
    return PtyLink(state / f"field-{tty}", far, state / f"field-{tty}.log")


def login_loop(holder_pid: int, tty: Path, log: Path) -> subprocess.Popen[bytes]:
    return spawn([*nsenter_argv(holder_pid), "sh", "-c", LOGIN_LOOP, "getty", str(tty)], log)
