"""Bring the device's containers to one stack version, and undo it if the version fails.

Changed services are swapped: each old container is stopped and renamed ``…-previous``
(kept for undo), then a new one is created under the canonical name. Unchanged
services (same config hash, running) are left alone. Named volumes are never removed here.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from edgegui.core.deploy.errors import DeployError
from edgegui.core.deploy.remote_state import StackVersion
from edgegui.core.deploy.spec import (
    CONFIG_HASH,
    STOP_TIMEOUT,
    ServicePlan,
    container_name,
    dependency_waves,
    network_name,
    plan_service,
    project_labels,
    volume_name,
)
from edgegui.core.events import CancelToken, Progress, ProgressCallback
from edgegui.core.labels import PROJECT_LABEL as PROJECT
from edgegui.core.labels import SERVICE_LABEL as SERVICE

if TYPE_CHECKING:
    import docker

PREVIOUS_SUFFIX = "-previous"
StepTimer = Callable[[str], AbstractContextManager[None]]  # DeployResult.timed


def _untimed(_: str) -> AbstractContextManager[None]:
    return contextlib.nullcontext()


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


def _stop(container: Any, timeout: int) -> None:
    """Stop a container within its own grace period (or ``timeout``); it is kept for undo."""
    own = container.labels.get(STOP_TIMEOUT, "")
    with contextlib.suppress(Exception):
        container.stop(timeout=int(own) if own.isdigit() else timeout)


def _together(jobs: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run independent jobs at once (they wait on the engine, not on us); the first error
    is raised once all of them have ended, so nothing is left half-done behind our back."""
    if len(jobs) <= 1:
        return {name: job() for name, job in jobs.items()}
    with ThreadPoolExecutor(len(jobs), thread_name_prefix="edgegui-deploy") as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        wait(futures.values())
    return {name: future.result() for name, future in futures.items()}


def apply_version(
    client: docker.DockerClient,
    version: StackVersion,
    plans: dict[str, ServicePlan],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    timed: StepTimer = _untimed,
) -> Swap:
    """Replace what changed; returns the swap to commit or undo.

    Old containers stop dependents first while the new ones are created, then the new ones
    start dependencies first; services independent of each other stop and start together.
    """
    import docker.errors

    report = progress or (lambda _: None)
    stack = version.stack
    tidy_interrupted(client, stack)
    ensure_network_and_volumes(client, version)
    current = {c.labels.get(SERVICE): c for c in stack_containers(client, stack)}
    swap = Swap()
    waves = dependency_waves(plans)
    for name, plan in plans.items():
        existing = current.get(name)
        if existing is not None and existing.labels.get(CONFIG_HASH) == plan.config_hash:
            if existing.status != "running":
                existing.start()
            swap.containers[name] = existing
        else:
            swap.changed.append(name)
    leaving = [
        name
        for name, container in current.items()
        if name is not None and name not in plans and not container.name.endswith(PREVIOUS_SUFFIX)
    ]
    replaced = [name for name in swap.changed if name in current]
    swap.retired.extend(str(name) for name in leaving)
    try:
        # The old containers step aside (renamed, still running), so that the new ones are
        # created under their names while the old ones stop.
        for name in [*leaving, *replaced]:
            current[name].rename(current[name].name + PREVIOUS_SUFFIX)
        with (
            timed("stop old, create new containers"),
            ThreadPoolExecutor(
                max(1, len(swap.changed)), thread_name_prefix="edgegui-create"
            ) as pool,
        ):
            creating = {
                n: pool.submit(client.containers.create, **plans[n].create) for n in swap.changed
            }
            _check(cancel)
            _together({n: partial(_stop, current[n], 10) for n in leaving})
            for wave in reversed(waves):  # dependents first
                old = [n for n in wave if n in replaced]
                if old:
                    report(Progress("deploy", 0, 2, f"stopping {', '.join(old)}", unit="steps"))
                    _together({n: partial(_stop, current[n], plans[n].stop_timeout) for n in old})
            wait(creating.values())
            swap.containers.update({n: job.result() for n, job in creating.items()})
        with timed("start new containers"):
            for wave in waves:  # dependencies first
                _check(cancel)
                new = [n for n in wave if n in swap.changed]
                if new:
                    report(Progress("deploy", 1, 2, f"starting {', '.join(new)}", unit="steps"))
                    _together({n: partial(_start, swap.containers[n]) for n in new})
    except docker.errors.APIError as exc:
        undo(client, stack, swap)
        raise DeployError(f"{stack}: the engine refused a container: {exc.explanation}") from None
    except BaseException:
        undo(client, stack, swap)
        raise
    return swap


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


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
