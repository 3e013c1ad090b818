"""The result of rendering: a normalised Compose stack that writes itself in three formats."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.templates.errors import RenderError
from edgegui.core.templates.hardening import Waiver
from edgegui.core.templates.output import CONFIGS_DIR, SECRETS_DIR, FormatOutput
from edgegui.core.templates.render_compose import render_compose
from edgegui.core.templates.render_k8s import render_k8s
from edgegui.core.templates.render_swarm import render_swarm
from edgegui.core.templates.requirements import Requirements
from edgegui.core.templates.seccomp import PROFILE_DIR, profile_in, profile_text
from edgegui.core.templates.slots import SlotBinding

_RENDERERS: dict[str, Callable[[RenderedStack], FormatOutput]] = {
    "compose": render_compose,
    "swarm": render_swarm,
    "k8s": render_k8s,
}
FORMATS = tuple(_RENDERERS)
FORMAT_TITLES = {"compose": "Docker Compose", "swarm": "Docker Swarm", "k8s": "Kubernetes"}
MAIN_FILE = {"compose": "compose.yaml", "swarm": "stack.yaml", "k8s": "manifests.yaml"}


@dataclass(frozen=True)
class ServiceInfo:
    """What rendering decided for one service beyond its Compose body."""

    name: str
    origin: str
    waivers: tuple[tuple[str, str], ...] = ()
    devices: tuple[SlotBinding, ...] = ()
    gpu: SlotBinding | None = None
    seccomp: str | None = None  # built-in profile; None: the engine's default (or privileged)
    apparmor: str = "docker-default"  # applied only where the device's engine has AppArmor


@dataclass(repr=False)
class RenderedStack:
    """A stack ready to write. ``compose`` holds no secret value; ``secret_files`` does."""

    name: str
    source: str
    compose: dict[str, Any]
    services: dict[str, ServiceInfo]
    volume_sizes: dict[str, int]
    config_files: dict[str, str]
    requirements: Requirements
    bindings: dict[str, SlotBinding]
    secret_owners: dict[str, str]
    secrets: dict[str, str] = field(default_factory=dict)
    # "add-on openfaas" -> ("swarm",): parts that run only in some formats
    formats: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # What rendering for this device decided on its own: values filled from the device,
    # limits its engine cannot enforce that were converted or dropped. Shown to the user.
    notes: list[str] = field(default_factory=list)
    # Every parameter as a report may show it: secrets only as "set" or "not set".
    parameters: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # never print secret values
        return f"RenderedStack({self.name!r}, services={sorted(self.services)}, secrets=***)"

    @property
    def images(self) -> list[str]:
        """Every image the stack runs, sorted, once each."""
        return sorted({body["image"] for body in self.compose["services"].values()})

    @property
    def seccomp_profiles(self) -> dict[str, str]:
        """Built-in seccomp profile name -> JSON, for those the services use."""
        names = {profile_in(b.get("security_opt")) for b in self.compose["services"].values()}
        return {name: profile_text(name) for name in sorted(n for n in names if n)}

    def pin_images(self, pinned: Mapping[str, str]) -> None:
        """Replace image references (``edgegui/x:1`` -> ``edgegui/x:1@sha256:…``)."""
        for body in self.compose["services"].values():
            body["image"] = pinned.get(body["image"], body["image"])

    def allows(self, fmt: str) -> bool:
        """Whether every template and add-on of the stack can run in ``fmt``."""
        return all(fmt in allowed for allowed in self.formats.values())

    def check_format(self, fmt: str) -> None:
        """RenderError naming the part that cannot run in ``fmt``."""
        for part, allowed in self.formats.items():
            if fmt not in allowed:
                raise RenderError(
                    f"{self.name}: {part} runs only on "
                    f"{' or '.join(FORMAT_TITLES[f] for f in allowed)}; it cannot be rendered "
                    f"as {fmt} (use --format {allowed[0]})"
                )

    @property
    def secret_files(self) -> dict[str, str]:
        """Secret name -> value, to be written 0600 (owner in ``secret_owners``) on the device."""
        return dict(self.secrets)

    @property
    def waivers(self) -> list[Waiver]:
        return [
            Waiver(info.name, rule, reason)
            for info in self.services.values()
            for rule, reason in info.waivers
        ]

    def render(self, fmt: str) -> FormatOutput:
        """The main file in ``fmt`` (compose, swarm or k8s) and what it could not express."""
        if fmt not in _RENDERERS:
            raise RenderError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
        self.check_format(fmt)
        return _RENDERERS[fmt](self)

    def to_compose_yaml(self) -> str:
        return self.render("compose").text

    def to_swarm_yaml(self) -> str:
        return self.render("swarm").text

    def to_k8s_yaml(self) -> str:
        return self.render("k8s").text

    def limitations(self, fmt: str) -> list[str]:
        return list(self.render(fmt).limitations)

    def bundle(self, fmt: str) -> dict[str, tuple[str, int]]:
        """Relative path -> (text, file mode) of every file the format needs, main file first."""
        files = {MAIN_FILE[fmt]: (self.render(fmt).text, 0o644)}
        for name, text in sorted(self.config_files.items()):
            files[f"{CONFIGS_DIR}/{name}"] = (text, 0o644)
        if fmt != "swarm":  # a Swarm stack cannot refer to a seccomp profile
            for name, text in self.seccomp_profiles.items():
                files[f"{PROFILE_DIR}/{name}.json"] = (text, 0o644)
        for name, value in sorted(self.secrets.items()):
            files[f"{SECRETS_DIR}/{name}"] = (value, 0o600)
        return files
