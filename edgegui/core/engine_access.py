"""Give the login user access to the device's Docker Engine: ``usermod -aG GROUP USER``.

The fix preflight names when the engine answers "permission denied", run as an explicit
action (CLI verb, GUI button), never behind the user's back. sudo's password travels on
the command's standard input (never in an argument); a console has no separate stdin, so
over serial only a sudo that needs no password can do it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edgegui.core.errors import AuthenticationError, EdgeGUIError
from edgegui.core.transport.base import Transport

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}\$?$")


class EngineAccessError(EdgeGUIError):
    """The user could not be added to the engine's group."""


@dataclass(frozen=True)
class EngineAccess:
    """Who was added to which group; a new login session picks the group up."""

    user: str
    group: str
    already: bool

    def describe(self) -> str:
        if self.already:
            return f"{self.user} is already in group {self.group}; reconnect to use the engine"
        return f"{self.user} added to group {self.group}; reconnect for it to take effect"


def user_in_group(transport: Transport, user: str, group: str) -> bool:
    result = transport.run(["id", "-nG", user], timeout=30)
    return result.ok and group in result.text.split()


def sudo_needs_password(transport: Transport) -> bool:
    """True when sudo on the device would ask for the user's password."""
    result = transport.run(["sudo", "-n", "true"], timeout=30)
    if result.ok:
        return False
    text = (result.stderr or result.stdout).decode(errors="replace").lower()
    if "not in the sudoers" in text or "not allowed" in text:
        raise EngineAccessError(f"{transport.describe()}: {_first_line(text)}; {_ask_admin()}")
    if "command not found" in text or "not found" in text:
        raise EngineAccessError(f"{transport.describe()}: sudo is not installed; {_ask_admin()}")
    return True


def grant_engine_access(
    transport: Transport, user: str, group: str = "docker", sudo_password: str | None = None
) -> EngineAccess:
    """Add ``user`` to ``group`` on the device with sudo (password on stdin if given)."""
    for value, what in ((user, "user"), (group, "group")):
        if not _NAME_RE.match(value):
            raise EngineAccessError(f"{value[:40]!r} is not a valid {what} name")
    where = transport.describe()
    if user_in_group(transport, user, group):
        return EngineAccess(user, group, already=True)
    argv = ["usermod", "-aG", group, user]
    if sudo_password is None:
        result = transport.run(["sudo", "-n", "--", *argv], timeout=60)
    else:
        if transport.scheme == "serial":
            raise EngineAccessError(
                f"{where}: sudo needs a password, which cannot be typed safely on a console; "
                f"connect over SSH, or run sudo {' '.join(argv)} on the device"
            )
        result = transport.run(
            ["sudo", "-S", "-p", "", "--", *argv],
            stdin=sudo_password.encode() + b"\n",
            timeout=60,
        )
    if result.ok:
        return EngineAccess(user, group, already=False)
    text = (result.stderr or result.stdout).decode(errors="replace")
    lowered = text.lower()
    if "incorrect password" in lowered or "sorry, try again" in lowered:
        raise AuthenticationError(f"{where}: sudo refused the password for {user}")
    if "password is required" in lowered:
        raise AuthenticationError(f"{where}: sudo asks for {user}'s password")
    raise EngineAccessError(f"{where}: sudo {' '.join(argv)} failed: {_first_line(text)}")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _ask_admin() -> str:
    return "ask the device's administrator to add the user to the docker group"
