"""Seccomp and AppArmor for a stack version, decided by what the device's engine enforces.

A profile is only written where the engine applies it: AppArmor ``apparmor=…`` only on an
engine that reports AppArmor (elsewhere the container would claim a profile nothing enforces),
and the seccomp profile only on an engine with seccomp (elsewhere it refuses to start it).
What was decided comes back as lines for the deploy result and the handover report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from edgegui.core.deploy.engine_info import engine_info
from edgegui.core.deploy.files import write_public_file
from edgegui.core.deploy.remote_state import STATE_ROOT
from edgegui.core.security_options import engine_confinement
from edgegui.core.templates.rendered import ServiceInfo
from edgegui.core.templates.seccomp import (
    PROFILE_DIR,
    apply_apparmor,
    apply_seccomp,
    profile_in,
)
from edgegui.core.transport.base import Transport

if TYPE_CHECKING:
    import docker


@dataclass(frozen=True)
class EngineConfinement:
    """What the device's engine enforces (from ``docker info`` SecurityOptions)."""

    seccomp: bool
    apparmor: bool


def engine_confinement_of(client: docker.DockerClient) -> EngineConfinement:
    seccomp, apparmor = engine_confinement(engine_info(client).get("SecurityOptions"))
    return EngineConfinement(seccomp=seccomp, apparmor=apparmor)


def confine_services(
    services: dict[str, Any], infos: Mapping[str, ServiceInfo], engine: EngineConfinement
) -> list[str]:
    """Set each service's ``security_opt`` for this engine; returns what confines what."""
    for name, body in services.items():
        if not engine.seccomp:
            apply_seccomp(body, None)
        if engine.apparmor:
            apply_apparmor(body, infos[name].apparmor if name in infos else "docker-default")
    return describe_confinement(services, engine)


def describe_confinement(services: Mapping[str, Any], engine: EngineConfinement) -> list[str]:
    by_profile: dict[str, list[str]] = {}
    apparmor: dict[str, list[str]] = {}
    for name, body in sorted(services.items()):
        options = [str(o) for o in body.get("security_opt", ())]
        if body.get("privileged"):
            by_profile.setdefault("none (privileged: Docker runs it unconfined)", []).append(name)
        else:
            profile = profile_in(options)
            by_profile.setdefault(profile or "the engine's default (waived)", []).append(name)
        for option in options:
            if option.startswith("apparmor="):
                apparmor.setdefault(option.removeprefix("apparmor="), []).append(name)
    lines = []
    if engine.seccomp:
        lines += [f"seccomp {p}: {', '.join(n)}" for p, n in sorted(by_profile.items())]
    else:
        lines.append(
            "seccomp: the device's engine has no seccomp support; no seccomp filter confines "
            "the services"
        )
    if engine.apparmor:
        lines += [f"AppArmor {p}: {', '.join(n)}" for p, n in sorted(apparmor.items())]
    else:
        lines.append(
            "AppArmor: not enabled on the device; no AppArmor profile confines the services"
        )
    return lines


def write_profiles(transport: Transport, stack: str, profiles: Mapping[str, str]) -> None:
    """Copy the seccomp profiles beside the stack's compose.yaml on the device (the file
    refers to them as ./seccomp/NAME.json), so ``docker compose`` there finds them too."""
    for name, text in sorted(profiles.items()):
        relative = f"{STATE_ROOT}/{stack}/{PROFILE_DIR}/{name}.json"
        write_public_file(transport, relative, text, f"seccomp profile {name}")
