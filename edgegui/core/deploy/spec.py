"""Turn one normalised Compose service into Docker SDK ``containers.create`` arguments.

Containers carry the labels Docker Compose v2 sets, so ``docker compose ls/ps`` on the device
recognises the stack, and a config hash so an unchanged service is never restarted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from edgegui.core.deploy.errors import DeployError
from edgegui.core.labels import IMAGE_LABEL
from edgegui.core.labels import PROJECT_LABEL as PROJECT
from edgegui.core.labels import SERVICE_LABEL as SERVICE
from edgegui.core.templates.seccomp import engine_options, profile_in, profile_text
from edgegui.core.templates.units import parse_duration, parse_size

CONFIG_HASH = "com.docker.compose.config-hash"
COMPOSE_VERSION = "2.20.0"  # the Compose release whose label set we reproduce
SECRETS_DIR = "/run/secrets"
# The container's own stop_grace_period, so that replacing it later waits as long as it asked.
STOP_TIMEOUT = "io.edgegui.stop-timeout"


def container_name(stack: str, service: str) -> str:
    return f"{stack}-{service}-1"


def network_name(stack: str) -> str:
    return f"{stack}_default"


def volume_name(stack: str, volume: str) -> str:
    return f"{stack}_{volume}"


def project_labels(stack: str) -> dict[str, str]:
    return {PROJECT: stack, "com.docker.compose.version": COMPOSE_VERSION}


@dataclass(frozen=True)
class ServicePlan:
    """What one service's container must look like: create arguments and their hash."""

    name: str
    create: dict[str, Any]
    config_hash: str
    depends_on: tuple[str, ...] = ()
    ports: tuple[tuple[str, int], ...] = ()
    devices: tuple[str, ...] = ()
    has_healthcheck: bool = False
    stop_timeout: int = 10


def config_hash(body: Mapping[str, Any], image_id: str, files: Mapping[str, str]) -> str:
    """Digest of everything that shapes the container; secret values enter only as digests."""
    canonical = json.dumps(
        {"service": body, "image": image_id, "files": dict(files)}, sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _nanoseconds(text: str, where: str) -> int:
    try:
        return int(parse_duration(str(text)) * 1_000_000_000)
    except ValueError as exc:
        raise DeployError(f"{where}: {exc}") from None


def _healthcheck(check: Mapping[str, Any], where: str) -> dict[str, Any]:
    result: dict[str, Any] = {"test": list(check["test"])}
    for key, docker_key in (
        ("interval", "interval"),
        ("timeout", "timeout"),
        ("start_period", "start_period"),
    ):
        if key in check:
            result[docker_key] = _nanoseconds(check[key], f"{where}: healthcheck {key}")
    if "retries" in check:
        result["retries"] = int(check["retries"])
    return result


def plan_service(
    stack: str,
    name: str,
    body: Mapping[str, Any],
    *,
    image_id: str,
    secret_volume: str | None,
    config_paths: Mapping[str, str],
    file_digests: Mapping[str, str],
    endpoint_config: Any = None,
    seccomp_profiles: Mapping[str, str] | None = None,
) -> ServicePlan:
    """Create arguments for ``name``; ``config_paths`` maps config name -> file on the device,
    ``seccomp_profiles`` the profile texts the version was deployed with (name -> JSON)."""
    where = f"{stack}/{name}"
    profile = profile_in(body.get("security_opt"))
    files = dict(file_digests)
    if profile is not None:  # a changed profile restarts the services that use it
        text = (seccomp_profiles or {}).get(profile) or profile_text(profile)
        files[f"seccomp/{profile}"] = hashlib.sha256(text.encode()).hexdigest()
    digest = config_hash(body, image_id, files)
    stop_timeout = max(1, _nanoseconds(body.get("stop_grace_period", "10s"), where) // 10**9)
    labels = {
        **{str(k): str(v) for k, v in body.get("labels", {}).items()},
        **project_labels(stack),
        SERVICE: name,
        CONFIG_HASH: digest,
        IMAGE_LABEL: str(body["image"]),
        "com.docker.compose.oneoff": "False",
        "com.docker.compose.container-number": "1",
        "com.docker.compose.project.working_dir": f".local/share/edgegui/stacks/{stack}",
        STOP_TIMEOUT: str(stop_timeout),
    }
    create: dict[str, Any] = {
        "image": image_id,
        "name": container_name(stack, name),
        "labels": labels,
        "detach": True,
    }
    if "command" in body:
        create["command"] = list(body["command"])
    if "entrypoint" in body:
        create["entrypoint"] = list(body["entrypoint"])
    if body.get("environment"):
        create["environment"] = {str(k): str(v) for k, v in body["environment"].items()}
    for key in ("user", "working_dir", "privileged"):
        if key in body:
            create[key] = body[key]
    if body.get("read_only"):
        create["read_only"] = True
    if body.get("init"):
        create["init"] = True
    if body.get("cap_add"):
        create["cap_add"] = list(body["cap_add"])
    if body.get("cap_drop"):
        create["cap_drop"] = list(body["cap_drop"])
    if body.get("security_opt"):
        create["security_opt"] = engine_options(body["security_opt"], seccomp_profiles)
    if body.get("group_add"):
        create["group_add"] = [str(g) for g in body["group_add"]]
    if body.get("tmpfs"):
        create["tmpfs"] = dict(_split_tmpfs(entry) for entry in body["tmpfs"])
    if "mem_limit" in body:
        create["mem_limit"] = parse_size(body["mem_limit"])
    if "cpus" in body:
        create["nano_cpus"] = int(float(body["cpus"]) * 1_000_000_000)
    if "pids_limit" in body:
        create["pids_limit"] = int(body["pids_limit"])
    if "restart" in body:
        create["restart_policy"] = {"Name": "" if body["restart"] == "no" else body["restart"]}
    if "logging" in body:
        create["log_config"] = {
            "Type": body["logging"].get("driver", "json-file"),
            "Config": {str(k): str(v) for k, v in body["logging"].get("options", {}).items()},
        }
    if "healthcheck" in body:
        create["healthcheck"] = _healthcheck(body["healthcheck"], where)
    # Structured, never "src:dst:perm": udev by-id names may contain colons.
    devices = [
        {
            "PathOnHost": d["source"],
            "PathInContainer": d["target"],
            "CgroupPermissions": d.get("permissions", "rwm"),
        }
        for d in body.get("devices", ())
    ]
    if devices:
        create["devices"] = devices
    if body.get("runtime"):
        create["runtime"] = body["runtime"]
    gpu = _gpu_requests(body)
    if gpu:
        create["device_requests"] = gpu
    create["mounts"] = _mounts(stack, body, secret_volume, config_paths, where)
    ports = []
    if body.get("network_mode") == "host":
        create["network_mode"] = "host"
    else:
        create["network"] = network_name(stack)
        if endpoint_config is not None:
            create["networking_config"] = {network_name(stack): endpoint_config}
        bindings: dict[str, list[tuple[str, int]]] = {}
        for port in body.get("ports", ()):
            host_ip = str(port.get("host_ip", "0.0.0.0"))  # noqa: S104 - the template chose it
            published = int(port["published"])
            key = f"{port['target']}/{port.get('protocol', 'tcp')}"
            bindings.setdefault(key, []).append((host_ip, published))
            if port.get("protocol", "tcp") == "tcp":
                ports.append((host_ip, published))
        if bindings:
            create["ports"] = {k: v[0] if len(v) == 1 else v for k, v in bindings.items()}
    return ServicePlan(
        name=name,
        create=create,
        config_hash=digest,
        depends_on=tuple(body.get("depends_on", ())),
        ports=tuple(ports),
        devices=tuple(d["source"] for d in body.get("devices", ())),
        has_healthcheck="healthcheck" in body,
        stop_timeout=stop_timeout,
    )


def _split_tmpfs(entry: str) -> tuple[str, str]:
    path, _, options = entry.partition(":")
    return path, options


def _gpu_requests(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    devices = body.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [])
    requests = []
    for device in devices:
        request: dict[str, Any] = {
            "Driver": device.get("driver", "nvidia"),
            "Capabilities": [list(device.get("capabilities", ["gpu"]))],
        }
        if device.get("count") == "all":
            request["Count"] = -1
        if device.get("device_ids"):
            request["DeviceIDs"] = list(device["device_ids"])
        requests.append(request)
    return requests


def _mounts(
    stack: str,
    body: Mapping[str, Any],
    secret_volume: str | None,
    config_paths: Mapping[str, str],
    where: str,
) -> list[dict[str, Any]]:
    mounts: list[dict[str, Any]] = []
    for volume in body.get("volumes", ()):
        kind = volume.get("type", "volume")
        source = volume["source"]
        mounts.append(
            {
                "Type": kind,
                "Source": volume_name(stack, source) if kind == "volume" else source,
                "Target": volume["target"],
                "ReadOnly": bool(volume.get("read_only", False)),
            }
        )
    if secret_volume is not None:
        mounts.append(
            {"Type": "volume", "Source": secret_volume, "Target": SECRETS_DIR, "ReadOnly": True}
        )
    for config in body.get("configs", ()):
        source = config["source"]
        if source not in config_paths:
            raise DeployError(f"{where}: config {source} was not written to the device")
        mounts.append(
            {
                "Type": "bind",
                "Source": config_paths[source],
                "Target": config.get("target", f"/{source}"),
                "ReadOnly": True,
            }
        )
    return mounts


def dependency_waves(services: Mapping[str, ServicePlan]) -> list[list[str]]:
    """Services grouped so that each depends only on services of earlier groups; the
    services of one group are independent of each other and may start (or stop) together."""
    return waves_of({name: plan.depends_on for name, plan in services.items()})


def waves_of(depends: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """``dependency_waves`` for a map of service name -> the services it depends on."""
    depth: dict[str, int] = {}
    for name in order_of(depends):  # dependencies come first, so theirs are known
        known = [depth[d] for d in depends[name] if d in depth]
        depth[name] = 1 + max(known, default=-1)
    waves: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in sorted(depth):
        waves[depth[name]].append(name)
    return waves


def start_order(services: Mapping[str, ServicePlan]) -> list[str]:
    """Services in an order where each one starts after those it depends on."""
    return order_of({name: plan.depends_on for name, plan in services.items()})


def order_of(depends: Mapping[str, Sequence[str]]) -> list[str]:
    """``start_order`` for a map of service name -> the services it depends on."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise DeployError(f"service {name}: depends_on forms a cycle")
        visiting.add(name)
        for dependency in depends[name]:
            if dependency in depends:
                visit(dependency)
        visiting.discard(name)
        order.append(name)

    for name in sorted(depends):
        visit(name)
    return order
