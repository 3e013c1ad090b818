"""Docker Swarm from commissioned devices: init on one, join the others, label every node
from its hardware, deploy a template as a stack placed by those labels.

The join token never appears on a command line: joins go through each device's Engine API
over the SSH channel (``transport.docker_client()``), the token inside the request body.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from edgegui.core.audit import record_action
from edgegui.core.errors import EdgeGUIError
from edgegui.core.orchestrate.files import remote_folder
from edgegui.core.templates.node_labels import PREFIX, hardware_labels
from edgegui.core.transport.base import Transport
from edgegui.core.transport.engine import with_engine_env

if TYPE_CHECKING:
    import docker

    from edgegui.core.templates import RenderedStack

SWARM_PORT = 2377


class SwarmError(EdgeGUIError):
    """The swarm cannot be formed or the stack cannot be deployed on it."""


@dataclass
class SwarmMember:
    """One device of the swarm: its link, its node, and what its hardware made it."""

    name: str
    transport: Transport
    address: str = ""
    node_id: str = ""
    role: str = "worker"
    hostname: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    inventory: dict[str, Any] = field(default_factory=dict)
    joined: str = ""  # "initialised", "joined" or "already a member"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "target": self.transport.describe(),
            "address": self.address,
            "node_id": self.node_id,
            "role": self.role,
            "hostname": self.hostname,
            "labels": dict(self.labels),
            "joined": self.joined,
        }


def advertise_address(transport: Transport) -> str:
    """The address the other devices reach this one at: the SSH target's, resolved here."""
    host = getattr(transport.target, "host", None)
    if not host:
        raise SwarmError(f"{transport.describe()}: a swarm node needs an SSH target")
    try:
        return str(socket.getaddrinfo(host, None, socket.AF_INET)[0][4][0])
    except OSError:
        raise SwarmError(f"{transport.describe()}: cannot resolve {host}") from None


def _swarm_state(client: docker.DockerClient) -> dict[str, Any]:
    return dict(client.info().get("Swarm") or {})


def form_swarm(members: Sequence[SwarmMember]) -> list[SwarmMember]:
    """The first member manages (init, or the swarm it already manages); the others join
    as workers. Each node is labelled from a fresh discovery of its hardware."""
    from edgegui.core.discovery import probe_inventory

    if not members:
        raise SwarmError("a swarm needs at least one device")
    manager = members[0]
    manager.role = "manager"
    mclient = manager.transport.docker_client()
    manager.address = advertise_address(manager.transport)
    state = _swarm_state(mclient)
    if state.get("LocalNodeState") == "active":
        if not state.get("ControlAvailable"):
            raise SwarmError(f"{manager.name}: already a worker of a swarm; name its manager first")
        manager.joined = "already a member"
    else:
        mclient.swarm.init(advertise_addr=manager.address, listen_addr=f"0.0.0.0:{SWARM_PORT}")
        manager.joined = "initialised"
        record_action(
            "swarm init", transport=manager.transport, detail={"address": manager.address}
        )
    mclient.swarm.reload()
    token = mclient.swarm.attrs["JoinTokens"]["Worker"]
    cluster = mclient.swarm.attrs["ID"]
    manager.node_id = str(_swarm_state(mclient).get("NodeID", ""))
    known = {node.id for node in mclient.nodes.list()}
    for member in members[1:]:
        _join(member, manager, token, known, cluster)
    for member in members:
        member.inventory = probe_inventory(member.transport).to_dict()
        member.labels = hardware_labels(member.inventory)
        member.hostname = str(member.inventory.get("system", {}).get("hostname", ""))
        _label(mclient, member)
    return list(members)


def _join(
    member: SwarmMember, manager: SwarmMember, token: str, known: set[str], cluster: str
) -> None:
    client = member.transport.docker_client()
    member.address = advertise_address(member.transport)
    state = _swarm_state(client)
    if state.get("LocalNodeState") == "active":
        if state.get("NodeID") in known:
            member.node_id, member.joined = str(state["NodeID"]), "already a member"
            return
        raise SwarmError(
            f"{member.name}: belongs to another swarm; run 'docker swarm leave' on it first"
        )
    client.swarm.join(  # the token travels in the API request body over SSH
        remote_addrs=[f"{manager.address}:{SWARM_PORT}"],
        join_token=token,
        advertise_addr=member.address,
        listen_addr=f"0.0.0.0:{SWARM_PORT}",
    )
    member.node_id, member.joined = str(_swarm_state(client).get("NodeID", "")), "joined"
    record_action("swarm join", transport=member.transport, detail={"cluster": cluster})


def _label(mclient: docker.DockerClient, member: SwarmMember) -> None:
    """Replace the node's ``edgegui.*`` labels with those of its hardware now."""
    node = mclient.nodes.get(member.node_id)
    spec = dict(node.attrs["Spec"])
    labels = {k: v for k, v in (spec.get("Labels") or {}).items() if not k.startswith(PREFIX)}
    spec["Labels"] = {**labels, **member.labels}
    node.update(spec)


def render_for_swarm(members: Sequence[SwarmMember], render: Any) -> RenderedStack:
    """Render with the inventory of the first node that has every slot's hardware (the
    slots place services; Swarm passes no host device in). ``render(inventory)`` renders."""
    errors = []
    for member in members:
        try:
            return render(member.inventory)  # type: ignore[no-any-return]
        except EdgeGUIError as exc:
            errors.append(f"{member.name}: {exc}")
    raise SwarmError("no node of the swarm has the stack's hardware: " + "; ".join(errors))


_DEPLOY = 'cd "$1" && docker stack deploy --resolve-image never --prune -c stack.yaml "$2"'
_PS = "docker stack ps \"$1\" --no-trunc --filter desired-state=running --format '{{json .}}'"


def deploy_swarm_stack(
    manager: SwarmMember, rendered: RenderedStack, stack: str, timeout: float = 120.0
) -> dict[str, str]:
    """``docker stack deploy`` on the manager from a private folder (stack file, secrets,
    configs); returns service -> node host name once every service runs somewhere."""
    from edgegui.core.deploy.remote_state import check_stack_name

    check_stack_name(stack)
    transport = manager.transport
    files = rendered.bundle("swarm")
    with remote_folder(transport, files, f"swarm-{stack}") as folder:
        result = transport.run(
            ["sh", "-c", with_engine_env(transport, _DEPLOY), "sh", folder, stack], timeout=300
        )
    if not result.ok:
        message = (result.stderr or result.stdout).decode(errors="replace").strip()
        last = message.splitlines()[-1] if message else f"exit status {result.exit_status}"
        raise SwarmError(f"{manager.name}: docker stack deploy: {last}")
    record_action(
        "swarm deploy", transport=transport, detail={"stack": stack, "source": rendered.source}
    )
    wanted = set(rendered.compose["services"])
    deadline = time.monotonic() + timeout
    placed: dict[str, str] = {}
    while time.monotonic() < deadline:
        placed = _running_tasks(transport, stack)
        if wanted <= set(placed):
            return placed
        time.sleep(1)
    missing = ", ".join(sorted(wanted - set(placed)))
    raise SwarmError(f"stack {stack}: {missing} not running after {timeout:g} s (docker stack ps)")


def _running_tasks(transport: Transport, stack: str) -> dict[str, str]:
    result = transport.run(["sh", "-c", with_engine_env(transport, _PS), "sh", stack])
    placed = {}
    for line in result.text.splitlines():
        try:
            task = json.loads(line)
        except ValueError:
            continue
        if str(task.get("CurrentState", "")).startswith("Running"):
            service = str(task.get("Name", "")).split(".")[0].removeprefix(f"{stack}_")
            placed[service] = str(task.get("Node", ""))
    return placed
