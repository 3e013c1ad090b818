"""Bring the device's containers to one stack version, and undo it if the version fails.

Changed services are swapped one by one: the old container is stopped and renamed
``…-previous`` (kept for undo), a new one is created under the canonical name. Unchanged
services (same config hash, running) are left alone. Named volumes are never removed here.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from edgegui.core.deploy.errors import DeployError
from edgegui.core.deploy.remote_state import StackVersion
from edgegui.core.deploy.spec import (
    CONFIG_HASH,
    PROJECT,
    SERVICE,
    ServicePlan,
    container_name,
    network_name,
    plan_service,
    project_labels,
    start_order,
    volume_name,
)
from edgegui.core.events import CancelToken, Progress, ProgressCallback

if TYPE_CHECKING:
    import docker

PREVIOUS_SUFFIX = "-previous"


@dataclass
class Swap:
    """What applying changed, so that it can be undone or committed."""

    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # services dropped from the stack
    containers: dict[str, Any] = field(default_factory=dict)


def plan_version(client: docker.DockerClient, version: StackVersion) -> dict[str, ServicePlan]:
    endpoint = client.api.create_endpoint_config
    return {
        name: plan_service(
            version.stack,
            name,
            body,
            image_id=version.images[name],
            secret_volume=version.secret_volumes.get(name),
            config_paths=version.config_paths,
            file_digests={
                k: v
                for k, v in version.file_digests.items()
                if k in {s["source"] for s in [*body.get("secrets", ()), *body.get("configs", ())]}
            },
            endpoint_config=endpoint(aliases=[name]),
            seccomp_profiles=version.seccomp_profiles,
        )
        for name, body in version.compose["services"].items()
    }


def stack_containers(client: docker.DockerClient, stack: str) -> list[Any]:
    return list(client.containers.list(all=True, filters={"label": f"{PROJECT}={stack}"}))


def ensure_network_and_volumes(client: docker.DockerClient, version: StackVersion) -> None:
    import docker.errors

    stack = version.stack
    needs_network = any(
        body.get("network_mode") != "host" for body in version.compose["services"].values()
    )
    if needs_network:
        try:
            client.networks.get(network_name(stack))
        except docker.errors.NotFound:
            settings = (version.compose.get("networks") or {}).get("default") or {}
            client.networks.create(
                network_name(stack),
                driver="bridge",
                labels={
                    **{str(k): str(v) for k, v in (settings.get("labels") or {}).items()},
                    **project_labels(stack),
                    "com.docker.compose.network": "default",
                },
            )
    for volume, spec in (version.compose.get("volumes") or {}).items():
        try:
            client.volumes.get(volume_name(stack, volume))
        except docker.errors.NotFound:
            labels = {
                **{str(k): str(v) for k, v in ((spec or {}).get("labels") or {}).items()},
                **project_labels(stack),
                "com.docker.compose.volume": volume,
            }
            client.volumes.create(volume_name(stack, volume), labels=labels)


def tidy_interrupted(client: docker.DockerClient, stack: str) -> None:
    """After an interrupted run (dockerd restarted, link lost) leave one container per service:
    a ``-previous`` whose canonical twin exists is dropped, otherwise it is renamed back."""
    containers = stack_containers(client, stack)
    names = {c.name for c in containers}
    for container in containers:
        if not container.name.endswith(PREVIOUS_SUFFIX):
            continue
        if container.name.removesuffix(PREVIOUS_SUFFIX) in names:
            container.remove(force=True)
        else:
            container.rename(container.name.removesuffix(PREVIOUS_SUFFIX))


def _start(container: Any) -> None:
    """Start, retrying once: runc occasionally fails a start on a loaded device
    ("write init-p: broken pipe") and succeeds on the next try."""
    import docker.errors

    try:
        container.start()
    except docker.errors.APIError as exc:
        if "OCI runtime" not in str(exc.explanation):
            raise
        time.sleep(1)
        container.start()


def _retire(container: Any, timeout: int) -> None:
    """Stop a container and keep it under the ``-previous`` name for undo."""
    with contextlib.suppress(Exception):
        container.stop(timeout=timeout)
    container.rename(container.name + PREVIOUS_SUFFIX)


def apply_version(
    client: docker.DockerClient,
    version: StackVersion,
    plans: dict[str, ServicePlan],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Swap:
    """Create and start what changed; returns the swap to commit or undo."""
    import docker.errors

    report = progress or (lambda _: None)
    stack = version.stack
    tidy_interrupted(client, stack)
    ensure_network_and_volumes(client, version)
    current = {c.labels.get(SERVICE): c for c in stack_containers(client, stack)}
    swap = Swap()
    order = start_order(plans)
    try:
        for step, name in enumerate(order):
            if cancel is not None:
                cancel.raise_if_cancelled()
            plan = plans[name]
            existing = current.get(name)
            if existing is not None and existing.labels.get(CONFIG_HASH) == plan.config_hash:
                if existing.status != "running":
                    existing.start()
                swap.containers[name] = existing
                continue
            report(Progress("deploy", step, len(order), f"starting {name}", unit="services"))
            if existing is not None:
                _retire(existing, plan.stop_timeout)
            swap.changed.append(name)
            container = client.containers.create(**plan.create)
            swap.containers[name] = container
            _start(container)
        for name, container in current.items():
            if name not in plans and not container.name.endswith(PREVIOUS_SUFFIX):
                _retire(container, 10)
                swap.retired.append(str(name))
    except docker.errors.APIError as exc:
        undo(client, stack, swap)
        raise DeployError(f"{stack}: the engine refused a container: {exc.explanation}") from None
    except BaseException:
        undo(client, stack, swap)
        raise
    return swap


def undo(client: docker.DockerClient, stack: str, swap: Swap) -> None:
    """Remove what we created and bring the retired containers back (best effort: when the
    engine is gone, the next deploy's ``tidy_interrupted`` finishes the job)."""
    for name in [*swap.changed, *swap.retired]:
        with contextlib.suppress(Exception):
            _undo_service(client, stack, name, created=name in swap.changed)


def _undo_service(client: docker.DockerClient, stack: str, name: str, *, created: bool) -> None:
    import docker.errors

    canonical = container_name(stack, name)
    if created:
        with contextlib.suppress(docker.errors.NotFound):
            client.containers.get(canonical).remove(force=True)
    try:
        previous = client.containers.get(canonical + PREVIOUS_SUFFIX)
    except docker.errors.NotFound:
        return
    previous.rename(canonical)
    with contextlib.suppress(docker.errors.APIError):
        previous.start()


def commit(client: docker.DockerClient, stack: str) -> None:
    """The new version passed: drop the kept containers (their volumes stay)."""
    for container in stack_containers(client, stack):
        if container.name.endswith(PREVIOUS_SUFFIX):
            container.remove(force=True, v=False)
