"""Read what confines containers from the engine's ``docker info`` SecurityOptions."""

from __future__ import annotations

from typing import Any


def engine_confinement(security_options: Any) -> tuple[bool, bool]:
    """(seccomp, apparmor) support from ``SecurityOptions`` entries such as
    ``name=seccomp,profile=default`` and ``name=apparmor``."""
    names = {
        part.removeprefix("name=")
        for option in security_options or ()
        for part in str(option).split(",")
        if part.startswith("name=")
    }
    return "seccomp" in names, "apparmor" in names
