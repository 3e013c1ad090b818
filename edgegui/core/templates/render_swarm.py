"""Docker Swarm stack file (``docker stack deploy``), Compose file format 3.9.

Swarm services cannot have host devices (moby/swarmkit#1244), run privileged, set
``security_opt``, bind a published port to one address, or mount ``/tmp`` noexec. The stack
keeps everything Swarm can express; each loss is listed in the file's header and in
``limitations`` so that the deploy step can refuse or warn.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from edgegui.core.templates.node_labels import swarm_constraints
from edgegui.core.templates.output import FormatOutput, escape_for_compose, header
from edgegui.core.templates.render_compose import files_needed
from edgegui.core.templates.units import parse_size
from edgegui.core.yamlload import dump_yaml

if TYPE_CHECKING:
    from edgegui.core.templates.rendered import RenderedStack

SWARM_FILE_VERSION = "3.9"  # Docker 20.10 and later; the first with deploy.resources.limits.pids
HOST_NETWORK = "hostnet"
# Keys that mean the same in a Swarm stack and are copied unchanged.
_SAME_KEYS = (
    "image",
    "command",
    "entrypoint",
    "environment",
    "healthcheck",
    "labels",
    "logging",
    "user",
    "working_dir",
    "read_only",
    "cap_add",
    "cap_drop",
    "stop_grace_period",
    "depends_on",
    "init",
)
_RESTART = {"unless-stopped": "any", "always": "any", "on-failure": "on-failure", "no": "none"}
_TMPFS_SIZE_RE = re.compile(r"(?:^|,)size=([0-9]+[a-zA-Z]*)")
SECRET_MODE = 0o400
CONFIG_MODE = 0o444


def render_swarm(stack: RenderedStack) -> FormatOutput:
    """A stack file for ``docker stack deploy`` and its list of losses."""
    notes: list[str] = []
    services = {
        name: _service(name, body, stack, notes) for name, body in stack.compose["services"].items()
    }
    bodies = stack.compose["services"]
    noexec = sorted(
        n for n, b in bodies.items() if any(":" in t and "noexec" in t for t in b.get("tmpfs", ()))
    )
    if noexec:
        notes.append(
            f"Swarm cannot mount tmpfs noexec,nosuid; /tmp stays executable in {', '.join(noexec)}"
        )
    if any("security_opt" in body for body in bodies.values()):
        notes.append("Swarm ignores security_opt: no-new-privileges is not applied to any service")
    if stack.seccomp_profiles:
        notes.append(
            "a Swarm stack cannot name a seccomp profile: the engine's default seccomp profile "
            f"confines the services, not {', '.join(stack.seccomp_profiles)}"
        )
    document: dict[str, Any] = {"version": SWARM_FILE_VERSION, "services": services}
    for key in ("volumes", "secrets", "configs", "networks"):
        if key in stack.compose:
            document[key] = dict(stack.compose[key])
    if any(HOST_NETWORK in s.get("networks", ()) for s in services.values()):
        document.setdefault("networks", {})[HOST_NETWORK] = {"external": True, "name": "host"}
    top = header(
        title="Docker Swarm stack file",
        source=stack.source,
        usage="docker stack deploy -c THIS_FILE " + stack.name,
        waivers=stack.waivers,
        limitations=notes,
        needs=files_needed(stack, seccomp=False),
        notes=stack.notes,
    )
    return FormatOutput(top + dump_yaml(escape_for_compose(document)), tuple(notes))


def _service(
    name: str, body: dict[str, Any], stack: RenderedStack, notes: list[str]
) -> dict[str, Any]:
    out = {key: body[key] for key in _SAME_KEYS if key in body}
    info = stack.services[name]
    deploy: dict[str, Any] = {}
    limits = {
        key: value
        for key, value in (
            ("memory", body.get("mem_limit")),
            ("cpus", str(body["cpus"]) if "cpus" in body else None),
            ("pids", body.get("pids_limit")),
        )
        if value is not None
    }
    if limits:
        deploy["resources"] = {"limits": limits}
    if "restart" in body:
        deploy["restart_policy"] = {"condition": _RESTART[body["restart"]]}
    constraints = list(body.get("deploy", {}).get("placement", {}).get("constraints", ()))
    constraints += swarm_constraints(info)  # the node that has the slot's hardware
    if len(stack.requirements.architectures) == 1:
        constraints.append(f"node.platform.arch == {stack.requirements.architectures[0]}")
    if constraints:
        deploy["placement"] = {"constraints": constraints}
    _gpu(name, info.gpu, deploy, notes)
    if deploy:
        out["deploy"] = deploy
    out.update(_mounts(body))
    uid, _, gid = str(body["user"]).partition(":")
    # Swarm owns mounted secrets by number; a user given by name keeps root ownership.
    owner = {"uid": uid, "gid": gid or uid} if f"{uid}{gid}".isdigit() else {}
    for secret_or_config, mode in (("secrets", SECRET_MODE), ("configs", CONFIG_MODE)):
        if secret_or_config in body:
            out[secret_or_config] = [
                {**ref, **owner, "mode": mode} for ref in body[secret_or_config]
            ]
    if body.get("ports"):
        out["ports"] = [
            {
                "target": p["target"],
                "published": p["published"],
                "protocol": p["protocol"],
                "mode": "host",
            }
            for p in body["ports"]
        ]
        addresses = sorted({p["host_ip"] for p in body["ports"] if p.get("host_ip")})
        if addresses:
            notes.append(
                f"{name}: Swarm publishes ports on every address of the node, not only on "
                f"{', '.join(addresses)}; restrict them with a host firewall"
            )
    if body.get("network_mode") == "host":
        out["networks"] = [HOST_NETWORK]
    for binding in info.devices:
        notes.append(
            f"{name}: Swarm services cannot use host devices (moby/swarmkit#1244); "
            f"slot {binding.slot} ({binding.path}) is not passed in (the service is placed on a "
            "node with that hardware): deploy this template with the compose format to use it"
        )
    if body.get("privileged"):
        notes.append(f"{name}: Swarm cannot run a service privileged; it runs unprivileged")
    return out


def _mounts(body: dict[str, Any]) -> dict[str, Any]:
    volumes = [dict(v) for v in body.get("volumes", ())]
    for entry in body.get("tmpfs", ()):
        target, _, options = entry.partition(":")
        mount: dict[str, Any] = {"type": "tmpfs", "target": target}
        size = _TMPFS_SIZE_RE.search(options)
        if size:
            mount["tmpfs"] = {"size": parse_size(size.group(1))}
        volumes.append(mount)
    return {"volumes": volumes} if volumes else {}


def _gpu(name: str, gpu: Any, deploy: dict[str, Any], notes: list[str]) -> None:
    if gpu is None:
        return
    if gpu.gpu_vendor == "jetson":
        notes.append(
            f'{name}: Swarm cannot choose a runtime per service; set "default-runtime": '
            '"nvidia" in the device\'s /etc/docker/daemon.json'
        )
        return
    deploy.setdefault("resources", {})["reservations"] = {
        "generic_resources": [{"discrete_resource_spec": {"kind": "NVIDIA-GPU", "value": 1}}]
    }
    notes.append(
        f"{name}: Swarm reserves a GPU as the generic resource NVIDIA-GPU, which the device's "
        "daemon.json must advertise (node-generic-resources); it cannot pin "
        f"GPU {gpu.gpu_id or 'all'}"
    )
