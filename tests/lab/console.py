"""Ptys for the lab: the serial console (real /bin/login) and simulated field devices."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.lab.proc import kill_all, nsenter_argv, spawn, wait_for

# What each console variant (tests/lab/flags.py) runs on the device end of the console,
# respawned when it exits, as init respawns a getty on a real box. "$1" is the device tty.
_ON_TTY = '<"$1" >"$1" 2>&1'
_ROOT_ENV = "env -i HOME=/root TERM=vt100 PATH=/usr/sbin:/usr/bin:/sbin:/bin"
CONSOLE_PROGRAMS = {
    "login": f"setsid -w -c /bin/login {_ON_TTY}",
    "login-noint": f"trap '' INT; setsid -w -c /bin/login {_ON_TTY}",
    # agetty opens the line itself (a name below /dev) and execs login with the user name.
    "agetty": 'setsid -w agetty --noclear -L -8 "${1#/dev/}" 115200 vt100',
    "bash": f"setsid -w -c env TERM=vt100 /bin/login -f tech {_ON_TTY}",
    "ash": f"setsid -w -c {_ROOT_ENV} PS1='# ' busybox ash {_ON_TTY}",
    "askfirst": (
        "printf '\\r\\nPlease press Enter to activate this console.\\r\\n' >\"$1\"; "
        f"read _ <\"$1\"; setsid -w -c {_ROOT_ENV} PS1='root@OpenWrt:/# ' busybox ash {_ON_TTY}"
    ),
}
# Variants whose far end is not a device tty at all but a program on the wire.
LINE_PROGRAMS = {"garbled": "garbled", "dead": "silent"}


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


def console_link(state: Path, kind: str = "login") -> PtyLink:
    """The laptop end (``state/console``) joined to the device end (``state/console-tty``)."""
    if kind in LINE_PROGRAMS:
        far = f"EXEC:{sys.executable} -m tests.lab.field {LINE_PROGRAMS[kind]},pty,raw,echo=0"
        return PtyLink(state / "console", far, state / "console-socat.log")
    device_tty = state / "console-tty"
    return PtyLink(
        state / "console", f"PTY,link={device_tty}", state / "console-socat.log", device_tty
    )


def field_device_link(state: Path, tty: str, kind: str) -> PtyLink:
    """A pty whose far end simulates the field device on a serial adapter (PLC, scanner…)."""
    far = f"EXEC:{sys.executable} -m tests.lab.field {kind},pty,raw,echo=0"
    return PtyLink(state / f"field-{tty}", far, state / f"field-{tty}.log")


def login_loop(
    holder_pid: int, tty: Path, log: Path, kind: str = "login"
) -> subprocess.Popen[bytes] | None:
    """Respawn the console program of ``kind`` on the device tty (None: nothing runs there)."""
    if kind in LINE_PROGRAMS:
        return None
    # Resolved on every round: a replugged console is a new pty behind the same link, and
    # agetty wants its /dev/pts/N name rather than our link.
    loop = (
        'link=$1; while :; do set -- "$(readlink -f "$link")"; '
        f"{CONSOLE_PROGRAMS[kind]}; sleep 0.2; done"
    )
    return spawn([*nsenter_argv(holder_pid), "sh", "-c", loop, "getty", str(tty)], log)


def type_on_console(link: Path, text: bytes) -> None:
    """Type on the console as a person at the device would, then walk away."""
    fd = os.open(link, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, text)
    finally:
        os.close(fd)
