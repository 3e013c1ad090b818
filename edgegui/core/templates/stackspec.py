"""Read a template's ``stack`` into long-form Compose with placeholders, checking it as we go.

Short syntaxes (``"127.0.0.1:8080:80"``, ``"data:/var/lib/x:ro"``) are split here, before
values are substituted, so a value containing ``:`` (an IPv6 address, a by-id link) can
never change how a line is read. Every problem is reported at its ``file:line:column``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from edgegui.core.templates.errors import TemplateError
from edgegui.core.templates.hardening import unused_waivers, waivers_needed
from edgegui.core.templates.parameters import ParameterSpec
from edgegui.core.templates.placeholders import Reference, iter_strings, references
from edgegui.core.templates.schema import template_error
from edgegui.core.templates.seccomp import (
    DEFAULT_APPARMOR,
    DEFAULT_PROFILE,
    UnknownProfile,
    profile_text,
)
from edgegui.core.templates.slots import SlotSpec
from edgegui.core.templates.units import parse_duration, parse_size
from edgegui.core.yamlload import YamlDocument

_PLACEHOLDER_ONLY_RE = re.compile(r"^\$\{[^{}]+\}$")
_CONTAINER_PATH_RE = re.compile(r"^/[A-Za-z0-9._@+=,/-]*$")
_SECRET_TARGET_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
USER_RE = re.compile(r"^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?$")
_PORT_PROTOCOLS = ("tcp", "udp")


def _absolute_path(path: str) -> bool:
    return bool(_CONTAINER_PATH_RE.match(path)) and ".." not in path.split("/")


def secret_object_name(parameter: str) -> str:
    """The Compose/Kubernetes name of the secret holding ``parameter`` (``API_KEY`` → api-key)."""
    return parameter.lower().replace("_", "-")


@dataclass
class ServiceSpec:
    """One service of a template or add-on, in long-form Compose, placeholders unreplaced."""

    name: str
    body: dict[str, Any]
    waivers: dict[str, str] = field(default_factory=dict)
    gpu_slot: str | None = None
    origin: str = ""
    seccomp: str | None = DEFAULT_PROFILE  # None: waived, the engine's default profile
    apparmor: str = DEFAULT_APPARMOR


@dataclass
class StackSpec:
    """Everything under ``stack:`` of one template or add-on file."""

    services: dict[str, ServiceSpec] = field(default_factory=dict)
    volume_sizes: dict[str, Any] = field(default_factory=dict)
    configs: dict[str, str] = field(default_factory=dict)
    network: dict[str, Any] = field(default_factory=dict)  # settings of the default network
    used_parameters: set[str] = field(default_factory=set)
    used_slots: set[str] = field(default_factory=set)


class _StackReader:
    def __init__(
        self,
        document: YamlDocument,
        parameters: Mapping[str, ParameterSpec],
        slots: Mapping[str, SlotSpec],
        origin: str,
    ) -> None:
        self.doc = document
        self.parameters = parameters
        self.slots = slots
        self.origin = origin
        self.raw: dict[str, Any] = document.data["stack"]
        self.spec = StackSpec()

    def fail(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> TemplateError:
        return template_error(self.doc, ("stack", *path), message, key=key)

    def read(self) -> StackSpec:
        self._check_placeholders()
        for name, size in sorted((self.raw.get("volumes") or {}).items()):
            self.spec.volume_sizes[name] = ((size or {}).get("x-edgegui") or {}).get("size")
            self._literal_size(("volumes", name, "x-edgegui", "size"), self.spec.volume_sizes[name])
        for name, config in sorted((self.raw.get("configs") or {}).items()):
            self.spec.configs[name] = config["content"]
        self.spec.network = dict((self.raw.get("networks") or {}).get("default") or {})
        for name, body in self.raw["services"].items():
            self.spec.services[name] = self._service(name, body)
        self._check_cross_references()
        return self.spec

    def _check_placeholders(self) -> None:
        for path, text in iter_strings(self.raw):
            try:
                found = references(text)
            except ValueError as exc:
                raise self.fail(path, str(exc)) from None
            for ref in found:
                self._check_reference(path, ref)

    def _check_reference(self, path: tuple[Any, ...], ref: Reference) -> None:
        if ref.kind == "slot":
            if ref.name not in self.slots:
                raise self.fail(path, f"{ref}: no slot named {ref.name!r} is declared")
            in_device = len(path) >= 4 and path[2] == "devices"
            if not in_device or self.slots[ref.name].kind == "gpu":
                raise self.fail(
                    path,
                    f"{ref}: a serial or scanner slot can only be a device source (devices:); "
                    "a GPU slot is named in x-edgegui.gpu",
                )
            self.spec.used_slots.add(ref.name)
            return
        spec = self.parameters.get(ref.name)
        if spec is None:
            raise self.fail(path, f"{ref}: no parameter named {ref.name!r} is declared")
        if spec.secret:
            raise self.fail(
                path,
                f"{ref} is a secret: mount it with `secrets: [{ref.name}]` instead of writing "
                "its value into the stack",
            )
        self.spec.used_parameters.add(ref.name)

    def _service(self, name: str, raw: dict[str, Any]) -> ServiceSpec:
        base = ("services", name)
        extension = raw.get("x-edgegui") or {}
        body: dict[str, Any] = {k: v for k, v in raw.items() if k != "x-edgegui"}
        readers = {
            "devices": self._device,
            "volumes": self._volume,
            "ports": self._port,
            "secrets": self._secret,
            "configs": self._config,
        }
        for key, reader in readers.items():
            if key in body:
                body[key] = [reader((*base, key, i), item) for i, item in enumerate(body[key])]
        self._check_scalars(base, body)
        waivers = {
            rule: " ".join(why.split()) for rule, why in (extension.get("waivers") or {}).items()
        }
        service = ServiceSpec(name, body, waivers, origin=self.origin)
        self._confinement(base, extension, service)
        gpu = extension.get("gpu")
        if gpu is not None:
            if gpu not in self.slots or self.slots[gpu].kind != "gpu":
                raise self.fail((*base, "x-edgegui", "gpu"), f"{gpu!r} is not a declared GPU slot")
            service.gpu_slot = gpu
            self.spec.used_slots.add(gpu)
        self._check_waivers(base, service)
        return service

    def _confinement(
        self, base: tuple[Any, ...], extension: dict[str, Any], service: ServiceSpec
    ) -> None:
        """The service's seccomp profile (a built-in one, or waived) and AppArmor profile."""
        path = (*base, "x-edgegui", "seccomp")
        if "seccomp" in service.waivers:
            if "seccomp" in extension:
                raise self.fail(path, "names a profile and waives seccomp; keep one", key=True)
            service.seccomp = None
        elif "seccomp" in extension:
            try:
                profile_text(extension["seccomp"])
            except UnknownProfile as exc:
                raise self.fail(path, str(exc)) from None
            service.seccomp = extension["seccomp"]
        service.apparmor = extension.get("apparmor", DEFAULT_APPARMOR)

    def _device(self, path: tuple[Any, ...], item: Any) -> dict[str, Any]:
        if isinstance(item, str):
            source, _, rest = item.partition(":")
            target, _, permissions = rest.partition(":")
            item = {"source": source, "target": target, "permissions": permissions or "rwm"}
        if not re.fullmatch(r"\$\{slot\.[a-z0-9_]+\}", item["source"]):
            raise self.fail(
                path,
                "a device must come from a hardware slot, e.g. ${slot.plc_port}:/dev/plc "
                "(fixed host paths such as /dev/ttyUSB0 change on replug)",
            )
        self._container_path(path, item.get("target", ""))
        return {
            "source": item["source"],
            "target": item["target"],
            "permissions": item.get("permissions", "rwm"),
        }

    def _volume(self, path: tuple[Any, ...], item: Any) -> dict[str, Any]:
        if isinstance(item, str):
            parts = item.split(":")
            if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] not in ("ro", "rw")):
                raise self.fail(path, f"{item!r}: expected SOURCE:/container/path[:ro]")
            source, target = parts[0], parts[1]
            kind = "bind" if source.startswith("/") or self._is_path_parameter(source) else "volume"
            item = {
                "type": kind,
                "source": source,
                "target": target,
                "read_only": parts[2:] == ["ro"],
            }
        item = {"read_only": False, **item}
        if item["type"] == "volume" and item["source"] not in (self.raw.get("volumes") or {}):
            raise self.fail(path, f"volume {item['source']!r} is not declared under stack.volumes")
        source = item["source"]
        if item["type"] == "bind" and not (
            _absolute_path(source) or self._is_path_parameter(source)
        ):
            raise self.fail(
                path,
                f"bind source {item['source']!r} must be an absolute path without '..', "
                "or a path parameter",
            )
        self._container_path(path, item["target"])
        return dict(item)

    def _is_path_parameter(self, text: str) -> bool:
        name = text[2:-1] if _PLACEHOLDER_ONLY_RE.match(text) else ""
        return name in self.parameters and self.parameters[name].type == "path"

    def _port(self, path: tuple[Any, ...], item: Any) -> dict[str, Any]:
        if isinstance(item, str):
            item = self._short_port(path, item)
        port = {"protocol": "tcp", **item}
        for key in ("target", "published"):
            self._literal_int(path, port[key], 1, 65535, f"port {key}")
        return port

    def _short_port(self, path: tuple[Any, ...], text: str) -> dict[str, Any]:
        spec, _, protocol = text.partition("/")
        if protocol and protocol not in _PORT_PROTOCOLS:
            raise self.fail(path, f"{text!r}: protocol must be tcp or udp")
        host_ip = ""
        if spec.startswith("["):
            host_ip, _, spec = spec[1:].partition("]")
            spec = spec.removeprefix(":")
        parts = spec.split(":")
        if not host_ip and len(parts) == 3:
            host_ip = parts.pop(0)
        if len(parts) != 2:
            raise self.fail(
                path,
                f"{text!r}: expected [ADDRESS:]PUBLISHED:TARGET (never a random published port)",
            )
        port = {"target": parts[1], "published": parts[0], "protocol": protocol or "tcp"}
        if host_ip:
            port["host_ip"] = host_ip
        return port

    def _secret(self, path: tuple[Any, ...], item: Any) -> dict[str, Any]:
        if isinstance(item, str):
            item = {"source": item}
        source = item["source"]
        if source not in self.parameters or not self.parameters[source].secret:
            raise self.fail(path, f"{source!r} is not a declared secret parameter")
        target = item.get("target", secret_object_name(source))
        if not _SECRET_TARGET_RE.match(target):
            raise self.fail(
                path, f"target {target!r} must be a file name (mounted under /run/secrets)"
            )
        self.spec.used_parameters.add(source)
        return {"source": source, "target": target}

    def _config(self, path: tuple[Any, ...], item: Any) -> dict[str, Any]:
        if isinstance(item, str):
            item = {"source": item}
        if item["source"] not in (self.raw.get("configs") or {}):
            raise self.fail(path, f"config {item['source']!r} is not declared under stack.configs")
        target = item.get("target", "/" + item["source"])
        self._container_path(path, target)
        return {"source": item["source"], "target": target}

    def _container_path(self, path: tuple[Any, ...], target: str) -> None:
        if not _absolute_path(target):
            raise self.fail(path, f"{target!r} must be an absolute path inside the container")

    def _check_scalars(self, base: tuple[Any, ...], body: dict[str, Any]) -> None:
        self._literal_size((*base, "mem_limit"), body.get("mem_limit"))
        if "cpus" in body and not isinstance(body["cpus"], str) and body["cpus"] <= 0:
            raise self.fail((*base, "cpus"), "must be more than 0")
        if "pids_limit" in body:
            self._literal_int((*base, "pids_limit"), body["pids_limit"], 16, 1 << 22, "pids_limit")
        user = body.get("user")
        if isinstance(user, str) and "$" not in user and not USER_RE.match(user):
            raise self.fail((*base, "user"), f"{user!r}: expected USER or UID[:GID]")
        for key in ("interval", "timeout", "start_period"):
            value = (body.get("healthcheck") or {}).get(key)
            if value is not None and "$" not in value:
                try:
                    parse_duration(value)
                except ValueError as exc:
                    raise self.fail((*base, "healthcheck", key), str(exc)) from None
        for i, entry in enumerate(body.get("tmpfs", ())):
            self._container_path((*base, "tmpfs", i), entry.split(":", 1)[0])
        if body.get("network_mode") == "host" and body.get("ports"):
            raise self.fail((*base, "ports"), "a service on the host network publishes no ports")

    def _literal_int(
        self, path: tuple[Any, ...], value: Any, low: int, high: int, what: str
    ) -> None:
        if isinstance(value, str) and "$" in value:
            return
        text = str(value)
        if not text.isdigit() or not low <= int(text) <= high:
            raise self.fail(path, f"{what} must be a number from {low} to {high}, got {value!r}")

    def _literal_size(self, path: tuple[Any, ...], value: Any) -> None:
        if value is None or (isinstance(value, str) and "$" in value):
            return
        try:
            parse_size(value)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None

    def _check_waivers(self, base: tuple[Any, ...], service: ServiceSpec) -> None:
        for rule, setting in waivers_needed(service.body).items():
            if rule not in service.waivers:
                raise self.fail(
                    (*base, setting),
                    f"breaks the hardening rule {rule!r}: "
                    f"add x-edgegui.waivers.{rule} with the reason",
                    key=True,
                )
        for rule in unused_waivers(service.body, service.waivers):
            raise self.fail(
                (*base, "x-edgegui", "waivers", rule),
                f"waiver {rule!r} is not needed by this service; remove it",
                key=True,
            )

    def _check_cross_references(self) -> None:
        services = self.spec.services
        for name, service in services.items():
            for i, other in enumerate(service.body.get("depends_on", ())):
                if other not in services or other == name:
                    raise self.fail(
                        ("services", name, "depends_on", i), f"no other service {other!r}"
                    )
        used_volumes = {
            v["source"]
            for s in services.values()
            for v in s.body.get("volumes", ())
            if v["type"] == "volume"
        }
        used_configs = {c["source"] for s in services.values() for c in s.body.get("configs", ())}
        for kind, declared, used in (
            ("volumes", self.spec.volume_sizes, used_volumes),
            ("configs", self.spec.configs, used_configs),
        ):
            for name in sorted(set(declared) - used):
                raise self.fail(
                    (kind, name),
                    f"{kind[:-1]} {name!r} is declared but no service uses it",
                    key=True,
                )


def read_stack(
    document: YamlDocument,
    parameters: Mapping[str, ParameterSpec],
    slots: Mapping[str, SlotSpec],
    origin: str,
) -> StackSpec:
    """Parse and check ``stack:`` of a schema-valid template document."""
    return _StackReader(document, parameters, slots, origin).read()
