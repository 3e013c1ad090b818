"""Turn a template, add-ons, values and slot bindings into one normalised Compose stack."""

from __future__ import annotations

import copy
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import Any, TypeVar

from edgegui.core.security_options import engine_confinement
from edgegui.core.templates.engine_limits import EngineCapabilities, adapt_limits
from edgegui.core.templates.errors import RenderError
from edgegui.core.templates.hardening import harden, waivers_needed
from edgegui.core.templates.loader import Template, load_template
from edgegui.core.templates.output import CONFIGS_DIR, SECRETS_DIR
from edgegui.core.templates.parameters import ParameterSpec, ResolvedValues, resolve_values
from edgegui.core.templates.placeholders import Reference, as_text, substitute, substitute_tree
from edgegui.core.templates.rendered import FORMATS, RenderedStack, ServiceInfo
from edgegui.core.templates.requirements import check_requirements
from edgegui.core.templates.seccomp import apply_apparmor, apply_seccomp
from edgegui.core.templates.slots import SlotBinding, bind_slots
from edgegui.core.templates.stackspec import USER_RE, ServiceSpec, secret_object_name
from edgegui.core.templates.units import docker_size, go_duration, parse_duration, parse_size

DEFAULT_VOLUME_SIZE = 1 << 30
STACK_LABEL = "io.edgegui.stack"
ORIGIN_LABEL = "io.edgegui.origin"
_SLOT_SOURCE_RE = re.compile(r"^\$\{slot\.([a-z0-9_]+)\}$")
_GROUP_RE = re.compile(r"^(?:[0-9]{1,10}|[a-z_][a-z0-9_-]{0,31})$")

T = TypeVar("T")


def render_stack(
    template: Template | str,
    values: Mapping[str, Any] | None = None,
    bindings: Mapping[str, str] | None = None,
    addons: Sequence[Template | str] = (),
    inventory: Mapping[str, Any] | None = None,
) -> RenderedStack:
    """Render ``template`` with ``addons``; raises a one-line EdgeGUIError on any problem."""
    main = load_template(template) if isinstance(template, str) else template
    extra = [load_template(a, kind="addon") if isinstance(a, str) else a for a in addons]
    if main.kind != "template" or any(a.kind != "addon" for a in extra):
        raise RenderError(f"{main.name}: render a template with add-ons, not an add-on on its own")
    parts = [main, *extra]
    if len({p.name for p in parts}) != len(parts):
        raise RenderError(f"{main.name}: an add-on is requested twice")
    parameters = _merged(parts, lambda t: t.parameters, "parameter")
    slots = _merged(parts, lambda t: t.slots, "slot")
    services = _merged(parts, lambda t: t.stack.services, "service")
    volume_sizes = _merged(parts, lambda t: t.stack.volume_sizes, "volume")
    configs = _merged(parts, lambda t: t.stack.configs, "config")
    requirements = reduce(lambda a, b: a.combined(b), [p.requirements for p in parts])

    bound = bind_slots(slots, bindings or {}, inventory, subject=main.name)
    derived, notes = device_values(parameters, values or {}, bound)
    resolved = resolve_values(parameters, {**derived, **(values or {})}, subject=main.name)
    if inventory is not None:
        check_requirements(requirements, inventory, subject=main.name)
    lookup = _lookup(resolved, bound)
    caps = EngineCapabilities.from_inventory(inventory)

    rendered: dict[str, Any] = {}
    infos: dict[str, ServiceInfo] = {}
    for name, spec in services.items():
        rendered[name], infos[name] = _service(spec, lookup, bound, main.name)
        if caps is not None:
            notes += adapt_limits(name, rendered[name], caps)
    secret_owners = _secret_owners(rendered, main.name)
    notes += _confine_for_device(rendered, infos, inventory)
    compose: dict[str, Any] = {"name": main.name, "services": rendered}
    network = _merged_network(parts, main.name)
    if network:
        compose["networks"] = {"default": network}
    if volume_sizes:
        compose["volumes"] = {v: {"labels": {STACK_LABEL: main.name}} for v in volume_sizes}
    if secret_owners:
        compose["secrets"] = {s: {"file": f"./{SECRETS_DIR}/{s}"} for s in secret_owners}
    if configs:
        compose["configs"] = {c: {"file": f"./{CONFIGS_DIR}/{c}"} for c in configs}
    source = f"template {main.name} {main.version}"
    if extra:
        source += " with add-ons " + ", ".join(f"{a.name} {a.version}" for a in extra)
    return RenderedStack(
        name=main.name,
        source=source,
        compose=compose,
        services=infos,
        volume_sizes={
            v: _volume_size(v, size, lookup, main.name) for v, size in volume_sizes.items()
        },
        config_files={c: as_text(substitute(text, lookup)) for c, text in configs.items()},
        requirements=requirements,
        bindings=bound,
        secret_owners=secret_owners,
        formats=_formats(parts),
        secrets={
            secret_object_name(p): resolved.values[p]
            for p, spec in parameters.items()
            if spec.secret and secret_object_name(p) in secret_owners
        },
        notes=notes,
        parameters={p: _shown(parameters[p].secret, resolved.values.get(p)) for p in parameters},
    )


def device_values(
    parameters: Mapping[str, ParameterSpec],
    values: Mapping[str, Any],
    bound: Mapping[str, SlotBinding],
) -> tuple[dict[str, Any], list[str]]:
    """Values only the device knows (the group of a bound node), for parameters not given."""
    derived: dict[str, Any] = {}
    notes: list[str] = []
    for name, spec in sorted(parameters.items()):
        binding = bound.get(spec.device_group or "")
        if name in values or binding is None or binding.node_gid is None:
            continue
        derived[name] = binding.node_gid
        notes.append(
            f"{name}={binding.node_gid}: the group owning {binding.path} on the device "
            f"(slot {binding.slot})"
        )
    return derived, notes


def _shown(secret: bool, value: Any) -> str:
    if secret:
        return "set" if value not in (None, "") else "not set"
    return "" if value is None else as_text(value)


def _merged(
    parts: Sequence[Template], items: Callable[[Template], Mapping[str, T]], what: str
) -> dict[str, T]:
    merged: dict[str, T] = {}
    owner: dict[str, str] = {}
    for part in parts:
        for name, item in items(part).items():
            if name in merged:
                raise RenderError(f"{what} {name} is defined by both {owner[name]} and {part.name}")
            merged[name] = item
            owner[name] = part.name
    return merged


def _lookup(
    resolved: ResolvedValues, bound: Mapping[str, SlotBinding]
) -> Callable[[Reference], Any]:
    def lookup(ref: Reference) -> Any:
        if ref.kind == "slot":
            return bound[ref.name].path
        return resolved.values[ref.name]

    return lookup


def _service(
    spec: ServiceSpec,
    lookup: Callable[[Reference], Any],
    bound: Mapping[str, SlotBinding],
    stack: str,
) -> tuple[dict[str, Any], ServiceInfo]:
    body = copy.deepcopy(spec.body)
    # A device whose optional slot stayed unbound is left out, not rendered empty.
    devices = [d for d in body.pop("devices", []) if _slot_of(d) in bound]
    if devices:
        body["devices"] = devices
    device_bindings = tuple(bound[_slot_of(d)] for d in devices)
    body = substitute_tree(body, lookup)
    try:
        _convert(body)
    except ValueError as exc:
        raise RenderError(f"{stack}: service {spec.name}: {exc}") from None
    for rule, setting in waivers_needed(body).items():
        if rule not in spec.waivers:
            raise RenderError(
                f"{stack}: service {spec.name}: with these values {setting} breaks the hardening "
                f"rule {rule!r}, which the template does not waive"
            )
    harden(body, spec.waivers)
    apply_seccomp(body, spec.seccomp)
    gpu = bound.get(spec.gpu_slot) if spec.gpu_slot else None
    if gpu is not None:
        _add_gpu(body, gpu)
    body["labels"].update({STACK_LABEL: stack, ORIGIN_LABEL: spec.origin})
    if "secrets" in body:
        body["secrets"] = [
            {"source": secret_object_name(s["source"]), "target": s["target"]}
            for s in body["secrets"]
        ]
    info = ServiceInfo(
        name=spec.name,
        origin=spec.origin,
        waivers=tuple(sorted(spec.waivers.items())),
        devices=device_bindings,
        gpu=gpu,
        seccomp=spec.seccomp if not body.get("privileged") else None,
        apparmor=spec.apparmor,
    )
    return body, info


def _slot_of(device: Mapping[str, str]) -> str:
    match = _SLOT_SOURCE_RE.match(device["source"])
    return match.group(1) if match else ""


def _convert(body: dict[str, Any]) -> None:
    """Give substituted values their Compose types; ValueError names the field."""
    for port in body.get("ports", ()):
        for key in ("target", "published"):
            port[key] = _port_number(port[key], f"port {key}")
        if port.get("host_ip"):
            port["host_ip"] = _address(port["host_ip"])
    if "expose" in body:
        body["expose"] = [_port_number(p, "expose") for p in body["expose"]]
    if "mem_limit" in body:
        body["mem_limit"] = docker_size(parse_size(body["mem_limit"]))
    if "cpus" in body:
        body["cpus"] = _positive(float(body["cpus"]), "cpus")
    if "pids_limit" in body:
        body["pids_limit"] = int(_positive(int(body["pids_limit"]), "pids_limit"))
    if "environment" in body:
        body["environment"] = {k: as_text(v) for k, v in body["environment"].items()}
    if "group_add" in body:
        body["group_add"] = [_group(g) for g in body["group_add"]]
    if "user" in body and not USER_RE.match(as_text(body["user"])):
        raise ValueError(f"user {as_text(body['user'])!r}: expected USER or UID[:GID]")
    health = body.get("healthcheck")
    if health:
        for key in ("interval", "timeout", "start_period"):
            if key in health:
                health[key] = go_duration(parse_duration(health[key]))
    if "stop_grace_period" in body:
        body["stop_grace_period"] = go_duration(parse_duration(body["stop_grace_period"]))


def _port_number(value: Any, what: str) -> int:
    text = str(value)
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"{what} must be a number from 1 to 65535, got {value!r}")
    return int(text)


def _address(value: Any) -> str:
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        raise ValueError(f"host_ip must be an IP address, got {value!r}") from None


def _positive(value: float, what: str) -> float:
    if value <= 0:
        raise ValueError(f"{what} must be more than 0")
    return value


def _group(value: Any) -> str:
    text = as_text(value)
    if not _GROUP_RE.match(text):
        raise ValueError(f"group_add: {text!r} is not a group id or name")
    return text


def _add_gpu(body: dict[str, Any], gpu: SlotBinding) -> None:
    if gpu.gpu_vendor == "jetson":
        body["runtime"] = "nvidia"
        return
    request: dict[str, Any] = {"driver": "nvidia", "capabilities": ["gpu"]}
    if gpu.gpu_id in (None, "all"):
        request["count"] = "all"
    else:
        request["device_ids"] = [gpu.gpu_id]
    body.setdefault("deploy", {})["resources"] = {"reservations": {"devices": [request]}}


def _formats(parts: Sequence[Template]) -> dict[str, tuple[str, ...]]:
    """Part name -> the formats it is limited to, for the parts that limit them."""
    limited = {
        f"{p.kind.replace('addon', 'add-on')} {p.name}": p.formats
        for p in parts
        if p.formats and set(p.formats) != set(FORMATS)
    }
    if limited and not any(all(f in a for a in limited.values()) for f in FORMATS):
        raise RenderError(
            f"{parts[0].name}: no output format suits "
            + " and ".join(f"{part} ({'/'.join(a)})" for part, a in limited.items())
        )
    return limited


def _merged_network(parts: Sequence[Template], stack: str) -> dict[str, Any]:
    """Settings of the stack's default network; two parts may not disagree on one."""
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in part.stack.network.items():
            if key == "labels":
                merged.setdefault("labels", {}).update(value)
            elif merged.setdefault(key, value) != value:
                raise RenderError(f"{stack}: {part.name} sets the default network's {key} again")
    return merged


def _confine_for_device(
    services: Mapping[str, dict[str, Any]],
    infos: Mapping[str, ServiceInfo],
    inventory: Mapping[str, Any] | None,
) -> tuple[str, ...]:
    """With an inventory, AppArmor profiles where the device's engine enforces AppArmor, and
    a note saying so where it does not (never a profile nothing enforces)."""
    docker = (inventory or {}).get("docker")
    if not isinstance(docker, Mapping) or not docker.get("reachable"):
        return ()
    seccomp, apparmor = engine_confinement(docker.get("security_options"))
    notes = []
    if apparmor:
        for name, body in services.items():
            apply_apparmor(body, infos[name].apparmor)
    else:
        notes.append(
            "AppArmor is not enabled on the device's engine: no AppArmor profile confines "
            "these services"
        )
    if not seccomp:
        for body in services.values():
            apply_seccomp(body, None)
        notes.append(
            "the device's engine has no seccomp support: no seccomp filter confines these services"
        )
    return tuple(notes)


def _secret_owners(services: Mapping[str, Any], stack: str) -> dict[str, str]:
    owners: dict[str, str] = {}
    users: dict[str, str] = {}
    for name, body in services.items():
        for secret in body.get("secrets", ()):
            owner = owners.setdefault(secret["source"], body["user"])
            users.setdefault(secret["source"], name)
            if owner != body["user"]:
                raise RenderError(
                    f"{stack}: secret {secret['source']} is used by {users[secret['source']]} "
                    f"({owner}) and {name} ({body['user']}); a 0600 file has one owner"
                )
    return dict(sorted(owners.items()))


def _volume_size(name: str, size: Any, lookup: Callable[[Reference], Any], stack: str) -> int:
    if size is None:
        return DEFAULT_VOLUME_SIZE
    try:
        return parse_size(substitute(size, lookup) if isinstance(size, str) else size)
    except ValueError as exc:
        raise RenderError(f"{stack}: volume {name} size: {exc}") from None
