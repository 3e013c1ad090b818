"""Process helpers for the lab: run as root, in a device's namespaces, and kill reliably."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def sh(argv: Sequence[str], *, check: bool = True, input: bytes | None = None) -> str:
    """Run a short host command; return stdout; raise with stderr on failure."""
    proc = subprocess.run(list(argv), input=input, capture_output=True, timeout=120)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode(errors="replace")


def nsenter_argv(holder_pid: int) -> list[str]:
    """Prefix that runs a command inside a device's net, mount and UTS namespaces."""
    return ["nsenter", "-t", str(holder_pid), "-m", "-u", "-n", "--"]


def spawn(argv: Sequence[str], log: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    """Start a long-running process in its own session, logging to ``log``.

    Signal dispositions start at their defaults, as on a real device booted by init: a test
    runner started with SIGINT ignored (CI often is) must not pass that on to the device's
    login, shells and programs, or ^C on the lab console would behave unlike any real one.
    """
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
            ["env", "--default-signal", *argv],
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )


def mount_ns_inode(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}/ns/mnt").st_ino
    except OSError:
        return None


def pids_in_mount_ns(inode: int) -> list[int]:
    """Every process living in the mount namespace ``inode`` (the whole device)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and mount_ns_inode(int(entry.name)) == inode:
            found.append(int(entry.name))
    return found


def pids_mentioning(text: str) -> list[int]:
    """Processes whose command line contains ``text`` (leftovers of a dead lab)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                    errors="replace"
                ):
                    found.append(int(entry.name))
    return found


def kill_all(pids: Sequence[int], grace: float = 5.0) -> None:
    """SIGTERM, wait up to ``grace`` seconds, then SIGKILL what is left."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _alive(pid)]
        time.sleep(0.05)
    for pid in alive:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for pid in alive:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


def _alive(pid: int) -> bool:
    try:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return False
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def wait_for(predicate: object, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(interval)
    raise TimeoutError(f"lab: {what} not ready within {timeout:g} s")
