"""Device variants: the ways real boxes differ from the lab's default one.

Each flag changes the device at the OS level (what runs on its console, how sshd and
dockerd are configured, what the user may do), never our code. ``DeviceFlags.parse`` reads
the ``--flag`` words of ``python -m tests.lab up``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

# What the serial console runs, as found by a technician:
CONSOLES = {
    "login": "shadow's /bin/login straight on the line (no getty)",
    "login-noint": "/bin/login started with SIGINT ignored (^C does nothing)",
    "agetty": "agetty asking for the user name, then /bin/login for the password",
    "bash": "a logged-in bash shell (tech), left open by someone",
    "ash": "busybox ash as root with a '# ' prompt and no login (Yocto style)",
    "askfirst": "OpenWrt: 'Please press Enter to activate this console', then a root ash",
    "garbled": "the line at the wrong baud rate: every byte arrives as noise",
    "dead": "nothing answers on the line (unpowered device, broken cable)",
}
# Where the device's engine listens, and how the login user finds it:
ENGINES = {
    "default": "/var/run/docker.sock",
    "dockerhost": "DOCKER_HOST set in the user's ~/.profile, socket /run/edge/docker.sock",
    "context": "a docker context (docker context use edge) for /run/edge/docker.sock",
    "rootless": "the user's own socket $XDG_RUNTIME_DIR/docker.sock (rootless layout)",
}
EDGE_SOCKET = "/run/edge/docker.sock"


@dataclass(frozen=True)
class DeviceFlags:
    """How one lab device differs from the default."""

    console: str = "login"
    engine: str = "default"
    max_sessions: int | None = None  # sshd MaxSessions (OpenSSH's default is 10)
    stream_forwarding: bool = True  # AllowStreamLocalForwarding (off: dial-stdio only)
    docker_group: bool = True  # the login user is in the docker group
    sudo_password: bool = False  # sudo asks for the user's password
    no_cfs_quota: bool = False  # the engine reports no CPU CFS quota support
    dockerd: bool = True  # off: no engine at all (console tests start faster)
    cgroup: str = "host"  # v2: the device sees only the unified hierarchy (cgroup v2 layout)
    mac: str = ""  # eth0's MAC address (e.g. a Raspberry Pi's dc:a6:32:…); default: random

    def __post_init__(self) -> None:
        if self.console not in CONSOLES:
            raise ValueError(f"console must be one of {', '.join(CONSOLES)}")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}")

    def engine_socket(self, uid: int) -> str:
        """The engine's socket inside the device, for a login user of ``uid``."""
        if self.engine == "default":
            return "/run/docker.sock"
        if self.engine == "rootless":
            return f"/run/user/{uid}/docker.sock"
        return EDGE_SOCKET

    @classmethod
    def parse(cls, words: list[str]) -> DeviceFlags:
        """``console=bash max_sessions=2 docker_group=no`` → DeviceFlags."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, object] = {}
        for word in words:
            name, _, raw = word.partition("=")
            if name not in fields:
                raise ValueError(f"unknown device flag {name!r} ({', '.join(fields)})")
            kind = fields[name].type
            if "bool" in str(kind):
                values[name] = raw.lower() in ("1", "yes", "true", "on")
            elif "int" in str(kind):
                values[name] = int(raw)
            else:
                values[name] = raw
        return cls(**values)  # type: ignore[arg-type]
